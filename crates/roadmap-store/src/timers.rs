//! The `timers` and `timer_spans` tables: the study timer, a row per span of running time.
//!
//! Each start, pause, resume and stop is one statement in the caller's transaction, so a
//! process killed at any moment leaves the timer as the last action that committed.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use roadmap_core::timer::{AwayKind, Span, Timer};

use crate::StoreError;

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Invalid(format!("a timer time {text:?} is not RFC 3339")))
}

/// The timer not yet finished, if any.
pub fn current(conn: &Connection) -> Result<Option<Timer>, StoreError> {
    let Some((id, session, topic)) = conn
        .query_row(
            "SELECT id, session_id, topic_id FROM timers WHERE finished = 0",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut stmt = conn.prepare(
        "SELECT start, end, boot, suspended, away, away_kind FROM timer_spans
         WHERE timer_id = ?1 ORDER BY start",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut spans = Vec::new();
    for row in rows {
        let (start, end, boot, suspended, away, kind) = row?;
        spans.push(Span {
            start: instant(&start)?,
            end: end.as_deref().map(instant).transpose()?,
            boot,
            suspended,
            away,
            away_kind: kind.as_deref().and_then(AwayKind::parse),
        });
    }
    let mut stmt =
        conn.prepare("SELECT start, end FROM timer_idle WHERE timer_id = ?1 ORDER BY start")?;
    let rows = stmt.query_map([id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut idle = Vec::new();
    for row in rows {
        let (start, end) = row?;
        idle.push((instant(&start)?, instant(&end)?));
    }
    Ok(Some(Timer {
        id,
        session,
        topic,
        spans,
        idle,
    }))
}

/// Starts `timer` (its first span); refused by the database while another is unfinished.
pub fn start(tx: &Transaction<'_>, timer: &Timer) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO timers (session_id, topic_id) VALUES (?1, ?2)",
        params![timer.session, timer.topic],
    )?;
    let id = tx.last_insert_rowid();
    for s in &timer.spans {
        insert_span(tx, id, s)?;
    }
    Ok(id)
}

/// Adds a span (a resume).
pub fn insert_span(tx: &Transaction<'_>, timer: i64, s: &Span) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO timer_spans (timer_id, start, end, boot, suspended, away, away_kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            timer,
            stamp(s.start),
            s.end.map(stamp),
            s.boot,
            s.suspended,
            s.away,
            s.away_kind.map(AwayKind::as_str)
        ],
    )?;
    Ok(())
}

/// Closes the open span as `s` says (a pause, or the stop).
pub fn close_span(tx: &Transaction<'_>, timer: i64, s: &Span) -> Result<(), StoreError> {
    let changed = tx.execute(
        "UPDATE timer_spans SET end = ?3, away = ?4, away_kind = ?5
         WHERE timer_id = ?1 AND start = ?2 AND end IS NULL",
        params![
            timer,
            stamp(s.start),
            s.end.map(stamp),
            s.away,
            s.away_kind.map(AwayKind::as_str)
        ],
    )?;
    if changed != 1 {
        return Err(StoreError::Invalid(
            "the timer changed meanwhile (another window or the CLI); look again".into(),
        ));
    }
    Ok(())
}

/// Finishes the timer: its spans stay as the record of when it ran; `booked`: the minutes it
/// recorded, `None` when discarded.
pub fn finish(tx: &Transaction<'_>, timer: i64, booked: Option<i64>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE timers SET finished = 1, booked_minutes = ?2 WHERE id = ?1 AND finished = 0",
        params![timer, booked],
    )?;
    Ok(())
}

/// A span as recorded: its timer, start and end (`None` while it runs).
pub type SpanRow = (i64, DateTime<Utc>, Option<DateTime<Utc>>);

/// Every span ever timed, finished timers' included, in time order.
pub fn all_spans(conn: &Connection) -> Result<Vec<SpanRow>, StoreError> {
    let mut stmt =
        conn.prepare("SELECT timer_id, start, end FROM timer_spans ORDER BY start, timer_id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (t, start, end) = row?;
        Ok((
            t,
            instant(&start)?,
            end.as_deref().map(instant).transpose()?,
        ))
    })
    .collect()
}

/// Notes an idle stretch of `timer`: a new one from `start`, or (`extend`) the one that began
/// at `start` now lasting until `end`.
pub fn note_idle(
    tx: &Transaction<'_>,
    timer: i64,
    extend: bool,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<(), StoreError> {
    if extend {
        tx.execute(
            "UPDATE timer_idle SET end = ?3 WHERE timer_id = ?1 AND start = ?2",
            params![timer, stamp(start), stamp(end)],
        )?;
    } else {
        tx.execute(
            "INSERT OR REPLACE INTO timer_idle (timer_id, start, end) VALUES (?1, ?2, ?3)",
            params![timer, stamp(start), stamp(end)],
        )?;
    }
    Ok(())
}

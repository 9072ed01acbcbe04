//! The `busy_calendars` and `busy_intervals` tables: the learner's calendars whose events
//! block study time, and the stretches they block. What a calendar blocks is decided by
//! `roadmap_core::busy`; this keeps the last good reading of each, and says when a later
//! reading failed.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use roadmap_core::busy::{self, BusyInterval, BusyRead};

use crate::StoreError;

/// One busy calendar, as `roadmap busy list` shows it.
pub type BusyCalendar = roadmap_core::api::BusyCalendarView;

/// Every busy calendar, by name.
pub fn list(conn: &Connection) -> Result<Vec<BusyCalendar>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT c.name, c.source, c.events, c.skipped, c.read_at, c.checked_at, c.error,
                (SELECT COUNT(*) FROM busy_intervals i WHERE i.calendar_id = c.id)
         FROM busy_calendars c ORDER BY c.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(BusyCalendar {
            name: r.get(0)?,
            source: r.get(1)?,
            events: r.get(2)?,
            skipped: crate::plans::split_lines(&r.get::<_, String>(3)?),
            read_at: r.get(4)?,
            checked_at: r.get(5)?,
            error: r.get(6)?,
            intervals: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Everything every calendar blocks, merged.
pub fn intervals(conn: &Connection) -> Result<Arc<Vec<BusyInterval>>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT start_utc, end_utc FROM busy_intervals")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (start, end) = row?;
        out.push(BusyInterval {
            start: instant(&start)?,
            end: instant(&end)?,
        });
    }
    Ok(Arc::new(busy::merge(out)))
}

/// Saves a good reading of calendar `name` (added when new), replacing what it blocked.
pub fn save_reading(
    tx: &Transaction<'_>,
    name: &str,
    source: &str,
    read: &BusyRead,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let stamp = now.to_rfc3339();
    tx.execute(
        "INSERT INTO busy_calendars (name, source, events, skipped, read_at, checked_at, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, NULL)
         ON CONFLICT (name) DO UPDATE SET source = ?2, events = ?3, skipped = ?4,
             read_at = ?5, checked_at = ?5, error = NULL",
        params![
            name,
            source,
            read.events,
            crate::plans::join_lines(&read.skipped),
            stamp
        ],
    )?;
    let id: i64 = tx.query_row(
        "SELECT id FROM busy_calendars WHERE name = ?1",
        [name],
        |r| r.get(0),
    )?;
    tx.execute("DELETE FROM busy_intervals WHERE calendar_id = ?1", [id])?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO busy_intervals (calendar_id, start_utc, end_utc) VALUES (?1, ?2, ?3)",
    )?;
    for i in &read.intervals {
        insert.execute(params![id, utc_text(i.start), utc_text(i.end)])?;
    }
    Ok(())
}

/// A failed reading of calendar `name`: its last good stretches stay in force.
pub fn save_failure(
    tx: &Transaction<'_>,
    name: &str,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE busy_calendars SET checked_at = ?2, error = ?3 WHERE name = ?1",
        params![name, now.to_rfc3339(), error],
    )?;
    Ok(())
}

/// The file calendar `name` is read from, or `None` when there is no such calendar.
pub fn source(conn: &Connection, name: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT source FROM busy_calendars WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?)
}

/// Removes calendar `name` and what it blocked; `false` when there was none.
pub fn remove(tx: &Transaction<'_>, name: &str) -> Result<bool, StoreError> {
    Ok(tx.execute("DELETE FROM busy_calendars WHERE name = ?1", [name])? > 0)
}

fn utc_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("busy time {text:?} is not an instant")))
}

/// How far back and ahead a calendar is read: a plan lasts at most two years, and the
/// scheduler plans no further than its horizon after today.
const READ_BACK_DAYS: i64 = 7;
const READ_AHEAD_DAYS: i64 = 3 * 366;
/// A calendar file larger than this is refused (a year of a busy person's events is well
/// under a megabyte).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// Reads calendar `name` from the file `source` as of `now`: what it blocks, or why it
/// cannot be read. Nothing is written.
pub fn read_file(
    source: &str,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<BusyRead, String> {
    if source.starts_with("http://")
        || source.starts_with("https://")
        || source.starts_with("webcal://")
    {
        return Err(format!(
            "{source} is a web address; reading calendars from the web is not built yet: save the calendar as an .ics file and add the file"
        ));
    }
    let path = std::path::Path::new(source);
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{source} cannot be read: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{source} is {} MB; a calendar file may be at most {} MB",
            size / (1024 * 1024),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{source} cannot be read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{source} is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    busy::read(
        &text,
        zone,
        now - chrono::Duration::days(READ_BACK_DAYS),
        now + chrono::Duration::days(READ_AHEAD_DAYS),
    )
    .map_err(|e| format!("{source}: {e}"))
}

/// The zone floating times and all-day events of a calendar are read in: the current plan's,
/// or this machine's.
pub fn zone(conn: &Connection) -> Result<chrono_tz::Tz, StoreError> {
    match crate::plans::current_zone(conn)? {
        Some(z) => Ok(z),
        None => Ok(crate::system_time_zone()
            .parse()
            .unwrap_or(chrono_tz::Tz::UTC)),
    }
}

/// After the busy times changed: the current plan's work ahead is re-packed around them (as
/// after a move), in the same transaction. Nothing to do without a plan.
pub fn adapt_plan(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<(), StoreError> {
    if crate::plans::current(tx)?.is_none() {
        return Ok(());
    }
    crate::plans::change(tx, now, |plan, clock| {
        plan.busy_changed(plan.busy.clone(), clock)
            .map_err(StoreError::from)
    })?;
    Ok(())
}

/// A calendar's name, and what it blocks or why it could not be read.
pub type Reading = (String, Result<BusyRead, String>);

/// Reads every busy calendar again (the files outside any transaction), then saves each
/// reading — a calendar that cannot be read keeps its last good stretches and records why —
/// and re-packs the current plan around the result, in one transaction. Returns each
/// calendar's name with its reading or its error.
pub fn refresh_all(conn: &mut Connection, now: DateTime<Utc>) -> Result<Vec<Reading>, StoreError> {
    let list = list(conn)?;
    if list.is_empty() {
        return Ok(Vec::new());
    }
    let zone = zone(conn)?;
    let readings: Vec<Reading> = list
        .iter()
        .map(|c| (c.name.clone(), read_file(&c.source, zone, now)))
        .collect();
    crate::plans::write(conn, |tx| {
        for (c, (name, read)) in list.iter().zip(&readings) {
            match read {
                Ok(r) => save_reading(tx, name, &c.source, r, now)?,
                Err(e) => save_failure(tx, name, e, now)?,
            }
        }
        adapt_plan(tx, now)
    })?;
    Ok(readings)
}

/// Adds calendar `name`, read from `source` (a file path), as of `now`, and re-packs the
/// current plan around what it blocks. A calendar that cannot be read is not added.
pub fn add(
    conn: &mut Connection,
    name: &str,
    source: &str,
    now: DateTime<Utc>,
) -> Result<BusyRead, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(StoreError::Invalid(
            "a calendar's name needs 1 to 100 characters and no control characters".into(),
        ));
    }
    if self::source(conn, name)?.is_some() {
        return Err(StoreError::Invalid(format!(
            "there is already a busy calendar called {name:?}; choose another name or remove it first"
        )));
    }
    let zone = zone(conn)?;
    let read = read_file(source, zone, now).map_err(StoreError::Invalid)?;
    crate::plans::write(conn, |tx| {
        save_reading(tx, name, source, &read, now)?;
        adapt_plan(tx, now)
    })?;
    Ok(read)
}

/// A name for a calendar read from `source` that no calendar has yet: the file's name, then
/// with " 2", " 3"… after it.
pub fn free_name(conn: &Connection, source: &str) -> Result<String, StoreError> {
    let stem = std::path::Path::new(source).file_stem().map_or_else(
        || "Calendar".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let stem: String = stem.chars().filter(|c| !c.is_control()).take(90).collect();
    let stem = if stem.trim().is_empty() {
        "Calendar".to_string()
    } else {
        stem
    };
    let mut name = stem.clone();
    let mut n = 2;
    while self::source(conn, &name)?.is_some() {
        name = format!("{stem} {n}");
        n += 1;
    }
    Ok(name)
}

/// Removes calendar `name` and re-packs the current plan; `false` when there was none.
pub fn remove_and_adapt(
    conn: &mut Connection,
    name: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    crate::plans::write(conn, |tx| {
        let removed = remove(tx, name)?;
        if removed {
            adapt_plan(tx, now)?;
        }
        Ok(removed)
    })
}

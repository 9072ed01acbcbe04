//! The `busy_calendars` and `busy_intervals` tables: the learner's calendars whose events
//! block study time, and the stretches they block. What a calendar blocks is decided by
//! `roadmap_core::busy`, and reading one (a file, a web address, a CalDAV calendar) is
//! `roadmap_app::busy`'s; this keeps the last good reading of each, and says when a later
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
            skipped: crate::columns::split_lines(&r.get::<_, String>(3)?),
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
            crate::columns::join_lines(&read.skipped),
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

pub(crate) fn utc_text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub(crate) fn instant(text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("busy time {text:?} is not an instant")))
}

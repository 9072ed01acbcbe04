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

/// How long a calendar at a web address may take to answer, in all.
const FETCH_SECONDS: u64 = 30;

/// Reads a calendar from `source` — a file, an `https://` or `webcal://` address (plain
/// `http://` only from this computer), or `caldav:PATH`, a calendar on the connected CalDAV
/// server — as of `now`: what it blocks, or why it cannot be read. Nothing is written.
pub fn read_file(
    conn: &Connection,
    source: &str,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<BusyRead, String> {
    let text = if let Some(path) = source.strip_prefix(crate::caldav::BUSY_PREFIX) {
        crate::caldav::calendar_text(conn, path, None)
            .map_err(|e| format!("{}: {e}", shown(source)))?
    } else if source.contains("://") {
        fetch(source)?
    } else {
        read_local(source)?
    };
    busy::read(
        &text,
        zone,
        now - chrono::Duration::days(READ_BACK_DAYS),
        now + chrono::Duration::days(READ_AHEAD_DAYS),
    )
    .map_err(|e| format!("{}: {e}", shown(source)))
}

/// A source as messages show it: a web address by its host only (the rest of a calendar's
/// address is its secret).
pub fn shown(source: &str) -> String {
    if let Some(path) = source.strip_prefix(crate::caldav::BUSY_PREFIX) {
        return format!("the calendar {path} on your CalDAV server");
    }
    match url::Url::parse(source) {
        Ok(u) if source.contains("://") => {
            format!("the calendar at {}", u.host_str().unwrap_or_default())
        }
        _ => source.to_string(),
    }
}

/// The address a calendar is fetched from: `webcal://` is `https://`; `http://` only to this
/// computer (a calendar's secret address must not cross the network in the clear).
pub fn web_address(source: &str) -> Result<url::Url, String> {
    let bad = |e: url::ParseError| format!("{} is not a web address ({e})", shown(source));
    let url = url::Url::parse(source).map_err(bad)?;
    let mut url = match url.scheme() {
        "https" => url,
        "webcal" | "webcals" => {
            let rest = &source[source.find("://").unwrap_or(0)..];
            url::Url::parse(&format!("https{rest}")).map_err(bad)?
        }
        "http" => {
            if !on_this_computer(&url) {
                return Err(format!(
                    "{} has a plain http address; give its https (or webcal) address: plain http is accepted only from this computer",
                    shown(source)
                ));
            }
            url
        }
        other => {
            return Err(format!(
                "{other}:// addresses are not read; give an https or webcal address, or a file"
            ));
        }
    };
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{source:?} names no host"));
    }
    url.set_fragment(None);
    Ok(url)
}

/// Whether an address names this computer (`localhost` or a loopback address): the only
/// place plain `http://` is accepted, for calendars and CalDAV servers alike.
pub fn on_this_computer(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn fetch(source: &str) -> Result<String, String> {
    let url = web_address(source)?;
    let host = url.host_str().unwrap_or_default().to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(FETCH_SECONDS)))
        .https_only(url.scheme() == "https")
        .http_status_as_error(false)
        .user_agent(concat!("RoadmapPlanner/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url.as_str())
        .header("Accept", "text/calendar, */*;q=0.5")
        .call()
        .map_err(|e| format!("the calendar at {host} could not be fetched: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "the calendar at {host} answered {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or_default()
        ));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_FILE_BYTES)
        .read_to_string()
        .map_err(|e| format!("the calendar at {host} could not be read: {e}"))
}

fn read_local(source: &str) -> Result<String, String> {
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
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{source} is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
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
        .map(|c| (c.name.clone(), read_file(conn, &c.source, zone, now)))
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
    let read = read_file(conn, source, zone, now).map_err(StoreError::Invalid)?;
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

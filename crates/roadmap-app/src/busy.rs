//! The learner's busy calendars: added, read again, removed. Each is read from where it lives
//! (a file, a web address, a calendar on the CalDAV server) with the database unlocked, so the
//! window never waits on a slow server; then what it blocks is saved and the plan's work ahead
//! sessions it now sits on placed again in their own week (or behind), in one IMMEDIATE
//! transaction.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use roadmap_core::api::SessionChange;
use roadmap_core::busy::{self, BusyRead};
use roadmap_core::saved::CALM_LIMIT;
use roadmap_store::busy_calendars::{self as calendars, BusyCalendar};

use crate::remote::dav::BUSY_PREFIX;
use crate::remote::web::{self, MAX_CALENDAR_BYTES};
use crate::{AppError, Db, caldav};

/// How far back and ahead a calendar is read: a plan lasts at most two years, and the
/// scheduler plans no further than its horizon after today.
const READ_BACK_DAYS: i64 = 7;
const READ_AHEAD_DAYS: i64 = 3 * 366;

/// A calendar's name, and what it blocks or why it could not be read.
pub type Reading = (String, Result<BusyRead, AppError>);

/// Every busy calendar, by name.
pub fn list(db: &Db) -> Result<Vec<BusyCalendar>, AppError> {
    db.read(|conn| Ok(calendars::list(conn)?))
}

/// A busy calendar asked to be added: its name, what it blocks, the sessions whose place it
/// changes, and whether it was added. One that would change more than
/// [`CALM_LIMIT`] sessions is added only when the learner confirms, having seen `changes`.
#[derive(Debug)]
pub struct Added {
    pub name: String,
    pub read: BusyRead,
    pub changes: Vec<SessionChange>,
    pub added: bool,
}

/// Adds the calendar at `source` (a file, an `https://` or `webcal://` address, or
/// `caldav:PATH`) under `name`, or under a free name made from the source; the sessions it now
/// sits on are placed again in their own week (or become behind), every other one staying
/// put. A calendar that cannot be read is not added, nor one that would change more than
/// [`CALM_LIMIT`] sessions unless `confirmed` (the learner saw the changes first).
pub fn add(
    db: &Db,
    source: &str,
    name: Option<&str>,
    confirmed: bool,
    now: DateTime<Utc>,
) -> Result<Added, AppError> {
    if let Some(name) = name {
        check_name(name)?;
    }
    let zone = db.zone()?;
    let read = read_source(db, source, zone, now)?;
    db.write(|tx| {
        let name = match name {
            Some(n) => n.trim().to_string(),
            None => free_name(tx, source)?,
        };
        if calendars::source(tx, &name)?.is_some() {
            return Err(AppError::BusyCalendarExists { name });
        }
        let changes = match roadmap_store::plans::current(tx)? {
            Some(plan) => {
                let mut all = calendars::intervals(tx)?.as_ref().clone();
                all.extend(read.intervals.iter().cloned());
                let clock = plan.clock(now);
                let decided = plan.busy_changed(Arc::new(busy::merge(all)), &clock)?;
                plan.changes_of(&decided, &clock)
            }
            None => Vec::new(),
        };
        if changes.len() > CALM_LIMIT && !confirmed {
            return Ok(Added {
                name,
                read,
                changes,
                added: false,
            });
        }
        calendars::save_reading(tx, &name, source, &read, now)?;
        adapt_plan(tx, now)?;
        Ok(Added {
            name,
            read,
            changes,
            added: true,
        })
    })
}

/// Reads every busy calendar again (each with the database unlocked), then saves each reading
/// — a calendar that cannot be read keeps its last good stretches and records why — and
/// moves the sessions the new stretches sit on, in one transaction. Returns the readings and
/// how many sessions moved. (Applied without asking, however many: the times are already
/// the learner's; the window says how many moved.)
pub fn refresh_all(db: &Db, now: DateTime<Utc>) -> Result<(Vec<Reading>, usize), AppError> {
    let list = list(db)?;
    if list.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let zone = db.zone()?;
    let readings: Vec<Reading> = list
        .iter()
        .map(|c| (c.name.clone(), read_source(db, &c.source, zone, now)))
        .collect();
    let moved = db.write(|tx| {
        for (c, (name, read)) in list.iter().zip(&readings) {
            // A calendar removed while it was being read stays removed.
            if calendars::source(tx, name)?.as_deref() != Some(c.source.as_str()) {
                continue;
            }
            match read {
                Ok(r) => calendars::save_reading(tx, name, &c.source, r, now)?,
                Err(e) => calendars::save_failure(tx, name, &e.to_string(), now)?,
            }
        }
        adapt_plan(tx, now)
    })?;
    Ok((readings, moved))
}

/// Removes calendar `name`. The times it blocked are free again; nothing moves into them by
/// itself (a replan the learner asks for uses them).
pub fn remove(db: &Db, name: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    db.write(|tx| {
        if !calendars::remove(tx, name)? {
            return Err(AppError::NoBusyCalendar {
                name: name.to_string(),
            });
        }
        adapt_plan(tx, now).map(drop)
    })
}

/// The busy stretches in local wall time, as the setup screen's preview schedules around them.
pub fn local_stretches(db: &Db) -> Result<Vec<roadmap_core::schedule::planner::Busy>, AppError> {
    let zone = db.zone()?;
    let intervals = db.read(|conn| Ok(calendars::intervals(conn)?))?;
    Ok(busy::local_stretches(&intervals, zone))
}

/// A source as messages show it: a web address by its host only (the rest of a calendar's
/// address is its secret).
pub fn shown(source: &str) -> String {
    if let Some(path) = source.strip_prefix(BUSY_PREFIX) {
        format!("the calendar {path} on your CalDAV server")
    } else if is_address(source) {
        web::shown(source)
    } else {
        source.to_string()
    }
}

/// Reads a calendar as of `now`: what it blocks, or why it cannot be read. The database is
/// locked only for the CalDAV account, never while a file or a server is read.
fn read_source(
    db: &Db,
    source: &str,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<BusyRead, AppError> {
    let text = if let Some(path) = source.strip_prefix(BUSY_PREFIX) {
        caldav::calendar_text(db, path).map_err(|e| e.about(shown(source)))?
    } else if is_address(source) {
        // Its errors name the host already.
        web::fetch(source)?
    } else {
        read_file(source)?
    };
    busy::read(
        &text,
        zone,
        now - chrono::Duration::days(READ_BACK_DAYS),
        now + chrono::Duration::days(READ_AHEAD_DAYS),
    )
    .map_err(|e| AppError::from(e).about(shown(source)))
}

/// Whether `source` is a web address rather than a file: `scheme://…`, or `scheme:` and no
/// slashes (`https:host/x` was read as a local file). A Windows drive (`C:\…`) is a file.
pub fn is_address(source: &str) -> bool {
    match source.split_once(':') {
        Some((scheme, _)) => {
            source.contains("://")
                || (scheme.len() > 1
                    && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        }
        None => false,
    }
}

fn read_file(source: &str) -> Result<String, AppError> {
    crate::files::read_text(std::path::Path::new(source), MAX_CALENDAR_BYTES)
}

fn check_name(name: &str) -> Result<(), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::CalendarName);
    }
    Ok(())
}

/// A name for a calendar read from `source` that no calendar has yet: the file's name, then
/// with " 2", " 3"… after it.
fn free_name(conn: &rusqlite::Connection, source: &str) -> Result<String, AppError> {
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
    while calendars::source(conn, &name)?.is_some() {
        name = format!("{stem} {n}");
        n += 1;
    }
    Ok(name)
}

/// After the busy times changed: the sessions they now sit on find room in their own week or
/// become behind (`SavedPlan::busy_changed`, as after a move), in the same transaction.
/// Nothing to do without a plan.
/// Returns how many sessions changed their place.
fn adapt_plan(tx: &rusqlite::Transaction<'_>, now: DateTime<Utc>) -> Result<usize, AppError> {
    if roadmap_store::plans::current(tx)?.is_none() {
        return Ok(0);
    }
    let mut moved = 0;
    roadmap_store::plans::change(tx, now, |plan, clock| {
        let changes = plan.busy_changed(plan.busy.clone(), clock)?;
        if !changes.is_empty() {
            moved = plan.changes_of(&changes, clock).len();
        }
        Ok::<_, AppError>(changes)
    })?;
    Ok(moved)
}

//! The `sessions` table: a plan's study sessions. Ids never change; `revision` rises whenever
//! a session's time changes; a session a replan no longer needs is cancelled, never deleted.
//! What changes is decided in `roadmap_core::saved`; this writes it.

use chrono::NaiveDate;
use rusqlite::{Connection, Statement, Transaction, params};

use roadmap_core::api::{SessionKind, SessionStatus};
use roadmap_core::schedule::iso::with_date;
use roadmap_core::schedule::planner::Session;
use roadmap_core::schedule::replan::StoredSession;

use crate::StoreError;
use crate::plans::date;

pub(crate) const INSERT: &str =
    "INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, updated_at, kind)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// A new planned session, through a statement prepared from [`INSERT`]: a replan can add
/// thousands in one transaction, and the statement is looked up once for all of them.
pub(crate) fn insert(
    stmt: &mut Statement<'_>,
    plan_id: i64,
    id: i64,
    s: &Session,
    now: &str,
) -> Result<(), StoreError> {
    with_date(s.date, |day| {
        stmt.execute(params![
            id,
            plan_id,
            s.topic,
            day,
            s.start,
            s.minutes,
            now,
            s.kind.as_str()
        ])
    })?;
    Ok(())
}

pub(crate) const INSERT_STORED: &str =
    "INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, status, done_minutes,
         pinned, revision, updated_at, kind)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";

/// Inserts a session as it is, status and revision included, through a statement prepared
/// from [`INSERT_STORED`] (a new plan at 1,000 topics has ~8,000).
pub(crate) fn insert_stored(
    stmt: &mut Statement<'_>,
    plan_id: i64,
    s: &StoredSession,
    now: &str,
) -> Result<(), StoreError> {
    with_date(s.date, |day| {
        stmt.execute(params![
            s.id,
            plan_id,
            s.topic,
            day,
            s.start,
            s.minutes,
            s.status.as_str(),
            s.done_minutes,
            s.pinned,
            s.revision,
            now,
            s.kind.as_str()
        ])
    })?;
    Ok(())
}

/// Every session of a plan, cancelled ones included, in time order.
pub fn of_plan(conn: &Connection, plan_id: i64) -> Result<Vec<StoredSession>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, topic_id, date, start, minutes, status, done_minutes, pinned, revision, kind
         FROM sessions WHERE plan_id = ?1 ORDER BY date, start, id",
    )?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, u32>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, u32>(6)?,
            r.get::<_, bool>(7)?,
            r.get::<_, u32>(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    rows.map(|row| {
        let (id, topic, day, start, minutes, status, done_minutes, pinned, revision, kind) = row?;
        roadmap_core::schedule::replan::parse_hhmm(&start)
            .map_err(|_| StoreError::Corrupt(format!("session {id} starts at {start:?}")))?;
        Ok(StoredSession {
            id,
            kind: SessionKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("session kind {kind:?}")))?,
            topic,
            date: date(&day)?,
            start,
            minutes,
            status: SessionStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("session status {status:?}")))?,
            done_minutes,
            pinned,
            revision,
        })
    })
    .collect()
}

pub(crate) fn minutes(tx: &Transaction<'_>, id: i64) -> Result<u32, StoreError> {
    Ok(tx
        .prepare_cached("SELECT minutes FROM sessions WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?)
}

/// The statement [`reschedule`] runs (public so a test can ask SQLite how it runs it).
pub const RESCHEDULE: &str =
    "UPDATE sessions SET date = ?2, start = ?3, minutes = ?4, pinned = (pinned OR ?5),
         revision = revision + 1, updated_at = ?6
     WHERE id = ?1";

/// A new time for session `id`, through a statement prepared from [`RESCHEDULE`] (a move
/// re-packs thousands); its revision rises. `pin` marks it placed by hand.
pub(crate) fn reschedule(
    stmt: &mut Statement<'_>,
    id: i64,
    day: NaiveDate,
    start: &str,
    minutes: u32,
    pin: bool,
    now: &str,
) -> Result<(), StoreError> {
    with_date(day, |day| {
        stmt.execute(params![id, day, start, minutes, pin, now])
    })?;
    Ok(())
}

pub(crate) fn set_status(
    tx: &Transaction<'_>,
    id: i64,
    status: SessionStatus,
    done_minutes: u32,
    now: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE sessions SET status = ?2, done_minutes = ?3, updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![id, status.as_str(), done_minutes, now])?;
    Ok(())
}

pub(crate) fn cancel(tx: &Transaction<'_>, id: i64, now: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE sessions SET status = 'cancelled', revision = revision + 1, updated_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![id, now])?;
    Ok(())
}

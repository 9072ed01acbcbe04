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
use crate::columns::date;

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

/// Rows a new plan's sessions are inserted by, per statement: one statement for many rows
/// spares SQLite a statement run per row (a new plan at 1,000 topics has ~8,000).
const ROWS_PER_INSERT: usize = 64;
const COLUMNS: usize = 12;

/// `INSERT … VALUES (…), (…), …` for `rows` sessions as they are, status and revision included.
fn insert_stored_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, status, done_minutes,
             pinned, revision, updated_at, kind) VALUES ",
    );
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..COLUMNS {
            if c > 0 {
                sql.push(',');
            }
            sql.push('?');
        }
        sql.push(')');
    }
    sql
}

/// Inserts sessions as they are, status and revision included, many rows per statement.
pub(crate) fn insert_all_stored(
    tx: &Transaction<'_>,
    plan_id: i64,
    sessions: &[StoredSession],
    now: &str,
) -> Result<(), StoreError> {
    let mut full = None;
    for chunk in sessions.chunks(ROWS_PER_INSERT) {
        let mut last;
        let stmt = if chunk.len() == ROWS_PER_INSERT {
            match full {
                Some(ref mut stmt) => stmt,
                None => full.insert(tx.prepare_cached(&insert_stored_sql(ROWS_PER_INSERT))?),
            }
        } else {
            last = tx.prepare(&insert_stored_sql(chunk.len()))?;
            &mut last
        };
        for (r, s) in chunk.iter().enumerate() {
            let at = r * COLUMNS;
            stmt.raw_bind_parameter(at + 1, s.id)?;
            stmt.raw_bind_parameter(at + 2, plan_id)?;
            stmt.raw_bind_parameter(at + 3, &s.topic)?;
            with_date(s.date, |day| stmt.raw_bind_parameter(at + 4, day))?;
            stmt.raw_bind_parameter(at + 5, &s.start)?;
            stmt.raw_bind_parameter(at + 6, s.minutes)?;
            stmt.raw_bind_parameter(at + 7, s.status.as_str())?;
            stmt.raw_bind_parameter(at + 8, s.done_minutes)?;
            stmt.raw_bind_parameter(at + 9, s.pinned)?;
            stmt.raw_bind_parameter(at + 10, s.revision)?;
            stmt.raw_bind_parameter(at + 11, now)?;
            stmt.raw_bind_parameter(at + 12, s.kind.as_str())?;
        }
        stmt.raw_execute()?;
    }
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

pub(crate) fn restore(tx: &Transaction<'_>, id: i64, now: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE sessions SET status = 'planned', done_minutes = 0, revision = revision + 1,
             updated_at = ?2
         WHERE id = ?1",
    )?
    .execute(params![id, now])?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn session(id: i64) -> StoredSession {
        StoredSession {
            id,
            kind: if id % 5 == 0 {
                SessionKind::Review
            } else {
                SessionKind::Study
            },
            topic: format!("topic-{}", id % 7),
            date: NaiveDate::from_ymd_opt(2027, 1, 4).expect("date")
                + chrono::Days::new(u64::try_from(id).expect("id") / 3),
            start: format!("{:02}:{:02}", 6 + id % 12, (id % 4) * 15),
            minutes: 15 + u32::try_from(id % 6).expect("small") * 15,
            status: match id % 4 {
                0 => SessionStatus::Planned,
                1 => SessionStatus::Done,
                2 => SessionStatus::Cancelled,
                _ => SessionStatus::Missed,
            },
            done_minutes: u32::try_from(id % 3).expect("small"),
            pinned: id % 2 == 0,
            revision: u32::try_from(id % 9).expect("small"),
        }
    }

    /// However many rows, whether they fill the last statement or not, every session is
    /// written as it was, field for field.
    #[test]
    fn sessions_inserted_many_per_statement_read_back_as_they_were() {
        for n in [
            0,
            1,
            ROWS_PER_INSERT - 1,
            ROWS_PER_INSERT,
            ROWS_PER_INSERT + 1,
            3 * ROWS_PER_INSERT + 5,
        ] {
            let mut conn = crate::open_in_memory().expect("open");
            let tx = conn.transaction().expect("tx");
            tx.execute_batch(
                "INSERT INTO plans (id, created_at, roadmap_title, start_date, months, target_end,
                                    is_current)
                     VALUES (1, 't', 'R', '2027-01-04', 6, '2027-07-04', 1);",
            )
            .expect("plan");
            let written: Vec<StoredSession> =
                (1..=i64::try_from(n).expect("n")).map(session).collect();
            insert_all_stored(&tx, 1, &written, "t").expect("insert");
            let mut read = of_plan(&tx, 1).expect("read");
            read.sort_by_key(|s| s.id);
            assert_eq!(read, written, "{n} sessions");
        }
    }
}

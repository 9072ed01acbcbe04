//! The `sessions` table: a plan's study sessions. Ids never change; `revision` rises whenever
//! a session's time changes; a session a replan no longer needs is cancelled, never deleted.

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use roadmap_core::api::{ReplanPolicy, ReplanPreview, SessionMark, SessionStatus};
use roadmap_core::schedule::availability::Availability;
use roadmap_core::schedule::planner::Session;
use roadmap_core::schedule::replan::{self, Change, ReplanInput, StoredSession};

use crate::StoreError;
use crate::plans::{self, StoredPlan, date};

pub(crate) fn insert(
    tx: &Transaction<'_>,
    plan_id: i64,
    s: &Session,
    now: &str,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO sessions (plan_id, topic_id, date, start, minutes, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            plan_id,
            s.topic,
            s.date.to_string(),
            s.start,
            s.minutes,
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Every session of a plan, cancelled ones included, in time order.
pub fn of_plan(conn: &Connection, plan_id: i64) -> Result<Vec<StoredSession>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, topic_id, date, start, minutes, status, done_minutes, pinned, revision
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
        ))
    })?;
    rows.map(|row| {
        let (id, topic, day, start, minutes, status, done_minutes, pinned, revision) = row?;
        Ok(StoredSession {
            id,
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

/// Marks session `id` done, partly done, missed, or back to planned.
pub fn mark(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    id: i64,
    mark: SessionMark,
    today: NaiveDate,
    now: &str,
) -> Result<(), StoreError> {
    let s = find(plan, id)?;
    if s.status == SessionStatus::Cancelled {
        return Err(StoreError::Invalid(format!(
            "session {id} was cancelled by a replan; log the study time instead"
        )));
    }
    let (status, done_minutes) = match mark {
        SessionMark::Planned => (SessionStatus::Planned, 0),
        SessionMark::Done => (SessionStatus::Done, 0),
        SessionMark::Missed => (SessionStatus::Missed, 0),
        SessionMark::Partial { minutes } => {
            if minutes == 0 || minutes >= s.minutes {
                return Err(StoreError::Invalid(format!(
                    "a partly done session of {} minutes needs between 1 and {} minutes studied (got {minutes})",
                    s.minutes,
                    s.minutes - 1
                )));
            }
            (SessionStatus::Partial, minutes)
        }
    };
    if status != SessionStatus::Planned && s.date > today {
        return Err(StoreError::Invalid(format!(
            "session {id} is on {}, which has not come yet",
            s.date
        )));
    }
    tx.execute(
        "UPDATE sessions SET status = ?2, done_minutes = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, status.as_str(), done_minutes, now],
    )?;
    Ok(())
}

/// Moves session `id` to another day and time by hand, then lets the rest of the plan adapt
/// (a replan from `today` that keeps the weekly hours). The session is pinned where it was put.
/// Neither the session nor its new day may be in the past.
pub fn move_and_adapt(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    id: i64,
    day: NaiveDate,
    start: &str,
    today: NaiveDate,
    now: &str,
) -> Result<ReplanPreview, StoreError> {
    let s = find(plan, id)?;
    if s.date < today {
        return Err(StoreError::Invalid(format!(
            "session {id} was on {}, which is past; past sessions stay where they were",
            s.date
        )));
    }
    if day < today {
        return Err(StoreError::Invalid(format!(
            "{day} is in the past (today is {today}); move the session to today or later"
        )));
    }
    if s.status != SessionStatus::Planned {
        return Err(StoreError::Invalid(format!(
            "session {id} is already marked {}; undo that first",
            s.status.as_str()
        )));
    }
    move_to(tx, plan, id, day, start, now)?;
    let moved = plans::load(tx, plan.meta.id)?
        .ok_or_else(|| StoreError::Corrupt(format!("plan {} vanished", plan.meta.id)))?;
    replan(tx, &moved, today, ReplanPolicy::Extend, true, now)
}

/// Moves session `id` to another time by hand: it is pinned there, and replans leave it be.
pub fn move_to(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    id: i64,
    day: NaiveDate,
    start: &str,
    now: &str,
) -> Result<(), StoreError> {
    let s = find(plan, id)?;
    let minute = replan::parse_hhmm(start)?;
    if minute + s.minutes > 24 * 60 {
        return Err(StoreError::Invalid(format!(
            "a {}-minute session starting at {start} would run past midnight",
            s.minutes
        )));
    }
    tx.execute(
        "UPDATE sessions SET date = ?2, start = ?3, pinned = 1, revision = revision + 1,
             updated_at = ?4
         WHERE id = ?1",
        params![id, day.to_string(), start, now],
    )?;
    Ok(())
}

/// Cancels the sessions of `topic` still to come (from `today` on, not pinned, not done).
pub(crate) fn cancel_rest_of_topic(
    tx: &Transaction<'_>,
    plan_id: i64,
    topic: &str,
    today: NaiveDate,
    now: &str,
) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE sessions SET status = 'cancelled', revision = revision + 1, updated_at = ?4
         WHERE plan_id = ?1 AND topic_id = ?2 AND date >= ?3 AND status = 'planned'
           AND pinned = 0",
        params![plan_id, topic, today.to_string(), now],
    )?;
    Ok(())
}

/// Reschedules what is left of the plan from `today` under `policy`. With `apply`, saves the
/// result (one transaction: the caller's); without, only says what would change.
pub fn replan(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    today: NaiveDate,
    policy: ReplanPolicy,
    apply: bool,
    now: &str,
) -> Result<ReplanPreview, StoreError> {
    let finished = plan.marks.keys().cloned().collect();
    let mut logged = std::collections::BTreeMap::new();
    for l in &plan.logs {
        *logged.entry(l.topic.clone()).or_insert(0) += l.minutes;
    }
    let r = replan::replan(&ReplanInput {
        roadmap: &plan.roadmap,
        settings: &plan.settings,
        today,
        sessions: &plan.sessions,
        finished: &finished,
        logged: &logged,
        policy,
    })?;
    let weekly = |a: Option<&str>| -> Result<f64, StoreError> {
        let minutes = match a {
            Some(a) => Availability::parse(a)?.weekly_minutes(),
            None => 0,
        };
        Ok(f64::from(minutes) / 60.0)
    };
    let before = plan.view(today);
    let preview = ReplanPreview {
        policy,
        from: today.max(plan.settings.start),
        projected_end_before: before.projected_end,
        projected_end: r.projected_end,
        target_end: r.target_end,
        on_track: r.on_track,
        hours_per_week_before: weekly(plan.settings.availability.as_deref())?,
        hours_per_week: weekly(r.settings.availability.as_deref())?,
        availability: r.settings.availability.clone().unwrap_or_default(),
        moved: r.moved,
        added: r.added,
        cancelled: r.cancelled,
        dropped: r.dropped.clone(),
        unscheduled_minutes: r.plan.unscheduled.iter().map(|u| u.minutes).sum(),
    };
    if apply {
        for c in &r.changes {
            match c {
                Change::Update {
                    id,
                    date,
                    start,
                    minutes,
                } => {
                    tx.execute(
                        "UPDATE sessions SET date = ?2, start = ?3, minutes = ?4,
                             revision = revision + 1, updated_at = ?5
                         WHERE id = ?1",
                        params![id, date.to_string(), start, minutes, now],
                    )?;
                }
                Change::Cancel { id } => {
                    tx.execute(
                        "UPDATE sessions SET status = 'cancelled', revision = revision + 1,
                             updated_at = ?2
                         WHERE id = ?1",
                        params![id, now],
                    )?;
                }
                Change::Add(s) => {
                    insert(tx, plan.meta.id, s, now)?;
                }
            }
        }
        plans::revise(tx, plan.meta.id, &r.settings, now)?;
    }
    Ok(preview)
}

fn find(plan: &StoredPlan, id: i64) -> Result<&StoredSession, StoreError> {
    plan.sessions
        .iter()
        .find(|s| s.id == id)
        .ok_or_else(|| StoreError::NotFound(format!("the plan has no session {id}")))
}

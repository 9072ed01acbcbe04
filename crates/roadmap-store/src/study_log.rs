//! The `study_log` table: study the user logged outside a planned session.

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use roadmap_core::progress::StoredLog;

use crate::StoreError;
use crate::plans::{StoredPlan, date};

/// The most one entry may hold: a whole day.
pub const MAX_LOG_MINUTES: u32 = 24 * 60;

pub fn of_plan(conn: &Connection, plan_id: i64) -> Result<Vec<StoredLog>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, topic_id, date, minutes FROM study_log WHERE plan_id = ?1 ORDER BY date, id",
    )?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, u32>(3)?,
        ))
    })?;
    rows.map(|row| {
        let (id, topic, day, minutes) = row?;
        Ok(StoredLog {
            id,
            topic,
            date: date(&day)?,
            minutes,
        })
    })
    .collect()
}

/// Records `minutes` of study on `topic` on `day`, which may not be after `today`.
pub fn add(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    topic: &str,
    day: NaiveDate,
    minutes: i64,
    today: NaiveDate,
    now: &str,
) -> Result<i64, StoreError> {
    require_topic(plan, topic)?;
    let minutes = u32::try_from(minutes)
        .ok()
        .filter(|m| (1..=MAX_LOG_MINUTES).contains(m))
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "minutes must be between 1 and {MAX_LOG_MINUTES} (got {minutes})"
            ))
        })?;
    if day > today {
        return Err(StoreError::Invalid(format!(
            "{day} is in the future (today is {today}); log study once it is done"
        )));
    }
    tx.execute(
        "INSERT INTO study_log (plan_id, topic_id, date, minutes, logged_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![plan.meta.id, topic, day.to_string(), minutes, now],
    )?;
    Ok(tx.last_insert_rowid())
}

/// An error naming the topic, and a few the user may have meant, when the plan has no such topic.
pub(crate) fn require_topic(plan: &StoredPlan, topic: &str) -> Result<(), StoreError> {
    if plan.roadmap.topic(topic).is_some() {
        return Ok(());
    }
    let close: Vec<&str> = plan
        .roadmap
        .topics
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| id.contains(topic) || topic.contains(id))
        .take(3)
        .collect();
    let hint = if close.is_empty() {
        "; `roadmap status --topics` lists them".to_string()
    } else {
        format!("; did you mean {}?", close.join(", "))
    };
    Err(StoreError::NotFound(format!(
        "the roadmap has no topic {topic:?}{hint}"
    )))
}

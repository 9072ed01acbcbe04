//! The `topic_marks` table: topics the user marked done or skipped.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use roadmap_core::api::TopicMark;

use crate::plans::StoredPlan;
use crate::{StoreError, sessions};

pub fn of_plan(conn: &Connection, plan_id: i64) -> Result<BTreeMap<String, TopicMark>, StoreError> {
    let mut stmt = conn.prepare("SELECT topic_id, mark FROM topic_marks WHERE plan_id = ?1")?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|row| {
        let (topic, mark) = row?;
        let mark = TopicMark::parse(&mark)
            .ok_or_else(|| StoreError::Corrupt(format!("topic mark {mark:?}")))?;
        Ok((topic, mark))
    })
    .collect()
}

/// Marks `topic` done or skipped (`None` clears the mark). A finished topic's sessions still
/// to come are cancelled, so every view and the calendar stop showing them.
pub fn set(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    topic: &str,
    mark: Option<TopicMark>,
    today: NaiveDate,
    now: &str,
) -> Result<(), StoreError> {
    crate::study_log::require_topic(plan, topic)?;
    match mark {
        None => {
            tx.execute(
                "DELETE FROM topic_marks WHERE plan_id = ?1 AND topic_id = ?2",
                params![plan.meta.id, topic],
            )?;
        }
        Some(mark) => {
            tx.execute(
                "INSERT INTO topic_marks (plan_id, topic_id, mark, marked_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (plan_id, topic_id) DO UPDATE SET mark = ?3, marked_at = ?4",
                params![plan.meta.id, topic, mark.as_str(), now],
            )?;
            sessions::cancel_rest_of_topic(tx, plan.meta.id, topic, today, now)?;
        }
    }
    Ok(())
}

//! The `topic_marks` table: topics the user marked done or skipped, and when.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction, params};

use roadmap_core::api::TopicMark;

use crate::StoreError;

/// Every mark of a plan: the topic, the mark and when it was made.
pub fn of_plan(
    conn: &Connection,
    plan_id: i64,
) -> Result<Vec<(String, TopicMark, DateTime<Utc>)>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT topic_id, mark, marked_at FROM topic_marks WHERE plan_id = ?1 ORDER BY topic_id",
    )?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|row| {
        let (topic, mark, at) = row?;
        let mark = TopicMark::parse(&mark)
            .ok_or_else(|| StoreError::Corrupt(format!("topic mark {mark:?}")))?;
        let at = DateTime::parse_from_rfc3339(&at)
            .map_err(|_| StoreError::Corrupt(format!("topic mark time {at:?}")))?
            .with_timezone(&Utc);
        Ok((topic, mark, at))
    })
    .collect()
}

/// Sets the mark of `topic` (`None` clears it).
pub(crate) fn set(
    tx: &Transaction<'_>,
    plan_id: i64,
    topic: &str,
    mark: Option<TopicMark>,
    now: &str,
) -> Result<(), StoreError> {
    match mark {
        None => {
            tx.prepare_cached("DELETE FROM topic_marks WHERE plan_id = ?1 AND topic_id = ?2")?
                .execute(params![plan_id, topic])?;
        }
        Some(mark) => {
            tx.prepare_cached(
                "INSERT INTO topic_marks (plan_id, topic_id, mark, marked_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (plan_id, topic_id) DO UPDATE SET mark = ?3, marked_at = ?4",
            )?
            .execute(
                params![plan_id, topic, mark.as_str(), now],
            )?;
        }
    }
    Ok(())
}

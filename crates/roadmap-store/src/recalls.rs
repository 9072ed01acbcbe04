//! The `recalls` table: every grade the learner gave a spaced review. A topic's memory, and
//! so its next review, is replayed from these by `roadmap_core::recall`.

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use roadmap_core::api::Recall;
use roadmap_core::recall::StoredRecall;

use crate::StoreError;
use crate::columns::date;

pub fn of_plan(conn: &Connection, plan_id: i64) -> Result<Vec<StoredRecall>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT id, topic_id, date, rating, session_id FROM recalls
         WHERE plan_id = ?1 ORDER BY date, id",
    )?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<i64>>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (id, topic, day, rating, session) = row?;
        Ok(StoredRecall {
            id,
            topic,
            date: date(&day)?,
            recall: Recall::parse(&rating)
                .ok_or_else(|| StoreError::Corrupt(format!("review grade {rating:?}")))?,
            session,
        })
    })
    .collect()
}

pub(crate) struct NewRecall<'a> {
    pub id: i64,
    pub topic: &'a str,
    pub date: NaiveDate,
    pub recall: Recall,
    pub session: Option<i64>,
}

pub(crate) fn insert(
    tx: &Transaction<'_>,
    plan_id: i64,
    r: &NewRecall<'_>,
    now: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO recalls (id, plan_id, topic_id, date, rating, session_id, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        r.id,
        plan_id,
        r.topic,
        r.date.to_string(),
        r.recall.as_str(),
        r.session,
        now
    ])?;
    Ok(())
}

pub(crate) fn remove_for_session(tx: &Transaction<'_>, session: i64) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM recalls WHERE session_id = ?1")?
        .execute([session])?;
    Ok(())
}

//! The `study_log` table: study the user logged outside a planned session.

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use roadmap_core::progress::StoredLog;

use crate::StoreError;
use crate::columns::date;

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

pub(crate) fn insert(
    tx: &Transaction<'_>,
    plan_id: i64,
    id: i64,
    topic: &str,
    day: NaiveDate,
    minutes: u32,
    now: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO study_log (id, plan_id, topic_id, date, minutes, logged_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, plan_id, topic, day.to_string(), minutes, now])?;
    Ok(())
}

/// A logged entry corrected.
pub(crate) fn update(
    tx: &Transaction<'_>,
    plan_id: i64,
    id: i64,
    topic: &str,
    day: NaiveDate,
    minutes: u32,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE study_log SET topic_id = ?3, date = ?4, minutes = ?5 WHERE id = ?1 AND plan_id = ?2",
    )?
    .execute(params![id, plan_id, topic, day.to_string(), minutes])?;
    Ok(())
}

/// A logged entry taken back.
pub(crate) fn delete(tx: &Transaction<'_>, plan_id: i64, id: i64) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM study_log WHERE id = ?1 AND plan_id = ?2")?
        .execute(params![id, plan_id])?;
    Ok(())
}

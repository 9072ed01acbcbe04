//! The `week_goals` table: each week's goal (topics and hours), proposed from the plan the
//! first time the week is looked at, then the user's to edit and to close with a review.

use std::collections::BTreeMap;

use rusqlite::{Connection, Transaction, params};

use roadmap_core::api::{ReviewOutcome, WeekReview};
use roadmap_core::progress::StoredGoal;

use crate::StoreError;
use crate::columns::{join_lines, split_lines};

pub fn of_plan(
    conn: &Connection,
    plan_id: i64,
) -> Result<BTreeMap<String, StoredGoal>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT week, topics, target_minutes, review_outcome, review_note
         FROM week_goals WHERE plan_id = ?1",
    )?;
    let rows = stmt.query_map([plan_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, u32>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
        ))
    })?;
    rows.map(|row| {
        let (week, topics, target_minutes, outcome, note) = row?;
        let review = match outcome {
            None => None,
            Some(o) => Some(WeekReview {
                outcome: ReviewOutcome::parse(&o)
                    .ok_or_else(|| StoreError::Corrupt(format!("review outcome {o:?}")))?,
                note: note.unwrap_or_default(),
            }),
        };
        Ok((
            week,
            StoredGoal {
                topics: split_lines(&topics),
                target_minutes,
                review,
            },
        ))
    })
    .collect()
}

/// Saves a week's goal (its review, if any, stays).
pub(crate) fn save(
    tx: &Transaction<'_>,
    plan_id: i64,
    week: &str,
    topics: &[String],
    target_minutes: u32,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO week_goals (plan_id, week, topics, target_minutes) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (plan_id, week) DO UPDATE SET topics = ?3, target_minutes = ?4",
    )?
    .execute(params![plan_id, week, join_lines(topics), target_minutes])?;
    Ok(())
}

/// Closes a week whose goal is saved.
pub(crate) fn close(
    tx: &Transaction<'_>,
    plan_id: i64,
    week: &str,
    review: &WeekReview,
    now: &str,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE week_goals SET review_outcome = ?3, review_note = ?4, closed_at = ?5
         WHERE plan_id = ?1 AND week = ?2",
    )?
    .execute(params![
        plan_id,
        week,
        review.outcome.as_str(),
        review.note,
        now
    ])?;
    Ok(())
}

/// Takes a closed week's review back (its goal stays).
pub(crate) fn reopen(tx: &Transaction<'_>, plan_id: i64, week: &str) -> Result<(), StoreError> {
    tx.prepare_cached(
        "UPDATE week_goals SET review_outcome = NULL, review_note = NULL, closed_at = NULL
         WHERE plan_id = ?1 AND week = ?2",
    )?
    .execute(params![plan_id, week])?;
    Ok(())
}

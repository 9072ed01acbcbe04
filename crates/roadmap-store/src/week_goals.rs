//! The `week_goals` table: each week's goal (topics and hours), proposed from the plan the
//! first time the week is looked at, then the user's to edit and to close with a review.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{Connection, Transaction, params};

use roadmap_core::api::{ReviewOutcome, WeekReview, WeekView};
use roadmap_core::progress::{StoredGoal, iso_week, monday_of};

use crate::StoreError;
use crate::plans::{StoredPlan, join_lines, split_lines};
use crate::study_log::require_topic;

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

/// The week containing `today`. Its goal is proposed from the plan and saved the first time
/// the week is looked at, so later replans do not change a goal the user already has.
pub fn this_week(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    today: NaiveDate,
) -> Result<WeekView, StoreError> {
    let week = iso_week(today);
    let goal = match plan.goals.get(&week) {
        Some(goal) => goal.clone(),
        None => {
            let goal = plan.record().proposed_goal(monday_of(today));
            save(tx, plan.meta.id, &week, &goal)?;
            goal
        }
    };
    Ok(plan.record().week_view(today, &goal, &plan.goals))
}

/// Replaces the goal of the week containing `today`.
pub fn edit(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    today: NaiveDate,
    topics: &[String],
    target_minutes: u32,
) -> Result<(), StoreError> {
    for t in topics {
        require_topic(plan, t)?;
    }
    if target_minutes > 7 * 24 * 60 {
        return Err(StoreError::Invalid(format!(
            "a week has {} minutes; the target was {target_minutes}",
            7 * 24 * 60
        )));
    }
    let week = iso_week(today);
    if plan.goals.get(&week).is_some_and(|g| g.review.is_some()) {
        return Err(StoreError::Invalid(format!("week {week} is closed")));
    }
    let mut unique: Vec<String> = Vec::new();
    for t in topics {
        if !unique.contains(t) {
            unique.push(t.clone());
        }
    }
    save(
        tx,
        plan.meta.id,
        &week,
        &StoredGoal {
            topics: unique,
            target_minutes,
            review: None,
        },
    )
}

/// Closes the week containing `today` with the user's review.
pub fn close(
    tx: &Transaction<'_>,
    plan: &StoredPlan,
    today: NaiveDate,
    review: &WeekReview,
    now: &str,
) -> Result<(), StoreError> {
    if review.note.chars().count() > 2000 {
        return Err(StoreError::Invalid(
            "the review note is longer than 2000 characters".into(),
        ));
    }
    let week = iso_week(today);
    let goal = match plan.goals.get(&week) {
        Some(g) => g.clone(),
        None => plan.record().proposed_goal(monday_of(today)),
    };
    save(tx, plan.meta.id, &week, &goal)?;
    tx.execute(
        "UPDATE week_goals SET review_outcome = ?3, review_note = ?4, closed_at = ?5
         WHERE plan_id = ?1 AND week = ?2",
        params![
            plan.meta.id,
            week,
            review.outcome.as_str(),
            review.note,
            now
        ],
    )?;
    Ok(())
}

fn save(
    tx: &Transaction<'_>,
    plan_id: i64,
    week: &str,
    goal: &StoredGoal,
) -> Result<(), StoreError> {
    tx.execute(
        "INSERT INTO week_goals (plan_id, week, topics, target_minutes) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (plan_id, week) DO UPDATE SET topics = ?3, target_minutes = ?4",
        params![plan_id, week, join_lines(&goal.topics), goal.target_minutes],
    )?;
    Ok(())
}

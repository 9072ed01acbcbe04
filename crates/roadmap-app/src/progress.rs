//! The learner's actions on a plan: each loads the plan, lets the core's `SavedPlan` decide at
//! `now`, and writes what it decided in one IMMEDIATE transaction (`Db::change`). The window
//! and the CLI both come here; they differ only in what they show afterwards.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use roadmap_core::api::{Recall, ReplanPolicy, ReplanPreview, SessionMark, TopicMark, WeekReview};
use roadmap_core::saved::SavedPlan;

use crate::{AppError, Db};

/// The plan as it is, with this week's goal saved the first time the week is seen.
pub fn look(db: &Db, now: DateTime<Utc>) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |_, _| Ok(Vec::new()))
}

/// A session checked off (done, partly, missed) or back to planned.
pub fn mark_session(
    db: &Db,
    now: DateTime<Utc>,
    id: i64,
    mark: SessionMark,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.mark_session(id, mark, clock)?))
}

/// Study logged outside a session (today unless `date` says otherwise).
pub fn log_study(
    db: &Db,
    now: DateTime<Utc>,
    topic: &str,
    minutes: i64,
    date: Option<NaiveDate>,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.log_study(topic, date, minutes, clock)?)
    })
}

/// A logged entry corrected: its topic, day and minutes.
pub fn edit_log(
    db: &Db,
    now: DateTime<Utc>,
    id: i64,
    topic: &str,
    minutes: i64,
    date: NaiveDate,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.edit_log(id, topic, date, minutes, clock)?)
    })
}

/// A logged entry taken back.
pub fn delete_log(db: &Db, now: DateTime<Utc>, id: i64) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, _| Ok(plan.delete_log(id)?))
}

/// Every logged entry of the current plan from `from` to `to` (the plan's whole span when
/// not given), in date order.
pub fn logs(
    db: &Db,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<roadmap_core::api::LogView>, AppError> {
    let plan = db.require_plan()?;
    Ok(plan
        .record()
        .logs_between(from.unwrap_or(NaiveDate::MIN), to.unwrap_or(NaiveDate::MAX)))
}

/// A topic marked done or skipped, or the mark cleared.
pub fn mark_topic(
    db: &Db,
    now: DateTime<Utc>,
    topic: &str,
    mark: Option<TopicMark>,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.mark_topic(topic, mark, clock)?))
}

/// A spaced review rated (today unless `date` says otherwise).
pub fn review_topic(
    db: &Db,
    now: DateTime<Utc>,
    topic: &str,
    recall: Recall,
    date: Option<NaiveDate>,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.review(topic, recall, date, clock)?)
    })
}

/// This week's goal edited.
pub fn edit_week_goal(
    db: &Db,
    now: DateTime<Utc>,
    topics: &[String],
    target_minutes: u32,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.edit_goal(topics, target_minutes, clock)?)
    })
}

/// The week closed with its review.
pub fn close_week(
    db: &Db,
    now: DateTime<Utc>,
    review: &WeekReview,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.close_week(review, clock)?))
}

/// The goal of the (open) week of `day` changed to `target_minutes`, its topics kept.
pub fn edit_goal_of(
    db: &Db,
    now: DateTime<Utc>,
    day: NaiveDate,
    target_minutes: u32,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.edit_goal_of(day, None, target_minutes, clock)?)
    })
}

/// The week of `day` closed (or closed again with a corrected review).
pub fn close_week_of(
    db: &Db,
    now: DateTime<Utc>,
    day: NaiveDate,
    review: &WeekReview,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.close_week_of(day, review, clock)?)
    })
}

/// The closed week of `day` opened again.
pub fn reopen_week(
    db: &Db,
    now: DateTime<Utc>,
    day: NaiveDate,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.reopen_week(day, clock)?))
}

/// A session moved by hand: pinned there, the work planned ahead adapting around it.
pub fn move_session(
    db: &Db,
    now: DateTime<Utc>,
    id: i64,
    date: NaiveDate,
    start: &str,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| {
        Ok(plan.move_session(id, date, start, clock)?)
    })
}

/// What a replan under `policy` would do, from the plan as last read; nothing is saved.
pub fn preview_replan(
    db: &Db,
    now: DateTime<Utc>,
    policy: ReplanPolicy,
) -> Result<ReplanPreview, AppError> {
    let plan = db.require_plan()?;
    Ok(plan.replan(policy, &plan.clock(now))?.0)
}

/// Replans under `policy`, decided afresh inside the transaction that writes it, so a change
/// made meanwhile (in the app, by the CLI) is part of what it sees. With `dry_run` nothing is
/// written. Returns what the replan did and the plan after it.
pub fn replan(
    db: &Db,
    now: DateTime<Utc>,
    policy: ReplanPolicy,
    dry_run: bool,
) -> Result<(ReplanPreview, Arc<SavedPlan>), AppError> {
    let mut preview = None;
    let plan = db.change(now, |plan, clock| {
        let (p, changes) = plan.replan(policy, clock)?;
        preview = Some(p);
        Ok(if dry_run { Vec::new() } else { changes })
    })?;
    let preview = preview.ok_or(AppError::Interrupted)?;
    Ok((preview, plan))
}

/// Switches the plan to `option` of its roadmap's choice (another language track), decided
/// inside the transaction that writes it: progress on shared topics kept, the old track's
/// sessions still to come cancelled, the new track's topics planned. With `dry_run` nothing is
/// written. Returns what the switch did and the plan after it.
pub fn switch_track(
    db: &Db,
    now: DateTime<Utc>,
    option: &str,
    dry_run: bool,
) -> Result<(ReplanPreview, Arc<SavedPlan>), AppError> {
    let mut preview = None;
    let plan = db.change(now, |plan, clock| {
        let (p, changes) = plan.switch_track(option, clock)?;
        preview = Some(p);
        Ok(if dry_run { Vec::new() } else { changes })
    })?;
    let preview = preview.ok_or(AppError::Interrupted)?;
    Ok((preview, plan))
}

/// Takes the last replan back, decided inside the transaction that writes it; refused with the
/// reason when a session it placed has begun, been marked or moved since.
pub fn undo_replan(db: &Db, now: DateTime<Utc>) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.undo_replan(clock)?))
}

/// Gives the week of `day` its own windows (`Some("")`: no study that week), or the usual
/// week's again (`None`); only that week's sessions move.
pub fn set_week(
    db: &Db,
    now: DateTime<Utc>,
    day: NaiveDate,
    windows: Option<&str>,
) -> Result<Arc<SavedPlan>, AppError> {
    db.change(now, |plan, clock| Ok(plan.set_week(day, windows, clock)?))
}

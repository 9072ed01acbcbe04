//! The This Week screen: sessions checked off, study logged, topics marked, the week's goal,
//! and replanning. Each command is one use case of `roadmap_app::progress` (decided by the
//! core, written in one IMMEDIATE transaction that also did the load), answered with the fresh
//! [`HomeView`], made after the database is released.

use chrono::NaiveDate;
use tauri::State;

use std::sync::Arc;

use roadmap_app::progress;
use roadmap_core::api::{
    ForecastView, HomeView, LogView, Recall, ReplanPolicy, ReplanPreview, SessionMark, TopicMark,
    WeekReview,
};
use roadmap_core::saved::SavedPlan;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;
use crate::wire::Wire;

#[tauri::command]
pub async fn get_home(state: State<'_, AppState>) -> Result<Option<HomeView>, Wire> {
    if state.db.plan()?.is_none() {
        return Ok(None);
    }
    let now = now()?;
    Ok(Some(home(progress::look(&state.db, now)?, now)))
}

/// The finish-date band, asked for after each change (it takes a few milliseconds, which the
/// change's own answer does not wait for). `None` without a plan.
#[tauri::command]
pub async fn get_forecast(state: State<'_, AppState>) -> Result<Option<ForecastView>, Wire> {
    let now = now()?;
    // Simulated without the database lock: a change the learner makes meanwhile does not wait.
    Ok(state.db.plan()?.map(|plan| plan.forecast(&plan.clock(now))))
}

#[tauri::command]
pub async fn mark_session(
    state: State<'_, AppState>,
    id: Arg<i64>,
    mark: Arg<SessionMark>,
) -> Result<HomeView, Wire> {
    let id = id.get("id")?;
    let mark = mark.get("mark")?;
    let now = now()?;
    Ok(home(progress::mark_session(&state.db, now, id, mark)?, now))
}

#[tauri::command]
pub async fn log_study(
    state: State<'_, AppState>,
    topic: Arg<String>,
    minutes: Arg<i64>,
    date: Arg<Option<NaiveDate>>,
) -> Result<HomeView, Wire> {
    let topic = topic.get("topic")?;
    let minutes = minutes.get("minutes")?;
    let date = date.get("date")?;
    let now = now()?;
    Ok(home(
        progress::log_study(&state.db, now, &topic, minutes, date)?,
        now,
    ))
}

/// Every logged entry of the plan, in date order.
#[tauri::command]
pub async fn list_logs(state: State<'_, AppState>) -> Result<Vec<LogView>, Wire> {
    Ok(progress::logs(&state.db, None, None)?)
}

/// A logged entry corrected; no session moves.
#[tauri::command]
pub async fn edit_log(
    state: State<'_, AppState>,
    id: Arg<i64>,
    topic: Arg<String>,
    minutes: Arg<i64>,
    date: Arg<NaiveDate>,
) -> Result<HomeView, Wire> {
    let id = id.get("id")?;
    let topic = topic.get("topic")?;
    let minutes = minutes.get("minutes")?;
    let date = date.get("date")?;
    let now = now()?;
    Ok(home(
        progress::edit_log(&state.db, now, id, &topic, minutes, date)?,
        now,
    ))
}

/// A logged entry taken back; no session moves.
#[tauri::command]
pub async fn delete_log(state: State<'_, AppState>, id: Arg<i64>) -> Result<HomeView, Wire> {
    let id = id.get("id")?;
    let now = now()?;
    Ok(home(progress::delete_log(&state.db, now, id)?, now))
}

#[tauri::command]
pub async fn set_topic_mark(
    state: State<'_, AppState>,
    topic: Arg<String>,
    mark: Arg<Option<TopicMark>>,
) -> Result<HomeView, Wire> {
    let topic = topic.get("topic")?;
    let mark = mark.get("mark")?;
    let now = now()?;
    Ok(home(
        progress::mark_topic(&state.db, now, &topic, mark)?,
        now,
    ))
}

/// Rates a spaced review of a finished topic (today unless `date` says otherwise): its review
/// session is checked off and the next review planned from the grade.
#[tauri::command]
pub async fn review_topic(
    state: State<'_, AppState>,
    topic: Arg<String>,
    recall: Arg<Recall>,
    date: Arg<Option<NaiveDate>>,
) -> Result<HomeView, Wire> {
    let topic = topic.get("topic")?;
    let recall = recall.get("recall")?;
    let date = date.get("date")?;
    let now = now()?;
    Ok(home(
        progress::review_topic(&state.db, now, &topic, recall, date)?,
        now,
    ))
}

#[tauri::command]
pub async fn edit_week_goal(
    state: State<'_, AppState>,
    topics: Arg<Vec<String>>,
    target_minutes: Arg<u32>,
) -> Result<HomeView, Wire> {
    let topics = topics.get("topics")?;
    let target_minutes = target_minutes.get("targetMinutes")?;
    let now = now()?;
    Ok(home(
        progress::edit_week_goal(&state.db, now, &topics, target_minutes)?,
        now,
    ))
}

#[tauri::command]
pub async fn close_week(
    state: State<'_, AppState>,
    review: Arg<WeekReview>,
) -> Result<HomeView, Wire> {
    let review = review.get("review")?;
    let now = now()?;
    Ok(home(progress::close_week(&state.db, now, &review)?, now))
}

/// Closes the week of `day` (a past one too), or closes it again with a corrected review.
#[tauri::command]
pub async fn close_week_of(
    state: State<'_, AppState>,
    day: Arg<NaiveDate>,
    review: Arg<WeekReview>,
) -> Result<HomeView, Wire> {
    let day = day.get("day")?;
    let review = review.get("review")?;
    let now = now()?;
    Ok(home(
        progress::close_week_of(&state.db, now, day, &review)?,
        now,
    ))
}

/// Changes the goal of an open week (a past one reopened too), keeping its topics.
#[tauri::command]
pub async fn edit_goal_of(
    state: State<'_, AppState>,
    day: Arg<NaiveDate>,
    target_minutes: Arg<u32>,
) -> Result<HomeView, Wire> {
    let day = day.get("day")?;
    let target_minutes = target_minutes.get("targetMinutes")?;
    let now = now()?;
    Ok(home(
        progress::edit_goal_of(&state.db, now, day, target_minutes)?,
        now,
    ))
}

/// Opens the closed week of `day` again.
#[tauri::command]
pub async fn reopen_week(
    state: State<'_, AppState>,
    day: Arg<NaiveDate>,
) -> Result<HomeView, Wire> {
    let day = day.get("day")?;
    let now = now()?;
    Ok(home(progress::reopen_week(&state.db, now, day)?, now))
}

/// Gives the week of `day` its own windows (`""`: no study that week), or the usual week's
/// again (`null`); only that week's sessions move.
#[tauri::command]
pub async fn set_week_times(
    state: State<'_, AppState>,
    day: Arg<NaiveDate>,
    windows: Arg<Option<String>>,
) -> Result<HomeView, Wire> {
    let day = day.get("day")?;
    let windows = windows.get("windows")?;
    let now = now()?;
    Ok(home(
        progress::set_week(&state.db, now, day, windows.as_deref())?,
        now,
    ))
}

/// What a replan under `policy` would do; nothing is saved.
#[tauri::command]
pub async fn preview_replan(
    state: State<'_, AppState>,
    policy: Arg<ReplanPolicy>,
) -> Result<ReplanPreview, Wire> {
    let policy = policy.get("policy")?;
    Ok(progress::preview_replan(&state.db, now()?, policy)?)
}

/// Replans under `policy`, decided afresh inside the transaction, so what is saved is what the
/// plan as it now stands calls for.
#[tauri::command]
pub async fn apply_replan(
    state: State<'_, AppState>,
    policy: Arg<ReplanPolicy>,
) -> Result<HomeView, Wire> {
    let policy = policy.get("policy")?;
    let now = now()?;
    Ok(home(
        progress::replan(&state.db, now, policy, false)?.1,
        now,
    ))
}

/// What switching the plan to `option` (another language track) would do; nothing is saved.
#[tauri::command]
pub async fn preview_track_switch(
    state: State<'_, AppState>,
    option: Arg<String>,
) -> Result<ReplanPreview, Wire> {
    let option = option.get("option")?;
    Ok(progress::switch_track(&state.db, now()?, &option, true)?.0)
}

/// Switches the plan to `option`, decided afresh inside the transaction: study recorded stays,
/// the old track's sessions still to come are cancelled and the new track's topics planned.
#[tauri::command]
pub async fn switch_track(
    state: State<'_, AppState>,
    option: Arg<String>,
) -> Result<HomeView, Wire> {
    let option = option.get("option")?;
    let now = now()?;
    Ok(home(
        progress::switch_track(&state.db, now, &option, false)?.1,
        now,
    ))
}

/// Takes the last replan back; refused with the reason once a session it placed has begun, or
/// been marked or moved.
#[tauri::command]
pub async fn undo_replan(state: State<'_, AppState>) -> Result<HomeView, Wire> {
    let now = now()?;
    Ok(home(progress::undo_replan(&state.db, now)?, now))
}

/// Moves a session by hand (the calendar's drag, "Move…"): it is pinned there, and the rest
/// of the plan stays put but for the sessions it now sits on, which find room in their week.
#[tauri::command]
pub async fn move_session(
    state: State<'_, AppState>,
    id: Arg<i64>,
    date: Arg<NaiveDate>,
    start: Arg<String>,
) -> Result<HomeView, Wire> {
    let id = id.get("id")?;
    let date = date.get("date")?;
    let start = start.get("start")?;
    let now = now()?;
    Ok(home(
        progress::move_session(&state.db, now, id, date, &start)?,
        now,
    ))
}

/// The fresh views of the plan after a change: made after the database lock is released.
fn home(plan: Arc<SavedPlan>, now: chrono::DateTime<chrono::Utc>) -> HomeView {
    plan.home(&plan.clock(now))
}

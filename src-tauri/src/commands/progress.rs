//! The This Week screen: sessions checked off, study logged, topics marked, the week's goal,
//! and replanning. Every change is one transaction and answers with the fresh [`HomeView`].

use chrono::NaiveDate;
use tauri::State;

use roadmap_core::api::{
    ApiError, HomeView, ReplanPolicy, ReplanPreview, SessionMark, TopicMark, WeekReview,
};
use roadmap_store::plans::{self, StoredPlan};
use roadmap_store::{sessions, study_log, topic_marks, week_goals};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::{now, today};

#[tauri::command]
pub fn get_home(state: State<'_, AppState>) -> Result<Option<HomeView>, ApiError> {
    let today = today()?;
    state.with_tx(|tx| {
        let Some(plan) = plans::current(tx)? else {
            return Ok(None);
        };
        let week = week_goals::this_week(tx, &plan, today)?;
        Ok(Some(HomeView {
            plan: plan.view(today),
            week,
        }))
    })
}

#[tauri::command]
pub fn mark_session(
    state: State<'_, AppState>,
    id: Arg<i64>,
    mark: Arg<SessionMark>,
) -> Result<HomeView, ApiError> {
    let id = id.get("id")?;
    let mark = mark.get("mark")?;
    change(&state, |tx, plan, today| {
        Ok(sessions::mark(tx, plan, id, mark, today, &now())?)
    })
}

#[tauri::command]
pub fn log_study(
    state: State<'_, AppState>,
    topic: Arg<String>,
    minutes: Arg<i64>,
    date: Arg<Option<NaiveDate>>,
) -> Result<HomeView, ApiError> {
    let topic = topic.get("topic")?;
    let minutes = minutes.get("minutes")?;
    let date = date.get("date")?;
    change(&state, |tx, plan, today| {
        study_log::add(
            tx,
            plan,
            &topic,
            date.unwrap_or(today),
            minutes,
            today,
            &now(),
        )?;
        Ok(())
    })
}

#[tauri::command]
pub fn set_topic_mark(
    state: State<'_, AppState>,
    topic: Arg<String>,
    mark: Arg<Option<TopicMark>>,
) -> Result<HomeView, ApiError> {
    let topic = topic.get("topic")?;
    let mark = mark.get("mark")?;
    change(&state, |tx, plan, today| {
        Ok(topic_marks::set(tx, plan, &topic, mark, today, &now())?)
    })
}

#[tauri::command]
pub fn edit_week_goal(
    state: State<'_, AppState>,
    topics: Arg<Vec<String>>,
    target_minutes: Arg<u32>,
) -> Result<HomeView, ApiError> {
    let topics = topics.get("topics")?;
    let target_minutes = target_minutes.get("targetMinutes")?;
    change(&state, |tx, plan, today| {
        Ok(week_goals::edit(tx, plan, today, &topics, target_minutes)?)
    })
}

#[tauri::command]
pub fn close_week(
    state: State<'_, AppState>,
    review: Arg<WeekReview>,
) -> Result<HomeView, ApiError> {
    let review = review.get("review")?;
    change(&state, |tx, plan, today| {
        Ok(week_goals::close(tx, plan, today, &review, &now())?)
    })
}

/// What a replan under `policy` would do; nothing is saved.
#[tauri::command]
pub fn preview_replan(
    state: State<'_, AppState>,
    policy: Arg<ReplanPolicy>,
) -> Result<ReplanPreview, ApiError> {
    let policy = policy.get("policy")?;
    let today = today()?;
    state.with_tx(|tx| {
        let plan = plans::require_current(tx)?;
        Ok(sessions::replan(tx, &plan, today, policy, false, &now())?)
    })
}

#[tauri::command]
pub fn apply_replan(
    state: State<'_, AppState>,
    policy: Arg<ReplanPolicy>,
) -> Result<HomeView, ApiError> {
    let policy = policy.get("policy")?;
    change(&state, |tx, plan, today| {
        sessions::replan(tx, plan, today, policy, true, &now())?;
        Ok(())
    })
}

/// Moves a session by hand (the calendar's drag): it is pinned there, and the rest of the plan
/// adapts around it.
#[tauri::command]
pub fn move_session(
    state: State<'_, AppState>,
    id: Arg<i64>,
    date: Arg<NaiveDate>,
    start: Arg<String>,
) -> Result<HomeView, ApiError> {
    let id = id.get("id")?;
    let date = date.get("date")?;
    let start = start.get("start")?;
    change(&state, |tx, plan, today| {
        sessions::move_and_adapt(tx, plan, id, date, &start, today, &now())?;
        Ok(())
    })
}

/// Applies `f` to the current plan in one transaction and answers with the fresh views.
pub(crate) fn change(
    state: &AppState,
    f: impl FnOnce(&rusqlite::Transaction<'_>, &StoredPlan, NaiveDate) -> Result<(), ApiError>,
) -> Result<HomeView, ApiError> {
    let today = today()?;
    state.with_tx(|tx| {
        let plan = plans::require_current(tx)?;
        f(tx, &plan, today)?;
        let plan = plans::require_current(tx)?;
        let week = week_goals::this_week(tx, &plan, today)?;
        Ok(HomeView {
            plan: plan.view(today),
            week,
        })
    })
}

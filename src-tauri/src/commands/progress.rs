//! The This Week screen: sessions checked off, study logged, topics marked, the week's goal,
//! and replanning. Every change is decided by the core's `SavedPlan`, written in one IMMEDIATE
//! transaction that also did the load, and answered with the fresh [`HomeView`].

use chrono::NaiveDate;
use tauri::State;

use roadmap_core::CoreError;
use roadmap_core::api::{
    ApiError, ForecastView, HomeView, Recall, ReplanPolicy, ReplanPreview, SessionMark, TopicMark,
    WeekReview,
};
use roadmap_core::clock::Clock;
use roadmap_core::saved::{Change, SavedPlan};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;

#[tauri::command]
pub async fn get_home(state: State<'_, AppState>) -> Result<Option<HomeView>, ApiError> {
    if state.plan()?.is_none() {
        return Ok(None);
    }
    // Through a change that changes nothing: the week's goal is saved the first time the week
    // is seen.
    change(&state, |_, _| Ok(Vec::new())).map(Some)
}

/// The finish-date band, asked for after each change (it takes a few milliseconds, which the
/// change's own answer does not wait for). `None` without a plan.
#[tauri::command]
pub async fn get_forecast(state: State<'_, AppState>) -> Result<Option<ForecastView>, ApiError> {
    let now = now()?;
    // Simulated without the database lock: a change the learner makes meanwhile does not wait.
    Ok(state.plan()?.map(|plan| plan.forecast(&plan.clock(now))))
}

#[tauri::command]
pub async fn mark_session(
    state: State<'_, AppState>,
    id: Arg<i64>,
    mark: Arg<SessionMark>,
) -> Result<HomeView, ApiError> {
    let id = id.get("id")?;
    let mark = mark.get("mark")?;
    change(&state, |plan, clock| plan.mark_session(id, mark, clock))
}

#[tauri::command]
pub async fn log_study(
    state: State<'_, AppState>,
    topic: Arg<String>,
    minutes: Arg<i64>,
    date: Arg<Option<NaiveDate>>,
) -> Result<HomeView, ApiError> {
    let topic = topic.get("topic")?;
    let minutes = minutes.get("minutes")?;
    let date = date.get("date")?;
    change(&state, |plan, clock| {
        plan.log_study(&topic, date, minutes, clock)
    })
}

#[tauri::command]
pub async fn set_topic_mark(
    state: State<'_, AppState>,
    topic: Arg<String>,
    mark: Arg<Option<TopicMark>>,
) -> Result<HomeView, ApiError> {
    let topic = topic.get("topic")?;
    let mark = mark.get("mark")?;
    change(&state, |plan, clock| plan.mark_topic(&topic, mark, clock))
}

/// Rates a spaced review of a finished topic (today unless `date` says otherwise): its review
/// session is checked off and the next review planned from the grade.
#[tauri::command]
pub async fn review_topic(
    state: State<'_, AppState>,
    topic: Arg<String>,
    recall: Arg<Recall>,
    date: Arg<Option<NaiveDate>>,
) -> Result<HomeView, ApiError> {
    let topic = topic.get("topic")?;
    let recall = recall.get("recall")?;
    let date = date.get("date")?;
    change(&state, |plan, clock| {
        plan.review(&topic, recall, date, clock)
    })
}

#[tauri::command]
pub async fn edit_week_goal(
    state: State<'_, AppState>,
    topics: Arg<Vec<String>>,
    target_minutes: Arg<u32>,
) -> Result<HomeView, ApiError> {
    let topics = topics.get("topics")?;
    let target_minutes = target_minutes.get("targetMinutes")?;
    change(&state, |plan, clock| {
        plan.edit_goal(&topics, target_minutes, clock)
    })
}

#[tauri::command]
pub async fn close_week(
    state: State<'_, AppState>,
    review: Arg<WeekReview>,
) -> Result<HomeView, ApiError> {
    let review = review.get("review")?;
    change(&state, |plan, clock| plan.close_week(&review, clock))
}

/// What a replan under `policy` would do; nothing is saved.
#[tauri::command]
pub async fn preview_replan(
    state: State<'_, AppState>,
    policy: Arg<ReplanPolicy>,
) -> Result<ReplanPreview, ApiError> {
    let policy = policy.get("policy")?;
    let now = now()?;
    let plan = state.require_plan()?;
    Ok(plan.replan(policy, &plan.clock(now))?.0)
}

/// Replans under `policy`, decided afresh inside the transaction, so what is saved is what the
/// plan as it now stands calls for.
#[tauri::command]
pub async fn apply_replan(
    state: State<'_, AppState>,
    policy: Arg<ReplanPolicy>,
) -> Result<HomeView, ApiError> {
    let policy = policy.get("policy")?;
    change(&state, |plan, clock| Ok(plan.replan(policy, clock)?.1))
}

/// Moves a session by hand (the calendar's drag, "Move…"): it is pinned there, and the rest
/// of the plan adapts around it.
#[tauri::command]
pub async fn move_session(
    state: State<'_, AppState>,
    id: Arg<i64>,
    date: Arg<NaiveDate>,
    start: Arg<String>,
) -> Result<HomeView, ApiError> {
    let id = id.get("id")?;
    let date = date.get("date")?;
    let start = start.get("start")?;
    change(&state, |plan, clock| {
        plan.move_session(id, date, &start, clock)
    })
}

/// Loads the current plan, lets `decide` say what changes, writes it, and answers with the
/// fresh views: one IMMEDIATE transaction.
pub(crate) fn change(
    state: &AppState,
    decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, CoreError>,
) -> Result<HomeView, ApiError> {
    let now = now()?;
    let plan = state.change_plan(now, |plan, clock| Ok(decide(plan, clock)?))?;
    // The views are made after the database lock is released.
    Ok(plan.home(&plan.clock(now)))
}

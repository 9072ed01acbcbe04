use std::sync::Arc;

use tauri::State;

use roadmap_core::api::{ApiError, HomeView, PlanPreview, PlanSettings, PlanView};
use roadmap_store::plans;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;

#[tauri::command]
pub async fn get_plan(state: State<'_, AppState>) -> Result<Option<PlanView>, ApiError> {
    let now = now()?;
    Ok(state.plan()?.map(|p| p.view(&p.clock(now))))
}

/// Schedules the current roadmap with these settings and saves it as the current plan: the
/// same store call as `roadmap plan --save`. Answers with the views it made, so the window
/// needs no second round trip.
#[tauri::command]
pub async fn create_plan(
    state: State<'_, AppState>,
    settings: Arg<PlanSettings>,
) -> Result<HomeView, ApiError> {
    let settings = settings.get("settings")?;
    let loaded = state.roadmap()?;
    let now = now()?;
    let plan = state.replace_plan(|tx| {
        let zone = roadmap_store::system_time_zone();
        Ok(plans::create(
            tx,
            Arc::new(loaded.roadmap.clone()),
            loaded.id,
            &settings,
            &zone,
            now,
        )?)
    })?;
    Ok(plan.home(&plan.clock(now)))
}

/// Runs the scheduler on the settings being edited, without saving anything, so the setup
/// screen can show the hours needed, the projected finish and any fixes as the user types.
#[tauri::command]
pub async fn preview_plan(
    state: State<'_, AppState>,
    settings: Arg<PlanSettings>,
) -> Result<PlanPreview, ApiError> {
    let settings = settings.get("settings")?;
    let busy = state.with_conn(|conn| {
        let zone = roadmap_store::busy_calendars::zone(conn)?;
        let intervals = roadmap_store::busy_calendars::intervals(conn)?;
        Ok(roadmap_core::busy::local_stretches(&intervals, zone))
    })?;
    Ok(settings.preview(&state.roadmap()?.roadmap, &busy)?)
}

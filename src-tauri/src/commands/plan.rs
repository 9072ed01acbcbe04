use tauri::State;

use roadmap_core::api::{ApiError, PlanPreview, PlanSettings, PlanView};
use roadmap_store::plans;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::{now, today};

#[tauri::command]
pub fn get_plan(state: State<'_, AppState>) -> Result<Option<PlanView>, ApiError> {
    let today = today()?;
    state.with_conn(|conn| Ok(plans::current(conn)?.map(|p| p.view(today))))
}

/// Schedules the current roadmap with these settings and saves it as the current plan: the
/// same store call as `roadmap plan --save`.
#[tauri::command]
pub fn create_plan(
    state: State<'_, AppState>,
    settings: Arg<PlanSettings>,
) -> Result<PlanView, ApiError> {
    let settings = settings.get("settings")?;
    let loaded = state.roadmap()?;
    let now = now();
    let today = today()?;
    state.with_tx(|tx| {
        let zone = roadmap_store::system_time_zone();
        Ok(plans::create(tx, &loaded.roadmap, loaded.id, &settings, &zone, &now)?.view(today))
    })
}

/// Runs the scheduler on the settings being edited, without saving anything, so the setup
/// screen can show the hours needed, the projected finish and any fixes as the user types.
#[tauri::command]
pub fn preview_plan(
    state: State<'_, AppState>,
    settings: Arg<PlanSettings>,
) -> Result<PlanPreview, ApiError> {
    let settings = settings.get("settings")?;
    Ok(settings.preview(&state.roadmap()?.roadmap)?)
}

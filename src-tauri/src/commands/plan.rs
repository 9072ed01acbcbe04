use tauri::State;

use roadmap_core::api::{ApiError, PlanPreview, PlanPreviewRequest, PlanSettings, PlanView};
use roadmap_core::schedule;
use roadmap_store::plans::{self, NewPlan};

use crate::AppState;

#[tauri::command]
pub fn get_plan(state: State<'_, AppState>) -> Result<Option<PlanView>, ApiError> {
    state.with_conn(|conn| Ok(plans::current(conn)?))
}

/// Makes a plan from the current roadmap and saves it as the current plan.
#[tauri::command]
pub fn create_plan(
    state: State<'_, AppState>,
    settings: PlanSettings,
) -> Result<PlanView, ApiError> {
    let loaded = state.roadmap()?;
    let target_end = schedule::target_end(&settings)?;
    let steps = schedule::spread_steps(&loaded.roadmap, &settings)?;
    // The shell, not the core, reads the clock.
    let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    state.with_tx(|tx| {
        Ok(plans::insert_current(
            tx,
            &NewPlan {
                created_at: &created_at,
                roadmap_id: loaded.id,
                roadmap_title: &loaded.roadmap.title,
                settings: &settings,
                target_end,
                steps: &steps,
            },
        )?)
    })
}

/// Runs the scheduler on the settings being edited, without saving anything, so the setup
/// screen can show the hours needed, the projected finish and any fixes as the user types.
#[tauri::command]
pub fn preview_plan(
    state: State<'_, AppState>,
    request: PlanPreviewRequest,
) -> Result<PlanPreview, ApiError> {
    Ok(request.preview(&state.roadmap()?.roadmap)?)
}

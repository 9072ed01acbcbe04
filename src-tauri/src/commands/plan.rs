use std::sync::Arc;

use tauri::State;

use roadmap_app::plan::{self, RoadmapSource};
use roadmap_core::api::{HomeView, PlanPreview, PlanSettings, PlanView};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;
use crate::wire::Wire;

#[tauri::command]
pub async fn get_plan(state: State<'_, AppState>) -> Result<Option<PlanView>, Wire> {
    let now = now()?;
    Ok(state.db.plan()?.map(|p| p.view(&p.clock(now))))
}

/// Schedules the current roadmap with these settings and saves it as the current plan: the
/// same use case as `roadmap plan --save`. Answers with the views it made, so the window
/// needs no second round trip.
#[tauri::command]
pub async fn create_plan(
    state: State<'_, AppState>,
    settings: Arg<PlanSettings>,
) -> Result<HomeView, Wire> {
    let settings = settings.get("settings")?;
    let loaded = state.roadmap()?;
    let now = now()?;
    let source = loaded
        .id
        .map_or(RoadmapSource::Bundled, RoadmapSource::Kept);
    let zone = roadmap_store::system_time_zone();
    let (plan, _) = plan::create(
        &state.db,
        Arc::new(loaded.roadmap),
        source,
        &settings,
        &zone,
        now,
    )?;
    Ok(plan.home(&plan.clock(now)))
}

/// Runs the scheduler on the settings being edited, without saving anything, so the setup
/// screen can show the hours needed, the projected finish and any fixes as the user types.
#[tauri::command]
pub async fn preview_plan(
    state: State<'_, AppState>,
    settings: Arg<PlanSettings>,
) -> Result<PlanPreview, Wire> {
    let settings = settings.get("settings")?;
    Ok(plan::preview(
        &state.db,
        &state.roadmap()?.roadmap,
        &settings,
    )?)
}

use tauri::State;

use roadmap_core::api::{ApiError, RoadmapView};

use crate::AppState;

#[tauri::command]
pub fn get_roadmap(state: State<'_, AppState>) -> Result<RoadmapView, ApiError> {
    Ok(RoadmapView::from(state.roadmap()?))
}

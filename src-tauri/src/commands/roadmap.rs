use std::path::PathBuf;

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use roadmap_core::Roadmap;
use roadmap_core::api::{ApiError, ErrorKind, RoadmapFileOutcome, RoadmapView};
use roadmap_store::roadmaps;

use crate::AppState;
use crate::state::{LoadedRoadmap, bundled};

/// Debug builds only: end-to-end tests cannot click through a native file dialog, so this
/// variable names the file "Open roadmap file…" picks.
const TEST_PICK_FILE_ENV: &str = "ROADMAP_PLANNER_TEST_PICK_FILE";

#[tauri::command]
pub async fn get_roadmap(state: State<'_, AppState>) -> Result<RoadmapView, ApiError> {
    Ok(view(&state.roadmap()?))
}

/// Asks the user for a roadmap file, validates it, and on success makes it the roadmap new
/// plans are made from. The path comes from the native dialog, never from the window.
#[tauri::command]
pub async fn open_roadmap_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<RoadmapFileOutcome, ApiError> {
    let Some(path) = pick_file(&app)? else {
        return Ok(RoadmapFileOutcome::Cancelled);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ApiError {
        kind: ErrorKind::Io,
        message: format!("cannot read {}: {e}", path.display()),
    })?;
    let source = path.display().to_string();
    let roadmap = match Roadmap::parse(&source, &text) {
        Ok(r) => r,
        Err(errors) => {
            return Ok(RoadmapFileOutcome::Invalid {
                file: source,
                errors: (&errors).into(),
            });
        }
    };
    let loaded_at = crate::state::stamp()?;
    let stored =
        state.with_tx(|tx| Ok(roadmaps::insert_current(tx, &source, &text, &loaded_at)?))?;
    let loaded = LoadedRoadmap {
        roadmap,
        source,
        id: Some(stored.id),
        notice: None,
    };
    state.set_roadmap(loaded.clone())?;
    Ok(RoadmapFileOutcome::Loaded {
        roadmap: view(&loaded),
    })
}

/// Goes back to the roadmap that ships with the app.
#[tauri::command]
pub async fn use_bundled_roadmap(state: State<'_, AppState>) -> Result<RoadmapView, ApiError> {
    state.with_tx(|tx| Ok(roadmaps::use_bundled(tx)?))?;
    let loaded = bundled(None)?;
    state.set_roadmap(loaded.clone())?;
    Ok(view(&loaded))
}

fn view(loaded: &LoadedRoadmap) -> RoadmapView {
    RoadmapView::new(&loaded.roadmap, &loaded.source, loaded.notice.clone())
}

fn pick_file<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, ApiError> {
    if cfg!(debug_assertions)
        && let Some(path) = std::env::var_os(TEST_PICK_FILE_ENV)
    {
        return Ok(Some(PathBuf::from(path)));
    }
    // Async commands run off the main thread, where a blocking dialog is allowed.
    let picked = app
        .dialog()
        .file()
        .set_title("Open roadmap file")
        .add_filter("Roadmap (TOML)", &["toml"])
        .blocking_pick_file();
    match picked {
        None => Ok(None),
        Some(file) => file.into_path().map(Some).map_err(|e| ApiError {
            kind: ErrorKind::Io,
            message: format!("the chosen file cannot be opened as a local path: {e}"),
        }),
    }
}

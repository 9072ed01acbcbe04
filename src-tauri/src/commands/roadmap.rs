use std::path::PathBuf;

use tauri::{AppHandle, Runtime, State};

use roadmap_app::roadmap::{self, Opened};
use roadmap_core::api::{BUNDLED_SOURCE, HomeView, RoadmapFileOutcome, RoadmapView, TopicEdit};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::commands::pick::{self, Ask};
use crate::state::{LoadedRoadmap, now};
use crate::wire::Wire;

/// Debug builds only: end-to-end tests cannot click through a native file dialog, so this
/// variable names the file "Open roadmap file…" picks.
const TEST_PICK_FILE_ENV: &str = "ROADMAP_PLANNER_TEST_PICK_FILE";

#[tauri::command]
pub async fn get_roadmap(state: State<'_, AppState>) -> Result<RoadmapView, Wire> {
    let loaded = state.roadmap()?;
    // The current plan made from this roadmap with an option chosen (a language track) or
    // topics changed: the roadmap as that plan has it. A database that cannot be read says so through every
    // other view; the roadmap itself is still shown.
    if let Ok(Some(plan)) = state.db.plan()
        && plan.roadmap_id == loaded.id
        && (!plan.settings.chosen.is_empty() || !plan.settings.edits.is_empty())
    {
        return Ok(RoadmapView::new(
            &plan.roadmap,
            &loaded.source,
            loaded.notice.clone(),
        ));
    }
    Ok(view(&loaded))
}

/// Asks the user for a roadmap file, validates it, and on success makes it the roadmap new
/// plans are made from. The path comes from the native dialog, never from the window.
#[tauri::command]
pub async fn open_roadmap_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<RoadmapFileOutcome, Wire> {
    let Some(path) = pick_file(&app)? else {
        return Ok(RoadmapFileOutcome::Cancelled);
    };
    match roadmap::open_file(&state.db, &path, now()?)? {
        Opened::Invalid { file, errors } => Ok(RoadmapFileOutcome::Invalid {
            file,
            errors: (&errors).into(),
        }),
        Opened::Loaded {
            roadmap,
            source,
            id,
        } => {
            let loaded = LoadedRoadmap {
                roadmap,
                source,
                id: Some(id),
                notice: None,
            };
            state.set_roadmap(loaded.clone())?;
            Ok(RoadmapFileOutcome::Loaded {
                roadmap: view(&loaded),
            })
        }
    }
}

/// Goes back to the roadmap that ships with the app.
#[tauri::command]
pub async fn use_bundled_roadmap(state: State<'_, AppState>) -> Result<RoadmapView, Wire> {
    let loaded = LoadedRoadmap {
        roadmap: roadmap::use_bundled(&state.db)?,
        source: BUNDLED_SOURCE.to_string(),
        id: None,
        notice: None,
    };
    state.set_roadmap(loaded.clone())?;
    Ok(view(&loaded))
}

/// Makes the roadmap the current plan was made from the one new plans are made from again:
/// the setup form's Cancel after opening another roadmap leaves things as they were.
#[tauri::command]
pub async fn use_plan_roadmap(state: State<'_, AppState>) -> Result<RoadmapView, Wire> {
    roadmap::use_plans(&state.db)?;
    state.reload_roadmap()?;
    Ok(view(&state.roadmap()?))
}

fn view(loaded: &LoadedRoadmap) -> RoadmapView {
    RoadmapView::new(&loaded.roadmap, &loaded.source, loaded.notice.clone())
}

fn pick_file<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, Wire> {
    let ask = Ask {
        env: TEST_PICK_FILE_ENV,
        title: "Open roadmap file",
        filter: ("Roadmap (TOML)", &["toml"]),
    };
    pick::open(app, &ask)
}

/// Adds, changes or removes a topic of the current plan's own roadmap; only that topic's
/// sessions change. Refused, with the validator's sentence, when the edit breaks a rule.
#[tauri::command]
pub async fn edit_topic(
    state: State<'_, AppState>,
    edit: Arg<TopicEdit>,
) -> Result<HomeView, Wire> {
    let edit = edit.get("edit")?;
    let now = now()?;
    let plan = roadmap::edit_topic(&state.db, now, edit)?;
    Ok(plan.home(&plan.clock(now)))
}

/// Takes back the plan's change to its roadmap at `index` (the first is 0).
#[tauri::command]
pub async fn undo_topic_edit(
    state: State<'_, AppState>,
    index: Arg<usize>,
) -> Result<HomeView, Wire> {
    let index = index.get("index")?;
    let now = now()?;
    let plan = roadmap::undo_edit(&state.db, now, index)?;
    Ok(plan.home(&plan.clock(now)))
}

/// Asks where to save, then writes the current plan's roadmap, with the learner's changes,
/// as a roadmap file; `None` when the learner cancelled.
#[tauri::command]
pub async fn export_plan_roadmap<R: Runtime>(app: AppHandle<R>) -> Result<Option<String>, Wire> {
    let ask = Ask {
        env: TEST_PICK_FILE_ENV,
        title: "Export this plan's roadmap",
        filter: ("Roadmap file (TOML)", &["toml"]),
    };
    let Some(path) = pick::save(&app, &ask, "my-roadmap.toml")? else {
        return Ok(None);
    };
    crate::commands::off_the_runtime(&app, move |state| {
        roadmap::export_plan_roadmap(&state.db, &path)?;
        Ok(Some(path.display().to_string()))
    })
    .await
}

//! "Export all data…" and "Import data…": all of the learner's data as one JSON file
//! (`roadmap_app::data`), the same file `roadmap export --all` writes.

use tauri::{AppHandle, Runtime};

use roadmap_core::api::DataOutcome;

use crate::commands::off_the_runtime;
use crate::commands::pick::{self, Ask};
use crate::state::now;
use crate::wire::Wire;

/// Debug builds: the file to write or read instead of asking.
const TEST_DATA_FILE_ENV: &str = "ROADMAP_PLANNER_TEST_DATA_FILE";

fn ask(title: &'static str) -> Ask<'static> {
    Ask {
        env: TEST_DATA_FILE_ENV,
        title,
        filter: ("Roadmap Planner data (JSON)", &["json"]),
    }
}

/// Asks where to save, then writes everything there (atomically).
#[tauri::command]
pub async fn export_all_data<R: Runtime>(app: AppHandle<R>) -> Result<DataOutcome, Wire> {
    let now = now()?;
    let name = format!("roadmap-planner-data-{}.json", now.format("%Y-%m-%d"));
    let Some(path) = pick::save(&app, &ask("Export all data"), &name)? else {
        return Ok(DataOutcome::Cancelled);
    };
    off_the_runtime(&app, move |state| {
        let written = roadmap_app::data::export_all(&state.db, now, &path)?;
        Ok(DataOutcome::Exported {
            path: written.display().to_string(),
        })
    })
    .await
}

/// Asks for a file, then replaces all data with it after a backup; the roadmap in memory is
/// read again. A file refused changes nothing.
#[tauri::command]
pub async fn import_all_data<R: Runtime>(app: AppHandle<R>) -> Result<DataOutcome, Wire> {
    let Some(path) = pick::open(&app, &ask("Import data"))? else {
        return Ok(DataOutcome::Cancelled);
    };
    let now = now()?;
    off_the_runtime(&app, move |state| {
        let done = roadmap_app::data::import_all(&state.db, now, &path)?;
        state.reload_roadmap()?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(DataOutcome::Imported {
            path: path.display().to_string(),
            plans: count(done.imported.plans),
            sessions: count(done.imported.sessions),
            backup: done.backup.map(|b| b.display().to_string()),
            caldav_disconnected: done.imported.caldav_disconnected,
        })
    })
    .await
}

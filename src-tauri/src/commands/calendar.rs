//! "Export to calendar…" and the live calendar feed.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime, State};

use roadmap_app::export;
use roadmap_core::api::{ExportOutcome, ExportRequest, FeedView};
use roadmap_store::calendar_feed::{self, FeedSettings};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::commands::pick::{self, Ask};
use crate::feed::{self as server, Feed};
use crate::wire::Wire;

/// Debug builds only: end-to-end tests cannot click through a native save dialog, so this
/// variable names the file "Export to calendar…" writes.
const TEST_SAVE_FILE_ENV: &str = "ROADMAP_PLANNER_TEST_SAVE_FILE";

/// Asks where to save (the native dialog, run from Rust: the window holds no dialog or file
/// permission), renders the plan and writes it atomically.
#[tauri::command]
pub async fn export_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    request: Arg<ExportRequest>,
) -> Result<ExportOutcome, Wire> {
    let request = request.get("request")?;
    // Render first, so a plan that cannot be exported never opens a dialog.
    // The database is held only to load the plan; the rendering runs after it is released.
    let plan = state.db.require_plan()?;
    let alarm = roadmap_app::reminders::minutes(&state.db)?;
    let text = export::render_ics(&plan, request.name.as_deref(), alarm)?;
    let Some(path) = pick_save_path(&app)? else {
        return Ok(ExportOutcome::Cancelled);
    };
    export::write_atomically(&path, text.as_bytes())?;
    Ok(ExportOutcome::Saved {
        path: path.display().to_string(),
        events: u32::try_from(text.matches("BEGIN:VEVENT").count()).unwrap_or(u32::MAX),
    })
}

#[tauri::command]
pub async fn get_feed(state: State<'_, AppState>, feed: State<'_, Feed>) -> Result<FeedView, Wire> {
    let settings = state.db.read(|conn| Ok(calendar_feed::get(conn)?))?;
    Ok(feed.view(settings.as_ref()))
}

/// Switches the feed on or off. The port and token are chosen the first time and kept, so a
/// calendar subscribed once keeps working across restarts.
#[tauri::command]
pub async fn set_feed<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    feed: State<'_, Feed>,
    enabled: Arg<bool>,
) -> Result<FeedView, Wire> {
    let enabled = enabled.get("enabled")?;
    let existing = state.db.read(|conn| Ok(calendar_feed::get(conn)?))?;
    let port = match &existing {
        Some(s) => s.port,
        None => server::free_port().await?,
    };
    let settings = FeedSettings {
        enabled,
        port,
        token: existing.map_or_else(server::new_token, |s| s.token),
    };
    state
        .db
        .write(|tx| Ok(calendar_feed::set(tx, &settings)?))?;
    if enabled {
        if let Err(e) = feed.start(app.clone(), &settings).await {
            // The port is taken: pick another for next time, keep the token.
            let port = server::free_port().await?;
            let retry = FeedSettings {
                port,
                ..settings.clone()
            };
            state.db.write(|tx| Ok(calendar_feed::set(tx, &retry)?))?;
            if feed.start(app, &retry).await.is_err() {
                return Err(e);
            }
        }
    } else {
        feed.stop().await;
    }
    let settings = state.db.read(|conn| Ok(calendar_feed::get(conn)?))?;
    Ok(feed.view(settings.as_ref()))
}

fn pick_save_path<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, Wire> {
    let ask = Ask {
        env: TEST_SAVE_FILE_ENV,
        title: "Export to calendar",
        filter: ("iCalendar", &["ics"]),
    };
    pick::save(app, &ask, "roadmap-plan.ics")
}

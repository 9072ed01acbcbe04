//! The window tells the shell when its first render with data is on screen.
//!
//! For measuring start-up the way Tauri's own benchmarks do: with
//! `ROADMAP_PLANNER_EXIT_ON_READY=1` the app exits right then, so the whole process can be
//! timed; with `ROADMAP_PLANNER_READY_FILE=<path>` it writes that file, so a script can wait
//! for it (the memory benchmark). Neither variable changes anything else.

use tauri::{AppHandle, Runtime};

use tauri::State;

use roadmap_core::api::ClockView;
use roadmap_core::clock::Clock;
use roadmap_core::schedule::availability::hhmm;

use crate::AppState;
use crate::wire::Wire;

pub const EXIT_ON_READY_ENV: &str = "ROADMAP_PLANNER_EXIT_ON_READY";
pub const READY_FILE_ENV: &str = "ROADMAP_PLANNER_READY_FILE";

#[tauri::command]
pub fn report_ready<R: Runtime>(app: AppHandle<R>) -> Result<(), Wire> {
    if let Some(path) = std::env::var_os(READY_FILE_ENV) {
        // Best effort: a benchmark that cannot get its marker times out and says so.
        let _ = std::fs::write(path, b"ready\n");
    }
    if std::env::var(EXIT_ON_READY_ENV).is_ok_and(|v| v == "1") {
        app.exit(0);
    }
    Ok(())
}

/// The plan's today and time of day, so the window notices midnight (and a day it slept
/// through) and reloads.
#[tauri::command]
pub async fn get_clock(state: State<'_, AppState>) -> Result<ClockView, Wire> {
    let now = crate::state::now()?;
    // The plan's zone; the machine's without a plan, or while the database cannot be read.
    let zone = state
        .db
        .zone()
        .unwrap_or_else(|_| roadmap_app::clock::system_zone());
    let local = Clock::new(now, zone).local();
    Ok(ClockView {
        today: local.date,
        time: hhmm(local.minute),
        zone: zone.name().to_string(),
    })
}

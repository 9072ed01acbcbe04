//! The learner's busy calendars: listed, added from a file the native dialog picks, read
//! again, removed. Each change re-packs the plan's work ahead around what they block (in the
//! store, in one transaction); the window then asks for its views again.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use roadmap_core::api::{ApiError, BusyCalendarsView, ErrorKind};
use roadmap_store::busy_calendars as calendars;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;

/// Debug builds only: end-to-end tests cannot click through a native file dialog, so this
/// variable names the file "Add a calendar file…" picks.
const TEST_PICK_ICS_ENV: &str = "ROADMAP_PLANNER_TEST_PICK_ICS";

#[tauri::command]
pub async fn list_busy(state: State<'_, AppState>) -> Result<BusyCalendarsView, ApiError> {
    state.with_conn(|conn| view(conn, None))
}

/// Asks for an .ics file (the native dialog: the window holds no file permission), reads it
/// and adds it under its file's name.
#[tauri::command]
pub async fn add_busy_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<BusyCalendarsView, ApiError> {
    let Some(path) = pick_ics(&app)? else {
        return state.with_conn(|conn| view(conn, None));
    };
    add(&state, path.display().to_string())
}

/// Adds the calendar at a web address (`https://`, `webcal://`: the "secret address" calendar
/// services give). Fetched here, never by the window.
#[tauri::command]
pub async fn add_busy_url(
    state: State<'_, AppState>,
    url: Arg<String>,
) -> Result<BusyCalendarsView, ApiError> {
    let url = url.get("url")?.trim().to_string();
    // Checked before anything is fetched: the scheme, a host, plain http only locally. A
    // calendar on the connected CalDAV server (`caldav:PATH`) is read with its connection.
    if !url.starts_with(roadmap_store::caldav::BUSY_PREFIX) {
        calendars::web_address(&url).map_err(|message| ApiError {
            kind: ErrorKind::InvalidInput,
            message,
        })?;
    }
    add(&state, url)
}

fn add(state: &AppState, source: String) -> Result<BusyCalendarsView, ApiError> {
    let now = now()?;
    state.with_conn_mut(|conn| {
        let name = calendars::free_name(conn, &source)?;
        let read = calendars::add(conn, &name, &source, now)?;
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut note = format!(
            "Added {name}: {}, {}. Sessions now stay clear of them.",
            plural(read.events as usize, "event", "events"),
            plural(read.intervals.len(), "busy stretch", "busy stretches")
        );
        if !read.skipped.is_empty() {
            note.push_str(&format!(
                " {} could not be read and were left out.",
                read.skipped.len()
            ));
        }
        view(conn, Some(note))
    })
}

#[tauri::command]
pub async fn refresh_busy(state: State<'_, AppState>) -> Result<BusyCalendarsView, ApiError> {
    let now = now()?;
    state.with_conn_mut(|conn| {
        let readings = calendars::refresh_all(conn, now)?;
        let failed = readings.iter().filter(|(_, r)| r.is_err()).count();
        let note = match (readings.len(), failed) {
            (0, _) => "No calendars to read.".to_string(),
            (n, 0) => format!("Read {n} calendar{} again.", if n == 1 { "" } else { "s" }),
            (_, f) => format!(
                "{f} could not be read; the last good copy of each stays in use (see below)."
            ),
        };
        view(conn, Some(note))
    })
}

#[tauri::command]
pub async fn remove_busy(
    state: State<'_, AppState>,
    name: Arg<String>,
) -> Result<BusyCalendarsView, ApiError> {
    let name = name.get("name")?;
    let now = now()?;
    state.with_conn_mut(|conn| {
        if !calendars::remove_and_adapt(conn, &name, now)? {
            return Err(ApiError {
                kind: ErrorKind::NotFound,
                message: format!("There is no busy calendar called {name:?}."),
            });
        }
        view(
            conn,
            Some(format!(
                "Removed {name}; the times it blocked are free again."
            )),
        )
    })
}

fn view(conn: &rusqlite::Connection, note: Option<String>) -> Result<BusyCalendarsView, ApiError> {
    Ok(BusyCalendarsView {
        calendars: calendars::list(conn)?,
        note,
    })
}

fn pick_ics<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, ApiError> {
    if cfg!(debug_assertions)
        && let Some(path) = std::env::var_os(TEST_PICK_ICS_ENV)
    {
        return Ok(Some(PathBuf::from(path)));
    }
    // Async commands run off the main thread, where a blocking dialog is allowed.
    let picked = app
        .dialog()
        .file()
        .set_title("Add a busy calendar")
        .add_filter("Calendar (iCalendar)", &["ics", "ical", "ifb", "icalendar"])
        .blocking_pick_file();
    match picked {
        None => Ok(None),
        Some(file) => file.into_path().map(Some).map_err(|e| ApiError {
            kind: ErrorKind::Io,
            message: format!("the chosen file cannot be opened as a local path: {e}"),
        }),
    }
}

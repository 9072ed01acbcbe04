//! The learner's busy calendars: listed, added from a file the native dialog picks or from a
//! web address, read again, removed: `roadmap_app::busy`, which reads each calendar with the
//! database unlocked (the window's other commands never wait on a slow server) and then
//! moves the sessions it now sits on, in their own week, in one transaction. The window then
//! asks for its views again.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime, State};

use roadmap_app::busy;
use roadmap_core::api::{BusyCalendarsView, ErrorKind, HeldCalendar};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::commands::off_the_runtime;
use crate::commands::pick::{self, Ask};
use crate::state::now;
use crate::wire::Wire;

/// Sent to the window when the hourly reading of the busy calendars moved sessions, with
/// [`moved_note`]'s sentence.
pub const REFRESHED_EVENT: &str = "busy-refreshed";

/// What the window says when a calendar read again moved `moved` sessions off its new busy
/// times (each within its own week where it could, else behind for the next replan).
pub fn moved_note(moved: usize) -> String {
    match moved {
        1 => "Your busy calendars changed: 1 session moved off a new busy time.".to_string(),
        n => format!("Your busy calendars changed: {n} sessions moved off new busy times."),
    }
}

/// Debug builds only: end-to-end tests cannot click through a native file dialog, so this
/// variable names the file "Add a calendar file…" picks.
const TEST_PICK_ICS_ENV: &str = "ROADMAP_PLANNER_TEST_PICK_ICS";

#[tauri::command]
pub async fn list_busy(state: State<'_, AppState>) -> Result<BusyCalendarsView, Wire> {
    view(&state, None)
}

/// Asks for an .ics file (the native dialog: the window holds no file permission), reads it
/// and adds it under its file's name.
#[tauri::command]
pub async fn add_busy_calendar<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<BusyCalendarsView, Wire> {
    let Some(path) = pick_ics(&app)? else {
        return view(&state, None);
    };
    off_the_runtime(&app, move |state| add(state, path.display().to_string())).await
}

/// Adds the calendar at a web address (`https://`, `webcal://`: the "secret address" calendar
/// services give). Fetched here, never by the window.
#[tauri::command]
pub async fn add_busy_url<R: Runtime>(
    app: AppHandle<R>,
    url: Arg<String>,
) -> Result<BusyCalendarsView, Wire> {
    let url = url.get("url")?.trim().to_string();
    // Checked before anything is fetched: the scheme, a host, plain http only locally. A
    // calendar on the connected CalDAV server (`caldav:PATH`) is read with its connection.
    if !url.starts_with(roadmap_app::remote::dav::BUSY_PREFIX) {
        roadmap_app::remote::web::web_address(&url)?;
    }
    off_the_runtime(&app, move |state| add(state, url)).await
}

/// Adds the calendar held for the learner's yes (see [`add`]): they saw the sessions it moves.
#[tauri::command]
pub async fn confirm_busy_add<R: Runtime>(app: AppHandle<R>) -> Result<BusyCalendarsView, Wire> {
    off_the_runtime(&app, |state| {
        let held = state.held_busy.lock().map_err(|_| poisoned())?.take();
        match held {
            Some(source) => add_confirmed(state, source, true),
            None => view(
                state,
                Some("No calendar is waiting to be added.".to_string()),
            ),
        }
    })
    .await
}

fn add(state: &AppState, source: String) -> Result<BusyCalendarsView, Wire> {
    add_confirmed(state, source, false)
}

/// Reads and adds the calendar at `source`; one that would move more than a few sessions is
/// held (unless `confirmed`), and the view lists what it would move.
fn add_confirmed(
    state: &AppState,
    source: String,
    confirmed: bool,
) -> Result<BusyCalendarsView, Wire> {
    let added = busy::add(&state.db, &source, None, confirmed, now()?)?;
    let (name, read) = (&added.name, &added.read);
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if !added.added {
        *state.held_busy.lock().map_err(|_| poisoned())? = Some(source);
        let mut v = view(
            state,
            Some(format!(
                "{name} is not added yet: it would move {}. Look through them, then add it or cancel.",
                plural(added.changes.len(), "session", "sessions")
            )),
        )?;
        v.held = Some(HeldCalendar {
            name: name.clone(),
            changes: added.changes,
        });
        return Ok(v);
    }
    let mut note = format!(
        "Added {name}: {}, {}. {}",
        plural(read.events as usize, "event", "events"),
        plural(read.intervals.len(), "busy stretch", "busy stretches"),
        match added.changes.len() {
            0 => "No session had to move.".to_string(),
            n => format!("{} moved off it.", plural(n, "session", "sessions")),
        }
    );
    if !read.skipped.is_empty() {
        note.push_str(&format!(
            " {} could not be read and were left out.",
            read.skipped.len()
        ));
    }
    view(state, Some(note))
}

fn poisoned() -> Wire {
    Wire::new(
        ErrorKind::Internal,
        "an earlier operation failed midway; restart the app",
    )
}

#[tauri::command]
pub async fn refresh_busy<R: Runtime>(app: AppHandle<R>) -> Result<BusyCalendarsView, Wire> {
    off_the_runtime(&app, |state| {
        let (readings, moved) = busy::refresh_all(&state.db, now()?)?;
        let failed = readings.iter().filter(|(_, r)| r.is_err()).count();
        let mut note = match (readings.len(), failed) {
            (0, _) => "No calendars to read.".to_string(),
            (n, 0) => format!("Read {n} calendar{} again.", if n == 1 { "" } else { "s" }),
            (_, f) => format!(
                "{f} could not be read; the last good copy of each stays in use (see below)."
            ),
        };
        if moved > 0 {
            note.push(' ');
            note.push_str(&moved_note(moved));
        }
        view(state, Some(note))
    })
    .await
}

#[tauri::command]
pub async fn remove_busy(
    state: State<'_, AppState>,
    name: Arg<String>,
) -> Result<BusyCalendarsView, Wire> {
    let name = name.get("name")?;
    busy::remove(&state.db, &name, now()?)?;
    view(
        &state,
        Some(format!(
            "Removed {name}; the times it blocked are free again."
        )),
    )
}

fn view(state: &AppState, note: Option<String>) -> Result<BusyCalendarsView, Wire> {
    Ok(BusyCalendarsView {
        calendars: busy::list(&state.db)?,
        note,
        held: None,
    })
}

fn pick_ics<R: Runtime>(app: &AppHandle<R>) -> Result<Option<PathBuf>, Wire> {
    let ask = Ask {
        env: TEST_PICK_ICS_ENV,
        title: "Add a busy calendar",
        filter: ("Calendar (iCalendar)", &["ics", "ical", "ifb", "icalendar"]),
    };
    pick::open(app, &ask)
}

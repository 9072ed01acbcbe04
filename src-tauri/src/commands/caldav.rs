//! The CalDAV connection from the window: connect, sync, disconnect, and the state shown on
//! the Calendars screen, over `roadmap_app::caldav`. Its requests run on the blocking pool and
//! take the database only for each short write, so the window's commands never wait for a
//! server.

use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use roadmap_app::caldav;
use roadmap_app::remote::host_of;
use roadmap_core::api::{CaldavView, ServerCalendar};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::commands::off_the_runtime;
use crate::state::now;
use crate::wire::Wire;

/// Emitted after every sync with the new view, so the window refreshes what a pulled move or
/// completion changed.
pub const SYNCED_EVENT: &str = "caldav-synced";
/// How often the app syncs while it runs (and once at start).
pub const SYNC_MINUTES: u64 = 15;

/// Whether a sync is running. (A password the system keyring could not take is kept in this
/// process's memory for the session: `roadmap_app::remote::keyring`.)
#[derive(Default)]
pub struct CaldavSession {
    syncing: Mutex<bool>,
}

fn session_syncing(session: &CaldavSession) -> bool {
    session.syncing.lock().map(|g| *g).unwrap_or(false)
}

fn view(
    state: &AppState,
    session: &CaldavSession,
    note: Option<String>,
) -> Result<CaldavView, Wire> {
    Ok(CaldavView {
        status: caldav::status(&state.db)?,
        note,
        syncing: session_syncing(session),
    })
}

#[tauri::command]
pub async fn caldav_status(
    state: State<'_, AppState>,
    session: State<'_, CaldavSession>,
) -> Result<CaldavView, Wire> {
    view(&state, &session, None)
}

/// Connects (discovery, the calendar made or chosen), keeps the password in the system
/// keyring, then syncs once.
#[tauri::command]
pub async fn caldav_connect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session: State<'_, CaldavSession>,
    server: Arg<String>,
    user: Arg<String>,
    password: Arg<String>,
    calendar: Arg<Option<String>>,
) -> Result<CaldavView, Wire> {
    let server = server.get("server")?;
    let user = user.get("user")?;
    let password = password.get("password")?;
    let calendar = calendar.get("calendar")?;
    let now = now()?;
    let connected = off_the_runtime(&app, move |state| {
        Ok(caldav::connect(
            &state.db,
            &server,
            &user,
            &password,
            calendar.as_deref(),
            now,
        )?)
    })
    .await?;
    let caldav::Connected { account, not_kept } = connected;
    let mut note = format!(
        "Connected to {} as {}: the plan goes to the calendar \"{}\".",
        host_of(&account.server),
        account.user,
        account.calendar_name
    );
    if let Some(why) = not_kept {
        note.push_str(&format!(
            " The password could not be kept ({why}): the app will ask for it again after it restarts."
        ));
    }
    sync_now(&app).await;
    let mut v = view(&state, &session, Some(note))?;
    if let Some(r) = v.status.as_ref().and_then(|s| s.last_report.as_ref())
        && !r.errors.is_empty()
    {
        v.note = Some(format!(
            "{} The first sync did not finish: {}",
            v.note.unwrap_or_default(),
            r.errors.join("; ")
        ));
    }
    Ok(v)
}

#[tauri::command]
pub async fn caldav_sync<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session: State<'_, CaldavSession>,
) -> Result<CaldavView, Wire> {
    let note = sync_now(&app).await;
    view(&state, &session, note)
}

/// The learner's other calendars on the server, to use as busy calendars.
#[tauri::command]
pub async fn caldav_calendars<R: Runtime>(app: AppHandle<R>) -> Result<Vec<ServerCalendar>, Wire> {
    off_the_runtime(&app, |state| Ok(caldav::server_calendars(&state.db, None)?)).await
}

/// Forgets the connection and its password; with `remove`, first takes the plan's events and
/// tasks off the calendar (on the blocking pool: it is a sync), and stays connected when that
/// cannot be finished, saying why.
#[tauri::command]
pub async fn caldav_disconnect<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    session: State<'_, CaldavSession>,
    remove: Arg<bool>,
) -> Result<CaldavView, Wire> {
    if remove.get("remove")? {
        let now = now()?;
        let left = off_the_runtime(&app, move |state| {
            Ok(caldav::disconnect_removing(&state.db, now)?)
        })
        .await?;
        let note = left.map(|l| match l {
            caldav::Leaving::Removed {
                account,
                removed,
                keyring,
            } => format!(
                "Removed the plan's {removed} events and tasks from \"{}\" and disconnected from {}.{}",
                account.calendar_name,
                host_of(&account.server),
                keyring.map(|k| format!(" The password: {k}.")).unwrap_or_default()
            ),
            caldav::Leaving::Stopped { left, report } => format!(
                "{left} of the plan's events and tasks are still in the calendar, so it is still connected: {}. Try again, or disconnect and keep them.",
                if report.errors.is_empty() {
                    "they changed on the server meanwhile".to_string()
                } else {
                    report.errors.join("; ")
                }
            ),
        });
        return view(&state, &session, note);
    }
    let gone = caldav::disconnect(&state.db)?;
    let note = gone.map(|(a, _)| {
        format!(
            "Disconnected from {}. The calendar \"{}\" on the server is left as it is.",
            host_of(&a.server),
            a.calendar_name
        )
    });
    view(&state, &session, note)
}

/// Syncs once on a worker thread (one sync at a time: a second request while one runs waits
/// for nothing and says so), then tells the window. Returns a sentence for the window.
pub async fn sync_now<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    let session = app.state::<CaldavSession>();
    {
        let Ok(mut running) = session.syncing.lock() else {
            return Some("The sync could not start.".into());
        };
        if *running {
            return Some("A sync is already running.".into());
        }
        *running = true;
    }
    let state = app.state::<AppState>();
    let result = off_the_runtime(app, |state| Ok(caldav::sync(&state.db, None, now()?)?)).await;
    if let Ok(mut running) = session.syncing.lock() {
        *running = false;
    }
    let note = match result {
        Ok(None) => None,
        Ok(Some(r)) if r.errors.is_empty() => Some("Synced.".to_string()),
        Ok(Some(r)) => Some(format!("The sync did not finish: {}", r.errors.join("; "))),
        Err(e) => Some(format!("The sync did not run: {e}")),
    };
    if let Ok(v) = view(&state, &session, note.clone()) {
        let _ = app.emit(SYNCED_EVENT, v);
    }
    note
}

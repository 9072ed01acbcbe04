//! The CalDAV connection from the window: connect, sync, disconnect, and the state shown on
//! the Calendars screen. Network work runs on a worker thread with a database connection of
//! its own, so the window's commands never wait for a server; the sync's decisions are the
//! core's (`roadmap_core::caldav`), its writes the store's.

use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager, Runtime, State};

use roadmap_core::api::{ApiError, CaldavView, ErrorKind, ServerCalendar};
use roadmap_store::caldav;

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;

/// Emitted after every sync with the new view, so the window refreshes what a pulled move or
/// completion changed.
pub const SYNCED_EVENT: &str = "caldav-synced";
/// How often the app syncs while it runs (and once at start).
pub const SYNC_MINUTES: u64 = 15;

/// Whether a sync is running. (A password the system keyring could not take is kept in the
/// store's process memory for the session: `roadmap_store::caldav::kept_password`.)
#[derive(Default)]
pub struct CaldavSession {
    syncing: Mutex<bool>,
}

fn failure(message: String) -> ApiError {
    ApiError {
        kind: ErrorKind::InvalidInput,
        message,
    }
}

fn session_syncing(session: &CaldavSession) -> bool {
    session.syncing.lock().map(|g| *g).unwrap_or(false)
}

fn view(
    state: &AppState,
    session: &CaldavSession,
    note: Option<String>,
) -> Result<CaldavView, ApiError> {
    state.with_conn(|conn| {
        Ok(CaldavView {
            status: caldav::status(conn)?,
            note,
            syncing: session_syncing(session),
        })
    })
}

#[tauri::command]
pub async fn caldav_status(
    state: State<'_, AppState>,
    session: State<'_, CaldavSession>,
) -> Result<CaldavView, ApiError> {
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
) -> Result<CaldavView, ApiError> {
    let server = server.get("server")?;
    let user = user.get("user")?;
    let password = password.get("password")?;
    let calendar = calendar.get("calendar")?;
    if password.is_empty() {
        return Err(failure("Type the password for this server.".into()));
    }
    let path = state.db_path()?.to_path_buf();
    let now = now()?;
    let connected = tauri::async_runtime::spawn_blocking({
        move || -> Result<_, ApiError> {
            let mut conn = roadmap_store::open(&path)?;
            let calendar = calendar.as_deref().map(str::trim).filter(|c| !c.is_empty());
            Ok(caldav::connect(
                &mut conn, &server, &user, &password, calendar, now,
            )?)
        }
    })
    .await
    .map_err(|e| failure(format!("the connection did not finish ({e})")))??;
    let (account, not_kept) = connected;
    let mut note = format!(
        "Connected to {} as {}: the plan goes to the calendar \"{}\".",
        caldav::host_of(&account.server),
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
) -> Result<CaldavView, ApiError> {
    let note = sync_now(&app).await;
    view(&state, &session, note)
}

/// The learner's other calendars on the server, to use as busy calendars.
#[tauri::command]
pub async fn caldav_calendars(state: State<'_, AppState>) -> Result<Vec<ServerCalendar>, ApiError> {
    let path = state.db_path()?.to_path_buf();
    tauri::async_runtime::spawn_blocking(move || -> Result<_, ApiError> {
        let conn = roadmap_store::open(&path)?;
        Ok(caldav::server_calendars(&conn, None)?)
    })
    .await
    .map_err(|e| failure(format!("the calendars could not be listed ({e})")))?
}

#[tauri::command]
pub async fn caldav_disconnect(
    state: State<'_, AppState>,
    session: State<'_, CaldavSession>,
) -> Result<CaldavView, ApiError> {
    let gone = state.with_conn_mut(|conn| Ok(caldav::disconnect(conn)?))?;
    let note = gone.map(|(a, _)| {
        format!(
            "Disconnected from {}. The calendar \"{}\" on the server is left as it is.",
            caldav::host_of(&a.server),
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
    let path = state.db_path().ok().map(std::path::Path::to_path_buf);
    let result = match (path, now()) {
        (Some(path), Ok(now)) => tauri::async_runtime::spawn_blocking(move || {
            let mut conn = roadmap_store::open(&path)?;
            if caldav::account(&conn)?.is_none() {
                return Ok(None);
            }
            caldav::sync(&mut conn, None, now).map(Some)
        })
        .await
        .unwrap_or_else(|e| {
            Err(roadmap_store::StoreError::Invalid(format!(
                "the sync stopped ({e})"
            )))
        }),
        _ => Err(roadmap_store::StoreError::Invalid(
            "the database is not open".into(),
        )),
    };
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

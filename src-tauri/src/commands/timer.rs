//! This week's "what now" card, the study timer and the reminder setting. Each command is
//! one use case of `roadmap_app::timer` or `roadmap_app::reminders`, shared with the CLI.

use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt;

use roadmap_app::{reminders, timer};
use roadmap_core::api::{AwayChoice, NextNow, PreferencesView, TimerBooked};

use crate::AppState;
use crate::commands::arg::Arg;
use crate::state::now;
use crate::wire::Wire;

/// The next session (or the one under way) and the timer, if one is unfinished.
#[tauri::command]
pub async fn get_next(state: State<'_, AppState>) -> Result<NextNow, Wire> {
    Ok(timer::next(&state.db, now()?)?)
}

/// Starts the timer for a session, or for a topic outside any session.
#[tauri::command]
pub async fn timer_start(
    state: State<'_, AppState>,
    session: Arg<Option<i64>>,
    topic: Arg<Option<String>>,
) -> Result<NextNow, Wire> {
    let session = session.get("session")?;
    let topic = topic.get("topic")?;
    let now = now()?;
    timer::start(&state.db, now, session, topic.as_deref())?;
    Ok(timer::next(&state.db, now)?)
}

#[tauri::command]
pub async fn timer_pause(state: State<'_, AppState>) -> Result<NextNow, Wire> {
    let now = now()?;
    timer::pause(&state.db, now)?;
    Ok(timer::next(&state.db, now)?)
}

#[tauri::command]
pub async fn timer_resume(state: State<'_, AppState>) -> Result<NextNow, Wire> {
    let now = now()?;
    timer::resume(&state.db, now)?;
    Ok(timer::next(&state.db, now)?)
}

/// Stops the timer and records its minutes; `away` says what to do with time the computer
/// was asleep or off (asked first), `discard` records nothing.
#[tauri::command]
pub async fn timer_stop(
    state: State<'_, AppState>,
    away: Arg<AwayChoice>,
    discard: Arg<bool>,
) -> Result<TimerBooked, Wire> {
    let away = away.get("away")?;
    let discard = discard.get("discard")?;
    let (_, booked) = timer::stop(&state.db, now()?, away, discard)?;
    Ok(booked)
}

#[tauri::command]
pub async fn get_preferences<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<PreferencesView, Wire> {
    Ok(view(&app, reminders::get(&state.db)?, None))
}

/// Whether closing the window keeps the app (and its reminders) running in the tray; the
/// tray icon comes and goes with it.
#[tauri::command]
pub async fn set_keep_in_tray<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    keep: Arg<bool>,
) -> Result<PreferencesView, Wire> {
    let keep = keep.get("keep")?;
    let p = reminders::set_keep_in_tray(&state.db, keep)?;
    crate::tray::ensure(&app);
    Ok(view(&app, p, None))
}

/// Starts the app at login, or no longer: the platform's own entry, written or removed.
#[tauri::command]
pub async fn set_start_at_login<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    on: Arg<bool>,
) -> Result<PreferencesView, Wire> {
    let on = on.get("on")?;
    let manager = app.autolaunch();
    let done = if on {
        manager.enable()
    } else {
        manager.disable()
    };
    done.map_err(|e| {
        Wire::new(
            roadmap_core::api::ErrorKind::Io,
            format!("the start-at-login entry could not be changed: {e}"),
        )
    })?;
    Ok(view(&app, reminders::get(&state.db)?, None))
}

/// Reminders `minutes` before each session and review, or none. Exports, the live feed and
/// the desktop's reminders follow at once; a CalDAV calendar at its next sync, every event
/// rewritten once (said in the answer).
#[tauri::command]
pub async fn set_reminders<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    minutes: Arg<Option<u32>>,
) -> Result<PreferencesView, Wire> {
    let minutes = minutes.get("minutes")?;
    let before = reminders::get(&state.db)?;
    let after = reminders::set(&state.db, minutes)?;
    let connected = state
        .db
        .read(|conn| Ok(roadmap_store::caldav_account::get(conn)?))?
        .is_some();
    let notice = (connected && before.reminder_minutes != after.reminder_minutes).then(|| {
        "Your CalDAV calendar's events are each written again once, at the next sync, to carry the new reminder."
            .to_string()
    });
    Ok(view(&app, after, notice))
}

fn view<R: Runtime>(
    app: &AppHandle<R>,
    p: roadmap_store::preferences::Preferences,
    notice: Option<String>,
) -> PreferencesView {
    PreferencesView {
        reminder_minutes: p.reminder_minutes,
        reminders_chosen: p.reminders_chosen,
        keep_in_tray: p.keep_in_tray,
        tray_host: crate::tray::host_present(),
        start_at_login: app.autolaunch().is_enabled().unwrap_or(false),
        closing: crate::tray::closing(app),
        notice,
    }
}

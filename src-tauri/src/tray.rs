//! The tray icon and what closing the window does. Opt-in: the icon exists only while the
//! learner has chosen to keep the app running in the tray; closing the window then hides it
//! (reminders go on) when reminders are on and a tray host is present (a
//! StatusNotifierWatcher on the session bus). Otherwise closing quits, and the Plan tab's
//! Reminders card says why reminders stop with it ([`closing`]).

use std::sync::Mutex;

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::AppState;
use crate::window::{CHANGED_EVENT, PROBLEM_EVENT, show_week};

const TRAY: &str = "main";

/// The next session's line last put in the tray's menu (rebuilt only when it changes).
#[derive(Default)]
pub struct TrayLine(Mutex<String>);

/// Whether a tray host is on the session bus (without one, an icon would show nowhere).
pub fn host_present() -> bool {
    #[cfg(target_os = "linux")]
    {
        zbus::blocking::Connection::session()
            .and_then(|c| {
                let proxy = zbus::blocking::fdo::DBusProxy::new(&c)?;
                Ok(proxy
                    .name_has_owner("org.kde.StatusNotifierWatcher".try_into()?)
                    .unwrap_or(false))
            })
            .unwrap_or(false)
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

/// What closing the window does now, in a sentence for the Reminders card; `None` when it
/// keeps the app (and its reminders) running in the tray.
pub fn closing<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    let state = app.state::<AppState>();
    let prefs = roadmap_app::reminders::get(&state.db).ok()?;
    // Reminders off: closing stops nothing worth a word.
    prefs.reminder_minutes?;
    if !prefs.keep_in_tray {
        return Some(
            "Closing the window quits the app, and its desktop reminders stop until you open it again (your calendar's reminders go on)."
                .into(),
        );
    }
    if !host_present() || app.tray_by_id(TRAY).is_none() {
        return Some(
            "This desktop shows no tray icons (no StatusNotifierWatcher), so closing the window quits the app and its desktop reminders stop (your calendar's reminders go on)."
                .into(),
        );
    }
    None
}

/// Whether closing the window hides it instead of quitting.
pub fn keeps_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    let state = app.state::<AppState>();
    roadmap_app::reminders::get(&state.db)
        .is_ok_and(|p| p.keep_in_tray && p.reminder_minutes.is_some())
        && app.tray_by_id(TRAY).is_some()
        && host_present()
}

/// The tray icon there when the learner chose it (and a host can show it), gone otherwise.
pub fn ensure<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let wanted = roadmap_app::reminders::get(&state.db).is_ok_and(|p| p.keep_in_tray);
    match (wanted, app.tray_by_id(TRAY)) {
        (true, None) if host_present() => {
            if let Err(e) = build(app) {
                eprintln!("tray: {e}");
            }
        }
        (false, Some(_)) => {
            let _ = app.remove_tray_by_id(TRAY);
        }
        _ => {}
    }
}

fn menu<R: Runtime>(app: &AppHandle<R>, line: &str) -> tauri::Result<Menu<R>> {
    let next = MenuItem::with_id(app, "next", line, false, None::<&str>)?;
    let start = MenuItem::with_id(app, "start", "Start timer", true, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Roadmap Planner", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let sep = PredefinedMenuItem::separator(app)?;
    Menu::with_items(app, &[&next, &start, &sep, &open, &quit])
}

fn build<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let line = next_line(app);
    let mut builder = TrayIconBuilder::with_id(TRAY)
        .tooltip("Roadmap Planner")
        .menu(&menu(app, &line)?)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "start" => start_next(app),
            "open" => show_week(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon().cloned() {
        builder = builder.icon(icon);
    }
    builder.build(app)?;
    if let Ok(mut kept) = app.state::<TrayLine>().0.lock() {
        *kept = line;
    }
    Ok(())
}

/// The next session as the tray's menu says it.
fn next_line<R: Runtime>(app: &AppHandle<R>) -> String {
    let state = app.state::<AppState>();
    let Ok(now) = crate::state::now() else {
        return "Next session: unknown".into();
    };
    match roadmap_app::timer::next(&state.db, now) {
        Ok(n) => match (n.timer, n.next) {
            (Some(t), _) => format!("Timing {} ({} min)", t.title, t.elapsed_minutes),
            (None, Some(s)) => format!(
                "Next: {} {} · {}",
                s.date.format("%a %-d %b"),
                s.start,
                s.title
            ),
            (None, None) => "Nothing planned ahead".into(),
        },
        Err(_) => "Next session: unknown".into(),
    }
}

/// Keeps the menu's first line current (called with the reminders' tick).
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY) else {
        return;
    };
    let line = next_line(app);
    let kept = app.state::<TrayLine>();
    let Ok(mut kept) = kept.0.lock() else {
        return;
    };
    if *kept != line
        && let Ok(m) = menu(app, &line)
        && tray.set_menu(Some(m)).is_ok()
    {
        *kept = line;
    }
}

/// "Start timer" in the tray: the next session's (or the one under way).
fn start_next<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let started = crate::state::now()
        .map_err(|e| e.to_string())
        .and_then(|now| {
            let next = roadmap_app::timer::next(&state.db, now).map_err(|e| e.to_string())?;
            let session = next
                .next
                .map(|n| n.session)
                .ok_or("nothing is planned ahead")?;
            roadmap_app::timer::start(&state.db, now, Some(session), None)
                .map(|_| ())
                .map_err(|e| e.to_string())
        });
    show_week(app);
    use tauri::Emitter;
    match started {
        Ok(()) => {
            let _ = app.emit(CHANGED_EVENT, ());
        }
        Err(e) => {
            let _ = app.emit(PROBLEM_EVENT, e);
        }
    }
    refresh(app);
}

//! Bringing the window forward from outside it (a reminder, the tray), and the events that
//! tell it why.

use tauri::{AppHandle, Emitter, Manager, Runtime};

/// The window is told to show This week (a reminder clicked or started, the tray).
pub const SHOW_WEEK_EVENT: &str = "show-week";
/// The plan changed outside the window (Not today, Start from a reminder or the tray): the
/// window reloads.
pub const CHANGED_EVENT: &str = "plan-changed-elsewhere";
/// An action taken outside the window could not be done: the sentence is shown in it.
pub const PROBLEM_EVENT: &str = "reminder-problem";

/// Brings the window up as it was (shown from the tray, forward over others).
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
    }
}

/// Brings the window up on This week.
pub fn show_week<R: Runtime>(app: &AppHandle<R>) {
    bring_forward(app);
    let _ = app.emit(SHOW_WEEK_EVENT, ());
}

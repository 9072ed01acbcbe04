//! Declares the app's commands so Tauri generates an `allow-<command>` permission for each;
//! a command missing from this list, or from the capability, is denied to the window.

const COMMANDS: &[&str] = &[
    "get_roadmap",
    "open_roadmap_file",
    "use_bundled_roadmap",
    "get_plan",
    "create_plan",
    "preview_plan",
    "get_home",
    "get_forecast",
    "mark_session",
    "log_study",
    "set_topic_mark",
    "review_topic",
    "edit_week_goal",
    "close_week",
    "preview_replan",
    "apply_replan",
    "move_session",
    "get_topic",
    "save_topic_note",
    "open_resource",
    "get_calendar",
    "get_dashboard",
    "export_calendar",
    "list_busy",
    "add_busy_calendar",
    "add_busy_url",
    "refresh_busy",
    "remove_busy",
    "caldav_status",
    "caldav_connect",
    "caldav_sync",
    "caldav_disconnect",
    "caldav_calendars",
    "get_feed",
    "set_feed",
    "list_backups",
    "restore_backup",
    "report_ready",
    "get_clock",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        // Build scripts report failure by panicking; there is no caller to return an error to.
        panic!("tauri build step failed: {e:#}");
    }
}

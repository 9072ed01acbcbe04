//! The desktop shell: Tauri wiring around the application layer (`roadmap-app`), and nothing
//! else.
//!
//! Commands live in `commands/<area>.rs`; each takes the window's arguments, calls one use case
//! and returns a DTO from `roadmap_core::api`, or its error through the one mapping to the wire
//! (`wire.rs`).

mod commands;
mod feed;
mod idle;
#[cfg(target_os = "linux")]
mod instance;
mod remind;
mod state;
mod tray;
mod window;
mod wire;

pub use state::AppState;

/// The argument the "Start at login" entry starts the app with.
pub const AT_LOGIN_ARG: &str = "--at-login";

use tauri::{Builder, Manager, Runtime};

/// Attaches the app's state and commands to a builder. `run` uses it with the real runtime;
/// the shell's tests use it with Tauri's mock runtime.
pub fn setup<R: Runtime>(builder: Builder<R>, state: AppState) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        // Used from Rust only (`open_resource`); the window is granted none of its commands.
        .plugin(tauri_plugin_opener::init())
        // Used from Rust only (`set_start_at_login`); the window is granted none of its
        // commands.
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .app_name("Roadmap Planner")
                .arg(AT_LOGIN_ARG)
                .build(),
        )
        .manage(state)
        .manage(feed::Feed::default())
        .manage(commands::caldav::CaldavSession::default())
        .manage(remind::Reminders::default())
        .manage(tray::TrayLine::default())
        // Closing the window keeps the app (and its reminders) in the tray only when the
        // learner chose that, reminders are on and a tray host shows the icon; else it quits.
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event
                && tray::keeps_running(window.app_handle())
            {
                api.prevent_close();
                let _ = window.hide();
            }
        })
        .setup(|app| {
            if own_data_dir() {
                make_windows_in_data_dir(app)?;
            }
            #[cfg(target_os = "linux")]
            instance::answer(app.handle());
            remind::spawn(app.handle().clone());
            tray::ensure(app.handle());
            // Started at login (the autostart entry passes this): into the tray when it can
            // hold the app, else as a window.
            if std::env::args().any(|a| a == AT_LOGIN_ARG)
                && tray::keeps_running(app.handle())
                && let Some(w) = app.get_webview_window("main")
            {
                let _ = w.hide();
            }
            // The busy calendars: read at start, then every hour while the app runs. A file
            // that cannot be read keeps its last good copy (and says so in `roadmap busy list`).
            // Each calendar is read with the database unlocked (`roadmap_app::busy`), so a slow
            // server holds up no window command.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    let refreshed = commands::off_the_runtime(&handle, |state| {
                        Ok(roadmap_app::busy::refresh_all(&state.db, state::now()?)?)
                    })
                    .await;
                    match refreshed {
                        // Sessions moved by the window's own doing are said in the window.
                        Ok((_, moved)) if moved > 0 => {
                            use tauri::Emitter;
                            let _ = handle.emit(
                                commands::busy::REFRESHED_EVENT,
                                commands::busy::moved_note(moved),
                            );
                        }
                        Ok(_) => {}
                        Err(e) => eprintln!("busy calendars: {e}"),
                    }
                    tokio::time::sleep(std::time::Duration::from_secs(60 * 60)).await;
                }
            });
            // The CalDAV calendar, when connected: synced at start, then every 15 minutes.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                loop {
                    commands::caldav::sync_now(&handle).await;
                    tokio::time::sleep(std::time::Duration::from_secs(
                        60 * commands::caldav::SYNC_MINUTES,
                    ))
                    .await;
                }
            });
            // Serve the calendar feed again if the user left it on.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<AppState>();
                let settings = state
                    .db
                    .read(|conn| Ok(roadmap_store::calendar_feed::get(conn)?));
                if let Ok(Some(settings)) = settings
                    && settings.enabled
                {
                    let feed = handle.state::<feed::Feed>();
                    // A failure is kept and shown in the window; it does not stop the app.
                    let _ = feed.start(handle.clone(), &settings).await;
                }
            });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::roadmap::get_roadmap,
            commands::roadmap::open_roadmap_file,
            commands::roadmap::use_bundled_roadmap,
            commands::roadmap::use_plan_roadmap,
            commands::plan::get_plan,
            commands::plan::create_plan,
            commands::plan::preview_plan,
            commands::progress::get_home,
            commands::progress::get_forecast,
            commands::progress::mark_session,
            commands::progress::log_study,
            commands::progress::close_week_of,
            commands::progress::reopen_week,
            commands::progress::edit_goal_of,
            commands::progress::list_logs,
            commands::progress::edit_log,
            commands::progress::delete_log,
            commands::progress::set_topic_mark,
            commands::progress::review_topic,
            commands::progress::edit_week_goal,
            commands::progress::close_week,
            commands::progress::preview_replan,
            commands::progress::apply_replan,
            commands::progress::undo_replan,
            commands::progress::preview_track_switch,
            commands::progress::switch_track,
            commands::roadmap::edit_topic,
            commands::roadmap::undo_topic_edit,
            commands::roadmap::export_plan_roadmap,
            commands::progress::set_week_times,
            commands::data::export_all_data,
            commands::data::import_all_data,
            commands::progress::move_session,
            commands::views::get_topic,
            commands::views::save_topic_note,
            commands::views::open_resource,
            commands::views::get_calendar,
            commands::views::get_dashboard,
            commands::calendar::export_calendar,
            commands::busy::list_busy,
            commands::busy::add_busy_calendar,
            commands::busy::add_busy_url,
            commands::busy::confirm_busy_add,
            commands::busy::refresh_busy,
            commands::busy::remove_busy,
            commands::caldav::caldav_status,
            commands::caldav::caldav_connect,
            commands::caldav::caldav_sync,
            commands::caldav::caldav_disconnect,
            commands::caldav::caldav_calendars,
            commands::calendar::get_feed,
            commands::calendar::set_feed,
            commands::backup::list_backups,
            commands::backup::restore_backup,
            commands::backup::start_afresh,
            commands::lifecycle::report_ready,
            commands::lifecycle::get_clock,
            commands::timer::get_next,
            commands::timer::timer_start,
            commands::timer::timer_pause,
            commands::timer::timer_resume,
            commands::timer::timer_stop,
            commands::timer::get_preferences,
            commands::timer::set_reminders,
            commands::timer::set_keep_in_tray,
            commands::timer::set_start_at_login,
        ])
}

/// Whether `$ROADMAP_PLANNER_DATA_DIR` names the data folder.
fn own_data_dir() -> bool {
    std::env::var_os(roadmap_store::DATA_DIR_ENV).is_some_and(|d| !d.is_empty())
}

/// The configured windows, each with its WebView data in `webview/<label>` of the data folder.
fn make_windows_in_data_dir<R: Runtime>(
    app: &tauri::App<R>,
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = roadmap_store::data_dir()?.join("webview");
    for config in &app.config().app.windows {
        tauri::WebviewWindowBuilder::from_config(app.handle(), config)?
            .data_directory(dir.join(&config.label))
            .build()?;
    }
    Ok(())
}

/// Starts the app on the real data folder (or `$ROADMAP_PLANNER_DATA_DIR`).
pub fn run() {
    let mut context = tauri::generate_context!();
    // Debug builds run under their own identifier, so they keep their WebView data apart from
    // an installed release build, as the store keeps their database apart.
    context.config_mut().identifier = roadmap_store::app_identifier().to_string();
    // With the data folder chosen by `$ROADMAP_PLANNER_DATA_DIR`, the WebView's storage and
    // cache go there too (setup makes the window), so such a run leaves the default folders as
    // they were.
    if own_data_dir() {
        for w in &mut context.config_mut().app.windows {
            w.create = false;
        }
    }
    // One app per data folder: a second launch brings the first forward and ends here.
    #[cfg(target_os = "linux")]
    let _claim = match roadmap_store::data_dir().map(|d| instance::claim(&d)) {
        Ok(instance::Claim::Second) => return,
        Ok(instance::Claim::First(connection, focus)) => Some((connection, focus)),
        Ok(instance::Claim::Unclaimed(why)) => {
            eprintln!("Roadmap Planner: starting without the one-window check: {why}");
            None
        }
        Err(_) => None,
    };
    let state = AppState::load();
    let builder = setup(tauri::Builder::default(), state);
    #[cfg(target_os = "linux")]
    let builder = match _claim {
        Some(claim) => builder.manage(instance::Claimed(std::sync::Mutex::new(Some(claim)))),
        None => builder,
    };
    let app = builder.run(context);
    if let Err(e) = app {
        eprintln!("Roadmap Planner could not start: {e}");
        std::process::exit(1);
    }
}

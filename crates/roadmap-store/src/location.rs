//! Where the data lives: one folder shared by the app and the CLI.

use std::path::PathBuf;

use crate::StoreError;

/// Points the app and the CLI at another data folder (tests, end-to-end runs, experiments).
pub const DATA_DIR_ENV: &str = "ROADMAP_PLANNER_DATA_DIR";
/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "roadmap-planner.sqlite3";

/// The app identifier, which names the data folder. Debug builds use their own, so running a
/// development build never touches a user's real plan.
pub fn app_identifier() -> &'static str {
    if cfg!(debug_assertions) {
        "app.roadmap-planner.desktop.dev"
    } else {
        "app.roadmap-planner.desktop"
    }
}

/// `$ROADMAP_PLANNER_DATA_DIR` when set, else the platform's app-data folder for the identifier
/// (`~/.local/share/<identifier>` on Linux), the same folder Tauri's `app_data_dir` names.
pub fn data_dir() -> Result<PathBuf, StoreError> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => dirs::data_dir()
            .map(|d| d.join(app_identifier()))
            .ok_or(StoreError::NoDataDir),
    }
}

pub fn database_path() -> Result<PathBuf, StoreError> {
    Ok(data_dir()?.join(DATABASE_FILE))
}

/// The machine's IANA time zone: `$TZ` when it names one, else the system setting, else UTC
/// (what the system itself uses when no zone is configured).
pub fn system_time_zone() -> String {
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':');
        if tz.parse::<chrono_tz::Tz>().is_ok() {
            return tz.to_string();
        }
    }
    iana_time_zone::get_timezone()
        .ok()
        .filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok())
        .unwrap_or_else(|| "UTC".to_string())
}

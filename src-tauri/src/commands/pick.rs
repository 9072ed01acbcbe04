//! The native file dialogs, run from Rust: the window holds no dialog or file permission. In
//! debug builds an environment variable names the file instead, so the end-to-end tests need
//! no dialog.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FilePath};

use roadmap_core::api::ErrorKind;

use crate::wire::Wire;

/// What a dialog asks for.
pub struct Ask<'a> {
    /// The debug builds' variable that names the file instead.
    pub env: &'a str,
    pub title: &'a str,
    /// The filter's name and the extensions it shows.
    pub filter: (&'a str, &'a [&'a str]),
}

fn from_env(ask: &Ask<'_>) -> Option<PathBuf> {
    if cfg!(debug_assertions) {
        std::env::var_os(ask.env).map(PathBuf::from)
    } else {
        None
    }
}

fn local(picked: Option<FilePath>, verb: &str) -> Result<Option<PathBuf>, Wire> {
    match picked {
        None => Ok(None),
        Some(file) => file.into_path().map(Some).map_err(|e| {
            Wire::new(
                ErrorKind::Io,
                format!("the chosen file cannot be {verb} as a local path: {e}"),
            )
        }),
    }
}

/// A file to open; `None` when the learner closed the dialog. Async commands run off the main
/// thread, where a blocking dialog is allowed.
pub fn open<R: Runtime>(app: &AppHandle<R>, ask: &Ask<'_>) -> Result<Option<PathBuf>, Wire> {
    if let Some(path) = from_env(ask) {
        return Ok(Some(path));
    }
    let picked = app
        .dialog()
        .file()
        .set_title(ask.title)
        .add_filter(ask.filter.0, ask.filter.1)
        .blocking_pick_file();
    local(picked, "opened")
}

/// Where to save, suggesting `name`; `None` when the learner closed the dialog.
pub fn save<R: Runtime>(
    app: &AppHandle<R>,
    ask: &Ask<'_>,
    name: &str,
) -> Result<Option<PathBuf>, Wire> {
    if let Some(path) = from_env(ask) {
        return Ok(Some(path));
    }
    let picked = app
        .dialog()
        .file()
        .set_title(ask.title)
        .set_file_name(name)
        .add_filter(ask.filter.0, ask.filter.1)
        .blocking_save_file();
    local(picked, "written")
}

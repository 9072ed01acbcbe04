use std::path::{Path, PathBuf};

/// The store's one error type. Each variant names the file it is about.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is not a Roadmap Planner database (it is not an SQLite file, or it is damaged); it was left untouched. Move it aside to start afresh, or restore a backup."
    )]
    NotADatabase { path: PathBuf },
    /// A database file of no bytes where backups hold a plan: not started afresh in silence.
    #[error(
        "{path} is empty (0 bytes), though backups of your plan exist; it was left untouched. Restore a backup, or move the file aside to start afresh."
    )]
    EmptyWithBackups { path: PathBuf },
    #[error(
        "{path} was written by a newer version of Roadmap Planner (schema {found}, this version knows up to {supported}); it was left untouched. Update the app to open it."
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("could not use {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not migrate {path}: {message}")]
    Migration { path: PathBuf, message: String },
    #[error("no data folder: set {env} or HOME", env = crate::DATA_DIR_ENV)]
    NoDataDir,
    #[error("the database holds a value it cannot read back: {0}")]
    Corrupt(String),
    /// Something asked for that the plan does not have; the message names it.
    #[error("{0}")]
    NotFound(String),
    /// A request that makes no sense for the plan as it is; the message says why.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Core(#[from] roadmap_core::CoreError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// Turns SQLite's "not a database" family of errors into [`StoreError::NotADatabase`].
    pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => {
                StoreError::NotADatabase {
                    path: path.to_path_buf(),
                }
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

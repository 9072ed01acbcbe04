//! Roadmap Planner's store: the SQLite file in the app's data folder, and nothing else.
//!
//! One [`open`] sets the pragmas and migrates; each table has its own module of plain functions
//! over a `&Connection` (or `&Transaction` for writes), so the caller (`roadmap-app`) decides
//! the transaction's scope. No network, keyring, async runtime or clock: what comes from
//! outside is read by `roadmap-app` before it takes the database.

pub mod backup;
pub mod busy_calendars;
pub mod caldav_account;
pub mod caldav_objects;
pub mod calendar_feed;
pub mod checkpoint;
mod columns;
pub mod data;
mod error;
mod location;
mod migrations;
pub mod plans;
pub mod preferences;
pub mod recalls;
pub mod roadmaps;
pub mod secrets;
pub mod sessions;
pub mod study_log;
pub mod timers;
pub mod topic_marks;
pub mod topic_notes;
pub mod week_goals;

pub use error::StoreError;
pub use location::{
    DATA_DIR_ENV, DATABASE_FILE, app_identifier, data_dir, database_path, system_time_zone,
};
pub use migrations::{SCHEMA_VERSION, migrations};

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// Opens (creating if needed) the database at `path`, sets the pragmas and migrates it.
///
/// A file that is not SQLite, or a database written by a newer version of the app, is refused
/// with an error and left exactly as it was.
pub fn open(path: &Path) -> Result<Connection, StoreError> {
    open_reporting(path).map(|(conn, _)| conn)
}

/// [`open`], and the CalDAV accounts whose stored server address held a user name or password
/// (an earlier version's), now removed: their keyring entries are named by the old address
/// and the caller moves them (the store does not touch the keyring).
pub fn open_reporting(path: &Path) -> Result<(Connection, Vec<secrets::Rewritten>), StoreError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
        backup::private(parent, true);
    }
    // A file of no bytes opens as a new, empty database: where backups hold a plan, that is a
    // plan lost (a disk that filled, a copy gone wrong), said and left as it is.
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
        && backup::list(path)?.iter().any(|b| {
            matches!(
                backup::contents(path, &b.name),
                Some(backup::BackupContents::Plan { .. })
            )
        })
    {
        return Err(StoreError::EmptyWithBackups {
            path: path.to_path_buf(),
        });
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI,
    )
    .map_err(|e| StoreError::classify(path, e))?;
    // Refuse a file we must not touch before anything writes to it: even switching the journal
    // mode rewrites the header. Nor may closing the refused connection fold a newer version's
    // write-ahead log into the file: no checkpoint on close until it is accepted.
    use rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE as NO_CHECKPOINT;
    conn.set_db_config(NO_CHECKPOINT, true)
        .map_err(|e| StoreError::classify(path, e))?;
    migrations::refuse_newer(&conn, path)?;
    conn.set_db_config(NO_CHECKPOINT, false)
        .map_err(|e| StoreError::classify(path, e))?;
    backup::private(path, false);
    configure(&conn).map_err(|e| StoreError::classify(path, e))?;
    // Before a migration changes an existing database, keep a verified copy of it.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::classify(path, e))?;
    if version > 0 && version < SCHEMA_VERSION {
        backup::make(&conn, path, &format!("before-schema-{}", version + 1))?;
    }
    migrations::apply(&mut conn, path)?;
    let rewritten = secrets::strip_everywhere(&conn, path)?;
    Ok((conn, rewritten))
}

/// Opens a private in-memory database with the same schema, for tests and dry runs.
pub fn open_in_memory() -> Result<Connection, StoreError> {
    let mut conn = Connection::open_in_memory().map_err(StoreError::Sqlite)?;
    configure(&conn).map_err(StoreError::Sqlite)?;
    migrations::apply(&mut conn, Path::new(":memory:"))?;
    Ok(conn)
}

/// The pragmas, set outside any transaction.
fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let _: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

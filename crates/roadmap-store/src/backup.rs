//! Verified backups of the database, kept in `backups/` beside it: one a day of use, one before
//! every migration and one before every restore; the newest few are kept.
//!
//! A backup is made with `VACUUM INTO` a temporary file, flushed to disk, checked with
//! `PRAGMA integrity_check`, and only then renamed into place, so a file named like a backup is
//! always a whole, sound database.
//!
//! The order backups were made in is in their names (`roadmap-planner-000012-<label>.sqlite3`,
//! a number one above the highest there), never in the files' times: a clock set wrong, or
//! backups copied in with times in the future, made every new backup the oldest and pruned it
//! at once. Pruning never deletes the backup just made, and always keeps the newest ones that
//! hold a plan, however many empty ones came after them. Only the user may read them.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::{SCHEMA_VERSION, StoreError, migrations};

/// How many backups are kept; older ones are deleted after each new one.
pub const KEEP: usize = 8;
/// How many of the newest backups that hold a plan are kept whatever came after them: a
/// database found empty, backed up every day for a week, must not push out the last copies of
/// the plan.
pub const KEEP_WITH_PLAN: usize = 3;
const PREFIX: &str = "roadmap-planner-";
const SUFFIX: &str = ".sqlite3";

/// One backup file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupInfo {
    /// The file name, which is also how a restore names it.
    pub name: String,
    pub bytes: u64,
    /// When it was made (its file's modification time; `None` when the system cannot say).
    pub made: Option<std::time::SystemTime>,
}

/// Why a backup was made, read from its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupReason {
    /// The first use of a day.
    Daily,
    /// Before the database's format was updated.
    BeforeUpdate,
    /// Before another backup was restored over the data.
    BeforeRestore,
    /// Before a data file was imported over the data.
    BeforeImport,
    /// Any other label (made by a newer version, or by hand).
    Other,
}

/// A backup's place in the order they were made (0 for one named before the order was kept)
/// and its label.
fn parts(name: &str) -> (u64, &str) {
    let label = name
        .strip_prefix(PREFIX)
        .and_then(|n| n.strip_suffix(SUFFIX))
        .unwrap_or(name);
    match label.split_once('-') {
        Some((n, rest)) if n.len() == 6 && n.bytes().all(|b| b.is_ascii_digit()) => {
            (n.parse().unwrap_or(0), rest)
        }
        _ => (0, label),
    }
}

/// The reason a backup called `name` was made.
pub fn reason(name: &str) -> BackupReason {
    let label = parts(name).1;
    if label.ends_with("-daily") {
        BackupReason::Daily
    } else if label.starts_with("before-schema-") {
        BackupReason::BeforeUpdate
    } else if label.ends_with("-before-restore") {
        BackupReason::BeforeRestore
    } else if label.ends_with("-before-import") {
        BackupReason::BeforeImport
    } else {
        BackupReason::Other
    }
}

/// What a backup holds, so the user can tell copies apart before restoring one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupContents {
    /// No plan had been made yet.
    NoPlan,
    /// A plan: when it starts, when it was made (RFC 3339), and sessions checked off in it.
    Plan {
        start: String,
        made: String,
        sessions_done: u32,
    },
}

/// Reads what the backup `name` holds, read-only. `None` when it cannot be read (a copy from
/// an older format is still listed and can still be restored).
pub fn contents(db: &Path, name: &str) -> Option<BackupContents> {
    let path = folder(db).join(name);
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let plan: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT id, start_date, created_at FROM plans WHERE is_current = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
        .ok()?;
    let Some((id, start, made)) = plan else {
        return Some(BackupContents::NoPlan);
    };
    // Older formats have no sessions table: the plan is still worth naming.
    let sessions_done = conn
        .query_row(
            "SELECT COUNT(*) FROM sessions WHERE plan_id = ?1 AND status IN ('done', 'partial')",
            [id],
            |r| r.get::<_, u32>(0),
        )
        .unwrap_or(0);
    Some(BackupContents::Plan {
        start,
        made,
        sessions_done,
    })
}

/// The folder backups of the database at `db` go to.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Backs up `conn` (the database at `db`) as `roadmap-planner-<label>.sqlite3`.
pub fn make(conn: &Connection, db: &Path, label: &str) -> Result<PathBuf, StoreError> {
    if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(StoreError::Invalid(format!(
            "{label:?} is not a backup label"
        )));
    }
    let dir = folder(db);
    std::fs::create_dir_all(&dir).map_err(|source| StoreError::Io {
        path: dir.clone(),
        source,
    })?;
    private(&dir, true);
    let seq = list(db)?
        .iter()
        .map(|b| parts(&b.name).0)
        .max()
        .unwrap_or(0)
        + 1;
    let target = dir.join(format!("{PREFIX}{seq:06}-{label}{SUFFIX}"));
    let tmp = dir.join(format!(".{PREFIX}{label}.{}.tmp", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<(), StoreError> {
        conn.execute("VACUUM INTO ?1", [tmp.to_string_lossy()])?;
        let file = std::fs::File::open(&tmp).map_err(|source| StoreError::Io {
            path: tmp.clone(),
            source,
        })?;
        file.sync_all().map_err(|source| StoreError::Io {
            path: tmp.clone(),
            source,
        })?;
        verify(&tmp)?;
        private(&tmp, false);
        std::fs::rename(&tmp, &target).map_err(|source| StoreError::Io {
            path: target.clone(),
            source,
        })?;
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    prune(db, &target)?;
    Ok(target)
}

/// Makes `path` readable by the user only (a folder: also searchable). Best effort: a file
/// system without Unix permissions keeps its own.
pub fn private(path: &Path, folder: bool) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if folder { 0o700 } else { 0o600 };
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (path, folder);
}

/// Makes today's backup unless there is one already. `today` is `YYYYMMDD`.
pub fn daily(conn: &Connection, db: &Path, today: &str) -> Result<Option<PathBuf>, StoreError> {
    let exists = list(db)?
        .iter()
        .any(|b| parts(&b.name).1.starts_with(today));
    if exists {
        return Ok(None);
    }
    make(conn, db, &format!("{today}-daily")).map(Some)
}

/// The backups there are, the most recently made first: by the order in their names; those
/// named before it was kept after them, by their files' times, then by name.
pub fn list(db: &Path) -> Result<Vec<BackupInfo>, StoreError> {
    let dir = folder(db);
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(StoreError::Io { path: dir, source }),
    };
    let mut out: Vec<(std::time::SystemTime, BackupInfo)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
                return None;
            }
            let meta = e.metadata().ok();
            // When it was made: its file was written once, by `make`, and renamed into place
            // (which keeps the time). Labels say why a backup was made, not when: ordering by
            // name put `before-schema-…` after every dated one.
            let made = meta
                .as_ref()
                .and_then(|m| m.modified().ok())
                .unwrap_or(std::time::UNIX_EPOCH);
            Some((
                made,
                BackupInfo {
                    bytes: meta.map(|m| m.len()).unwrap_or(0),
                    made: (made != std::time::UNIX_EPOCH).then_some(made),
                    name,
                },
            ))
        })
        .collect();
    out.sort_by(|(a_made, a), (b_made, b)| {
        parts(&b.name)
            .0
            .cmp(&parts(&a.name).0)
            .then_with(|| b_made.cmp(a_made))
            .then_with(|| b.name.cmp(&a.name))
    });
    Ok(out.into_iter().map(|(_, b)| b).collect())
}

/// Replaces the contents of `conn` (the database at `db`) with the backup `name`, after
/// checking the backup and backing up the current state as `<stamp>-before-restore`.
pub fn restore(
    conn: &mut Connection,
    db: &Path,
    name: &str,
    stamp: &str,
) -> Result<(), StoreError> {
    let known = list(db)?;
    if !known.iter().any(|b| b.name == name) {
        return Err(StoreError::NotFound(format!(
            "there is no backup called {name:?}"
        )));
    }
    let source_path = folder(db).join(name);
    verify(&source_path)?;
    let source = Connection::open_with_flags(&source_path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::classify(&source_path, e))?;
    migrations::refuse_newer(&source, &source_path)?;
    make(conn, db, &format!("{stamp}-before-restore"))?;
    {
        let backup = rusqlite::backup::Backup::new(&source, conn)?;
        backup.run_to_completion(256, Duration::from_millis(0), None)?;
    }
    // A backup from before a migration is brought up to date.
    migrations::apply(conn, db)?;
    Ok(())
}

/// Checks that the file at `path` is a sound database this build can read.
fn verify(path: &Path) -> Result<(), StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| StoreError::classify(path, e))?;
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| StoreError::classify(path, e))?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::classify(path, e))?;
    if check != "ok" || version > SCHEMA_VERSION {
        return Err(StoreError::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Deletes the backups past the newest [`KEEP`], but never `made` (the one just made) and
/// never one of the newest [`KEEP_WITH_PLAN`] that hold a plan.
fn prune(db: &Path, made: &Path) -> Result<(), StoreError> {
    let dir = folder(db);
    let all = list(db)?;
    let just_made = made.file_name().map(|n| n.to_string_lossy().into_owned());
    let with_plan: Vec<&str> = all
        .iter()
        .filter(|b| matches!(contents(db, &b.name), Some(BackupContents::Plan { .. })))
        .take(KEEP_WITH_PLAN)
        .map(|b| b.name.as_str())
        .collect();
    for old in all.iter().skip(KEEP) {
        if Some(&old.name) != just_made.as_ref() && !with_plan.contains(&old.name.as_str()) {
            let _ = std::fs::remove_file(dir.join(&old.name));
        }
    }
    Ok(())
}

/// Moves a database that cannot be opened aside, unchanged, with its `-wal` and `-shm` files,
/// as `<file>.unusable-<stamp>`, so the app can start afresh with empty data; returns where it
/// went. Nothing is deleted.
pub fn set_aside(db: &Path, stamp: &str) -> Result<PathBuf, StoreError> {
    let aside = aside_path(db, stamp);
    move_aside(db, &aside)?;
    if let Some(d) = db.parent().and_then(|dir| std::fs::File::open(dir).ok()) {
        let _ = d.sync_all();
    }
    Ok(aside)
}

fn aside_path(db: &Path, stamp: &str) -> PathBuf {
    let file_name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "database".into());
    db.parent()
        .unwrap_or(Path::new("."))
        .join(format!("{file_name}.unusable-{stamp}"))
}

/// Renames `db` (when there is one) to `aside`, and its `-wal` and `-shm` files beside it.
fn move_aside(db: &Path, aside: &Path) -> Result<(), StoreError> {
    let io = |source: std::io::Error, path: &Path| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    if db.exists() {
        std::fs::rename(db, aside).map_err(|e| io(e, db))?;
    }
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", db.display()));
        if side.exists() {
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&side, &to).map_err(|e| io(e, &side))?;
        }
    }
    Ok(())
}

/// Puts the backup `name` in place of a database that cannot be opened at all (damaged, not a
/// database, or from a newer version). The file there is not changed: it is moved aside, with
/// its `-wal` and `-shm` files, as `<file>.unusable-<stamp>`, and its new path returned.
pub fn restore_file(db: &Path, name: &str, stamp: &str) -> Result<PathBuf, StoreError> {
    if !list(db)?.iter().any(|b| b.name == name) {
        return Err(StoreError::NotFound(format!(
            "there is no backup called {name:?}"
        )));
    }
    let source = folder(db).join(name);
    verify(&source)?;
    let io = |source: std::io::Error, path: &Path| StoreError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file_name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "database".into());
    let dir = db.parent().unwrap_or(Path::new("."));
    let aside = aside_path(db, stamp);
    // Copy the backup next to the database first, so nothing is moved unless it can be replaced.
    let tmp = dir.join(format!(".{file_name}.restore.{}.tmp", std::process::id()));
    std::fs::copy(&source, &tmp).map_err(|e| io(e, &tmp))?;
    std::fs::File::open(&tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| io(e, &tmp))?;
    let moved = move_aside(db, &aside);
    if moved.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    moved?;
    std::fs::rename(&tmp, db).map_err(|e| io(e, db))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(aside)
}

//! Taking all of the learner's data away as one file, and bringing it back.
//!
//! The format and its checks are the core's ([`roadmap_core::data`]); the store reads and
//! replaces the tables ([`roadmap_store::data`]). Here the file is read (bounded, a regular
//! file only) and written (atomically), and a verified backup is made before an import
//! replaces anything.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use rusqlite::TransactionBehavior;

use roadmap_core::Roadmap;
use roadmap_core::data::{DataFile, MAX_BYTES};
use roadmap_store::StoreError;
use roadmap_store::data::Imported;

use crate::db::Db;
use crate::{AppError, export, files};

/// Everything, as the export file's JSON, stamped `now`.
pub fn export_text(db: &Db, now: DateTime<Utc>) -> Result<String, AppError> {
    Ok(db
        .read(|conn| Ok(roadmap_store::data::export(conn, now)?))?
        .to_json())
}

/// Writes everything to `path` (atomically: a failure leaves any file there as it was).
pub fn export_all(db: &Db, now: DateTime<Utc>, path: &Path) -> Result<PathBuf, AppError> {
    let text = export_text(db, now)?;
    export::write_atomically(path, text.as_bytes())?;
    Ok(path.to_path_buf())
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDone {
    pub imported: Imported,
    /// The backup made first, when the database is a file.
    pub backup: Option<PathBuf>,
}

/// Replaces all data with the file at `path`, after a verified backup. The file is read and
/// checked whole before anything is touched; a refused file changes nothing.
pub fn import_all(db: &Db, now: DateTime<Utc>, path: &Path) -> Result<ImportDone, AppError> {
    let text = files::read_text(path, MAX_BYTES as u64)?;
    let bundled = Arc::new(Roadmap::bundled().map_err(roadmap_core::CoreError::from)?);
    let name = path.display().to_string();
    let file = DataFile::parse(&name, &text, &bundled)?;
    let db_path = db.path().map(Path::to_path_buf);
    db.whole(|conn| {
        let backup = match &db_path {
            Some(p) => Some(roadmap_store::backup::make(
                conn,
                p,
                &format!("{}-before-import", now.format("%Y%m%dT%H%M%SZ")),
            )?),
            None => None,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let imported = roadmap_store::data::import(&tx, &file, now)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(ImportDone { imported, backup })
    })
}

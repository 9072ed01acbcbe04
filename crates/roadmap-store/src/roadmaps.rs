//! The `roadmaps` table: roadmap files the user opened, kept as text.
//!
//! No row marked current means the bundled roadmap is in use.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use crate::StoreError;

/// A roadmap file as the user opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRoadmap {
    pub id: i64,
    /// Where it came from (the file's path), for messages and the window's title line.
    pub source: String,
    pub text: String,
}

/// Records `text` (read from `source`) and makes it the current roadmap.
pub fn insert_current(
    tx: &Transaction<'_>,
    source: &str,
    text: &str,
    loaded_at: &str,
) -> Result<StoredRoadmap, StoreError> {
    tx.execute(
        "UPDATE roadmaps SET is_current = 0 WHERE is_current = 1",
        [],
    )?;
    tx.execute(
        "INSERT INTO roadmaps (source, text, loaded_at, is_current) VALUES (?1, ?2, ?3, 1)",
        params![source, text, loaded_at],
    )?;
    Ok(StoredRoadmap {
        id: tx.last_insert_rowid(),
        source: source.to_string(),
        text: text.to_string(),
    })
}

/// The roadmap the user opened last, or `None` when the bundled one is in use.
pub fn current(conn: &Connection) -> Result<Option<StoredRoadmap>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, source, text FROM roadmaps WHERE is_current = 1",
            [],
            |r| {
                Ok(StoredRoadmap {
                    id: r.get(0)?,
                    source: r.get(1)?,
                    text: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Makes the current plan's roadmap current again (the bundled one for a plan made from it or
/// when there is no plan): what a cancelled "new plan from this roadmap" leaves.
pub fn use_plans(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE roadmaps SET is_current =
            COALESCE(id = (SELECT roadmap_id FROM plans WHERE is_current = 1), 0)",
        [],
    )?;
    Ok(())
}

/// Goes back to the bundled roadmap (the stored rows stay, for the plans made from them).
pub fn use_bundled(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE roadmaps SET is_current = 0 WHERE is_current = 1",
        [],
    )?;
    Ok(())
}

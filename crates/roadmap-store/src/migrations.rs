//! The schema, as an append-only list of migrations tracked in `PRAGMA user_version`.
//!
//! Never edit a migration that has shipped: add a new one at the end.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use crate::StoreError;

const MIGRATIONS: &[M<'static>] = &[
    // 1: plans and the dated spread of their steps.
    M::up(
        "CREATE TABLE plans (
            id            INTEGER PRIMARY KEY,
            created_at    TEXT NOT NULL,
            roadmap_title TEXT NOT NULL,
            start_date    TEXT NOT NULL,
            months        INTEGER NOT NULL CHECK (months BETWEEN 1 AND 120),
            target_end    TEXT NOT NULL,
            is_current    INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1))
        ) STRICT;
        CREATE UNIQUE INDEX plans_one_current ON plans (is_current) WHERE is_current = 1;
        CREATE TABLE plan_steps (
            plan_id    INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            step_id    TEXT NOT NULL,
            title      TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date   TEXT NOT NULL,
            hours      REAL NOT NULL,
            PRIMARY KEY (plan_id, position)
        ) STRICT;",
    ),
    // 2: the roadmap a plan was made from, kept as text so the plan never depends on a file
    // that may move or change.
    M::up(
        "CREATE TABLE roadmaps (
            id         INTEGER PRIMARY KEY,
            source     TEXT NOT NULL,
            text       TEXT NOT NULL,
            loaded_at  TEXT NOT NULL,
            is_current INTEGER NOT NULL DEFAULT 0 CHECK (is_current IN (0, 1))
        ) STRICT;
        CREATE UNIQUE INDEX roadmaps_one_current ON roadmaps (is_current) WHERE is_current = 1;
        ALTER TABLE plans ADD COLUMN roadmap_id INTEGER REFERENCES roadmaps (id);",
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(MIGRATIONS)
}

/// Reads the schema version (which makes SQLite read the file header, so a file that is not a
/// database fails here) and refuses a database newer than this build. Writes nothing.
pub(crate) fn refuse_newer(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| StoreError::classify(path, e))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Brings the database up to [`SCHEMA_VERSION`].
pub(crate) fn apply(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    refuse_newer(conn, path)?;
    migrations()
        .to_latest(conn)
        .map_err(|e| StoreError::Migration {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
}

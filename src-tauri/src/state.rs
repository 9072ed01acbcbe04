//! The app's managed state: the roadmap and one database connection behind a mutex.

use std::path::PathBuf;
use std::sync::Mutex;

use rusqlite::{Connection, Transaction};

use roadmap_core::Roadmap;
use roadmap_core::api::{ApiError, ErrorKind};

pub struct AppState {
    roadmap: Result<Roadmap, ApiError>,
    /// `Err` when the database could not be opened: the window shows why, and the file is left
    /// as it was. The app never replaces it with a fresh one behind the user's back.
    db: Result<Mutex<Connection>, ApiError>,
    pub db_path: Option<PathBuf>,
}

impl AppState {
    /// Loads the bundled roadmap and opens the database in the data folder.
    pub fn load() -> AppState {
        let roadmap =
            Roadmap::bundled().map_err(|e| ApiError::from(roadmap_core::CoreError::from(e)));
        match roadmap_store::database_path() {
            Ok(path) => {
                let db = roadmap_store::open(&path)
                    .map(Mutex::new)
                    .map_err(ApiError::from);
                AppState {
                    roadmap,
                    db,
                    db_path: Some(path),
                }
            }
            Err(e) => AppState {
                roadmap,
                db: Err(e.into()),
                db_path: None,
            },
        }
    }

    /// State over a given connection, for tests.
    pub fn new(roadmap: Roadmap, conn: Connection) -> AppState {
        AppState {
            roadmap: Ok(roadmap),
            db: Ok(Mutex::new(conn)),
            db_path: None,
        }
    }

    pub fn roadmap(&self) -> Result<&Roadmap, ApiError> {
        self.roadmap.as_ref().map_err(Clone::clone)
    }

    /// Runs `f` with the connection locked. Never hold the guard across an `.await`.
    pub fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let db = self.db.as_ref().map_err(Clone::clone)?;
        let conn = db.lock().map_err(|_| poisoned())?;
        f(&conn)
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    pub fn with_tx<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let db = self.db.as_ref().map_err(Clone::clone)?;
        let mut conn = db.lock().map_err(|_| poisoned())?;
        let tx = conn.transaction().map_err(database)?;
        let value = f(&tx)?;
        tx.commit().map_err(database)?;
        Ok(value)
    }
}

pub fn database(e: rusqlite::Error) -> ApiError {
    ApiError::from(roadmap_store::StoreError::from(e))
}

fn poisoned() -> ApiError {
    ApiError {
        kind: ErrorKind::Database,
        message: "an earlier database operation failed midway; restart the app".to_string(),
    }
}

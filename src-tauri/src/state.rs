//! The app's managed state: the current roadmap and one database connection behind a mutex.

use std::sync::{Arc, Mutex};

use rusqlite::{Connection, Transaction};

use roadmap_core::Roadmap;
use roadmap_core::api::{ApiError, BUNDLED_SOURCE, ErrorKind};
use roadmap_core::clock::Clock;
use roadmap_core::saved::{Change, SavedPlan};
use roadmap_store::checkpoint::Checkpointer;
use roadmap_store::plans::KeptPlan;
use roadmap_store::roadmaps;

/// The roadmap plans are made from, and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedRoadmap {
    pub roadmap: Roadmap,
    /// [`BUNDLED_SOURCE`] or the path of the file the user opened.
    pub source: String,
    /// Its row in the `roadmaps` table; `None` for the bundled roadmap.
    pub id: Option<i64>,
    /// Why this roadmap is shown, when it is not the one the user last chose.
    pub notice: Option<String>,
}

/// The app's connection, the current plan as last read or written through it, and the thread
/// that checkpoints the database's log after each write (none for a test's in-memory
/// database, or when it could not start: SQLite then checkpoints inside commits as usual).
struct Db {
    conn: Connection,
    plan: KeptPlan,
    checkpoints: Option<Checkpointer>,
}

impl Db {
    fn new(conn: Connection) -> Db {
        Db {
            conn,
            plan: KeptPlan::default(),
            checkpoints: None,
        }
    }

    /// `conn`, with a checkpointer for the database file at `path`.
    fn at(conn: Connection, path: &std::path::Path) -> Db {
        let checkpoints = Checkpointer::start(path, &conn).ok();
        Db {
            checkpoints,
            ..Db::new(conn)
        }
    }

    /// After a write: the log is checkpointed soon, off this thread.
    fn wrote(&self) {
        if let Some(c) = &self.checkpoints {
            c.nudge();
        }
    }
}

pub struct AppState {
    roadmap: Mutex<Result<LoadedRoadmap, ApiError>>,
    /// `Err` when the database could not be opened: the window shows why, and the file is left
    /// as it was. The app never replaces it with a fresh one behind the user's back; a restored
    /// backup takes its place through [`AppState::reopen`].
    db: Mutex<Result<Db, ApiError>>,
    /// Where the database is, for backups.
    db_path: Option<std::path::PathBuf>,
    /// Why today's backup could not be made, if it could not.
    pub backup_problem: Option<String>,
}

impl AppState {
    /// Opens the database in the data folder and loads the roadmap the user last chose.
    pub fn load() -> AppState {
        let path = match roadmap_store::database_path() {
            Ok(p) => p,
            Err(e) => {
                return AppState {
                    roadmap: Mutex::new(bundled(None)),
                    db: Mutex::new(Err(ApiError::from(e))),
                    db_path: None,
                    backup_problem: None,
                };
            }
        };
        match roadmap_store::open(&path) {
            Ok(conn) => {
                // A verified backup at least once a day the app is used.
                let problem = today()
                    .map(|d| d.format("%Y%m%d").to_string())
                    .map_err(|e| roadmap_store::StoreError::Invalid(e.message))
                    .and_then(|day| roadmap_store::backup::daily(&conn, &path, &day))
                    .err()
                    .map(|e| format!("Today's backup could not be made: {e}"));
                let mut state = AppState::new(conn);
                if let Ok(Ok(db)) = state.db.get_mut() {
                    db.checkpoints = Checkpointer::start(&path, &db.conn).ok();
                }
                state.db_path = Some(path);
                state.backup_problem = problem;
                state
            }
            // The path is kept, so the window can offer the backups in place of the file.
            Err(e) => AppState {
                roadmap: Mutex::new(bundled(None)),
                db: Mutex::new(Err(ApiError::from(e))),
                db_path: Some(path),
                backup_problem: None,
            },
        }
    }

    /// Whether the database is open (false when it could not be opened at start).
    pub fn db_is_open(&self) -> bool {
        self.db.lock().is_ok_and(|db| db.is_ok())
    }

    /// Opens the database file again (after a backup was put in place of one that could not
    /// be opened).
    pub fn reopen(&self) -> Result<(), ApiError> {
        let path = self.db_path()?;
        let conn = roadmap_store::open(path).map_err(ApiError::from)?;
        *self.db.lock().map_err(|_| poisoned())? = Ok(Db::at(conn, path));
        Ok(())
    }

    /// State over an open connection (the app's, or a test's).
    pub fn new(conn: Connection) -> AppState {
        let roadmap = match roadmaps::current(&conn) {
            Ok(None) => bundled(None),
            Ok(Some(stored)) => match Roadmap::parse(&stored.source, &stored.text) {
                Ok(roadmap) => Ok(LoadedRoadmap {
                    roadmap,
                    source: stored.source,
                    id: Some(stored.id),
                    notice: None,
                }),
                // The validator may have become stricter since the file was opened. Say so
                // rather than failing to start or switching roadmaps silently.
                Err(errors) => bundled(Some(format!(
                    "The roadmap you opened from {} no longer validates, so the bundled roadmap is shown. Open the file again after fixing it:\n{errors}",
                    stored.source
                ))),
            },
            Err(e) => Err(ApiError::from(e)),
        };
        AppState {
            roadmap: Mutex::new(roadmap),
            db: Mutex::new(Ok(Db::new(conn))),
            db_path: None,
            backup_problem: None,
        }
    }

    pub fn roadmap(&self) -> Result<LoadedRoadmap, ApiError> {
        self.roadmap.lock().map_err(|_| poisoned())?.clone()
    }

    pub fn set_roadmap(&self, loaded: LoadedRoadmap) -> Result<(), ApiError> {
        *self.roadmap.lock().map_err(|_| poisoned())? = Ok(loaded);
        Ok(())
    }

    /// Runs `f` with the connection locked. Never hold the guard across an `.await`.
    pub fn with_conn<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_ref().map_err(Clone::clone)?;
        let result = f(&db.conn);
        db.wrote();
        result
    }

    /// The current plan, if there is one: kept between calls while nothing writes to the
    /// database. The lock is held only to check that (or to load it), never while a view is
    /// made from it.
    pub fn plan(&self) -> Result<Option<Arc<SavedPlan>>, ApiError> {
        let mut db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_mut().map_err(|e| e.clone())?;
        Ok(db.plan.current(&db.conn)?)
    }

    /// The current plan, or an error that tells the user to make one.
    pub fn require_plan(&self) -> Result<Arc<SavedPlan>, ApiError> {
        let mut db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_mut().map_err(|e| e.clone())?;
        Ok(db.plan.require_current(&db.conn)?)
    }

    /// Runs `f` in one IMMEDIATE transaction; the plan it returns (a new one) is the current
    /// plan from then on.
    pub fn replace_plan(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<SavedPlan, ApiError>,
    ) -> Result<Arc<SavedPlan>, ApiError> {
        let mut db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_mut().map_err(|e| e.clone())?;
        let result = db.plan.replace(&mut db.conn, f);
        db.wrote();
        result
    }

    /// A change to the current plan decided by the core at `now`, written in one IMMEDIATE
    /// transaction (`roadmap_store::plans::KeptPlan::change`); the plan as it now is.
    pub fn change_plan(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, ApiError>,
    ) -> Result<Arc<SavedPlan>, ApiError> {
        let mut db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_mut().map_err(|e| e.clone())?;
        let result = db.plan.change(&mut db.conn, now, decide);
        db.wrote();
        result
    }

    /// Where the database file is.
    pub fn db_path(&self) -> Result<&std::path::Path, ApiError> {
        self.db_path.as_deref().ok_or_else(|| ApiError {
            kind: ErrorKind::Database,
            message: "the database is not open".into(),
        })
    }

    /// Runs `f` with the connection locked for changes that need it whole (a restore).
    pub fn with_conn_mut<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_mut().map_err(|e| e.clone())?;
        // A restore writes through the backup API, which `total_changes` does not count.
        db.plan.forget();
        let result = f(&mut db.conn);
        db.wrote();
        result
    }

    /// Reads again which roadmap is current (after a restore replaced the database).
    pub fn reload_roadmap(&self) -> Result<(), ApiError> {
        let fresh = self.with_conn(|conn| {
            let roadmap = match roadmaps::current(conn)? {
                None => bundled(None)?,
                Some(stored) => match Roadmap::parse(&stored.source, &stored.text) {
                    Ok(roadmap) => LoadedRoadmap {
                        roadmap,
                        source: stored.source,
                        id: Some(stored.id),
                        notice: None,
                    },
                    Err(_) => bundled(Some(format!(
                        "The roadmap from {} in the restored backup no longer validates, so the bundled roadmap is shown.",
                        stored.source
                    )))?,
                },
            };
            Ok(roadmap)
        })?;
        self.set_roadmap(fresh)
    }

    /// Runs `f` in one IMMEDIATE transaction (`roadmap_store::plans::write`): committed when
    /// it returns `Ok`, rolled back otherwise; another writer (the CLI) is waited for.
    pub fn with_tx<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut db = self.db.lock().map_err(|_| poisoned())?;
        let db = db.as_mut().map_err(|e| e.clone())?;
        roadmap_store::plans::write(&mut db.conn, f)
    }
}

/// The bundled roadmap, which the test suite validates; an error here means a broken build.
pub fn bundled(notice: Option<String>) -> Result<LoadedRoadmap, ApiError> {
    let roadmap =
        Roadmap::bundled().map_err(|e| ApiError::from(roadmap_core::CoreError::from(e)))?;
    Ok(LoadedRoadmap {
        roadmap,
        source: BUNDLED_SOURCE.to_string(),
        id: None,
        notice,
    })
}

fn poisoned() -> ApiError {
    ApiError {
        kind: ErrorKind::Internal,
        message: "an earlier operation failed midway; restart the app".to_string(),
    }
}

/// Now: the app's one clock read (debug builds let end-to-end tests set it; see
/// `roadmap_store::clock`).
pub fn now() -> Result<chrono::DateTime<chrono::Utc>, ApiError> {
    Ok(roadmap_store::clock::now()?)
}

/// Now as it is recorded in the database.
pub fn stamp() -> Result<String, ApiError> {
    Ok(now()?.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Today in the machine's time zone (for the daily backup's name).
pub fn today() -> Result<chrono::NaiveDate, ApiError> {
    let zone: chrono_tz::Tz = roadmap_store::system_time_zone()
        .parse()
        .unwrap_or(chrono_tz::Tz::UTC);
    Ok(now()?.with_timezone(&zone).date_naive())
}

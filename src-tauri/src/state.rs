//! The app's managed state: the roadmap new plans are made from, and the database
//! (`roadmap_app::Db`: one connection behind a mutex, reached through its closures).

use std::sync::Mutex;

use roadmap_app::Db;
use roadmap_core::Roadmap;
use roadmap_core::api::{BUNDLED_SOURCE, ErrorKind};
use roadmap_store::roadmaps;

use crate::wire::Wire;

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

pub struct AppState {
    roadmap: Mutex<Result<LoadedRoadmap, Wire>>,
    /// When it could not be opened, every command returns why, and the file is left as it was:
    /// the app never replaces it with a fresh one behind the user's back; a restored backup
    /// takes its place through `Db::reopen`.
    pub db: Db,
    /// Why today's backup could not be made, if it could not.
    pub backup_problem: Option<String>,
    /// The source of a busy calendar read but held for the learner's yes (it would move more
    /// than a few sessions). Kept here, not sent back by the window: the window names no
    /// files.
    pub held_busy: Mutex<Option<String>>,
}

impl AppState {
    /// Opens the database in the data folder, makes today's backup, and loads the roadmap the
    /// user last chose.
    pub fn load() -> AppState {
        let db = match roadmap_store::database_path() {
            Ok(path) => Db::open_for_app(&path),
            Err(e) => Db::unavailable(e),
        };
        let backup_problem = if db.is_open() {
            roadmap_app::clock::now()
                .and_then(|now| db.daily_backup(now))
                .err()
                .map(|e| format!("Today's backup could not be made: {e}"))
        } else {
            None
        };
        let mut state = AppState::with(db);
        state.backup_problem = backup_problem;
        state
    }

    /// State over an open database (the app's, or a test's).
    pub fn with(db: Db) -> AppState {
        let roadmap = if db.is_open() {
            current_roadmap(&db, |source| {
                format!(
                    "The roadmap you opened from {source} no longer validates, so the bundled roadmap is shown. Open the file again after fixing it."
                )
            })
        } else {
            bundled(None)
        };
        AppState {
            roadmap: Mutex::new(roadmap),
            db,
            backup_problem: None,
            held_busy: Mutex::new(None),
        }
    }

    pub fn roadmap(&self) -> Result<LoadedRoadmap, Wire> {
        self.roadmap.lock().map_err(|_| poisoned())?.clone()
    }

    pub fn set_roadmap(&self, loaded: LoadedRoadmap) -> Result<(), Wire> {
        *self.roadmap.lock().map_err(|_| poisoned())? = Ok(loaded);
        Ok(())
    }

    /// Reads again which roadmap is current (after a restore replaced the database).
    pub fn reload_roadmap(&self) -> Result<(), Wire> {
        let fresh = current_roadmap(&self.db, |source| {
            format!(
                "The roadmap from {source} in the restored backup no longer validates, so the bundled roadmap is shown."
            )
        })?;
        self.set_roadmap(fresh)
    }
}

/// The roadmap the database says is current: the bundled one, or the file's text kept there.
/// The validator may have become stricter since the file was opened: then the bundled roadmap,
/// with `notice` saying why, rather than failing to start or switching silently.
fn current_roadmap(db: &Db, notice: impl Fn(&str) -> String) -> Result<LoadedRoadmap, Wire> {
    match db.read(|conn| Ok(roadmaps::current(conn)?))? {
        None => bundled(None),
        Some(stored) => match Roadmap::parse(&stored.source, &stored.text) {
            Ok(roadmap) => Ok(LoadedRoadmap {
                roadmap,
                source: stored.source,
                id: Some(stored.id),
                notice: None,
            }),
            Err(errors) => bundled(Some(format!("{}\n{errors}", notice(&stored.source)))),
        },
    }
}

/// The bundled roadmap, which the test suite validates; an error here means a broken build.
pub fn bundled(notice: Option<String>) -> Result<LoadedRoadmap, Wire> {
    let roadmap = Roadmap::bundled().map_err(roadmap_core::CoreError::from)?;
    Ok(LoadedRoadmap {
        roadmap,
        source: BUNDLED_SOURCE.to_string(),
        id: None,
        notice,
    })
}

fn poisoned() -> Wire {
    Wire::new(
        ErrorKind::Internal,
        "an earlier operation failed midway; restart the app",
    )
}

/// Now: the app's one clock read (`roadmap_app::clock`; debug builds let end-to-end tests set
/// it).
pub fn now() -> Result<chrono::DateTime<chrono::Utc>, Wire> {
    Ok(roadmap_app::clock::now()?)
}

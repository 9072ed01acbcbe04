//! The database as both front ends reach it: one connection behind a mutex, the current plan
//! kept between actions while nothing writes (`roadmap_store::plans::KeptPlan`), and the
//! thread that checkpoints the log after a write (the app's only). Every use case takes the
//! lock through these closures, after it has read what it needs from outside, and never across
//! a network request.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Transaction};

use roadmap_core::clock::Clock;
use roadmap_core::saved::{Change, SavedPlan};
use roadmap_store::StoreError;
use roadmap_store::checkpoint::Checkpointer;
use roadmap_store::plans::KeptPlan;

use crate::{AppError, clock};

/// The database: open, or why it could not be opened (the window explains it, and the file is
/// left as it was until a backup takes its place through [`Db::reopen`]).
pub struct Db {
    open: Mutex<Result<Open, Arc<StoreError>>>,
    /// Where the file is; `None` for an in-memory database.
    path: Option<PathBuf>,
}

struct Open {
    conn: Connection,
    plan: KeptPlan,
    /// `None` for the CLI, a test's database, or when the thread could not start: SQLite then
    /// checkpoints inside commits as usual.
    checkpoints: Option<Checkpointer>,
}

impl Open {
    fn new(conn: Connection) -> Open {
        Open {
            conn,
            plan: KeptPlan::default(),
            checkpoints: None,
        }
    }

    /// After a write: the log is checkpointed soon, off this thread.
    fn wrote(&self) {
        if let Some(c) = &self.checkpoints {
            c.nudge();
        }
    }
}

/// Opens the store at `path`; when it removed a password from a CalDAV server's address (an
/// earlier version stored it so), moves the account's keyring entry, named by that address, to
/// the address without it. Once: the address is clean from then on.
fn open_store(path: &Path) -> Result<Connection, StoreError> {
    let (conn, rewritten) = roadmap_store::open_reporting(path)?;
    for r in rewritten {
        // A keyring that cannot be used now leaves the entry; disconnecting forgets it.
        let _ = crate::remote::keyring::rename(&r.was, &r.now, &r.user);
    }
    Ok(conn)
}

impl Db {
    /// Opens (creating when needed) the database at `path`, migrating it.
    pub fn open(path: &Path) -> Result<Db, AppError> {
        let conn = open_store(path)?;
        Ok(Db {
            open: Mutex::new(Ok(Open::new(conn))),
            path: Some(path.to_path_buf()),
        })
    }

    /// The app's database: opened, with its log checkpointed off the window's threads; or, when
    /// it cannot be opened, the reason, kept for every action to give.
    pub fn open_for_app(path: &Path) -> Db {
        let open = open_store(path).map(|conn| {
            let checkpoints = Checkpointer::start(path, &conn).ok();
            Open {
                checkpoints,
                ..Open::new(conn)
            }
        });
        Db {
            open: Mutex::new(open.map_err(Arc::new)),
            path: Some(path.to_path_buf()),
        }
    }

    /// A database that cannot be used, and why (no data folder, say).
    pub fn unavailable(problem: StoreError) -> Db {
        Db {
            open: Mutex::new(Err(Arc::new(problem))),
            path: None,
        }
    }

    /// Over a connection already open (a test's, an in-memory one).
    pub fn over(conn: Connection) -> Db {
        Db {
            open: Mutex::new(Ok(Open::new(conn))),
            path: None,
        }
    }

    /// Where the database file is.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the database is open.
    pub fn is_open(&self) -> bool {
        self.open.lock().is_ok_and(|o| o.is_ok())
    }

    /// Opens the file again (after a backup was put in place of one that could not be opened).
    pub fn reopen(&self) -> Result<(), AppError> {
        let path = self
            .path
            .as_deref()
            .ok_or(AppError::Store(StoreError::NoDataDir))?;
        let conn = roadmap_store::open(path)?;
        let checkpoints = Checkpointer::start(path, &conn).ok();
        *self.lock()? = Ok(Open {
            checkpoints,
            ..Open::new(conn)
        });
        Ok(())
    }

    /// Makes today's verified backup unless there is one (at least one a day the planner is
    /// used); the path of the new one.
    pub fn daily_backup(&self, now: DateTime<Utc>) -> Result<Option<PathBuf>, AppError> {
        let Some(path) = self.path.clone() else {
            return Ok(None);
        };
        self.read(|conn| {
            Ok(roadmap_store::backup::daily(
                conn,
                &path,
                &clock::backup_day(now),
            )?)
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Result<Open, Arc<StoreError>>>, AppError> {
        self.open.lock().map_err(|_| AppError::Interrupted)
    }

    /// Runs `f` with the open database locked.
    fn with<T>(&self, f: impl FnOnce(&mut Open) -> Result<T, AppError>) -> Result<T, AppError> {
        let mut guard = self.lock()?;
        let open = guard
            .as_mut()
            .map_err(|e| AppError::Unavailable(Arc::clone(e)))?;
        f(open)
    }

    /// Reads with the connection locked. Never hold it across a request to anything outside.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.with(|open| f(&open.conn))
    }

    /// Runs `f` in one IMMEDIATE transaction (`roadmap_store::plans::write`): committed when it
    /// returns `Ok`, rolled back otherwise; another writer (the CLI, the app) is waited for.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.with(|open| {
            let result = roadmap_store::plans::write(&mut open.conn, f);
            open.wrote();
            result
        })
    }

    /// Runs `f` with the connection whole, for what replaces the database's contents (a
    /// restore through the backup API, which SQLite's change counters do not see).
    pub fn whole<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        self.with(|open| {
            open.plan.forget();
            let result = f(&mut open.conn);
            open.wrote();
            result
        })
    }

    /// The plan's time zone, or this machine's without a plan: the zone "today" is read in,
    /// and the floating times and all-day events of a calendar.
    pub fn zone(&self) -> Result<chrono_tz::Tz, AppError> {
        Ok(self
            .read(|conn| Ok(roadmap_store::plans::current_zone(conn)?))?
            .unwrap_or_else(clock::system_zone))
    }

    /// The current plan, if there is one: kept between calls while nothing writes to the
    /// database. The lock is held only to check that (or to load it), never while a view is
    /// made from it.
    pub fn plan(&self) -> Result<Option<Arc<SavedPlan>>, AppError> {
        self.with(|open| Ok(open.plan.current(&open.conn)?))
    }

    /// The current plan, or an error that tells the learner to make one.
    pub fn require_plan(&self) -> Result<Arc<SavedPlan>, AppError> {
        self.with(|open| Ok(open.plan.require_current(&open.conn)?))
    }

    /// A change to the current plan decided by the core at `now`, written in one IMMEDIATE
    /// transaction that also did the load (`KeptPlan::change`); the plan as it now is.
    pub fn change(
        &self,
        now: DateTime<Utc>,
        decide: impl FnOnce(&SavedPlan, &Clock) -> Result<Vec<Change>, AppError>,
    ) -> Result<Arc<SavedPlan>, AppError> {
        self.with(|open| {
            let result = open.plan.change(&mut open.conn, now, decide);
            open.wrote();
            result
        })
    }

    /// [`Db::change`] for an action that also writes outside the plan in the same transaction
    /// (`KeptPlan::change_with`).
    pub fn change_with<T>(
        &self,
        now: DateTime<Utc>,
        decide: impl FnOnce(&Transaction<'_>, &SavedPlan, &Clock) -> Result<(Vec<Change>, T), AppError>,
    ) -> Result<(Arc<SavedPlan>, T), AppError> {
        self.with(|open| {
            let result = open.plan.change_with(&mut open.conn, now, decide);
            open.wrote();
            result
        })
    }

    /// Runs `f` in one IMMEDIATE transaction; the plan it returns (a new one) is the current
    /// plan from then on.
    pub fn replace(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<SavedPlan, AppError>,
    ) -> Result<Arc<SavedPlan>, AppError> {
        self.with(|open| {
            let result = open.plan.replace(&mut open.conn, f);
            open.wrote();
            result
        })
    }
}

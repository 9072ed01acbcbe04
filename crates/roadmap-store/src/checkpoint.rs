//! Checkpoints a database's write-ahead log from a thread of its own, so that copying the log
//! back into the database file never happens inside a user's action.
//!
//! By default SQLite checkpoints inside the commit that grows the log past 1,000 pages: at
//! 1,000 topics every third or fourth move (thousands of rows re-packed) paid ~20 ms for it
//! on top of its own write. The app's connection is told to leave that to a [`Checkpointer`]
//! ([`Checkpointer::start`]), which opens a connection of its own and runs a PASSIVE
//! checkpoint whenever it is nudged (after every write the app makes). PASSIVE never waits for
//! and never blocks the app's readers or writers. Should the thread fall behind or fail, the
//! app's connection still checkpoints by itself once the log passes [`FALLBACK_PAGES`].

use std::path::Path;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;

/// The log size (pages of 4 KiB) at which the app's own connection checkpoints after all: a
/// safety net, ten times SQLite's default.
pub const FALLBACK_PAGES: u32 = 10_000;

/// A thread that checkpoints one database when nudged. Dropping it lets the thread finish
/// what it was asked and waits for it.
pub struct Checkpointer {
    nudges: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Opens a second connection to the database at `path` (which must exist and be in WAL
    /// mode, as [`crate::open`] leaves it), starts the thread, and moves `conn`'s own
    /// checkpoints to [`FALLBACK_PAGES`].
    pub fn start(path: &Path, conn: &Connection) -> Result<Checkpointer, StoreError> {
        let own = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| StoreError::classify(path, e))?;
        own.busy_timeout(std::time::Duration::from_secs(5))?;
        let (nudges, received) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("wal-checkpoint".into())
            .spawn(move || run(&own, &received))
            .map_err(|source| StoreError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        conn.pragma_update(None, "wal_autocheckpoint", FALLBACK_PAGES)?;
        Ok(Checkpointer {
            nudges: Some(nudges),
            thread: Some(thread),
        })
    }

    /// Asks for a checkpoint soon; never waits.
    pub fn nudge(&self) {
        if let Some(n) = &self.nudges {
            // The thread only stops when this is dropped, so a send cannot fail before.
            let _ = n.send(());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.nudges = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Until every sender is gone: one checkpoint for however many nudges came in meanwhile.
fn run(conn: &Connection, nudges: &Receiver<()>) {
    while nudges.recv().is_ok() {
        while nudges.try_recv().is_ok() {}
        // A checkpoint that cannot run now (the file busy, a disk error) leaves the log as
        // it is: nothing is lost, and the next nudge or the fallback tries again.
        let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(0));
    }
}

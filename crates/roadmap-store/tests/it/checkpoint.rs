//! The write-ahead log is copied into the database file by the checkpointer's thread, not in
//! the commit of the write that fills it.

use roadmap_store::checkpoint::{Checkpointer, FALLBACK_PAGES};
use roadmap_store::open;

/// Rows of table `t` in the database file alone, without its log (`None`: no such table yet).
fn in_file_alone(db: &std::path::Path, n: u32) -> Option<i64> {
    let copy = db.with_file_name(format!("copy-{n}.sqlite3"));
    std::fs::copy(db, &copy).expect("copy the file alone");
    let conn = rusqlite::Connection::open(&copy).expect("open copy");
    conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .ok()
}

#[test]
fn a_nudged_checkpointer_moves_the_log_into_the_database_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let conn = open(&db).expect("open");
    let checkpointer = Checkpointer::start(&db, &conn).expect("start");
    let pages: u32 = conn
        .query_row("PRAGMA wal_autocheckpoint", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(pages, FALLBACK_PAGES);
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);")
        .expect("write");
    // Committed, yet only in the log: the file alone does not have it.
    assert_eq!(in_file_alone(&db, 1), None);
    checkpointer.nudge();
    // Dropping waits for the thread to do what it was asked.
    drop(checkpointer);
    assert_eq!(in_file_alone(&db, 2), Some(3));
    // The app's connection goes on as before.
    conn.execute("INSERT INTO t VALUES (4)", [])
        .expect("write after");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 4);
}

#[test]
fn a_checkpointer_for_a_missing_folder_is_refused_with_its_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let conn = open(&db).expect("open");
    let missing = dir.path().join("gone/db.sqlite3");
    let e = Checkpointer::start(&missing, &conn)
        .err()
        .expect("no such database");
    assert!(e.to_string().contains("gone"), "{e}");
}

use roadmap_store::{SCHEMA_VERSION, StoreError, migrations, open};

#[test]
fn migrations_are_valid() {
    migrations().validate().expect("migrations validate");
}

#[test]
fn open_creates_the_folder_and_sets_the_pragmas() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nested/folder/db.sqlite3");
    let conn = open(&path).expect("open");
    assert!(path.exists());
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(mode, "wal");
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(fk, 1);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(version, SCHEMA_VERSION);
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let junk = b"these are my notes, not a database\n".repeat(200);
    std::fs::write(&path, &junk).expect("write");
    let err = open(&path).expect_err("not a database");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("db.sqlite3"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), junk, "file changed");
    assert!(!dir.path().join("db.sqlite3-wal").exists());
}

#[test]
fn a_database_from_a_newer_app_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).expect("create");
        conn.execute_batch(&format!(
            "CREATE TABLE future (x); PRAGMA user_version = {};",
            SCHEMA_VERSION + 5
        ))
        .expect("setup");
    }
    let before = std::fs::read(&path).expect("read");
    let err = open(&path).expect_err("too new");
    match &err {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, SCHEMA_VERSION + 5);
            assert_eq!(*supported, SCHEMA_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    assert!(err.to_string().contains("newer version"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), before, "file changed");
}

#[test]
fn reopening_keeps_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    {
        let conn = open(&path).expect("open");
        conn.execute(
            "INSERT INTO plans (created_at, roadmap_title, start_date, months, target_end, is_current)
             VALUES ('2026-01-01T00:00:00Z', 'T', '2027-01-01', 6, '2027-07-01', 1)",
            [],
        )
        .expect("insert");
    }
    let conn = open(&path).expect("reopen");
    let n: i64 = conn
        .query_row("SELECT count(*) FROM plans", [], |r| r.get(0))
        .expect("count");
    assert_eq!(n, 1);
}

#[test]
fn a_truncated_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    {
        let mut conn = open(&path).expect("open");
        let roadmap = roadmap_core::Roadmap::bundled().expect("bundled");
        let settings = roadmap_core::api::PlanSettings {
            start: "2027-01-04".parse().expect("date"),
            months: Some(12),
            availability: None,
            blackouts: Vec::new(),
            session_min: 30,
            session_max: 120,
            include_optional: true,
            known: Vec::new(),
            some: Vec::new(),
            review_cap: 15,
        };
        let tx = conn.transaction().expect("tx");
        roadmap_store::plans::create(
            &tx,
            std::sync::Arc::new(roadmap.clone()),
            None,
            &settings,
            "UTC",
            "2027-01-01T00:00:00Z".parse().expect("instant"),
        )
        .expect("create");
        tx.commit().expect("commit");
        // Fold the WAL back into the file, as a clean shutdown does.
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .expect("checkpoint");
    }
    let full = std::fs::read(&path).expect("read");
    assert!(
        full.len() > 16 * 4096,
        "a database with some pages: {}",
        full.len()
    );
    let cut = &full[..full.len() / 2];
    std::fs::write(&path, cut).expect("truncate");
    let _ = std::fs::remove_file(dir.path().join("db.sqlite3-wal"));
    let _ = std::fs::remove_file(dir.path().join("db.sqlite3-shm"));

    let err = open(&path).expect_err("refused");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        cut,
        "the file was changed"
    );
}

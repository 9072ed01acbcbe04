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
            pace: None,
            weeks: Default::default(),
            chosen: Vec::new(),
            edits: Vec::new(),
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

/// The opcodes SQLite runs `sql` with (`EXPLAIN`, its parameters left null).
fn opcodes(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut explain = conn.prepare(&format!("EXPLAIN {sql}")).expect("explain");
    let nulls = vec![rusqlite::types::Null; explain.parameter_count()];
    explain
        .query_map(rusqlite::params_from_iter(nulls), |r| r.get::<_, String>(1))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// Every session row, as text, in id order.
fn session_rows(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT id, plan_id, topic_id, date, start, minutes, status, done_minutes, pinned,
                 revision, updated_at, kind FROM sessions ORDER BY id",
        )
        .expect("select");
    stmt.query_map([], |r| {
        Ok((0..12)
            .map(|i| format!("{:?}", r.get_ref(i).expect("column")))
            .collect::<Vec<_>>()
            .join("|"))
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// Migration 10 rebuilds the sessions table so that no insert builds a temporary b-tree for
/// the status rule and no new time moves an index entry: every row and every reference to it
/// survives, the rule still refuses a status it does not know, and foreign keys are on again
/// afterwards.
#[test]
fn the_sessions_table_is_rebuilt_whole_and_inserts_need_no_temporary_table() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let before = {
        let mut conn = rusqlite::Connection::open(&db).expect("open");
        migrations().to_version(&mut conn, 9).expect("schema 9");
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             INSERT INTO plans (id, created_at, roadmap_title, start_date, months, target_end,
                                is_current)
                 VALUES (1, '2027-01-01T00:00:00Z', 'R', '2027-01-04', 6, '2027-07-04', 1);
             INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, status,
                                   done_minutes, pinned, revision, updated_at, kind)
                 VALUES (1, 1, 'a', '2027-01-04', '19:00', 60, 'done', 60, 0, 2, 't', 'study'),
                        (2, 1, 'a', '2027-01-05', '19:00', 30, 'partial', 10, 1, 0, 't', 'study'),
                        (3, 1, 'a', '2027-02-01', '07:30', 15, 'planned', 0, 0, 0, 't', 'review'),
                        (4, 1, 'b', '2027-01-06', '19:00', 45, 'cancelled', 0, 0, 3, 't', 'study'),
                        (5, 1, 'b', '2027-01-07', '19:00', 45, 'missed', 0, 0, 0, 't', 'study');
             INSERT INTO recalls (id, plan_id, topic_id, date, rating, session_id, created_at)
                 VALUES (1, 1, 'a', '2027-02-01', 'good', 3, 't');",
        )
        .expect("rows at schema 9");
        session_rows(&conn)
    };
    let conn = open(&db).expect("open migrates");
    assert_eq!(session_rows(&conn), before);
    let recall: i64 = conn
        .query_row("SELECT session_id FROM recalls WHERE id = 1", [], |r| {
            r.get(0)
        })
        .expect("recall kept");
    assert_eq!(recall, 3);
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(fk, 1);
    let broken: Vec<String> = conn
        .prepare("PRAGMA foreign_key_check")
        .expect("check")
        .query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    assert!(broken.is_empty(), "{broken:?}");
    // The rules hold as before.
    let e = conn
        .execute(
            "INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, status,
                 updated_at) VALUES (9, 1, 'a', '2027-03-01', '19:00', 30, 'postponed', 't')",
            [],
        )
        .expect_err("unknown status");
    assert!(e.to_string().contains("CHECK"), "{e}");
    let e = conn
        .execute(
            "INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, updated_at)
                 VALUES (9, 42, 'a', '2027-03-01', '19:00', 30, 't')",
            [],
        )
        .expect_err("no such plan");
    assert!(e.to_string().contains("FOREIGN KEY"), "{e}");
    // A new time for a session (a move re-packs thousands) changes no index.
    let ops = opcodes(&conn, roadmap_store::sessions::RESCHEDULE);
    assert!(ops.iter().any(|op| op == "Insert"), "{ops:?}");
    assert!(
        !ops.iter().any(|op| op == "IdxInsert" || op == "IdxDelete"),
        "a new time moves an index entry: {ops:?}"
    );
    // What the store runs thousands of times builds no temporary b-tree any more.
    for sql in [
        "INSERT INTO sessions (id, plan_id, topic_id, date, start, minutes, status, done_minutes,
             pinned, revision, updated_at, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        "UPDATE sessions SET status = ?2, done_minutes = ?3, updated_at = ?4 WHERE id = ?1",
    ] {
        let ops = opcodes(&conn, sql);
        assert!(ops.iter().any(|op| op == "Insert"), "{ops:?}");
        assert!(
            !ops.iter().any(|op| op == "OpenEphemeral"),
            "{sql} builds a temporary b-tree: {ops:?}"
        );
    }
}

/// Found by the hostile-input pass: a database refused as written by a newer version had its
/// write-ahead log folded into the file when the refused connection closed. The file and its
/// log stay exactly as they were.
#[test]
fn a_newer_database_keeps_its_write_ahead_log_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    // A newer version wrote, and stopped without closing (another process: a connection of
    // this one would keep the log open): its log is not checkpointed.
    let script = "import sqlite3, os, sys\n\
c = sqlite3.connect(sys.argv[1], isolation_level=None)\n\
c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0')\n\
c.execute('CREATE TABLE t (x TEXT)'); c.execute('PRAGMA user_version = 999')\n\
c.execute(\"INSERT INTO t VALUES ('a newer version wrote this')\")\n\
os._exit(0)\n";
    let wrote = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&path)
        .status()
        .expect("python3");
    assert!(wrote.success());
    let wal = dir.path().join("db.sqlite3-wal");
    let (file, log) = (
        std::fs::read(&path).expect("read"),
        std::fs::read(&wal).expect("a write-ahead log"),
    );
    assert!(!log.is_empty());
    let err = open(&path).expect_err("refused");
    assert!(matches!(err, StoreError::TooNew { .. }), "{err}");
    assert_eq!(
        std::fs::read(&path).expect("read"),
        file,
        "the file was changed"
    );
    assert_eq!(
        std::fs::read(&wal).expect("read"),
        log,
        "the log was folded in"
    );
}

/// The feed's reminder was the only one kept before the one setting: a learner who chose it
/// keeps it (and has chosen), one who did not has reminders off and unchosen.
#[test]
fn the_feeds_reminder_becomes_the_one_setting() {
    for (feed, expected) in [
        (Some("20"), (Some(20u32), true)),
        (Some("NULL"), (None, false)),
        (None, (None, false)),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("db.sqlite3");
        {
            let mut conn = rusqlite::Connection::open(&db).expect("open");
            migrations().to_version(&mut conn, 12).expect("schema 12");
            if let Some(minutes) = feed {
                conn.execute_batch(&format!(
                    "INSERT INTO calendar_feed (id, enabled, port, token, alarm_minutes)
                     VALUES (1, 1, 49731, '{}', {minutes});",
                    "a".repeat(64)
                ))
                .expect("feed at schema 12");
            }
        }
        let conn = open(&db).expect("migrated");
        let p = roadmap_store::preferences::get(&conn).expect("preferences");
        assert_eq!(
            (p.reminder_minutes, p.reminders_chosen),
            expected,
            "{feed:?}"
        );
        assert!(!p.keep_in_tray);
        if feed.is_some() {
            let f = roadmap_store::calendar_feed::get(&conn)
                .expect("feed")
                .expect("kept");
            assert!(f.enabled && f.port == 49731, "the feed itself is kept");
        }
    }
}

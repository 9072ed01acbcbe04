//! Verified backups: daily, before migrations and restores; pruning; restoring.

use roadmap_store::{StoreError, backup, open, plans};

fn plan(conn: &mut rusqlite::Connection, start: &str) -> i64 {
    let roadmap = roadmap_core::Roadmap::bundled().expect("bundled");
    let settings = roadmap_core::api::PlanSettings {
        start: start.parse().expect("date"),
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
    let p = plans::create(
        &tx,
        std::sync::Arc::new(roadmap.clone()),
        None,
        &settings,
        "UTC",
        "2027-01-01T00:00:00Z".parse().expect("instant"),
    )
    .expect("create");
    tx.commit().expect("commit");
    p.meta.id
}

/// The name of the backup labelled `label` (names begin with the order they were made in).
fn named(db: &std::path::Path, label: &str) -> String {
    backup::list(db)
        .expect("list")
        .into_iter()
        .map(|b| b.name)
        .find(|n| n.ends_with(&format!("-{label}.sqlite3")))
        .unwrap_or_else(|| panic!("no backup labelled {label}"))
}

#[test]
fn a_daily_backup_is_made_once_a_day_verified_and_pruned() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    plan(&mut conn, "2027-01-04");
    let first = backup::daily(&conn, &db, "20270104")
        .expect("backup")
        .expect("made");
    assert!(
        backup::daily(&conn, &db, "20270104")
            .expect("backup")
            .is_none(),
        "one a day"
    );
    // The backup is a whole database with the plan in it.
    let copy = rusqlite::Connection::open(&first).expect("open copy");
    let n: i64 = copy
        .query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
        .expect("count");
    assert!(n > 100);
    for day in 5..=20 {
        backup::daily(&conn, &db, &format!("202701{day:02}")).expect("backup");
    }
    let all = backup::list(&db).expect("list");
    assert_eq!(all.len(), backup::KEEP);
    assert_eq!(
        all[0].name, "roadmap-planner-000017-20270120-daily.sqlite3",
        "newest first"
    );
    assert!(
        !dir.path()
            .join("backups")
            .read_dir()
            .expect("dir")
            .any(|e| e
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp"))
    );
}

#[test]
fn restoring_brings_back_the_old_plan_and_keeps_the_current_one_as_a_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    let a = plan(&mut conn, "2027-01-04");
    backup::daily(&conn, &db, "20270104").expect("backup");
    let b = plan(&mut conn, "2027-03-01");
    assert_eq!(plans::require_current(&conn).expect("plan").meta.id, b);

    let e = backup::restore(&mut conn, &db, "../db.sqlite3", "20270105T000000Z")
        .expect_err("not a backup");
    assert!(matches!(e, StoreError::NotFound(_)), "{e}");
    backup::restore(
        &mut conn,
        &db,
        &named(&db, "20270104-daily"),
        "20270105T000000Z",
    )
    .expect("restore");
    assert_eq!(plans::require_current(&conn).expect("plan").meta.id, a);
    let names: Vec<String> = backup::list(&db)
        .expect("list")
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert!(
        names.contains(
            &"roadmap-planner-000002-20270105T000000Z-before-restore.sqlite3".to_string()
        ),
        "{names:?}"
    );
    drop(conn);
    // And it stays restored after reopening.
    let conn = open(&db).expect("reopen");
    assert_eq!(plans::require_current(&conn).expect("plan").meta.id, a);
}

#[test]
fn a_damaged_backup_is_refused_and_the_database_is_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    plan(&mut conn, "2027-01-04");
    let made = backup::daily(&conn, &db, "20270104")
        .expect("backup")
        .expect("made");
    let bytes = std::fs::read(&made).expect("read");
    std::fs::write(&made, &bytes[..bytes.len() / 3]).expect("damage");
    let b = plan(&mut conn, "2027-03-01");
    let e = backup::restore(
        &mut conn,
        &db,
        &named(&db, "20270104-daily"),
        "20270105T000000Z",
    )
    .expect_err("damaged");
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e}");
    assert_eq!(plans::require_current(&conn).expect("plan").meta.id, b);
}

#[test]
fn a_migration_is_preceded_by_a_backup_of_the_old_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&db).expect("open");
        roadmap_store::migrations()
            .to_version(&mut conn, 2)
            .expect("old schema");
    }
    let _conn = open(&db).expect("open migrates");
    let names: Vec<String> = backup::list(&db)
        .expect("list")
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(
        names,
        vec!["roadmap-planner-000001-before-schema-3.sqlite3".to_string()]
    );
    let old = rusqlite::Connection::open(backup::folder(&db).join(&names[0])).expect("open backup");
    let v: i64 = old
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(v, 2);
}

#[test]
fn a_backup_can_replace_a_database_that_cannot_be_opened_which_is_moved_aside_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let a = {
        let mut conn = open(&db).expect("open");
        let a = plan(&mut conn, "2027-01-04");
        backup::daily(&conn, &db, "20270104").expect("backup");
        a
    };
    let junk = vec![0x42u8; 8192];
    std::fs::write(&db, &junk).expect("damage");
    assert!(open(&db).is_err());
    let aside = backup::restore_file(&db, &named(&db, "20270104-daily"), "20270105T000000Z")
        .expect("restore");
    assert_eq!(
        std::fs::read(&aside).expect("read aside"),
        junk,
        "the unusable file is kept as it was"
    );
    let conn = open(&db).expect("opens again");
    assert_eq!(plans::require_current(&conn).expect("plan").meta.id, a);
    let e = backup::restore_file(&db, "nope.sqlite3", "20270105T000001Z").expect_err("unknown");
    assert!(matches!(e, StoreError::NotFound(_)), "{e}");
}

/// Backups are pruned by the order they were made in, whatever their label says and whatever
/// their files' times: a copy made before a schema change is pruned like any other once eight
/// newer ones exist, and daily copies are not deleted in its favour. Labels are chosen so
/// that they sort against the order they were made in.
#[test]
fn pruning_keeps_the_most_recently_made_whatever_the_label() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    plan(&mut conn, "2027-01-04");
    let base = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let mut made = Vec::new();
    for i in 0..14u64 {
        let label = match i % 4 {
            0 => format!("before-schema-{}", 20 - i),
            1 => format!("{}-daily", 20271231 - i),
            2 => format!("{}T120000Z-before-restore", 20271231 - i),
            _ => format!("x{}-manual", 99 - i),
        };
        let path = backup::make(&conn, &db, &label).expect("backup");
        // An hour apart, in this order, whatever the file system's clock resolution.
        std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open backup")
            .set_modified(base + std::time::Duration::from_secs(3600 * i))
            .expect("set time");
        made.push(
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned(),
        );
    }
    // Each new backup is made now, after all those times (2020): it counts as the newest when
    // its own `make` prunes. One more, to prune after the last time was set.
    let last = backup::make(&conn, &db, "zz-last").expect("backup");
    std::fs::File::options()
        .write(true)
        .open(&last)
        .expect("open backup")
        .set_modified(base + std::time::Duration::from_secs(3600 * 20))
        .expect("set time");
    made.push(
        last.file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned(),
    );
    let kept: Vec<String> = backup::list(&db)
        .expect("list")
        .into_iter()
        .map(|b| b.name)
        .collect();
    let newest: Vec<String> = made.iter().rev().take(backup::KEEP).cloned().collect();
    assert_eq!(kept, newest);
    assert!(
        !kept.iter().any(|n| n.contains("before-schema-20")),
        "{kept:?}"
    );
}

#[test]
fn each_backup_says_why_it_was_made_and_what_plan_it_holds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    let empty = backup::make(&conn, &db, "20270101-daily").expect("backup");
    plan(&mut conn, "2027-01-04");
    let planned = backup::make(&conn, &db, "20270102T101010Z-before-restore").expect("backup");
    let name = |p: &std::path::Path| p.file_name().expect("name").to_string_lossy().into_owned();

    assert_eq!(backup::reason(&name(&empty)), backup::BackupReason::Daily);
    assert_eq!(
        backup::reason(&name(&planned)),
        backup::BackupReason::BeforeRestore
    );
    assert_eq!(
        backup::reason("roadmap-planner-before-schema-5.sqlite3"),
        backup::BackupReason::BeforeUpdate
    );
    assert_eq!(
        backup::reason("roadmap-planner-by-hand.sqlite3"),
        backup::BackupReason::Other
    );

    assert_eq!(
        backup::contents(&db, &name(&empty)),
        Some(backup::BackupContents::NoPlan)
    );
    match backup::contents(&db, &name(&planned)) {
        Some(backup::BackupContents::Plan {
            start,
            sessions_done,
            ..
        }) => {
            assert_eq!(start, "2027-01-04");
            assert_eq!(sessions_done, 0);
        }
        other => panic!("expected a plan, got {other:?}"),
    }
    // Something that is not a database is still listed, its contents unknown.
    std::fs::write(
        backup::folder(&db).join("roadmap-planner-junk.sqlite3"),
        [0x42; 4096],
    )
    .expect("write");
    assert_eq!(backup::contents(&db, "roadmap-planner-junk.sqlite3"), None);
    let listed = backup::list(&db).expect("list");
    assert!(
        listed.iter().all(|b| b.made.is_some()),
        "every backup knows when it was made"
    );
}

/// Found by the hostile-input pass: pruning went by the files' times, so backups dated in the
/// future (a clock set wrong, copies brought in) made every new backup the oldest, deleted as
/// soon as it was made. The order is in the names now.
#[test]
fn backups_dated_in_the_future_do_not_make_new_ones_vanish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    plan(&mut conn, "2027-01-04");
    let future = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_102_444_800);
    for day in 1..=backup::KEEP {
        let path = backup::daily(&conn, &db, &format!("202701{day:02}"))
            .expect("backup")
            .expect("made");
        std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open")
            .set_modified(future)
            .expect("set time");
    }
    let made = backup::daily(&conn, &db, "20270120")
        .expect("backup")
        .expect("made");
    assert!(made.exists(), "the backup just made was pruned");
    let all = backup::list(&db).expect("list");
    assert_eq!(all.len(), backup::KEEP);
    assert!(
        all[0].name.ends_with("-20270120-daily.sqlite3"),
        "{:?}",
        all[0]
    );
    assert!(
        !all.iter()
            .any(|b| b.name.ends_with("-20270101-daily.sqlite3"))
    );
}

/// Found by the hostile-input pass: a database found empty was backed up every day, and eight
/// days later its empty backups had pushed out every one that held the plan.
#[test]
fn empty_backups_never_push_out_the_last_ones_that_hold_the_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    {
        let mut conn = open(&db).expect("open");
        plan(&mut conn, "2027-01-04");
        for day in 1..=5 {
            backup::daily(&conn, &db, &format!("202701{day:02}")).expect("backup");
        }
    }
    // The plan is lost: the database is a new, empty one from here on.
    for f in ["db.sqlite3", "db.sqlite3-wal", "db.sqlite3-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    let conn = open(&db).expect("open afresh");
    for day in 6..=25 {
        backup::daily(&conn, &db, &format!("202701{day:02}")).expect("backup");
    }
    let all = backup::list(&db).expect("list");
    let with_plan: Vec<&str> = all
        .iter()
        .filter(|b| {
            matches!(
                backup::contents(&db, &b.name),
                Some(backup::BackupContents::Plan { .. })
            )
        })
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(with_plan.len(), backup::KEEP_WITH_PLAN, "{with_plan:?}");
    assert!(
        with_plan[0].ends_with("-20270105-daily.sqlite3"),
        "{with_plan:?}"
    );
    assert_eq!(all.len(), backup::KEEP + backup::KEEP_WITH_PLAN);
}

/// Found by the hostile-input pass: a zero-length database was silently started afresh.
/// Where backups hold a plan, it is refused and left as it is; the backups are offered.
#[test]
fn a_zero_length_database_with_backups_of_a_plan_is_reported_not_started_afresh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    {
        let mut conn = open(&db).expect("open");
        plan(&mut conn, "2027-01-04");
        backup::daily(&conn, &db, "20270104").expect("backup");
    }
    for f in ["db.sqlite3-wal", "db.sqlite3-shm"] {
        let _ = std::fs::remove_file(dir.path().join(f));
    }
    std::fs::write(&db, b"").expect("truncate");
    let e = open(&db).expect_err("refused");
    assert!(matches!(e, StoreError::EmptyWithBackups { .. }), "{e}");
    assert!(e.to_string().contains("backups of your plan exist"), "{e}");
    assert_eq!(
        std::fs::metadata(&db).expect("meta").len(),
        0,
        "left as it was"
    );
    // Restoring the backup in its place brings the plan back.
    backup::restore_file(&db, &named(&db, "20270104-daily"), "20270105T000000Z").expect("restore");
    let conn = open(&db).expect("opens");
    assert!(plans::current(&conn).expect("read").is_some());

    // With no backup of a plan, an empty file is a new database, as before.
    let fresh = dir.path().join("other").join("db.sqlite3");
    std::fs::create_dir_all(fresh.parent().expect("parent")).expect("mkdir");
    std::fs::write(&fresh, b"").expect("empty");
    open(&fresh).expect("a new database");
}

/// The data folder, the database and its backups are the user's alone.
#[cfg(unix)]
#[test]
fn the_data_folder_database_and_backups_are_readable_by_the_user_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("data");
    let db = folder.join("db.sqlite3");
    let mut conn = open(&db).expect("open");
    plan(&mut conn, "2027-01-04");
    let made = backup::daily(&conn, &db, "20270104")
        .expect("backup")
        .expect("made");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&backup::folder(&db)), 0o700);
    assert_eq!(mode(&made), 0o600);
}

//! Found by the hostile-input pass: a CalDAV address written as `https://me:secret@host/` was
//! accepted and its password stored in the database and its backups. Opening the database
//! now removes any stored so, there and in the backups.

use roadmap_store::{backup, open, secrets};

#[test]
fn user_names_and_passwords_in_stored_addresses_are_removed_with_their_backups() {
    assert_eq!(
        secrets::without_userinfo("https://me:s3cret@dav.example.com/cal/").as_deref(),
        Some("https://dav.example.com/cal/")
    );
    assert_eq!(
        secrets::without_userinfo("webcal://me@h.example/x@y.ics").as_deref(),
        Some("webcal://h.example/x@y.ics"),
        "an @ after the host is the path's"
    );
    assert_eq!(secrets::without_userinfo("https://h.example/a@b"), None);
    assert_eq!(secrets::without_userinfo("/home/me/work.ics"), None);

    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("db.sqlite3");
    {
        let conn = open(&db).expect("open");
        conn.execute(
            "INSERT INTO caldav_account (id, server, user, calendar_url, calendar_name, connected_at)
             VALUES (1, 'https://me:s3cret@dav.example.com/', 'me',
                     'https://me:s3cret@dav.example.com/cal/', 'Plan', '2027-01-04T08:00:00Z')",
            [],
        )
        .expect("insert");
        conn.execute(
            "INSERT INTO busy_calendars (name, source, checked_at)
             VALUES ('Work', 'https://u:p4ss@cal.example.com/feed.ics', '2027-01-04T08:00:00Z')",
            [],
        )
        .expect("insert");
        backup::daily(&conn, &db, "20270104").expect("backup");
    }
    let secret_in = |path: &std::path::Path| {
        let conn = rusqlite::Connection::open(path).expect("open");
        let texts: Vec<String> = conn
            .prepare("SELECT server || calendar_url FROM caldav_account UNION ALL SELECT source FROM busy_calendars")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows");
        texts
            .iter()
            .any(|t| t.contains("s3cret") || t.contains("p4ss"))
    };
    let copy = backup::folder(&db).join(&backup::list(&db).expect("list")[0].name);
    assert!(secret_in(&copy), "the backup held the password");

    let conn = open(&db).expect("reopen");
    let server: String = conn
        .query_row("SELECT server FROM caldav_account", [], |r| r.get(0))
        .expect("server");
    assert_eq!(server, "https://dav.example.com/");
    drop(conn);
    assert!(!secret_in(&db), "the database still holds a password");
    assert!(!secret_in(&copy), "a backup still holds a password");
}

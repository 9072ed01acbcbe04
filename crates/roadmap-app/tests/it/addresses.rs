//! Found by the hostile-input pass: `https://me:secret@host/` was accepted as a CalDAV server
//! (the password then stored, backed up and printed) and as a busy calendar's address. Both
//! are refused with a sentence that does not repeat the password.

use roadmap_app::AppError;
use roadmap_app::remote::{dav, web};

#[test]
fn an_address_with_a_user_name_or_password_is_refused_without_repeating_it() {
    for address in [
        "https://me:s3cret@dav.example.com/",
        "https://me@dav.example.com/",
        "http://me:s3cret@127.0.0.1:5232/",
    ] {
        let e = dav::server_address(address).expect_err("refused");
        assert!(matches!(e, AppError::Address { .. }), "{e:?}");
        let said = e.to_string();
        assert!(said.contains("user name or password"), "{said}");
        assert!(!said.contains("s3cret") && !said.contains("me@"), "{said}");
    }
    for address in [
        "https://me:s3cret@cal.example.com/feed.ics",
        "webcal://me:s3cret@cal.example.com/feed.ics",
    ] {
        let said = web::web_address(address).expect_err("refused").to_string();
        assert!(said.contains("user name or password"), "{said}");
        assert!(!said.contains("s3cret"), "{said}");
    }
    // The address alone is as before.
    dav::server_address("https://dav.example.com/").expect("accepted");
    web::web_address("https://cal.example.com/a@b/feed.ics").expect("an @ in the path is fine");
}

/// Found by the hostile-input pass: `https:host/x` (no `//`) was read as a local file. It is
/// an address, and one written wrong.
#[test]
fn an_address_without_its_slashes_is_an_address_written_wrong_not_a_file() {
    assert!(roadmap_app::busy::is_address("https:cal.example.com/x.ics"));
    assert!(roadmap_app::busy::is_address(
        "webcal://cal.example.com/x.ics"
    ));
    assert!(!roadmap_app::busy::is_address("/home/me/work.ics"));
    assert!(!roadmap_app::busy::is_address("C:\\Users\\me\\work.ics"));
    assert!(!roadmap_app::busy::is_address("work.ics"));
    let said = web::web_address("https:cal.example.com/x.ics")
        .expect_err("refused")
        .to_string();
    assert!(said.contains("write it as https://"), "{said}");
}

/// Found by the hostile-input pass: a password file was read whole, whatever it was. A pipe
/// works (`--password-file <(pass show dav)`), read up to 4 KiB; one nobody writes to is given
/// up after 5 s with a sentence, not waited on for ever.
#[cfg(unix)]
#[test]
fn a_password_file_may_be_a_pipe_read_briefly() {
    use roadmap_app::remote::keyring::from_file;
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("password");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::write(&fifo, "s3cret\nsecond line\n").expect("write")
    });
    assert_eq!(from_file(&fifo).expect("read").as_str(), "s3cret");
    writer.join().expect("writer");

    let started = std::time::Instant::now();
    let said = from_file(&fifo).expect_err("nobody writes").to_string();
    assert!(
        said.contains("nothing was written to it within 5 s"),
        "{said}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(8));

    let long = dir.path().join("long");
    std::fs::write(&long, "x".repeat(1 << 20)).expect("write");
    assert_eq!(
        from_file(&long).expect("read").len(),
        4 * 1024,
        "at most 4 KiB are read"
    );
}

/// Found by the hostile-input pass: a calendar at a plain http address on this computer was
/// followed through redirects to any other host, its secret address with it, in the clear.
#[test]
fn a_plain_http_calendar_on_this_computer_is_not_followed_elsewhere() {
    use std::io::{BufRead, BufReader, Write};
    use std::net::TcpListener;
    let elsewhere = TcpListener::bind("127.0.0.1:0").expect("bind");
    elsewhere.set_nonblocking(true).expect("nonblocking");
    let target = format!(
        "http://127.0.0.1:{}/stolen",
        elsewhere.local_addr().expect("addr").port()
    );
    let here = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = here.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        let (stream, _) = here.accept().expect("accept");
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
            line.clear();
        }
        let _ = (&stream).write_all(
            format!("HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
    });
    let said = web::fetch(&format!("http://127.0.0.1:{port}/s3cret/cal.ics"))
        .expect_err("not followed")
        .to_string();
    server.join().expect("server");
    assert!(said.contains("302"), "{said}");
    assert!(elsewhere.accept().is_err(), "the redirect was followed");
}

/// Found by the hostile-input pass: the password in an earlier version's CalDAV address was
/// also in the name of the system keyring's entry for the account. Opening the database moves
/// the entry to the address without it; the old entry is gone. (Needs a keyring: `make test`
/// runs the tests under `scripts/with-keyring.sh`.)
#[test]
fn a_keyring_entry_named_by_an_address_with_a_password_is_renamed() {
    use roadmap_app::remote::keyring;
    let dir = tempfile::tempdir().expect("tempdir");
    // A host of this test's own, so parallel runs never share entries.
    let host = dir
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("name")
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "");
    let was = format!("https://me:s3cret@{host}.example/");
    let now = format!("https://{host}.example/");
    if let Some(why) = keyring::keep(&was, "me", "hunter2") {
        panic!("this test needs a keyring (run it under scripts/with-keyring.sh): {why}");
    }
    let db = dir.path().join("db.sqlite3");
    {
        let conn = roadmap_store::open(&db).expect("open");
        conn.execute(
            "INSERT INTO caldav_account (id, server, user, calendar_url, calendar_name, connected_at)
             VALUES (1, ?1, 'me', ?1 || 'cal/', 'Plan', '2027-01-04T08:00:00Z')",
            [&was],
        )
        .expect("insert");
    }
    roadmap_app::db::Db::open(&db).expect("open");
    assert_eq!(keyring::kept(&now, "me").as_deref(), Ok("hunter2"));
    assert!(
        matches!(
            keyring::kept(&was, "me"),
            Err(roadmap_app::remote::RemoteError::NoKeptPassword { .. })
        ),
        "the old entry is gone"
    );
    assert_eq!(keyring::forget(&now, "me"), None);
}

//! A sync's writes against a server on the loopback interface that takes its time over each
//! PUT and says "busy" (503) or "locked" (423) to the first try of each: several writes are in
//! flight at once, each answered in order, and "busy" is tried again, never taken as a change
//! made meanwhile (only 412 is).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use roadmap_app::remote::dav::Server;
use roadmap_core::caldav::{IN_FLIGHT, Put, Remote, Write};
use roadmap_store::caldav_account::Account;

/// What the server saw: requests per resource, and the most PUTs it held at once.
#[derive(Default)]
struct Seen {
    tries: Mutex<BTreeMap<String, u32>>,
    now: AtomicUsize,
    most: AtomicUsize,
}

/// Answers each connection on a thread of its own: a PUT's first try with 503 (names with
/// "locked" in them: 423), later tries after 150 ms with 201 and an ETag; "stale" names
/// always with 412.
fn serve(seen: Arc<Seen>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = Arc::clone(&seen);
            std::thread::spawn(move || answer(stream, &seen));
        }
    });
    port
}

fn answer(stream: TcpStream, seen: &Seen) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut head = String::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let path = head.split(' ').nth(1).unwrap_or_default().to_string();
    let try_no = {
        let mut tries = seen.tries.lock().expect("lock");
        let n = tries.entry(path.clone()).or_default();
        *n += 1;
        *n
    };
    let held = seen.now.fetch_add(1, Ordering::SeqCst) + 1;
    seen.most.fetch_max(held, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(150));
    seen.now.fetch_sub(1, Ordering::SeqCst);
    let status = if path.contains("stale") {
        "412 Precondition Failed"
    } else if try_no == 1 && path.contains("locked") {
        "423 Locked"
    } else if try_no == 1 {
        "503 Service Unavailable"
    } else {
        "201 Created"
    };
    let _ = (&stream).write_all(
        format!(
            "HTTP/1.1 {status}\r\nETag: \"{try_no}\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .as_bytes(),
    );
}

#[test]
fn writes_go_several_at_once_and_a_busy_server_is_asked_again() {
    let seen = Arc::new(Seen::default());
    let port = serve(Arc::clone(&seen));
    let account = Account {
        server: format!("http://127.0.0.1:{port}/"),
        user: "learner".into(),
        calendar_url: format!("http://127.0.0.1:{port}/cal/"),
        calendar_name: "Plan".into(),
        connected_at: "2027-01-04T08:00:00Z".into(),
        last_sync: None,
        last_report: None,
    };
    let mut server = Server::open(&account, "secret").expect("open");
    let names: Vec<String> = (0..8)
        .map(|i| match i {
            3 => "locked-3.ics".to_string(),
            5 => "stale-5.ics".to_string(),
            i => format!("s{i}.ics"),
        })
        .collect();
    let writes: Vec<Write<'_>> = names
        .iter()
        .map(|name| Write {
            name,
            ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            etag: None,
        })
        .collect();
    let started = std::time::Instant::now();
    let answers = server.put_many(&writes);
    let took = started.elapsed();

    // In order, one per write: stored after the retry, except the one changed meanwhile.
    assert_eq!(answers.len(), writes.len());
    for (name, answer) in names.iter().zip(&answers) {
        let expected = if name.starts_with("stale") {
            Put::Changed
        } else {
            Put::Stored(Some("\"2\"".into()))
        };
        assert_eq!(answer.as_ref(), Ok(&expected), "{name}");
    }
    let tries = seen.tries.lock().expect("lock").clone();
    for name in &names {
        let expected = if name.starts_with("stale") { 1 } else { 2 };
        assert_eq!(
            tries.get(&format!("/cal/{name}")),
            Some(&expected),
            "{name}: {tries:?}"
        );
    }
    // Several in flight at once, never more than the limit.
    let most = seen.most.load(Ordering::SeqCst);
    assert!(
        (2..=IN_FLIGHT).contains(&most),
        "{most} writes were in flight at once (the limit is {IN_FLIGHT})"
    );
    println!("8 writes with a retry each, {most} in flight at once: {took:?}");
}

/// Found by the hostile-input pass: a sync as a whole had no deadline, so a server answering
/// every request just within its timeout held it for hours. Past its deadline every request
/// fails with a sentence; what was answered before stays answered.
#[test]
fn a_sync_stops_at_its_deadline_keeping_what_was_answered() {
    let seen = Arc::new(Seen::default());
    let port = serve(Arc::clone(&seen));
    let account = Account {
        server: format!("http://127.0.0.1:{port}/"),
        user: "learner".into(),
        calendar_url: format!("http://127.0.0.1:{port}/cal/"),
        calendar_name: "Plan".into(),
        connected_at: "2027-01-04T08:00:00Z".into(),
        last_sync: None,
        last_report: None,
    };
    let mut server = Server::open(&account, "secret")
        .expect("open")
        .until(Duration::from_millis(400));
    // Each answered after 150 ms (412: nothing retried), four at a time.
    let names: Vec<String> = (0..16).map(|i| format!("stale-{i}.ics")).collect();
    let writes: Vec<Write<'_>> = names
        .iter()
        .map(|name| Write {
            name,
            ics: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
            etag: Some("\"1\""),
        })
        .collect();
    let answers = server.put_many(&writes);
    assert_eq!(answers.len(), 16);
    let (answered, stopped): (Vec<_>, Vec<_>) = answers.iter().partition(|a| a.is_ok());
    assert!(!answered.is_empty() && !stopped.is_empty(), "{answers:?}");
    assert!(answered.iter().all(|a| a.as_ref() == Ok(&Put::Changed)));
    for a in &stopped {
        let said = a.as_ref().expect_err("stopped");
        assert!(said.contains("took too long and stopped"), "{said}");
    }
    // Those answered came first; none was sent after the deadline.
    let first_stopped = answers.iter().position(Result::is_err).expect("one");
    assert!(answers[first_stopped..].iter().all(Result::is_err));
    let sent: u32 = seen.tries.lock().expect("lock").values().sum();
    assert_eq!(sent as usize, first_stopped);
    assert!(server.list().is_err(), "a later request fails at once too");
}

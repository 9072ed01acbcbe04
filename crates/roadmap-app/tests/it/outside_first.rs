//! Outside first, then one transaction: a use case that waits on a server holds no database
//! lock meanwhile, so every other action (the window's, the CLI's) answers at once.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use roadmap_app::plan::RoadmapSource;
use roadmap_app::{Db, busy, progress};
use roadmap_core::Roadmap;
use roadmap_core::api::PlanSettings;

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:shift@test\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270112T180000Z\r\nDTEND:20270112T220000Z\r\nSUMMARY:Night shift\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn now() -> DateTime<Utc> {
    "2027-01-04T07:00:00Z".parse().expect("instant")
}

fn settings() -> PlanSettings {
    PlanSettings {
        start: "2027-01-04".parse().expect("date"),
        months: Some(12),
        availability: Some(
            "mon=19:00-21:00,tue=19:00-21:00,thu=19:00-21:00,sat=09:00-13:00".into(),
        ),
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
    }
}

/// The database at `path`, with a plan of the bundled roadmap made at [`now`].
fn with_plan(path: &std::path::Path) -> Arc<Db> {
    let db = Arc::new(Db::open(path).expect("open"));
    let roadmap = Arc::new(Roadmap::bundled().expect("bundled"));
    roadmap_app::plan::create(
        &db,
        roadmap,
        RoadmapSource::Bundled,
        &settings(),
        "Europe/Berlin",
        now(),
    )
    .expect("plan");
    db
}

/// A calendar server on the loopback interface that serves `connections` requests, each
/// answered only when the test says so (or after 25 s): a slow server, under the test's
/// control.
struct SlowServer {
    port: u16,
    accepted: mpsc::Receiver<()>,
    answer: mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl SlowServer {
    fn start(connections: usize) -> SlowServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (accepted_tx, accepted) = mpsc::channel();
        let (answer, answer_rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            for _ in 0..connections {
                let Ok((stream, _)) = listener.accept() else {
                    return;
                };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                // The request head, to its blank line.
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                    line.clear();
                }
                let _ = accepted_tx.send(());
                let _ = answer_rx.recv_timeout(Duration::from_secs(25));
                reply(stream);
            }
        });
        SlowServer {
            port,
            accepted,
            answer,
            thread,
        }
    }
}

fn reply(mut stream: TcpStream) {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        CALENDAR.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(CALENDAR.as_bytes());
}

#[test]
fn a_slow_calendar_server_holds_up_no_other_action() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = with_plan(&dir.path().join("db.sqlite3"));
    let server = SlowServer::start(1);
    let address = format!("http://127.0.0.1:{}/secret/calendar.ics", server.port);
    let adding = std::thread::spawn({
        let db = Arc::clone(&db);
        move || busy::add(&db, &address, None, true, now())
    });
    server
        .accepted
        .recv_timeout(Duration::from_secs(20))
        .expect("the request reached the server");

    // The fetch is in flight: every other action answers at once.
    let started = Instant::now();
    let plan = progress::look(&db, now()).expect("the plan");
    let first = plan.sessions.iter().map(|s| s.id).min().expect("a session");
    progress::mark_session(&db, now(), first, roadmap_core::api::SessionMark::Planned)
        .expect("a write");
    assert!(busy::list(&db).expect("list").is_empty());
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(1),
        "the other actions waited {waited:?} for the calendar server"
    );

    // Then the server answers, and the calendar is added in one transaction.
    server.answer.send(()).expect("answer");
    let added = adding.join().expect("join").expect("added");
    let (name, read) = (added.name, added.read);
    server.thread.join().expect("server");
    assert_eq!(name, "calendar");
    assert_eq!(read.events, 1);
    let listed = busy::list(&db).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].intervals, 1);
    // The plan keeps clear of the shift, decided in the same transaction.
    let plan = db.require_plan().expect("plan");
    assert_eq!(plan.busy.len(), 1);
}

/// A refresh reads every calendar before it takes the database: a calendar removed while it
/// was being read stays removed, and one that could not be read keeps its last good copy and
/// says why.
#[test]
fn a_refresh_keeps_what_happened_while_it_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = Arc::new(Db::open(&dir.path().join("db.sqlite3")).expect("open"));
    let server = SlowServer::start(2);
    let address = format!("http://127.0.0.1:{}/work.ics", server.port);
    let adding = std::thread::spawn({
        let db = Arc::clone(&db);
        let address = address.clone();
        move || busy::add(&db, &address, Some("Work"), true, now())
    });
    server
        .accepted
        .recv_timeout(Duration::from_secs(20))
        .expect("asked");
    server.answer.send(()).expect("answer");
    adding.join().expect("join").expect("added");
    let file = dir.path().join("shifts.ics");
    std::fs::write(&file, CALENDAR).expect("write");
    let name = busy::add(&db, &file.display().to_string(), None, true, now())
        .expect("added")
        .name;
    assert_eq!(name, "shifts");
    std::fs::write(&file, "not a calendar").expect("write");

    let refreshing = std::thread::spawn({
        let db = Arc::clone(&db);
        move || busy::refresh_all(&db, now())
    });
    server
        .accepted
        .recv_timeout(Duration::from_secs(20))
        .expect("asked again");
    let started = Instant::now();
    busy::remove(&db, "Work", now()).expect("removed while the refresh reads");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    server.answer.send(()).expect("answer");
    let (readings, _) = refreshing.join().expect("join").expect("refreshed");
    server.thread.join().expect("server");

    assert_eq!(readings.len(), 2);
    let listed = busy::list(&db).expect("list");
    let names: Vec<&str> = listed.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["shifts"], "Work stays removed");
    assert_eq!(listed[0].intervals, 1, "the last good copy stays in use");
    let error = listed[0].error.as_deref().unwrap_or_default();
    assert!(error.contains("shifts.ics"), "{error}");
}

/// Found by the hostile-input pass: two adds of a busy calendar under the same name, both
/// reading their calendars at once, silently replaced one another. The name is checked in
/// the transaction that saves the calendar, so the second finds it taken and says so; the
/// first calendar stays.
#[test]
fn two_adds_under_one_name_at_once_keep_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("db.sqlite3");
    let db = with_plan(&path);
    let (first, second) = (SlowServer::start(1), SlowServer::start(1));
    let add = |port: u16, db: Arc<Db>| {
        let address = format!("http://127.0.0.1:{port}/calendar.ics");
        std::thread::spawn(move || busy::add(&db, &address, Some("Work"), true, now()))
    };
    // One in this process, one as another process would (a connection of its own).
    let a = add(first.port, Arc::clone(&db));
    let b = add(second.port, Arc::new(Db::open(&path).expect("open again")));
    // Both are reading at once; then the first answers, and only later the second.
    for s in [&first, &second] {
        s.accepted
            .recv_timeout(Duration::from_secs(20))
            .expect("the request reached the server");
    }
    first.answer.send(()).expect("answer");
    let a = a.join().expect("thread");
    second.answer.send(()).expect("answer");
    let b = b.join().expect("thread");
    assert!(a.as_ref().is_ok_and(|added| added.added), "{a:?}");
    assert!(
        matches!(&b, Err(roadmap_app::AppError::BusyCalendarExists { name }) if name == "Work"),
        "{b:?}"
    );
    let listed = busy::list(&db).expect("list");
    assert_eq!(listed.len(), 1);
    assert!(
        listed[0].source.contains(&first.port.to_string()),
        "{:?}",
        listed[0].source
    );
    for s in [first, second] {
        s.thread.join().expect("server");
    }
}

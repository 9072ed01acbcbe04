//! CalDAV sync against two real, independent servers — Radicale and Xandikos — started here on
//! the loopback interface with authentication (installed into .tools/caldav by
//! scripts/install-deps.sh), and the password in a real Secret Service (gnome-keyring, which
//! `make test` starts through scripts/with-keyring.sh). The faults are real too: a proxy in
//! front of the server exits mid-sync, waits before answering, or rewrites an object just
//! before our write reaches it so the server itself answers 412.

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;

use super::{command_at, stderr, stdout};

const NOW: &str = "2027-01-04T08:00";
const PASSWORD: &str = "correct horse battery";

/// A process that is stopped when the test ends, however it ends.
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tools() -> PathBuf {
    let bin = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/caldav/bin");
    assert!(
        bin.join("radicale").exists() && bin.join("xandikos").exists(),
        "the test CalDAV servers are not installed in {}: run scripts/install-deps.sh (make test does)",
        bin.display()
    );
    bin
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_for(port: u16, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the test server on port {port} exited: {status}");
        }
        assert!(Instant::now() < deadline, "nothing listens on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A CalDAV server for one test: its address, user and processes (and its files).
struct Server {
    url: String,
    user: &'static str,
    /// The real server behind any proxy.
    backend: String,
    _procs: Vec<Proc>,
    _dir: tempfile::TempDir,
}

fn radicale() -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let users = dir.path().join("users");
    std::fs::write(&users, format!("alice:{PASSWORD}\n")).expect("users");
    let port = free_port();
    let mut child = Command::new(tools().join("radicale"))
        .args(["--server-hosts", &format!("127.0.0.1:{port}")])
        .args([
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-encryption",
            "plain",
        ])
        .arg("--auth-htpasswd-filename")
        .arg(&users)
        .arg("--storage-filesystem-folder")
        .arg(dir.path().join("collections"))
        .args(["--rights-type", "owner_only", "--logging-level", "error"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start radicale");
    wait_for(port, &mut child);
    let url = format!("http://127.0.0.1:{port}/");
    Server {
        backend: url.clone(),
        url,
        user: "alice",
        _procs: vec![Proc(child)],
        _dir: dir,
    }
}

/// Xandikos has no authentication of its own; it is meant to sit behind a proxy that does it,
/// and does here.
fn xandikos() -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = free_port();
    let mut child = Command::new(tools().join("xandikos"))
        .arg("-d")
        .arg(dir.path().join("data"))
        .args(["--autocreate", "-l", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start xandikos");
    wait_for(port, &mut child);
    let backend = format!("http://127.0.0.1:{port}/");
    let (proxy, front) = proxy(&backend, &["--user", "bob", "--password", PASSWORD], None);
    Server {
        url: format!("http://127.0.0.1:{front}/"),
        backend,
        user: "bob",
        _procs: vec![Proc(child), proxy],
        _dir: dir,
    }
}

/// The fault proxy (scripts/caldav-servers/proxy.py) in front of `backend`; its port.
fn proxy(backend: &str, args: &[&str], port: Option<u16>) -> (Proc, u16) {
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/caldav-servers/proxy.py");
    let mut child = Command::new(tools().join("python"))
        .arg(script)
        .args(["--backend", backend])
        .args(["--port", &port.unwrap_or(0).to_string()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the proxy");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the proxy's first line");
    let port = line
        .trim()
        .strip_prefix("ready ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("the proxy said {line:?}"));
    (Proc(child), port)
}

fn run(dir: &Path, args: &[&str]) -> String {
    let out = command_at(dir, NOW).args(args).output().expect("run");
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

fn run_fails(dir: &Path, args: &[&str]) -> String {
    let out = command_at(dir, NOW).args(args).output().expect("run");
    assert!(
        !out.status.success(),
        "{args:?} should fail: {}",
        stdout(&out)
    );
    format!("{}{}", stdout(&out), stderr(&out))
}

const ROADMAP: &str = r#"
title = "Sync test"
[[skills]]
id = "s"
name = "S"
[[steps]]
id = "one"
title = "One"
[[steps]]
id = "two"
title = "Two"
[[topics]]
id = "a"
step = "one"
title = "Alpha topic"
hours = 4
skills = ["s"]
[[topics]]
id = "b"
step = "one"
title = "Beta topic"
hours = 3
skills = ["s"]
[[topics]]
id = "c"
step = "two"
title = "Gamma topic"
hours = 4
skills = ["s"]
requires = ["a"]
"#;

/// A data folder with a small saved plan, and a password file.
fn planned() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::write(d.join("roadmap.toml"), ROADMAP).expect("roadmap");
    std::fs::write(d.join("password"), format!("{PASSWORD}\n")).expect("password");
    std::fs::write(d.join("wrong"), "not the password\n").expect("password");
    run(
        d,
        &[
            "plan",
            "--roadmap",
            "roadmap.toml",
            "--start",
            "2027-01-04",
            "--availability",
            "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-12:00",
            "--save",
        ],
    );
    dir
}

fn connect(d: &Path, s: &Server) -> String {
    connect_at(d, &s.url, s.user)
}

fn connect_at(d: &Path, url: &str, user: &str) -> String {
    run(
        d,
        &[
            "caldav",
            "connect",
            url,
            "--user",
            user,
            "--password-file",
            "password",
        ],
    )
}

fn sync(d: &Path) -> serde_json::Value {
    let out = command_at(d, NOW)
        .args([
            "caldav",
            "sync",
            "--format",
            "json",
            "--password-file",
            "password",
        ])
        .output()
        .expect("run");
    serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(&out), stderr(&out)))
}

/// A sync (with the password in `password_file`) that must not finish, and say `why`.
fn sync_fails(mut command: Command, password_file: &str, why: &str) {
    let out = command
        .args([
            "caldav",
            "sync",
            "--format",
            "json",
            "--password-file",
            password_file,
        ])
        .output()
        .expect("run");
    assert!(!out.status.success(), "the sync should not finish");
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(
        r["errors"][0].as_str().is_some_and(|e| e.contains(why)),
        "{r}"
    );
}

fn nothing_to_do(r: &serde_json::Value) {
    for k in [
        "pushed",
        "updated",
        "deleted",
        "pulled_moves",
        "pulled_done",
    ] {
        assert_eq!(r[k], 0, "{k} in a sync with nothing to do: {r}");
    }
    assert_eq!(r["conflicts"], serde_json::json!([]), "{r}");
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
}

/// What the sync recorded: (uid, target, name).
fn synced(d: &Path) -> Vec<(String, String, String)> {
    let conn = roadmap_store::open(&d.join(roadmap_store::DATABASE_FILE)).expect("open");
    let mut q = conn
        .prepare("SELECT uid, target, name FROM caldav_objects ORDER BY uid")
        .expect("query");
    q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("rows")
        .map(|r| r.expect("row"))
        .collect()
}

fn calendar_url(d: &Path) -> String {
    let status: serde_json::Value =
        serde_json::from_str(&run(d, &["caldav", "status", "--format", "json"])).expect("json");
    status["calendar_url"]
        .as_str()
        .expect("calendar_url")
        .to_string()
}

/// Another calendar app, talking to the real server directly.
struct Phone {
    agent: ureq::Agent,
    auth: String,
}

impl Phone {
    fn new(user: &str) -> Phone {
        Phone {
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .allow_non_standard_methods(true)
                .build()
                .into(),
            auth: format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{PASSWORD}"))
            ),
        }
    }

    fn get(&self, url: &str) -> (String, String) {
        let mut r = self
            .agent
            .get(url)
            .header("Authorization", &self.auth)
            .call()
            .expect("get");
        assert_eq!(r.status(), 200, "GET {url}");
        let etag = r
            .headers()
            .get("etag")
            .expect("etag")
            .to_str()
            .expect("etag")
            .to_string();
        (etag, r.body_mut().read_to_string().expect("body"))
    }

    fn put(&self, url: &str, etag: &str, ics: &str) {
        let r = self
            .agent
            .put(url)
            .header("Authorization", &self.auth)
            .header("If-Match", etag)
            .header("Content-Type", "text/calendar; charset=utf-8")
            .send(ics)
            .expect("put");
        assert!(r.status().is_success(), "PUT {url}: {}", r.status());
    }

    /// The names of every resource in the calendar, by a PROPFIND of its own.
    fn list(&self, collection: &str) -> Vec<String> {
        let mut r = self
            .agent
            .run(
                http::Request::builder()
                    .method("PROPFIND")
                    .uri(collection)
                    .header("Authorization", &self.auth)
                    .header("Depth", "1")
                    .header("Content-Type", "application/xml")
                    .body(r#"<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/></prop></propfind>"#)
                    .expect("request"),
            )
            .expect("propfind");
        let body = r.body_mut().read_to_string().expect("body");
        body.split('<')
            .filter_map(|part| part.split_once('>'))
            .filter(|(tag, _)| !tag.starts_with('/') && (tag == &"href" || tag.ends_with(":href")))
            .map(|(_, text)| text.trim())
            .filter(|h| h.ends_with(".ics"))
            .map(|h| h.rsplit('/').next().unwrap_or_default().to_string())
            .collect()
    }
}

fn line<'a>(ics: &'a str, key: &str) -> &'a str {
    ics.split("\r\n")
        .find_map(|l| l.strip_prefix(key))
        .unwrap_or_else(|| panic!("no {key} in {ics}"))
}

fn sessions(d: &Path) -> Vec<serde_json::Value> {
    serde_json::from_str(&run(d, &["sessions", "--format", "json"])).expect("json")
}

/// The whole round trip on one server.
fn both_ways(server: Server) {
    let dir = planned();
    let d = dir.path();
    let said = connect(d, &server);
    assert!(said.contains("Roadmap Planner"), "{said}");
    let first = sync(d);
    let objects = synced(d);
    assert_eq!(first["errors"], serde_json::json!([]), "{first}");
    assert_eq!(first["pushed"], objects.len(), "{first}");
    assert!(objects.len() > 10, "{objects:?}");
    nothing_to_do(&sync(d));

    // The server holds one resource an object, nothing else.
    let phone = Phone::new(server.user);
    let collection = calendar_url(d);
    let mut on_server = phone.list(&collection);
    on_server.sort();
    let mut ours: Vec<String> = objects.iter().map(|o| o.2.clone()).collect();
    ours.sort();
    assert_eq!(on_server, ours);

    // On the phone: a session moved to the next day at 07:30 local time (written with a
    // TZID, as phones do), and a topic's task completed.
    let planned_later: Vec<serde_json::Value> = sessions(d)
        .into_iter()
        .filter(|s| {
            s["status"] == "planned"
                && s["kind"] == "study"
                && s["date"].as_str() > Some("2027-01-07")
        })
        .collect();
    let session = &planned_later[0];
    let id = session["id"].as_i64().expect("id");
    let (_, _, name) = objects
        .iter()
        .find(|o| o.1 == format!("session:{id}"))
        .expect("the session's object");
    let url = format!("{collection}{name}");
    let (etag, ics) = phone.get(&url);
    let day: chrono::NaiveDate = session["date"]
        .as_str()
        .expect("date")
        .parse()
        .expect("date");
    let next = (day + chrono::Duration::days(1)).format("%Y%m%d");
    let moved = ics
        .replace(
            &format!("DTSTART:{}", line(&ics, "DTSTART:")),
            &format!("DTSTART;TZID=Europe/Berlin:{next}T073000"),
        )
        .replace(
            &format!("DTEND:{}", line(&ics, "DTEND:")),
            &format!("DTEND;TZID=Europe/Berlin:{next}T083000"),
        );
    phone.put(&url, &etag, &moved);
    let topic = session["topic"].as_str().expect("topic").to_string();
    let other_topic = if topic == "b" { "a" } else { "b" };
    let (_, _, todo) = objects
        .iter()
        .find(|o| o.1 == format!("topic:{other_topic}"))
        .expect("the topic's task");
    let todo_url = format!("{collection}{todo}");
    let (etag, ics) = phone.get(&todo_url);
    assert!(
        ics.contains("BEGIN:VTODO") && ics.contains("STATUS:NEEDS-ACTION"),
        "{ics}"
    );
    phone.put(
        &todo_url,
        &etag,
        &ics.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
    );

    let back = sync(d);
    assert_eq!(back["errors"], serde_json::json!([]), "{back}");
    assert_eq!(back["pulled_moves"], 1, "{back}");
    assert_eq!(back["pulled_done"], 1, "{back}");
    let after = sessions(d)
        .into_iter()
        .find(|s| s["id"] == id)
        .expect("the session");
    assert_eq!(after["date"], (day + chrono::Duration::days(1)).to_string());
    assert_eq!(after["start"], "07:30");
    assert_eq!(
        after["pinned"], true,
        "a move from the phone pins, as a drag does"
    );
    let status: serde_json::Value =
        serde_json::from_str(&run(d, &["status", "--format", "json"])).expect("json");
    let state = status["plan"]["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .find(|t| t["id"] == other_topic)
        .expect("topic")["state"]
        .clone();
    assert_eq!(state, "done");
    // The event is the plan's again (UTC, its own form), and the task stays completed.
    let (_, ics) = phone.get(&url);
    assert!(ics.contains("DTSTART:") && !ics.contains("TZID"), "{ics}");
    let (_, ics) = phone.get(&todo_url);
    assert!(ics.contains("STATUS:COMPLETED"), "{ics}");
    nothing_to_do(&sync(d));
    let mut on_server = phone.list(&collection);
    on_server.sort();
    let mut ours: Vec<String> = synced(d).into_iter().map(|o| o.2).collect();
    ours.sort();
    assert_eq!(on_server, ours, "the server holds exactly the plan");

    // Disconnecting leaves the calendar as it is.
    let said = run(d, &["caldav", "disconnect"]);
    assert!(said.contains("left as it is"), "{said}");
    assert_eq!(phone.list(&collection).len(), ours.len());
    assert!(run(d, &["caldav", "status"]).contains("Not connected"));
    drop(server);
}

/// What the suite's independent parsers (three in Python, ical.js in JavaScript) read as the
/// alarms of the event in `ics`: one list of trigger minutes a parser, each must agree.
fn parsed_alarms(d: &Path, ics: &str) -> Vec<Vec<i64>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = d.join("object.ics");
    std::fs::write(&file, ics).expect("write");
    let python = std::process::Command::new(root.join(".tools/venv/bin/python"))
        .arg(root.join("scripts/ics-check/check.py"))
        .arg(&file)
        .output()
        .expect("check.py");
    assert!(python.status.success(), "{}", stderr(&python));
    let parsed: serde_json::Value = serde_json::from_str(&stdout(&python)).expect("json");
    let js = std::process::Command::new("node")
        .current_dir(root.join("ui"))
        .args([
            "--input-type=module",
            "-e",
            "import { withIcalJs } from './e2e/ics.mjs'; import { readFileSync } from 'node:fs'; \
             console.log(JSON.stringify(withIcalJs(readFileSync(process.argv[1], 'utf8'))));",
        ])
        .arg(&file)
        .output()
        .expect("node");
    assert!(js.status.success(), "{}", stderr(&js));
    let icaljs: serde_json::Value = serde_json::from_str(&stdout(&js)).expect("json");
    let alarms = |v: &serde_json::Value| -> Vec<i64> {
        v["items"][0]["alarms"]
            .as_array()
            .expect("alarms")
            .iter()
            .map(|a| a.as_f64().expect("minutes") as i64)
            .collect()
    };
    ["icalendar", "vobject", "ical"]
        .iter()
        .map(|p| alarms(&parsed[p]))
        .chain([alarms(&icaljs)])
        .collect()
}

/// Reminders reach the phone: every session's event carries the setting's VALARM, read the
/// same by four parsers; changing the setting rewrites each once; an alarm snoozed or edited
/// on the phone is neither pulled nor overwritten.
fn alarms_round_trip(server: Server) {
    let dir = planned();
    let d = dir.path();
    connect(d, &server);
    run(d, &["reminders", "30"]);
    let first = sync(d);
    assert_eq!(first["errors"], serde_json::json!([]), "{first}");
    let objects = synced(d);
    let sessions: Vec<&(String, String, String)> = objects
        .iter()
        .filter(|o| o.1.starts_with("session:"))
        .collect();
    assert!(sessions.len() > 5);
    let phone = Phone::new(server.user);
    let collection = calendar_url(d);
    let url = format!("{collection}{}", sessions[0].2);
    let (_, ics) = phone.get(&url);
    assert!(ics.contains("BEGIN:VALARM"), "{ics}");
    for (i, alarms) in parsed_alarms(d, &ics).into_iter().enumerate() {
        assert_eq!(alarms, vec![-30], "parser {i} on {ics}");
    }

    // A new setting: every session's event written again, once.
    run(d, &["reminders", "10"]);
    let changed = sync(d);
    assert_eq!(changed["updated"], sessions.len(), "{changed}");
    nothing_to_do(&sync(d));
    let (etag, ics) = phone.get(&url);
    assert_eq!(parsed_alarms(d, &ics)[0], vec![-10]);

    // On the phone: the alarm snoozed and acknowledged, as Thunderbird writes it.
    let snoozed = ics
        .replace("TRIGGER:-PT10M", "TRIGGER:-PT5M")
        .replace("END:VALARM", "ACKNOWLEDGED:20270104T180000Z\r\nEND:VALARM")
        .replace("END:VEVENT", "X-MOZ-LASTACK:20270104T180000Z\r\nEND:VEVENT");
    assert_ne!(snoozed, ics);
    phone.put(&url, &etag, &snoozed);
    nothing_to_do(&sync(d));
    let (_, kept) = phone.get(&url);
    assert!(
        kept.contains("TRIGGER:-PT5M"),
        "the phone's alarm was overwritten: {kept}"
    );
    nothing_to_do(&sync(d));

    // Disconnecting with --remove takes every event and task of the plan off the calendar,
    // the one the phone changed included, then forgets the connection.
    let ours = synced(d).len();
    assert!(phone.list(&collection).len() >= ours);
    let said = run(d, &["caldav", "disconnect", "--remove"]);
    assert!(
        said.contains(&format!("Removed the plan's {ours} events and tasks")),
        "{said}"
    );
    assert_eq!(phone.list(&collection), Vec::<String>::new());
    assert!(run(d, &["caldav", "status"]).contains("Not connected"));
    drop(server);
}

#[test]
fn radicale_carries_the_reminders() {
    alarms_round_trip(radicale());
}

#[test]
fn xandikos_carries_the_reminders() {
    alarms_round_trip(xandikos());
}

#[test]
fn radicale_both_ways() {
    both_ways(radicale());
}

#[test]
fn xandikos_both_ways() {
    both_ways(xandikos());
}

#[test]
fn a_wrong_password_is_refused_in_a_sentence_and_changes_nothing() {
    let server = radicale();
    let dir = planned();
    let d = dir.path();
    let said = run_fails(
        d,
        &[
            "caldav",
            "connect",
            &server.url,
            "--user",
            "alice",
            "--password-file",
            "wrong",
        ],
    );
    assert!(said.contains("refused the user name or password"), "{said}");
    assert!(run(d, &["caldav", "status"]).contains("Not connected"));
    connect(d, &server);
    let first = sync(d);
    let before = synced(d);
    assert_eq!(first["pushed"], before.len());
    sync_fails(
        command_at(d, NOW),
        "wrong",
        "refused the user name or password",
    );
    assert_eq!(synced(d), before, "a refused sync changes nothing");
    nothing_to_do(&sync(d));
    // The status keeps the last sync's result in view.
    assert!(run(d, &["caldav", "status"]).contains("complete"));
}

#[test]
fn a_server_killed_mid_sync_loses_and_duplicates_nothing() {
    let server = radicale();
    let dir = planned();
    let d = dir.path();
    // The proxy answers twelve requests, then dies: discovery and a few writes get through.
    let (dying, port) = proxy(&server.backend, &["--die-after", "12"], None);
    let front = format!("http://127.0.0.1:{port}/");
    connect_at(d, &front, "alice");
    let cut = sync(d);
    let said = cut["errors"][0].as_str().unwrap_or_default().to_string();
    assert!(said.contains("could not be reached"), "{cut}");
    assert!(run(d, &["caldav", "status"]).contains("not finished"));
    drop(dying);
    // The server is back (on the same address): the next sync finishes the work.
    let (_back, _) = proxy(&server.backend, &[], Some(port));
    let done = sync(d);
    assert_eq!(done["errors"], serde_json::json!([]), "{done}");
    let phone = Phone::new("alice");
    let mut on_server = phone.list(&calendar_url(d));
    on_server.sort();
    let mut ours: Vec<String> = synced(d).into_iter().map(|o| o.2).collect();
    ours.sort();
    assert_eq!(on_server, ours, "one copy of each object");
    nothing_to_do(&sync(d));
}

#[test]
fn a_412_from_a_change_made_meanwhile_is_read_again_and_the_plan_written() {
    let server = xandikos();
    let dir = planned();
    let d = dir.path();
    let raced = d.join("raced");
    let (_racing, port) = proxy(
        &server.backend,
        &[
            "--race",
            "--race-log",
            raced.to_str().expect("utf-8"),
            "--user",
            "bob",
            "--password",
            PASSWORD,
        ],
        None,
    );
    let front = format!("http://127.0.0.1:{port}/");
    connect_at(d, &front, "bob");
    let first = sync(d);
    assert_eq!(first["errors"], serde_json::json!([]), "{first}");
    // A change in the app: a session moved a day on, which rewrites its event
    // (conditionally, so the edit the proxy slips in first makes the server answer 412).
    let s = sessions(d)
        .into_iter()
        .find(|s| {
            s["status"] == "planned"
                && s["kind"] == "study"
                && s["date"].as_str() > Some("2027-01-07")
        })
        .expect("a session");
    let day: chrono::NaiveDate = s["date"].as_str().expect("date").parse().expect("date");
    let to = format!(
        "{}T{}",
        day + chrono::Duration::days(1),
        s["start"].as_str().expect("start")
    );
    run(d, &["move", &s["id"].to_string(), &to]);
    let r = sync(d);
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    assert!(r["updated"].as_u64() >= Some(1), "{r}");
    let raced = std::fs::read_to_string(&raced).expect("the proxy raced a write");
    assert!(raced.contains(".ics"), "{raced}");
    let phone = Phone::new("bob");
    let collection = calendar_url(d);
    for name in phone.list(&collection) {
        let (_, ics) = phone.get(&format!("{collection}{name}"));
        assert!(
            !ics.contains("edited elsewhere"),
            "the plan's version was written last: {ics}"
        );
    }
    nothing_to_do(&sync(d));
}

#[test]
fn a_slow_server_is_waited_for_and_a_silent_one_named() {
    let server = radicale();
    let dir = planned();
    let d = dir.path();
    // Slow but answering: the sync completes.
    let (slow, port) = proxy(&server.backend, &["--delay", "0.05"], None);
    let front = format!("http://127.0.0.1:{port}/");
    connect_at(d, &front, "alice");
    let r = sync(d);
    assert_eq!(r["errors"], serde_json::json!([]), "{r}");
    drop(slow);
    // Too slow (3 s an answer, 1 s allowed): a clear message, nothing lost.
    let before = synced(d);
    let (_silent, _) = proxy(&server.backend, &["--delay", "3"], Some(port));
    let mut impatient = command_at(d, NOW);
    impatient.env("ROADMAP_CALDAV_TIMEOUT_SECONDS", "1");
    sync_fails(impatient, "password", "did not answer in time");
    assert_eq!(synced(d), before);
}

#[test]
fn the_password_lives_in_the_system_keyring_and_nowhere_else() {
    assert_eq!(
        std::env::var("ROADMAP_KEYRING_READY").as_deref(),
        Ok("1"),
        "this test needs a Secret Service: run it under scripts/with-keyring.sh (make test does)"
    );
    let server = radicale();
    let dir = planned();
    let d = dir.path();
    // Typed (here: on standard input), not from a file.
    let mut child = command_at(d, NOW)
        .args(["caldav", "connect", &server.url, "--user", "alice"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run");
    use std::io::Write;
    writeln!(child.stdin.take().expect("stdin"), "{PASSWORD}").expect("type");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("in the system keyring"),
        "{}",
        stdout(&out)
    );
    // A sync without a password file takes it from the keyring.
    let r = command_at(d, NOW)
        .args(["caldav", "sync"])
        .output()
        .expect("run");
    assert!(r.status.success(), "{}{}", stdout(&r), stderr(&r));
    assert_eq!(
        roadmap_app::remote::keyring::kept(&server.url, "alice")
            .ok()
            .as_deref(),
        Some(PASSWORD)
    );
    // Not in the database, its journal or anything beside them.
    for entry in std::fs::read_dir(d).expect("dir") {
        let path = entry.expect("entry").path();
        if path.is_file() && !path.ends_with("password") {
            let bytes = std::fs::read(&path).expect("read");
            assert!(
                !bytes
                    .windows(PASSWORD.len())
                    .any(|w| w == PASSWORD.as_bytes()),
                "the password is in {}",
                path.display()
            );
        }
    }
    run(d, &["caldav", "disconnect"]);
    assert!(roadmap_app::remote::keyring::kept(&server.url, "alice").is_err());
    let said = run_fails(d, &["caldav", "sync"]);
    assert!(said.contains("not connected"), "{said}");
}

#[test]
fn a_calendar_on_the_server_can_block_study_time() {
    assert_eq!(
        std::env::var("ROADMAP_KEYRING_READY").as_deref(),
        Ok("1"),
        "this test needs a Secret Service: run it under scripts/with-keyring.sh (make test does)"
    );
    let server = radicale();
    let dir = planned();
    let d = dir.path();
    connect(d, &server);
    // The learner's work calendar, made on the server by another app: a Tuesday night shift
    // every week, in local time.
    let phone = Phone::new("alice");
    let work = format!("{}alice/work/", server.url);
    let made = phone
        .agent
        .run(
            http::Request::builder()
                .method("MKCALENDAR")
                .uri(&work)
                .header("Authorization", &phone.auth)
                .header("Content-Type", "application/xml")
                .body(r#"<?xml version="1.0"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work shifts</D:displayname></D:prop></D:set></C:mkcalendar>"#.to_string())
                .expect("request"),
        )
        .expect("mkcalendar");
    assert!(made.status().is_success(), "MKCALENDAR: {}", made.status());
    let shift = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:shift@phone\r\nDTSTAMP:20261201T000000Z\r\nDTSTART;TZID=Europe/Berlin:20270105T180000\r\nDTEND;TZID=Europe/Berlin:20270105T230000\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Night shift\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = phone
        .agent
        .put(&format!("{work}shift.ics"))
        .header("Authorization", &phone.auth)
        .header("Content-Type", "text/calendar")
        .send(shift)
        .expect("put");
    assert!(r.status().is_success());
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&run(d, &["caldav", "calendars", "--format", "json"])).expect("json");
    let names: Vec<&str> = list.iter().filter_map(|c| c["name"].as_str()).collect();
    assert!(names.contains(&"Work shifts"), "{list:?}");
    assert!(
        !names.contains(&"Roadmap Planner"),
        "the plan's own calendar is not offered"
    );
    let source = list
        .iter()
        .find(|c| c["name"] == "Work shifts")
        .and_then(|c| c["source"].as_str())
        .expect("source")
        .to_string();
    let tuesday_evening = |s: &serde_json::Value| {
        let day: chrono::NaiveDate = s["date"].as_str().expect("date").parse().expect("date");
        chrono::Datelike::weekday(&day) == chrono::Weekday::Tue
    };
    // Tuesdays are study days before.
    run(
        d,
        &[
            "plan",
            "--roadmap",
            "roadmap.toml",
            "--start",
            "2027-01-04",
            "--availability",
            "tue=19:00-22:00,sat=09:00-12:00",
            "--save",
        ],
    );
    assert!(
        sessions(d)
            .iter()
            .any(|s| s["status"] == "planned" && tuesday_evening(s))
    );
    let said = run(d, &["busy", "add", &source, "--name", "Work", "--yes"]);
    assert!(said.contains("Added Work (1 events"), "{said}");
    assert!(
        !sessions(d)
            .iter()
            .any(|s| s["status"] == "planned" && tuesday_evening(s)),
        "no session left on the shift"
    );
    // Read again like the others (the password from the keyring).
    let said = run(d, &["busy", "refresh"]);
    assert!(said.contains("Work: 1 events"), "{said}");
    // The plan's own calendar cannot block itself.
    let own = calendar_url(d);
    let own_path = format!("/{}", own.splitn(4, '/').nth(3).expect("path"));
    let said = run_fails(d, &["busy", "add", &format!("caldav:{own_path}")]);
    assert!(said.contains("cannot block its sessions"), "{said}");
}

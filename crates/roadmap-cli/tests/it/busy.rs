//! Busy calendars from the command line: a calendar's events keep study off their times,
//! only the times are stored, a calendar that cannot be read keeps its last good copy, and
//! removing it frees the times again.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{command_at, stderr, stdout};

const NOW: &str = "2027-01-04T08:00";

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = command_at(dir, NOW).args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn planned(dir: &std::path::Path) -> Vec<serde_json::Value> {
    serde_json::from_str::<Vec<serde_json::Value>>(&run(dir, &["sessions", "--format", "json"]))
        .expect("json")
        .into_iter()
        .filter(|s| s["status"] == "planned")
        .collect()
}

fn date(s: &serde_json::Value) -> NaiveDate {
    s["date"].as_str().expect("date").parse().expect("date")
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:shift@test\r\nDTSTAMP:20261201T000000Z\r\n\
DTSTART;TZID=Europe/Berlin:20270105T180000\r\nDTEND;TZID=Europe/Berlin:20270105T230000\r\n\
RRULE:FREQ=WEEKLY;BYDAY=TU\r\nSUMMARY:Secret night shift\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:trip@test\r\nDTSTAMP:20261201T000000Z\r\n\
DTSTART;VALUE=DATE:20270109\r\nDTEND;VALUE=DATE:20270110\r\nSUMMARY:Family visit\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:free@test\r\nDTSTAMP:20261201T000000Z\r\n\
DTSTART;TZID=Europe/Berlin:20270111T190000\r\nDTEND;TZID=Europe/Berlin:20270111T220000\r\n\
TRANSP:TRANSPARENT\r\nSUMMARY:Maybe a film\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn a_busy_calendar_keeps_study_off_its_times_until_it_is_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    run(
        d,
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--availability",
            "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,sat=09:00-15:00",
            "--save",
        ],
    );
    let tuesday = |s: &serde_json::Value| date(s).weekday() == Weekday::Tue;
    assert!(
        planned(d).iter().any(tuesday),
        "Tuesdays are study days at first"
    );

    let file = d.join("work.ics");
    std::fs::write(&file, CALENDAR).expect("write");
    // A shift every Tuesday moves far more than a few sessions: it is not added until the
    // learner, having seen them listed, says yes; nothing changes meanwhile.
    let before = planned(d);
    let held = command_at(d, NOW)
        .args(["busy", "add", file.to_str().expect("path")])
        .output()
        .expect("run");
    assert!(
        !held.status.success(),
        "a calendar that moves many sessions was added at once"
    );
    let said = stdout(&held);
    assert!(said.starts_with("Not added: work (3 events"), "{said}");
    assert!(
        said.contains("week of 2027-01-04:"),
        "the sessions are listed by week: {said}"
    );
    assert!(said.contains("--yes"), "{said}");
    assert_eq!(
        planned(d),
        before,
        "a calendar held for a yes moved sessions"
    );
    assert!(run(d, &["busy", "list"]).starts_with("No busy calendars"));
    let said = run(d, &["busy", "add", file.to_str().expect("path"), "--yes"]);
    assert!(said.starts_with("Added work (3 events"), "{said}");
    let sessions = planned(d);
    assert!(
        !sessions.iter().any(tuesday),
        "no session on a Tuesday shift"
    );
    let visit: NaiveDate = "2027-01-09".parse().expect("date");
    assert!(
        !sessions.iter().any(|s| date(s) == visit),
        "none on the family visit"
    );
    assert!(
        sessions
            .iter()
            .any(|s| date(s) == "2027-01-11".parse::<NaiveDate>().expect("date")),
        "a free (transparent) event blocks nothing"
    );

    let list: serde_json::Value =
        serde_json::from_str(&run(d, &["busy", "list", "--format", "json"])).expect("json");
    assert_eq!(list[0]["name"], "work");
    assert_eq!(list[0]["events"], 3);
    assert!(list[0]["intervals"].as_u64().expect("intervals") > 100);
    assert_eq!(list[0]["error"], serde_json::Value::Null);
    // Only the times are kept: no event's title reaches the database.
    for entry in std::fs::read_dir(d).expect("dir") {
        let path = entry.expect("entry").path();
        if path.to_string_lossy().contains("roadmap-planner.sqlite3") {
            let bytes = std::fs::read(&path).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("Secret night shift") && !text.contains("Family visit"));
        }
    }

    // A new plan made now keeps clear of them too, in what it prints and in what it saves.
    let printed: serde_json::Value = serde_json::from_str(&run(
        d,
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--availability",
            "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,sat=09:00-15:00",
            "--save",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    let printed = printed["sessions"].as_array().expect("sessions");
    assert!(!printed.is_empty() && !printed.iter().any(tuesday));
    assert!(!planned(d).iter().any(tuesday));
    let sessions = planned(d);

    // A move onto the shift is refused, with the reason.
    let id = sessions[0]["id"].to_string();
    let out = command_at(d, NOW)
        .args(["move", &id, "2027-01-12T19:00"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("busy time in your calendar"),
        "{}",
        stderr(&out)
    );

    // The file goes bad: the refresh says so and fails, the last good copy stays in force.
    std::fs::write(&file, "not a calendar").expect("write");
    let out = command_at(d, NOW)
        .args(["busy", "refresh"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(stdout(&out).contains("last good copy"), "{}", stdout(&out));
    let list: serde_json::Value =
        serde_json::from_str(&run(d, &["busy", "list", "--format", "json"])).expect("json");
    assert!(
        list[0]["error"]
            .as_str()
            .is_some_and(|e| e.contains("not an iCalendar file")),
        "{list}"
    );
    assert!(!planned(d).iter().any(tuesday), "the shift still holds");

    // Removed: the times are free again; nothing moves into them by itself (the plan stays
    // put), and a replan the learner asks for uses them: a Replan (Extend) would bring the
    // finish earlier, which only Pull forward does.
    let before = planned(d);
    let said = run(d, &["busy", "remove", "work"]);
    assert!(said.contains("free again"), "{said}");
    assert!(said.contains("No other session changed"), "{said}");
    assert_eq!(planned(d), before);
    let out = command_at(d, NOW).args(["replan"]).output().expect("run");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("pull the plan forward"),
        "{}",
        stderr(&out)
    );
    assert_eq!(planned(d), before, "a refused replan changes nothing");
    run(d, &["replan", "--policy", "pull-forward"]);
    assert!(
        planned(d).iter().any(tuesday),
        "Tuesdays are study days again"
    );
    let out = command_at(d, NOW)
        .args(["busy", "remove", "work"])
        .output()
        .expect("run");
    assert!(!out.status.success());
}

/// A one-file HTTP server on the loopback interface: answers every request with `status` and
/// the calendar, until the test ends. Returns its address.
fn serve(status: std::sync::Arc<std::sync::atomic::AtomicU16>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let code = status.load(std::sync::atomic::Ordering::SeqCst);
            let body = if code == 200 { CALENDAR } else { "no" };
            let _ = write!(
                stream,
                "HTTP/1.1 {code} X\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/secret-token/shifts.ics")
}

#[test]
fn a_calendar_at_a_web_address_is_fetched_and_its_last_good_copy_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    run(
        d,
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--availability",
            "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,sat=09:00-15:00",
            "--save",
        ],
    );
    let status = std::sync::Arc::new(std::sync::atomic::AtomicU16::new(200));
    let url = serve(status.clone());
    let said = run(d, &["busy", "add", &url, "--yes"]);
    assert!(said.starts_with("Added shifts (3 events"), "{said}");
    let tuesday = |s: &serde_json::Value| date(s).weekday() == Weekday::Tue;
    assert!(!planned(d).iter().any(tuesday));

    // The server fails: the refresh says how (naming the host, never the secret path), and
    // the shifts still hold.
    status.store(500, std::sync::atomic::Ordering::SeqCst);
    let out = command_at(d, NOW)
        .args(["busy", "refresh"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let said = stdout(&out);
    assert!(said.contains("answered 500"), "{said}");
    assert!(!said.contains("secret-token"), "{said}");
    assert!(!planned(d).iter().any(tuesday));
    status.store(200, std::sync::atomic::Ordering::SeqCst);
    run(d, &["busy", "refresh"]);
    let list: serde_json::Value =
        serde_json::from_str(&run(d, &["busy", "list", "--format", "json"])).expect("json");
    assert_eq!(list[0]["error"], serde_json::Value::Null);

    // Plain http crosses the network only to this computer; other schemes are refused.
    for (address, expected) in [
        ("http://calendar.example/me.ics", "https (or webcal)"),
        ("ftp://calendar.example/me.ics", "not read"),
    ] {
        let out = command_at(d, NOW)
            .args(["busy", "add", address, "--name", "other", "--yes"])
            .output()
            .expect("run");
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains(expected),
            "{address}: {}",
            stderr(&out)
        );
    }
}

//! `roadmap next` and `roadmap timer`: what the learner sees and what a stop records.

use std::path::Path;

use super::{command_at, stderr, stdout};

fn at(d: &Path, now: &str, args: &[&str]) -> std::process::Output {
    command_at(d, now).args(args).output().expect("run")
}

fn ok(d: &Path, now: &str, args: &[&str]) -> String {
    let out = at(d, now, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn planned() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    ok(
        dir.path(),
        "2027-01-04T08:00",
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "12",
            "--availability",
            "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00",
            "--save",
        ],
    );
    dir
}

#[test]
fn next_then_a_timed_session_records_its_real_minutes() {
    let dir = planned();
    let d = dir.path();
    let next: serde_json::Value =
        serde_json::from_str(&ok(d, "2027-01-04T18:00", &["next", "--format", "json"]))
            .expect("json");
    for key in [
        "session",
        "topic",
        "title",
        "date",
        "start",
        "minutes",
        "kind",
        "resources",
        "notes",
    ] {
        assert!(next.get(key).is_some(), "no {key} in {next}");
    }
    assert_eq!(next["date"], "2027-01-04");
    assert_eq!(next["start"], "19:00");
    assert_eq!(next["first"], true);
    assert_eq!(next["index"], 1);
    assert!(
        ok(d, "2027-01-04T18:00", &["next"])
            .starts_with("Your first session is Mon 4 Jan 2027 19:00")
    );
    let id = next["session"].as_i64().expect("id");
    let session = id.to_string();
    let planned = next["minutes"].as_u64().expect("minutes");

    ok(d, "2027-01-04T19:00", &["timer", "start", &session]);
    // One timer, shared: a second start is refused.
    let again = at(
        d,
        "2027-01-04T19:05",
        &["timer", "start", "--topic", "git-basics"],
    );
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already running"),
        "{}",
        stderr(&again)
    );
    let status: serde_json::Value = serde_json::from_str(&ok(
        d,
        "2027-01-04T19:30",
        &["timer", "status", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(status["running"], true);
    assert_eq!(status["session"], id);
    assert_eq!(status["elapsed_minutes"], 30);
    assert_eq!(status["started"], "2027-01-04T18:00:00Z");

    // Twenty minutes of sleep inside the timer: asked about, not recorded silently.
    let asleep = command_at(d, "2027-01-04T21:40")
        .env("ROADMAP_PLANNER_SUSPENDED", "1200")
        .args(["timer", "stop"])
        .output()
        .expect("run");
    assert!(!asleep.status.success());
    assert!(
        stderr(&asleep).contains("asleep for 20 minutes"),
        "{}",
        stderr(&asleep)
    );
    let said = stdout(
        &command_at(d, "2027-01-04T21:40")
            .env("ROADMAP_PLANNER_SUSPENDED", "1200")
            .args(["timer", "stop", "--drop-away"])
            .output()
            .expect("run"),
    );
    // 160 minutes ran, 20 asleep: 140 recorded, more than the session planned.
    assert!(said.contains("session done, 2 h 20 min studied"), "{said}");
    assert!(140 > planned);
    let sessions: Vec<serde_json::Value> = serde_json::from_str(&ok(
        d,
        "2027-01-04T21:41",
        &["sessions", "--format", "json", "--to", "2027-01-04"],
    ))
    .expect("json");
    let s = sessions.iter().find(|s| s["id"] == id).expect("session");
    assert_eq!(s["status"], "done");
    assert_eq!(s["done_minutes"], 140);
    // Evidence for the forecast: the hours seen count the timed minutes.
    let forecast: serde_json::Value = serde_json::from_str(&ok(
        d,
        "2027-01-04T21:41",
        &["forecast", "--format", "json"],
    ))
    .expect("json");
    let seen = forecast["hours_seen"].as_f64().expect("hours_seen");
    assert!((seen - 140.0 / 60.0).abs() < 0.01, "{forecast}");
    let status: serde_json::Value = serde_json::from_str(&ok(
        d,
        "2027-01-04T21:41",
        &["timer", "status", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(status["running"], false);
}

#[test]
fn reminders_are_one_setting_the_export_follows() {
    let dir = planned();
    let d = dir.path();
    assert!(ok(d, "2027-01-04T08:00", &["reminders"]).contains("off"));
    ok(d, "2027-01-04T08:00", &["export", "--ics", "a.ics"]);
    let text = std::fs::read_to_string(d.join("a.ics")).expect("ics");
    assert!(!text.contains("BEGIN:VALARM"));
    assert!(ok(d, "2027-01-04T08:00", &["reminders", "25"]).contains("25 minutes"));
    ok(d, "2027-01-04T08:00", &["export", "--ics", "b.ics"]);
    let text = std::fs::read_to_string(d.join("b.ics")).expect("ics");
    assert!(text.contains("TRIGGER:-PT25M"));
    let bad = at(d, "2027-01-04T08:00", &["reminders", "20000"]);
    assert!(!bad.status.success());
    assert!(
        stderr(&bad).contains("more than a week"),
        "{}",
        stderr(&bad)
    );
}

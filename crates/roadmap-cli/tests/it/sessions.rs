//! `sessions`, `mark` and `move`: every rule of the plan exercised from outside, with the
//! clock set to the minute through `ROADMAP_PLANNER_NOW`.

use std::path::Path;
use std::process::Output;

use super::{command_at, stderr, stdout};

fn at(dir: &Path, now: &str, args: &[&str]) -> Output {
    command_at(dir, now)
        .args(args)
        .output()
        .expect("run roadmap")
}

fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}{}", stdout(o), stderr(o));
    stdout(o)
}

fn sessions(dir: &Path, now: &str, day: &str) -> Vec<serde_json::Value> {
    let out = ok(&at(
        dir,
        now,
        &["sessions", "--from", day, "--to", day, "--format", "json"],
    ));
    serde_json::from_str::<Vec<serde_json::Value>>(&out).expect("json")
}

fn plan(dir: &Path) {
    ok(&at(
        dir,
        "2027-01-04T08:00",
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "12",
            "--availability",
            "wed=19:00-21:00,sun=09:00-13:00",
            "--blackout",
            "2027-01-20",
            "--save",
        ],
    ));
}

#[test]
fn a_sunday_evening_missed_session_and_replan_from_the_command_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    plan(dir.path());
    let evening = "2027-01-10T20:00";
    let sunday = sessions(dir.path(), evening, "2027-01-10");
    assert_eq!(sunday.len(), 2, "{sunday:?}");
    for field in [
        "id", "topic", "date", "start", "minutes", "status", "revision", "pinned",
    ] {
        assert!(
            sunday[0].get(field).is_some(),
            "no {field} in {}",
            sunday[0]
        );
    }
    let nine = sunday
        .iter()
        .find(|s| s["start"] == "09:00")
        .expect("09:00");
    let id = nine["id"].as_i64().expect("id").to_string();
    ok(&at(dir.path(), evening, &["mark", &id, "missed"]));
    ok(&at(dir.path(), evening, &["replan", "--policy", "extend"]));
    let sunday = sessions(dir.path(), evening, "2027-01-10");
    let live: Vec<_> = sunday
        .iter()
        .filter(|s| s["status"] != "cancelled")
        .collect();
    let at_nine: Vec<_> = live.iter().filter(|s| s["start"] == "09:00").collect();
    assert_eq!(at_nine.len(), 1, "{sunday:?}");
    assert_eq!(at_nine[0]["status"], "missed");

    // Moves that break a rule are refused with the reason, and change nothing.
    let ahead = sessions(dir.path(), evening, "2027-01-17");
    let id = ahead[0]["id"].as_i64().expect("id").to_string();
    let before = ok(&at(dir.path(), evening, &["sessions", "--format", "json"]));
    for (to, why) in [
        ("2027-01-10T18:00", "in the past"),
        ("2027-01-20T19:00", "blocked out"),
        ("2027-01-10T09:00", "in the past"),
        ("2027-01-17T23:30", "midnight"),
        ("tomorrow", "YYYY-MM-DDTHH:MM"),
    ] {
        let o = at(dir.path(), evening, &["move", &id, to]);
        assert!(!o.status.success(), "moving to {to} was accepted");
        assert!(stderr(&o).contains(why), "{to}: {}", stderr(&o));
    }
    assert_eq!(
        ok(&at(dir.path(), evening, &["sessions", "--format", "json"])),
        before
    );
    // A good move pins the session and raises its revision.
    ok(&at(dir.path(), evening, &["move", &id, "2027-01-16T10:00"]));
    let moved = sessions(dir.path(), evening, "2027-01-16");
    let m = moved
        .iter()
        .find(|s| s["id"].as_i64().map(|i| i.to_string()) == Some(id.clone()))
        .expect("moved");
    assert_eq!(m["start"], "10:00");
    assert_eq!(m["pinned"], true);
    assert!(m["revision"].as_u64().expect("revision") >= 1);
    // Marking: partly needs minutes; a session still to come cannot be done.
    let o = at(dir.path(), evening, &["mark", &id, "partly"]);
    assert!(stderr(&o).contains("minutes studied"), "{}", stderr(&o));
    let o = at(dir.path(), evening, &["mark", &id, "done"]);
    assert!(stderr(&o).contains("has not come yet"), "{}", stderr(&o));
}

/// The CLI and another writer at once: every change lands, none fails with "database is
/// locked". Eight processes log study and replan concurrently.
#[test]
fn writers_in_parallel_queue_and_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    plan(dir.path());
    let now = "2027-01-12T12:00";
    let children: Vec<_> = (0..8)
        .map(|i| {
            let args: Vec<String> = if i % 4 == 3 {
                vec!["replan".into()]
            } else {
                vec!["log".into(), "git-basics".into(), format!("{}", 10 + i)]
            };
            command_at(dir.path(), now)
                .args(&args)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success(), "a writer failed");
    }
    let status = ok(&at(dir.path(), now, &["status", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&status).expect("json");
    let logged: u64 = v["week"]["logs"]
        .as_array()
        .expect("logs")
        .iter()
        .map(|l| l["minutes"].as_u64().expect("minutes"))
        .sum();
    assert_eq!(
        logged,
        (0..8u64)
            .filter(|i| i % 4 != 3)
            .map(|i| 10 + i)
            .sum::<u64>()
    );
}

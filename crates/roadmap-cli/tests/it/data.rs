//! `roadmap export --all` and `roadmap import`: all of the learner's data out and back in.

use std::path::Path;

use super::progress::{ok, saved_plan};
use super::{roadmap_on, stderr};

/// The file without its `exported_at` line: what two exports of the same data share.
fn without_stamp(text: &str) -> String {
    text.lines()
        .filter(|l| !l.trim_start().starts_with("\"exported_at\""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A plan lived in for a few weeks: sessions checked off, study logged and corrected, a topic
/// done, a week closed, a review rated, a busy calendar,
/// reminders on, and a replan that can still be undone.
fn lived(dir: &Path) {
    let today = "2027-01-04";
    saved_plan(dir);
    let shifts = dir.join("shifts.ics");
    std::fs::write(
        &shifts,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:a@t\r\nDTSTAMP:20270101T000000Z\r\nDTSTART:20270301T080000Z\r\nDTEND:20270301T160000Z\r\nSUMMARY:Shift\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .expect("write");
    ok(
        dir,
        today,
        &["busy", "add", shifts.to_str().expect("path"), "--yes"],
    );
    ok(dir, today, &["reminders", "30"]);
    let sessions: Vec<serde_json::Value> =
        serde_json::from_str(&ok(dir, "2027-01-12", &["sessions", "--format", "json"]))
            .expect("json");
    let first = sessions[0]["id"].to_string();
    let second = sessions[1]["id"].to_string();
    ok(dir, "2027-01-12", &["mark", &first, "done"]);
    ok(dir, "2027-01-12", &["mark", &second, "partly", "40"]);
    ok(dir, "2027-01-12", &["log", "git-basics", "45"]);
    ok(dir, "2027-01-12", &["log", "git-basics", "45"]);
    ok(dir, "2027-01-12", &["done", "git-basics"]);
    ok(
        dir,
        "2027-01-12",
        &[
            "week",
            "close",
            "2027-01-06",
            "--outcome",
            "partly",
            "--note",
            "a \"busy\" week",
        ],
    );
    ok(dir, "2027-01-20", &["review", "git-basics", "good"]);
    ok(dir, "2027-02-08", &["replan"]);
}

#[test]
fn export_import_export_gives_the_same_file_and_a_bad_file_changes_nothing() {
    let first = tempfile::tempdir().expect("tempdir");
    lived(first.path());
    let a = first.path().join("all.json");
    let said = ok(
        first.path(),
        "2027-02-08",
        &["export", "--all", a.to_str().expect("path")],
    );
    assert!(said.contains("Wrote all of your data"), "{said}");
    let text = std::fs::read_to_string(&a).expect("read");
    let json: serde_json::Value = serde_json::from_str(&text).expect("json");
    assert_eq!(json["format"], "roadmap-planner-data");
    assert_eq!(json["version"], 1);
    let plan = &json["plans"][0];
    assert_eq!(plan["current"], true);
    assert_eq!(plan["logs"].as_array().expect("logs").len(), 2);
    assert_eq!(plan["marks"]["git-basics"]["mark"], "done");
    assert_eq!(plan["recalls"][0]["recall"], "good");
    assert!(plan["last_replan"].is_object(), "{}", plan["last_replan"]);
    assert_eq!(json["preferences"]["reminder_minutes"], 30);
    assert_eq!(
        json["busy_calendars"][0]["blocks"]
            .as_array()
            .expect("blocks")
            .len(),
        1
    );

    // Into an empty folder, and out again: the same file but for its stamp.
    let second = tempfile::tempdir().expect("tempdir");
    let said = ok(
        second.path(),
        "2027-02-08",
        &["import", a.to_str().expect("path")],
    );
    assert!(said.contains("Imported 1 plan with"), "{said}");
    assert!(said.contains("backup"), "{said}");
    let b = second.path().join("again.json");
    ok(
        second.path(),
        "2027-02-08",
        &["export", "--all", b.to_str().expect("path")],
    );
    let again = std::fs::read_to_string(&b).expect("read");
    assert_eq!(without_stamp(&again), without_stamp(&text));
    // The imported plan is the plan: the replan it remembers can still be undone.
    let said = ok(second.path(), "2027-02-08", &["replan", "--undo"]);
    assert!(said.contains("undone"), "{said}");

    // Refused, each with its reason, and nothing changes.
    let before = ok(
        second.path(),
        "2027-02-08",
        &["sessions", "--format", "json"],
    );
    let bad = second.path().join("bad.json");
    let newer = text.replacen("\"version\": 1", "\"version\": 2", 1);
    let mut overlapping: serde_json::Value = serde_json::from_str(&text).expect("json");
    let s0 = overlapping["plans"][0]["sessions"][0].clone();
    let s1 = &mut overlapping["plans"][0]["sessions"][1];
    s1["date"] = s0["date"].clone();
    s1["start"] = s0["start"].clone();
    s1["status"] = "planned".into();
    let mut unknown: serde_json::Value = serde_json::from_str(&text).expect("json");
    unknown["plans"][0]["secret"] = "x".into();
    for (content, expect) in [
        (newer, "newer Roadmap Planner"),
        (
            "{\"format\": \"something else\"}".to_string(),
            "not a Roadmap Planner data file",
        ),
        (
            text[..text.len() / 2].to_string(),
            "not a Roadmap Planner data file",
        ),
        (overlapping.to_string(), "overlap"),
        (unknown.to_string(), "secret"),
    ] {
        std::fs::write(&bad, content).expect("write");
        let out = roadmap_on(
            second.path(),
            "2027-02-08",
            &["import", bad.to_str().expect("path")],
        );
        assert!(!out.status.success(), "imported: {expect}");
        assert!(stderr(&out).contains(expect), "{expect}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("nothing was imported"),
            "{}",
            stderr(&out)
        );
        assert_eq!(
            ok(
                second.path(),
                "2027-02-08",
                &["sessions", "--format", "json"]
            ),
            before
        );
    }
    // A folder is not a file.
    let out = roadmap_on(
        second.path(),
        "2027-02-08",
        &["import", second.path().to_str().expect("path")],
    );
    assert!(!out.status.success());
}

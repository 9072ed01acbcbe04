//! `log`, `done`, `skip`, `replan` and `status` on the same database as the app.

use std::path::Path;

use super::{roadmap, roadmap_on, stderr, stdout};

pub(crate) fn saved_plan(dir: &Path) {
    let out = roadmap(
        dir,
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
    assert!(out.status.success(), "{}", stderr(&out));
}

fn status(dir: &Path, today: &str) -> serde_json::Value {
    let out = roadmap_on(dir, today, &["status", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("json")
}

/// Runs `args` on `today`, which must succeed; its output.
pub(crate) fn ok(dir: &Path, today: &str, args: &[&str]) -> String {
    let out = roadmap_on(dir, today, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// Each of `cases` fails and says what it names.
fn refused(dir: &Path, today: &str, cases: &[(Vec<&str>, &str)]) {
    for (args, expect) in cases {
        let out = roadmap_on(dir, today, args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
}

fn database_bytes(dir: &Path) -> Vec<u8> {
    // Reading through SQLite, so that WAL contents count too.
    let conn = roadmap_store::open(&dir.join(roadmap_store::DATABASE_FILE)).expect("open");
    let dump: Vec<String> = ["sessions", "study_log", "topic_marks", "plan_settings"]
        .iter()
        .map(|t| {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM {t}"))
                .expect("prepare");
            let n = stmt.column_count();
            let rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).expect("value")))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .expect("query")
                .map(|r| r.expect("row"))
                .collect();
            rows.join("\n")
        })
        .collect();
    dump.join("\n--\n").into_bytes()
}

#[test]
fn logging_marking_and_status_agree() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let today = "2027-01-13";
    let before = status(dir.path(), today);
    let first = before["plan"]["topics"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();

    let out = roadmap_on(
        dir.path(),
        today,
        &["log", &first, "50", "--date", "2027-01-12"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = roadmap_on(dir.path(), today, &["skip", "git-basics"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = roadmap_on(dir.path(), today, &["done", &first]);
    assert!(out.status.success(), "{}", stderr(&out));

    let after = status(dir.path(), today);
    assert_eq!(after["plan"]["progress"]["minutes_done"], 50);
    assert_eq!(after["plan"]["progress"]["topics_done"], 2);
    let state = |id: &str| {
        after["plan"]["topics"]
            .as_array()
            .expect("topics")
            .iter()
            .find(|t| t["id"] == id)
            .map(|t| t["state"].clone())
    };
    assert_eq!(state(&first), Some("done".into()));
    assert_eq!(state("git-basics"), Some("skipped".into()));
    assert_eq!(after["week"]["week"], "2027-W02");
    assert_eq!(after["week"]["done_minutes"], 50);

    let text = stdout(&roadmap_on(dir.path(), today, &["status", "--topics"]));
    assert!(text.contains("Progress: 2 of"), "{text}");
    assert!(text.contains("This week (2027-W02)"), "{text}");
}

#[test]
fn bad_progress_input_fails_clearly_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let today = "2027-01-13";
    let before = database_bytes(dir.path());
    for (args, expect) in [
        (vec!["log", "no-such-topic", "30"], "no-such-topic"),
        (vec!["log", "git-basics", "-30"], "-30"),
        (vec!["log", "git-basics", "0"], "between 1 and"),
        (
            vec!["log", "git-basics", "30", "--date", "2027-01-14"],
            "in the future",
        ),
        (
            vec!["log", "git-basics", "30", "--date", "2027-13-01"],
            "2027-13-01",
        ),
        (vec!["done", "nope"], "nope"),
        (vec!["replan", "--policy", "compress", "--cap", "-3"], "-3"),
    ] {
        let out = roadmap_on(dir.path(), today, &args);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(stderr(&out).contains(expect), "{args:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    }
    assert_eq!(
        database_bytes(dir.path()),
        before,
        "a failed command changed the database"
    );
}

#[test]
fn logged_study_is_listed_corrected_and_deleted_and_nothing_else_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let today = "2027-01-13";
    let run = |args: &[&str]| ok(dir.path(), today, args);
    let sessions = || run(&["sessions", "--format", "json"]);
    // A double click: the same study logged twice.
    run(&["log", "git-basics", "30", "--date", "2027-01-12"]);
    run(&["log", "git-basics", "30", "--date", "2027-01-12"]);
    run(&["log", "sql-queries", "20", "--date", "2027-01-11"]);
    let listed: Vec<serde_json::Value> =
        serde_json::from_str(&run(&["logs", "--format", "json"])).expect("json");
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["topic"], "sql-queries", "in date order");
    let twice = listed[2]["id"].as_i64().expect("id").to_string();
    let kept = listed[1]["id"].as_i64().expect("id").to_string();
    let plan_before = sessions();

    let said = run(&["log", "--delete", &twice]);
    assert!(
        said.starts_with(&format!(
            "Deleted logged entry #{twice}: 30 min of git-basics on 2027-01-12."
        )),
        "{said}"
    );
    let said = run(&["log", "--edit", &kept, "sql-queries", "45"]);
    assert!(
        said.starts_with(&format!(
            "Logged entry #{kept} is now 45 min of sql-queries on 2027-01-12."
        )),
        "{said}"
    );
    assert_eq!(sessions(), plan_before, "no session moved");
    let text = run(&["logs", "--from", "2027-01-12"]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("45 min") && text.contains(&format!("#{kept}")),
        "{text}"
    );
    assert_eq!(
        status(dir.path(), today)["plan"]["progress"]["minutes_done"],
        65
    );

    // Refused in a sentence, nothing changed: an unknown entry, 0 minutes, a day before the plan.
    let before = database_bytes(dir.path());
    refused(
        dir.path(),
        today,
        &[
            (
                vec!["log", "--delete", "999999"],
                "no logged study numbered 999999",
            ),
            (
                vec!["log", "--edit", &kept, "sql-queries", "0"],
                "between 1 and",
            ),
            (
                vec![
                    "log",
                    "--edit",
                    &kept,
                    "sql-queries",
                    "30",
                    "--date",
                    "2026-01-01",
                ],
                "before the plan began",
            ),
            (
                vec!["log", "--delete", &kept, "--date", "2027-01-12"],
                "cannot be used with",
            ),
        ],
    );
    assert_eq!(database_bytes(dir.path()), before);
}

#[test]
fn a_past_week_is_closed_corrected_and_reopened_and_nothing_else_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let today = "2027-01-13";
    let run = |args: &[&str]| ok(dir.path(), today, args);
    let review = || {
        let past = status(dir.path(), today)["week"]["past"].clone();
        past.as_array()
            .expect("past weeks")
            .iter()
            .find(|w| w["week"] == "2027-W01")
            .map(|w| w["review"].clone())
            .unwrap_or(serde_json::Value::Null)
    };
    let sessions = run(&["sessions", "--format", "json"]);
    // Last week, closed during this one; then corrected by closing it again.
    assert!(
        run(&["week", "close", "2027-01-06", "--outcome", "partly"])
            .starts_with("The week of 2027-01-04 is closed: partly.")
    );
    assert_eq!(review()["outcome"], "partly");
    run(&[
        "week",
        "close",
        "2027-01-04",
        "--outcome",
        "blocked",
        "--note",
        "ill",
    ]);
    assert_eq!(
        review(),
        serde_json::json!({ "outcome": "blocked", "note": "ill" })
    );
    assert!(run(&["week", "reopen", "2027-01-10"]).contains("open again"));
    assert_eq!(review(), serde_json::Value::Null);
    assert_eq!(
        run(&["sessions", "--format", "json"]),
        sessions,
        "no session moved"
    );
    // Refused in a sentence: reopening an open week, a week to come, a week before the plan.
    refused(
        dir.path(),
        today,
        &[
            (vec!["week", "reopen", "2027-01-04"], "not closed"),
            (
                vec!["week", "close", "2027-01-20", "--outcome", "done"],
                "has not begun",
            ),
            (
                vec!["week", "close", "2026-12-28", "--outcome", "done"],
                "before the plan began",
            ),
        ],
    );
}

#[test]
fn commands_that_need_a_plan_say_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap_on(dir.path(), "2027-01-13", &["log", "git-basics", "30"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no plan yet"), "{}", stderr(&out));
}

#[test]
fn replan_dry_run_changes_nothing_and_replan_moves_the_finish() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    // A month in and nothing done.
    let today = "2027-02-08";
    let end_before = status(dir.path(), today)["plan"]["projected_end"].clone();
    let before = database_bytes(dir.path());
    let out = roadmap_on(
        dir.path(),
        today,
        &["replan", "--dry-run", "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let preview: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert!(preview["moved"].as_u64().expect("moved") > 0);
    assert!(preview["projected_end"].as_str() > end_before.as_str());
    assert_eq!(database_bytes(dir.path()), before);

    let out = roadmap_on(dir.path(), today, &["replan", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let applied: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(applied, preview);
    assert_eq!(
        status(dir.path(), today)["plan"]["projected_end"],
        preview["projected_end"]
    );

    let out = roadmap_on(
        dir.path(),
        today,
        &["replan", "--policy", "compress", "--cap", "25"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("h a week"), "{}", stdout(&out));
    assert_eq!(status(dir.path(), today)["plan"]["on_track"], true);
}

#[test]
fn export_writes_a_clean_calendar_the_same_each_time_and_refuses_a_bad_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let ics = dir.path().join("plan.ics");
    let path = ics.to_str().expect("utf-8");
    let out = roadmap(
        dir.path(),
        &[
            "export",
            "--ics",
            path,
            "--alarm",
            "10",
            "--name",
            "Mine, all; mine",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Wrote "), "{}", stdout(&out));
    let first = std::fs::read(&ics).expect("read");
    let text = String::from_utf8(first.clone()).expect("utf-8");
    assert_eq!(roadmap_core::calendar::lint(&text), vec![]);
    assert!(text.contains("X-WR-CALNAME:Mine\\, all\\; mine\r\n"));
    let check = roadmap(dir.path(), &["check-ics", path]);
    assert!(check.status.success(), "{}", stderr(&check));

    // Byte for byte the same when nothing changed.
    let out = roadmap(
        dir.path(),
        &[
            "export",
            "--ics",
            path,
            "--alarm",
            "10",
            "--name",
            "Mine, all; mine",
        ],
    );
    assert!(out.status.success());
    assert_eq!(std::fs::read(&ics).expect("read"), first);

    // A folder that does not exist: a clear error, and the old file untouched.
    let bad = dir.path().join("no-such-folder").join("plan.ics");
    let out = roadmap(
        dir.path(),
        &["export", "--ics", bad.to_str().expect("utf-8")],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no-such-folder"), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    // A folder in place of the file.
    let out = roadmap(
        dir.path(),
        &["export", "--ics", dir.path().to_str().expect("utf-8")],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("folder"), "{}", stderr(&out));
    assert_eq!(std::fs::read(&ics).expect("read"), first);
    // No temporary files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // A broken file is caught by check-ics with its line.
    std::fs::write(&ics, "BEGIN:VCALENDAR\nEND:VCALENDAR\n").expect("write");
    let out = roadmap(dir.path(), &["check-ics", path]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains(":1: a line does not end in CRLF"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn replan_undo_gives_the_plan_back_once_and_not_after_its_sessions_began() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let today = "2027-02-08";
    let live = |dir: &Path| -> Vec<serde_json::Value> {
        let all: Vec<serde_json::Value> =
            serde_json::from_str(&ok(dir, today, &["sessions", "--format", "json"])).expect("json");
        all.into_iter()
            .filter(|s| s["status"] != "cancelled")
            .map(|s| serde_json::json!([s["id"], s["date"], s["start"], s["minutes"], s["status"]]))
            .collect()
    };
    let before = live(dir.path());
    let end_before = status(dir.path(), today)["plan"]["projected_end"].clone();
    refused(
        dir.path(),
        today,
        &[(vec!["replan", "--undo"], "there is no replan to undo")],
    );
    ok(dir.path(), today, &["replan"]);
    assert_ne!(live(dir.path()), before, "the replan changed nothing");
    let said = ok(dir.path(), today, &["replan", "--undo"]);
    assert!(said.contains("The last replan is undone"), "{said}");
    assert_eq!(live(dir.path()), before);
    assert_eq!(
        status(dir.path(), today)["plan"]["projected_end"],
        end_before
    );
    // Once only, and not with another policy's flags.
    refused(
        dir.path(),
        today,
        &[
            (vec!["replan", "--undo"], "there is no replan to undo"),
            (vec!["replan", "--undo", "--dry-run"], "--dry-run"),
        ],
    );
    // Weeks later its first sessions have begun: it is no longer undone, and says why.
    ok(dir.path(), today, &["replan"]);
    refused(
        dir.path(),
        "2027-03-01",
        &[(vec!["replan", "--undo"], "has begun")],
    );
}

#[test]
fn one_week_gets_its_own_times_and_only_its_sessions_move() {
    let dir = tempfile::tempdir().expect("tempdir");
    saved_plan(dir.path());
    let today = "2027-02-01";
    let sessions = |dir: &Path| -> Vec<serde_json::Value> {
        serde_json::from_str(&ok(dir, today, &["sessions", "--format", "json"])).expect("json")
    };
    let before = sessions(dir.path());
    // An exam week: only Saturday morning, two hours.
    let said = ok(
        dir.path(),
        today,
        &["availability", "--week", "2027-02-10", "sat=09:00-11:00"],
    );
    assert!(
        said.contains("The week of 2027-02-08 has its own times: sat=09:00-11:00 (2.0 h)"),
        "{said}"
    );
    let after = sessions(dir.path());
    let in_week = |s: &serde_json::Value| {
        let d = s["date"].as_str().expect("date");
        ("2027-02-08"..="2027-02-14").contains(&d)
    };
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b["id"], a["id"]);
        if !in_week(b) {
            assert_eq!(b, a, "a session outside the week changed");
        }
    }
    let live_in_week: Vec<&serde_json::Value> = after
        .iter()
        .filter(|s| in_week(s) && s["status"] != "cancelled")
        .collect();
    assert!(!live_in_week.is_empty());
    for s in live_in_week {
        assert_eq!(s["date"], "2027-02-13", "{s}");
        assert!(s["start"].as_str() >= Some("09:00"), "{s}");
    }
    let status: serde_json::Value = serde_json::from_str(&ok(
        dir.path(),
        "2027-02-10",
        &["status", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(status["week"]["available_minutes"], 120);
    // Back to the usual week: more time moves nothing by itself.
    let said = ok(
        dir.path(),
        today,
        &["availability", "--week", "2027-02-08", "--usual"],
    );
    assert!(said.contains("has your usual times (8.0 h)"), "{said}");
    assert!(said.contains("No session changed."), "{said}");
    refused(
        dir.path(),
        today,
        &[
            (
                vec!["availability", "--week", "2027-01-20", "mon=19:00-21:00"],
                "is over",
            ),
            (
                vec!["availability", "--week", "2027-02-20", "funday=19:00-21:00"],
                "funday",
            ),
            (vec!["availability", "--week", "2027-02-20"], "<WINDOWS>"),
        ],
    );
}

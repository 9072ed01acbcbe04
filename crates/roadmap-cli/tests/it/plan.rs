use super::{command_at, roadmap, stderr, stdout};

#[test]
fn status_without_a_plan_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(dir.path(), &["status"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("No plan yet"));
}

#[test]
fn a_saved_plan_is_what_status_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "9",
            "--save",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let planned: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(planned["start"], "2027-01-04");
    let out = roadmap(dir.path(), &["status", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let plan = &status["plan"];
    assert_eq!(plan["settings"]["start"], "2027-01-04");
    assert_eq!(plan["target_end"], "2027-10-04");
    assert_eq!(plan["steps"].as_array().map(Vec::len), Some(8));
    // The saved plan is the printed plan: the same sessions, so the same finish.
    assert_eq!(plan["projected_end"], planned["projected_end"]);
    assert_eq!(plan["settings"]["availability"], planned["availability"]);
}

/// With a start already under way, `--save` plans from now on (the past is history), and what
/// it prints is the plan it saved, session for session: the app and the CLI make a plan through
/// one use case, scheduled once.
#[test]
fn a_saved_plan_prints_exactly_the_sessions_it_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let at = "2027-01-06T20:00";
    let out = command_at(dir.path(), at)
        .args([
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "9",
            "--availability",
            "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00",
            "--save",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let out = command_at(dir.path(), at)
        .args(["sessions", "--format", "json"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let saved: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let key = |s: &serde_json::Value| {
        ["kind", "topic", "date", "start", "minutes"].map(|k| s[k].to_string())
    };
    let printed: Vec<_> = printed["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(key)
        .collect();
    let saved: Vec<_> = saved.as_array().expect("rows").iter().map(key).collect();
    assert!(printed.len() > 100, "{}", printed.len());
    assert_eq!(printed, saved);
    // Nothing before now: Monday's and this evening's first hour are past.
    let first = &printed[0];
    assert_eq!(
        (first[2].as_str(), first[3].as_str()),
        ("\"2027-01-06\"", "\"20:15\"")
    );
}

#[test]
fn a_plan_without_save_leaves_the_database_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &["plan", "--start", "2027-01-04", "--months", "12"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Feasible: yes"), "{}", stdout(&out));
    assert!(!dir.path().join(roadmap_store::DATABASE_FILE).exists());
}

#[test]
fn months_out_of_range_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &["plan", "--start", "2027-01-04", "--months", "30"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("6 to 24 months"), "{}", stderr(&out));
}

#[test]
fn an_impossible_date_fails_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &["plan", "--start", "2027-02-30", "--months", "12"],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("2027-02-30"), "{}", stderr(&out));
}

#[test]
fn a_corrupt_database_is_reported_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join(roadmap_store::DATABASE_FILE);
    let junk = vec![0x42u8; 8192];
    std::fs::write(&db, &junk).expect("write");
    let out = roadmap(dir.path(), &["status"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is not a Roadmap Planner database"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&db).expect("read"), junk);
}

#[test]
fn a_plan_from_a_roadmap_file_uses_its_steps_and_is_saved_with_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("two-steps.toml");
    std::fs::write(
        &file,
        r#"title = "Two steps"
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
title = "A"
hours = 5
skills = ["s"]
[[topics]]
id = "b"
step = "two"
title = "B"
hours = 15
skills = ["s"]
requires = ["a"]
"#,
    )
    .expect("write");
    let path = file.to_str().expect("utf-8 path");
    let out = roadmap(
        dir.path(),
        &[
            "plan",
            "--roadmap",
            path,
            "--start",
            "2027-01-01",
            "--months",
            "6",
            "--save",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let out = roadmap(dir.path(), &["status", "--format", "json"]);
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(status["plan"]["roadmap_title"], "Two steps");
    let steps: Vec<&str> = status["plan"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["id"].as_str().expect("id"))
        .collect();
    assert_eq!(steps, ["one", "two"]);

    // The file's text is kept with the plan, so the plan survives the file changing.
    let conn = roadmap_store::open(&dir.path().join(roadmap_store::DATABASE_FILE)).expect("open");
    let stored = roadmap_store::roadmaps::current(&conn)
        .expect("query")
        .expect("a roadmap");
    assert_eq!(stored.source, path);
    assert!(stored.text.contains("Two steps"));
}

#[test]
fn an_invalid_roadmap_file_is_refused_before_anything_is_saved() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "title = \"x\"\n").expect("write");
    let out = roadmap(
        dir.path(),
        &[
            "plan",
            "--roadmap",
            file.to_str().expect("utf-8"),
            "--start",
            "2027-01-01",
            "--save",
        ],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bad.toml:1:"), "{}", stderr(&out));
    assert!(!dir.path().join(roadmap_store::DATABASE_FILE).exists());
}

#[test]
fn the_json_plan_keeps_its_documented_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(
        dir.path(),
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "9",
            "--availability",
            "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00",
            "--blackout",
            "2027-07-01..2027-07-14",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let plan: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    for key in [
        "start",
        "target_end",
        "projected_end",
        "feasible",
        "required_hours_per_week",
        "available_hours_per_week",
        "topics",
        "sessions",
        "weeks",
    ] {
        assert!(plan.get(key).is_some(), "missing {key}");
    }
    assert_eq!(plan["available_hours_per_week"], 8.0);
    assert_eq!(
        plan["feasible"], false,
        "8 h a week cannot fit the roadmap into 9 months"
    );
    let topic = &plan["topics"][0];
    for key in ["id", "step", "hours", "requires", "start", "finish"] {
        assert!(topic.get(key).is_some(), "topic misses {key}");
    }
    let session = &plan["sessions"][0];
    assert_eq!(session["date"], "2027-01-04");
    assert_eq!(session["start"], "19:00");
    assert!(session["minutes"].as_u64().is_some_and(|m| m > 0));
    assert!(session["topic"].is_string());
    let week = &plan["weeks"][0];
    assert_eq!(week["week"], "2027-W01");
    assert!(week["planned_minutes"].as_u64() <= week["capacity_minutes"].as_u64());
    assert!(
        plan["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .all(|s| !("2027-07-01".."2027-07-15").contains(&s["date"].as_str().expect("date"))),
        "a session fell in the blocked period"
    );
}

#[test]
fn bad_plan_flags_fail_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&[&str], &str)] = &[
        (&["--months", "5"], "6 to 24 months"),
        (
            &["--availability", "mon=21:00-19:00"],
            "ends before it starts",
        ),
        (
            &["--availability", "someday=19:00-21:00"],
            "unknown weekday",
        ),
        (
            &["--months", "12", "--blackout", "2027-02-30..2027-03-02"],
            "not a date",
        ),
        (
            &["--months", "12", "--blackout", "2027-03-10..2027-03-01"],
            "ends before it starts",
        ),
        (&["--months", "12", "--session-min", "20"], "quarter hours"),
        (&[], "give a target duration"),
    ];
    for (flags, needle) in cases {
        let mut args = vec!["plan", "--start", "2027-01-04"];
        args.extend_from_slice(flags);
        let out = roadmap(dir.path(), &args);
        assert!(!out.status.success(), "{flags:?} succeeded");
        assert!(stderr(&out).contains(needle), "{flags:?}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{flags:?} panicked");
    }
}

#[test]
fn steps_already_known_are_skipped_visibly_and_never_scheduled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| {
        super::command_at(d, "2027-01-04T08:00")
            .args(args)
            .output()
            .expect("run")
    };
    let made = run(&[
        "plan",
        "--start",
        "2027-01-04",
        "--months",
        "12",
        "--known",
        "version-control,languages",
        "--save",
    ]);
    assert!(made.status.success(), "{}", super::stderr(&made));
    let status: serde_json::Value =
        serde_json::from_str(&super::stdout(&run(&["status", "--format", "json"]))).expect("json");
    let topics = status["plan"]["topics"].as_array().expect("topics");
    let known: Vec<&serde_json::Value> = topics
        .iter()
        .filter(|t| t["step"] == "version-control" || t["step"] == "languages")
        .collect();
    assert!(known.len() > 8);
    for t in &known {
        assert_eq!(t["state"], "skipped", "{t}");
    }
    let sessions: serde_json::Value =
        serde_json::from_str(&super::stdout(&run(&["sessions", "--format", "json"])))
            .expect("json");
    let ids: Vec<&str> = known
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(
        sessions
            .as_array()
            .expect("list")
            .iter()
            .all(|s| !ids.contains(&s["topic"].as_str().expect("topic")))
    );
    assert!(
        sessions
            .as_array()
            .expect("list")
            .iter()
            .any(|s| s["topic"] == "sql-queries")
    );

    let refused = run(&[
        "plan",
        "--start",
        "2027-01-04",
        "--months",
        "12",
        "--known",
        "cooking",
    ]);
    assert!(!refused.status.success());
    let said = super::stderr(&refused);
    assert!(
        said.contains("no step called \"cooking\"") && said.contains("version-control"),
        "{said}"
    );
}

#[test]
fn steps_known_somewhat_start_with_lower_estimates_and_are_not_behind() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let run = |args: &[&str]| {
        super::command_at(d, "2027-01-04T08:00")
            .args(args)
            .output()
            .expect("run")
    };
    let made = run(&[
        "plan",
        "--start",
        "2027-01-04",
        "--months",
        "12",
        "--some",
        "languages",
        "--save",
    ]);
    assert!(made.status.success(), "{}", super::stderr(&made));
    let status: serde_json::Value =
        serde_json::from_str(&super::stdout(&run(&["status", "--format", "json"]))).expect("json");
    assert_eq!(
        status["plan"]["unplanned_minutes"], 0,
        "a lighter plan is not behind"
    );
    let roadmap = roadmap_core::Roadmap::bundled().expect("bundled");
    for t in status["plan"]["topics"].as_array().expect("topics") {
        let topic = roadmap.topic(t["id"].as_str().expect("id")).expect("topic");
        let expected = if topic.step == "languages" {
            topic.hours.expected * 0.6
        } else {
            topic.hours.expected
        };
        if topic.optional && t["planned_minutes"] == 0 {
            continue;
        }
        let quarters = (expected * 4.0).ceil() as u64 * 15;
        assert_eq!(t["planned_minutes"].as_u64(), Some(quarters), "{}", t["id"]);
    }
    // Kept with the plan: a replan keeps the lower estimates.
    let replan: serde_json::Value = serde_json::from_str(&super::stdout(&run(&[
        "replan",
        "--dry-run",
        "--format",
        "json",
    ])))
    .expect("json");
    assert_eq!(
        replan["moved"], 0,
        "nothing to move right after making it: {replan}"
    );

    let both = run(&[
        "plan",
        "--start",
        "2027-01-04",
        "--months",
        "12",
        "--some",
        "apis",
        "--known",
        "apis",
    ]);
    assert!(!both.status.success());
    assert!(super::stderr(&both).contains("both known well and known somewhat"));
}

use super::{roadmap, stderr, stdout};

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
    let out = roadmap(dir.path(), &["status", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let status: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(planned, status);
    assert_eq!(status["settings"]["start"], "2027-01-04");
    assert_eq!(status["target_end"], "2027-10-04");
    assert_eq!(status["steps"].as_array().map(Vec::len), Some(8));
}

#[test]
fn a_plan_without_save_leaves_the_database_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(dir.path(), &["plan", "--start", "2027-01-04"]);
    assert!(out.status.success(), "{}", stderr(&out));
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
    let out = roadmap(dir.path(), &["plan", "--start", "2027-02-30"]);
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
    assert_eq!(status["roadmap_title"], "Two steps");
    let steps: Vec<&str> = status["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["step"].as_str().expect("id"))
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

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

//! Spaced review from the command line: `plan --review-cap`, `sessions` with `kind`, and
//! `roadmap review TOPIC GRADE` setting the next review from the grade, within the cap.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::{command_at, stderr, stdout};

fn run(dir: &std::path::Path, now: &str, args: &[&str]) -> String {
    let out = command_at(dir, now).args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn sessions(dir: &std::path::Path, now: &str) -> Vec<serde_json::Value> {
    serde_json::from_str::<Vec<serde_json::Value>>(&run(
        dir,
        now,
        &["sessions", "--format", "json"],
    ))
    .expect("json")
}

fn planned_reviews(all: &[serde_json::Value], topic: &str) -> Vec<NaiveDate> {
    all.iter()
        .filter(|s| s["kind"] == "review" && s["topic"] == topic && s["status"] == "planned")
        .map(|s| s["date"].as_str().expect("date").parse().expect("date"))
        .collect()
}

const WEEK: &str =
    "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,thu=19:00-22:00,sat=09:00-15:00";

#[test]
fn reviews_follow_the_grades_and_stay_within_the_cap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let plan = run(
        d,
        "2027-01-04T08:00",
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--availability",
            WEEK,
            "--review-cap",
            "10",
            "--save",
        ],
    );
    assert!(plan.contains("Spaced review:"), "{plan}");
    let all = sessions(d, "2027-01-04T08:00");
    assert!(
        all.iter()
            .all(|s| s["kind"] == "study" || s["kind"] == "review")
    );
    // The cap: 10 % of 18 h is 108 minutes a week of review at most.
    let mut weekly: BTreeMap<(i32, u32), u64> = BTreeMap::new();
    for s in all.iter().filter(|s| s["kind"] == "review") {
        let date: NaiveDate = s["date"].as_str().expect("date").parse().expect("date");
        let w = date.iso_week();
        *weekly.entry((w.year(), w.week())).or_default() += s["minutes"].as_u64().expect("minutes");
    }
    assert!(!weekly.is_empty(), "no reviews planned");
    assert!(weekly.values().all(|m| *m <= 108), "{weekly:?}");
    // Project milestones opt out in the roadmap (`review = false`).
    assert!(
        all.iter()
            .all(|s| !(s["kind"] == "review" && s["topic"] == "project-api-service"))
    );

    // A topic not finished cannot be reviewed yet.
    let out = command_at(d, "2027-01-04T08:00")
        .args(["review", "http-fundamentals", "good"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not marked done"), "{}", stderr(&out));

    // Marking it done starts its reviews, in the first room the plan has once the first is
    // due (nothing else moves to make room: the plan stays put).
    run(d, "2027-01-04T08:00", &["done", "http-fundamentals"]);
    let first = planned_reviews(&sessions(d, "2027-01-04T08:00"), "http-fundamentals");
    let first_due = *first.first().expect("a first review");
    assert!(first_due > "2027-01-04".parse().expect("date"), "{first:?}");

    // Rated on its day: the session is checked off, and the next comes later for "easy" than
    // it would for "again" (compared on two copies of the same database).
    let now = format!("{first_due}T23:00");
    let copy = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        d.join("roadmap-planner.sqlite3"),
        copy.path().join("roadmap-planner.sqlite3"),
    )
    .expect("copy the database");
    let said = run(d, &now, &["review", "http-fundamentals", "easy"]);
    assert!(said.contains("rated easy"), "{said}");
    run(copy.path(), &now, &["review", "http-fundamentals", "again"]);
    let after_easy = sessions(d, &now);
    let checked = after_easy
        .iter()
        .find(|s| {
            s["kind"] == "review"
                && s["topic"] == "http-fundamentals"
                && s["date"] == first_due.to_string()
        })
        .expect("the review session");
    assert_eq!(checked["status"], "done");
    let next_easy = planned_reviews(&after_easy, "http-fundamentals")
        .into_iter()
        .find(|d| *d > first_due)
        .expect("a next review after easy");
    let next_again = planned_reviews(&sessions(copy.path(), &now), "http-fundamentals")
        .into_iter()
        .find(|d| *d > first_due)
        .expect("a next review after again");
    // (Each goes in the first room the plan has once it is due: nothing else moves for it.)
    assert!(
        next_again < next_easy,
        "again: {next_again}, easy: {next_easy}"
    );

    // A grade for a day to come is refused, and so is a bad grade.
    let out = command_at(d, &now)
        .args([
            "review",
            "http-fundamentals",
            "good",
            "--date",
            "2099-01-01",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("future"), "{}", stderr(&out));
    let out = command_at(d, &now)
        .args(["review", "http-fundamentals", "perfect"])
        .output()
        .expect("run");
    assert!(!out.status.success());
}

#[test]
fn a_review_cap_of_zero_plans_no_reviews_and_a_cap_past_half_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    run(
        d,
        "2027-01-04T08:00",
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--availability",
            WEEK,
            "--review-cap",
            "0",
            "--save",
        ],
    );
    run(d, "2027-01-04T08:00", &["done", "http-fundamentals"]);
    assert!(
        sessions(d, "2027-01-04T08:00")
            .iter()
            .all(|s| s["kind"] == "study")
    );
    let out = command_at(d, "2027-01-04T08:00")
        .args([
            "plan",
            "--start",
            "2027-01-04",
            "--availability",
            WEEK,
            "--review-cap",
            "60",
        ])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("between 0 and 50"),
        "{}",
        stderr(&out)
    );
}

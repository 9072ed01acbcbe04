//! What an action moves is said: every command that changes the plan counts the other
//! sessions whose place changed, and a replan's preview lists them.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::{command_at, stderr, stdout};

const NOW: &str = "2027-01-06T20:00";

fn run(dir: &Path, args: &[&str]) -> String {
    let out = command_at(dir, NOW).args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn plan(dir: &Path) {
    run(
        dir,
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "9",
            "--availability",
            "mon=19:00-21:00,wed=19:00-21:00,sat=09:00-13:00",
            "--save",
        ],
    );
}

/// A session's day, start and length.
type Place = (Value, Value, Value);

/// Each session's place by id (`None` once cancelled), with its topic.
fn places(dir: &Path) -> BTreeMap<i64, (String, Option<Place>)> {
    let rows: Value =
        serde_json::from_str(&run(dir, &["sessions", "--format", "json"])).expect("json");
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|s| {
            let place = (s["status"] != "cancelled")
                .then(|| (s["date"].clone(), s["start"].clone(), s["minutes"].clone()));
            (
                s["id"].as_i64().expect("id"),
                (s["topic"].as_str().expect("topic").to_string(), place),
            )
        })
        .collect()
}

/// The number in "N other sessions changed", 0 for "No other session changed".
fn said_others(text: &str) -> usize {
    let line = text
        .lines()
        .find(|l| l.contains("other session"))
        .unwrap_or_else(|| panic!("no count of other sessions in {text:?}"));
    if line.starts_with("No other") {
        0
    } else {
        line.split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count")
    }
}

#[test]
fn a_topic_marked_done_says_how_many_other_sessions_changed() {
    let dir = tempfile::tempdir().expect("tempdir");
    plan(dir.path());
    let before = places(dir.path());
    let topic = before.values().next().expect("a session").0.clone();
    let said = run(dir.path(), &["done", &topic]);
    let after = places(dir.path());
    let changed = before
        .iter()
        .filter(|(id, (t, place))| *t != topic && after.get(*id).map(|a| &a.1) != Some(place))
        .count()
        + after
            .iter()
            .filter(|(id, (t, _))| !before.contains_key(*id) && *t != topic)
            .count();
    assert_eq!(said_others(&said), changed, "{said}");
}

#[test]
fn a_replan_preview_lists_the_sessions_it_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    plan(dir.path());
    // Fall behind: the first session missed, so a replan has work to place again. (Drop
    // optional replans whichever way the finish goes; pushing refuses to bring it earlier.)
    let before = places(dir.path());
    for id in before.keys().take(1) {
        run(dir.path(), &["mark", &id.to_string(), "missed"]);
    }
    let before = places(dir.path());
    let preview: Value = serde_json::from_str(&run(
        dir.path(),
        &[
            "replan",
            "--policy",
            "drop-optional",
            "--dry-run",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    let changes = preview["changes"].as_array().expect("changes");
    let counted = ["moved", "added", "cancelled"]
        .map(|k| preview[k].as_u64().expect("count"))
        .iter()
        .sum::<u64>();
    assert_eq!(changes.len() as u64, counted);
    assert!(
        !changes.is_empty(),
        "the missed session's work is placed again"
    );
    assert_eq!(places(dir.path()), before, "a dry run changes nothing");

    run(dir.path(), &["replan", "--policy", "drop-optional"]);
    let after = places(dir.path());
    for c in changes {
        let id = c["id"].as_i64().expect("id");
        let place = |p: &Value| {
            (!p.is_null()).then(|| (p["date"].clone(), p["start"].clone(), p["minutes"].clone()))
        };
        assert_eq!(
            before.get(&id).and_then(|b| b.1.clone()),
            place(&c["before"]),
            "{c}"
        );
        assert_eq!(
            after.get(&id).and_then(|a| a.1.clone()),
            place(&c["after"]),
            "{c}"
        );
    }
}

#[test]
fn pull_forward_is_offered_only_when_ahead_and_brings_the_finish_forward() {
    let dir = tempfile::tempdir().expect("tempdir");
    plan(dir.path());
    let status = |d: &Path| -> Value {
        serde_json::from_str(&run(d, &["status", "--format", "json"])).expect("json")
    };
    let finish = |d: &Path| -> String {
        status(d)["plan"]["projected_end"]
            .as_str()
            .expect("a finish")
            .to_string()
    };
    assert!(
        status(dir.path())["ahead"].is_null(),
        "a fresh plan is not ahead"
    );
    // Not ahead on a fresh plan: nothing to pull forward, and nothing changes.
    let before = places(dir.path());
    let out = command_at(dir.path(), NOW)
        .args(["replan", "--policy", "pull-forward"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("you are not ahead"),
        "{}",
        stderr(&out)
    );
    assert_eq!(places(dir.path()), before);

    // Three topics done early: their time is free, and stays free until the learner asks.
    let first = finish(dir.path());
    let mut topics: Vec<String> = before.values().map(|(t, _)| t.clone()).collect();
    topics.dedup();
    for t in topics.iter().take(3) {
        run(dir.path(), &["done", t]);
    }
    let held = finish(dir.path());
    assert!(
        held <= first,
        "marking topics done pushed the finish from {first} to {held}"
    );
    let ahead = status(dir.path())["ahead"].clone();
    assert_eq!(
        ahead["finish_before"].as_str(),
        Some(held.as_str()),
        "{ahead}"
    );
    assert!(ahead["days"].as_u64().expect("days") >= 7, "{ahead}");
    let preview: Value = serde_json::from_str(&run(
        dir.path(),
        &[
            "replan",
            "--policy",
            "pull-forward",
            "--dry-run",
            "--format",
            "json",
        ],
    ))
    .expect("json");
    let earlier = preview["projected_end"]
        .as_str()
        .expect("finish")
        .to_string();
    assert!(
        earlier < held,
        "pulling forward finishes {earlier}, not before {held}"
    );
    assert_eq!(preview["policy"]["policy"], "pull_forward");
    assert_eq!(
        preview["projected_end"], ahead["finish"],
        "the offer is the preview's finish"
    );
    run(dir.path(), &["replan", "--policy", "pull-forward"]);
    assert_eq!(finish(dir.path()), earlier);
}

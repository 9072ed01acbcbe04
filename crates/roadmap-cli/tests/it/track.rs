//! `roadmap track switch`: a running plan changes language track, keeping what was recorded.

use std::path::Path;

use serde_json::Value;

use super::{command_at, stderr, stdout};

fn run(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = command_at(dir, now).args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn status(dir: &Path, now: &str) -> Value {
    serde_json::from_str(&run(dir, now, &["status", "--format", "json"])).expect("json")
}

fn sessions(dir: &Path, now: &str) -> Vec<Value> {
    let json: Value =
        serde_json::from_str(&run(dir, now, &["sessions", "--format", "json"])).expect("json");
    json.as_array().expect("sessions").clone()
}

#[test]
fn switching_to_node_mid_plan_keeps_shared_progress_and_plans_the_node_topics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let start = "2027-01-04T08:00";
    run(
        d,
        start,
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
    // Two weeks of Python: every session until then checked off, and a shared topic done.
    let now = "2027-01-17T20:00";
    let done: Vec<i64> = sessions(d, now)
        .iter()
        .filter(|s| s["date"].as_str().expect("date") < "2027-01-17")
        .map(|s| s["id"].as_i64().expect("id"))
        .collect();
    assert!(!done.is_empty());
    for id in &done {
        run(d, now, &["mark", &id.to_string(), "done"]);
    }
    run(d, now, &["done", "git-basics"]);
    let before = sessions(d, now);

    // A dry run says what would change and changes nothing.
    let preview: Value = serde_json::from_str(&run(
        d,
        now,
        &["track", "switch", "node", "--dry-run", "--format", "json"],
    ))
    .expect("json");
    assert!(preview["added"].as_u64().expect("added") > 0, "{preview}");
    assert!(preview["cancelled"].as_u64().expect("cancelled") > 0);
    assert_eq!(sessions(d, now), before, "a dry run changes nothing");

    let said = run(d, now, &["track", "switch", "node"]);
    assert!(said.contains("now follows Node.js"), "{said}");
    let after = sessions(d, now);
    let json = status(d, now);
    assert_eq!(
        json["plan"]["settings"]["chosen"],
        serde_json::json!(["node"])
    );
    // Every session checked off is still there, done, with its Python topic.
    for id in &done {
        let s = after.iter().find(|s| s["id"] == *id).expect("kept");
        assert_eq!(s["status"], "done", "{s}");
    }
    // Nothing of Python is still to come; Node's topics are planned.
    let to_come = |topic: &str| {
        after.iter().any(|s| {
            s["topic"] == topic
                && s["kind"] == "study"
                && s["status"] == "planned"
                && s["date"].as_str().expect("date") >= "2027-01-18"
        })
    };
    assert!(!to_come("python-fundamentals") && !to_come("flask-basics"));
    assert!(to_come("node-fundamentals") && to_come("express-basics"));
    assert!(to_come("sql-queries"), "shared topics stay planned");
    assert!(!to_come("git-basics"), "a shared topic done stays done");
    // The topic list is the Node track's.
    let ids: Vec<&str> = json["plan"]["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"node-testing") && !ids.contains(&"python-testing"));

    // The track in force is refused again; an unknown one names the options.
    let again = command_at(d, now)
        .args(["track", "switch", "node"])
        .output()
        .expect("run");
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already follows Node.js"),
        "{}",
        stderr(&again)
    );
    let bad = command_at(d, now)
        .args(["track", "switch", "rust"])
        .output()
        .expect("run");
    assert!(
        stderr(&bad).contains("python, java, node"),
        "{}",
        stderr(&bad)
    );

    // All the data, the Python study included, goes out and back in.
    let file = d.join("all.json");
    run(d, now, &["export", "--all", file.to_str().expect("path")]);
    let other = tempfile::tempdir().expect("tempdir");
    run(other.path(), now, &["import", file.to_str().expect("path")]);
    assert_eq!(sessions(other.path(), now), after);

    // And back to Python: the Python study recorded is the Python topics' again.
    run(d, now, &["track", "switch", "python"]);
    let back = sessions(d, now);
    assert!(!back.iter().any(|s| s["topic"] == "node-fundamentals"
        && s["status"] == "planned"
        && s["date"].as_str().expect("date") >= "2027-01-18"));
    assert!(back.iter().any(|s| s["topic"] == "python-fundamentals"
        && s["status"] == "planned"
        && s["date"].as_str().expect("date") >= "2027-01-18"));
}

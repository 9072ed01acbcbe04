//! `roadmap track switch`: a running plan changes language track, keeping what was recorded.

use std::path::Path;

use serde_json::Value;

use super::{command_at, stderr, stdout};

fn run(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = command_at(dir, now).args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// The error a refused command prints (it must fail).
fn refused(dir: &Path, now: &str, args: &[&str]) -> String {
    let out = command_at(dir, now).args(args).output().expect("run");
    assert!(!out.status.success(), "{args:?} was not refused");
    stderr(&out)
}

fn status(dir: &Path, now: &str) -> Value {
    serde_json::from_str(&run(dir, now, &["status", "--format", "json"])).expect("json")
}

fn sessions(dir: &Path, now: &str) -> Vec<Value> {
    let json: Value =
        serde_json::from_str(&run(dir, now, &["sessions", "--format", "json"])).expect("json");
    json.as_array().expect("sessions").clone()
}

/// A Python plan from Monday 2027-01-04: twelve months at 8 hours a week.
fn plan(dir: &Path, now: &str) {
    run(
        dir,
        now,
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
}

#[test]
fn switching_to_node_mid_plan_keeps_shared_progress_and_plans_the_node_topics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let start = "2027-01-04T08:00";
    plan(d, start);
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
    let again = refused(d, now, &["track", "switch", "node"]);
    assert!(again.contains("already follows Node.js"), "{}", again);
    let bad = refused(d, now, &["track", "switch", "rust"]);
    assert!(bad.contains("python, java, node"), "{}", bad);

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

#[test]
fn topics_added_changed_and_removed_move_only_their_own_sessions_and_undo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let now = "2027-01-06T20:00";
    plan(d, now);
    let only_of = |before: &[Value], after: &[Value], topic: &str| {
        for a in after {
            let b = before.iter().find(|b| b["id"] == a["id"]);
            if b != Some(a) {
                assert_eq!(a["topic"], topic, "{a} changed");
            }
        }
    };
    // Add: planned, nothing else moves.
    let before = sessions(d, now);
    let said = run(
        d,
        now,
        &[
            "topic",
            "add",
            "--title",
            "gRPC basics",
            "--step",
            "apis",
            "--skills",
            "apis",
            "--hours",
            "6",
            "--requires",
            "rest-design",
            "--resource",
            "gRPC docs|https://grpc.io/docs/|docs",
        ],
    );
    assert!(
        said.contains("Added gRPC basics (own-grpc-basics)"),
        "{said}"
    );
    let after = sessions(d, now);
    only_of(&before, &after, "own-grpc-basics");
    let grpc: u64 = after
        .iter()
        .filter(|s| {
            s["topic"] == "own-grpc-basics" && s["kind"] == "study" && s["status"] == "planned"
        })
        .map(|s| s["minutes"].as_u64().expect("minutes"))
        .sum();
    assert_eq!(grpc, 360, "six hours planned");
    // After its prerequisite's last session.
    let last_rest = before
        .iter()
        .filter(|s| s["topic"] == "rest-design")
        .map(|s| s["date"].as_str().expect("date").to_string())
        .max()
        .expect("rest-design");
    assert!(
        after
            .iter()
            .filter(|s| s["topic"] == "own-grpc-basics")
            .all(|s| s["date"].as_str().expect("date") >= last_rest.as_str())
    );

    // A longer estimate: more of that topic's sessions, nothing else.
    let before = after;
    run(d, now, &["topic", "edit", "flask-basics", "--hours", "20"]);
    let after = sessions(d, now);
    only_of(&before, &after, "flask-basics");
    // A new title moves nothing.
    run(
        d,
        now,
        &[
            "topic",
            "edit",
            "flask-basics",
            "--title",
            "Flask, properly",
        ],
    );
    assert_eq!(sessions(d, now), after);
    // Removing: its sessions cancelled; one another topic requires is refused by name.
    run(d, now, &["topic", "remove", "apache-httpd"]);
    let removed = sessions(d, now);
    only_of(&after, &removed, "apache-httpd");
    assert!(
        removed
            .iter()
            .filter(|s| s["topic"] == "apache-httpd")
            .all(|s| s["status"] == "cancelled")
    );
    let required = refused(d, now, &["topic", "remove", "sql-queries"]);
    assert!(
        required.contains("is required by PostgreSQL in practice"),
        "{}",
        required
    );
    // A cycle is the validator's sentence.
    let cycle = refused(
        d,
        now,
        &[
            "topic",
            "edit",
            "rest-design",
            "--requires",
            "own-grpc-basics",
        ],
    );
    assert!(cycle.contains("prerequisite cycle"), "{}", cycle);

    // The changes are listed, and the estimate taken back restores that topic alone.
    let list = run(d, now, &["topic", "changes"]);
    assert!(
        list.contains("2. Changed flask-basics: estimate 20 h"),
        "{list}"
    );
    run(d, now, &["topic", "undo", "2"]);
    let undone = sessions(d, now);
    only_of(&removed, &undone, "flask-basics");
    let flask = |v: &[Value]| -> u64 {
        v.iter()
            .filter(|s| {
                s["topic"] == "flask-basics" && s["kind"] == "study" && s["status"] == "planned"
            })
            .map(|s| s["minutes"].as_u64().expect("minutes"))
            .sum()
    };
    assert_eq!(flask(&undone), 12 * 60);
    let json = status(d, now);
    assert_eq!(
        json["plan"]["settings"]["edits"]
            .as_array()
            .expect("edits")
            .len(),
        3
    );

    // The plan's roadmap goes out as a file `roadmap validate` accepts, with the changes.
    let file = d.join("mine.toml");
    run(
        d,
        now,
        &["export", "--roadmap", file.to_str().expect("path")],
    );
    let checked = run(d, now, &["validate", file.to_str().expect("path")]);
    assert!(checked.contains("54 topics"), "{checked}");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(
        text.contains("id = \"own-grpc-basics\"") && text.contains("title = \"Flask, properly\"")
    );
    assert!(!text.contains("apache-httpd"));
    // All the data, the changes included, goes out and back in as it was.
    let all = d.join("all.json");
    run(d, now, &["export", "--all", all.to_str().expect("path")]);
    let other = tempfile::tempdir().expect("tempdir");
    run(other.path(), now, &["import", all.to_str().expect("path")]);
    assert_eq!(sessions(other.path(), now), sessions(d, now));
    assert_eq!(
        status(other.path(), now)["plan"]["settings"]["edits"],
        json["plan"]["settings"]["edits"]
    );
    // And the changes survive a track switch: the shared topics keep them.
    run(d, now, &["track", "switch", "java"]);
    let json = status(d, now);
    let ids: Vec<&str> = json["plan"]["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"own-grpc-basics") && !ids.contains(&"apache-httpd"));
}

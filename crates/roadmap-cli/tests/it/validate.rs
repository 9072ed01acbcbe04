use super::{roadmap, stderr, stdout};

#[test]
fn the_bundled_roadmap_validates_with_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(dir.path(), &["validate"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(line.contains("8 steps"), "{line}");
    assert!(line.contains("topics"), "{line}");
    assert!(line.contains("expected hours"), "{line}");
}

#[test]
fn a_broken_file_prints_every_error_with_its_place_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("broken.toml");
    std::fs::write(
        &file,
        r#"title = "Broken"
[[skills]]
id = "s"
name = "S"
[[steps]]
id = "one"
title = "One"
[[topics]]
id = "a"
step = "nowhere"
title = "A"
hours = 3
skills = ["s", "ghost"]
"#,
    )
    .expect("write");
    let out = roadmap(
        dir.path(),
        &["validate", file.to_str().expect("utf-8 path")],
    );
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("broken.toml:10:8"), "{err}");
    assert!(err.contains("unknown step \"nowhere\""), "{err}");
    assert!(err.contains("broken.toml:13:16"), "{err}");
    assert!(err.contains("2 errors found"), "{err}");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = roadmap(dir.path(), &["validate", "/definitely/not/here.toml"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("cannot read /definitely/not/here.toml"),
        "{}",
        stderr(&out)
    );
}

/// Nothing a file brings reaches the terminal as a control sequence: not its text (refused by
/// the validator with a located message), not its name.
#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evil\u{1b}]0;pwned\u{7}.toml");
    std::fs::write(&file, "title = \"Fixture \\u001b[31m\"\n").expect("write");
    let out = super::roadmap(dir.path(), &["validate", file.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let err = super::stderr(&out);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains("evil?]0;pwned?.toml"), "{err}");
    assert!(err.contains("control character U+001B"), "{err}");
}

/// Found by the hostile-input pass: a FIFO given as a file blocked the reader for ever, and
/// `/dev/zero` filled memory. Busy calendars, roadmaps and `check-ics` read regular files only.
#[cfg(unix)]
#[test]
fn a_pipe_or_a_device_is_refused_as_not_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let fifo = d.join("calendar.ics");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let fifo = fifo.to_str().expect("path");
    let cases: [&[&str]; 5] = [
        &["check-ics", "/dev/zero"],
        &["check-ics", fifo],
        &["plan", "--start", "2027-01-04", "--roadmap", "/dev/zero"],
        &["plan", "--start", "2027-01-04", "--roadmap", fifo],
        &["busy", "add", "/dev/zero"],
    ];
    for args in cases {
        let out = super::command_at(d, "2027-01-04T08:00")
            .args(args)
            .output()
            .expect("run");
        assert!(!out.status.success(), "{args:?}");
        let said = super::stderr(&out);
        assert!(said.contains("is not a regular file"), "{args:?}: {said}");
    }
}

/// Found by the hostile-input pass: `check-ics` printed what the checked file said, control
/// characters and all, and every one of a million problems. What it prints is text, and the
/// problems past the first hundred are counted.
#[test]
fn check_ics_prints_no_control_character_and_counts_past_a_hundred() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("hostile.ics");
    let events = "BEGIN:VEVENT\r\nUID:same\u{1b}[31m\r\nDTSTART;TZID=Evil\u{1b}]0;pwned\u{7}:20270104T180000\r\nEND:VEVENT\r\n".repeat(150);
    std::fs::write(
        &file,
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n{events}END:VCALENDAR\r\n"),
    )
    .expect("write");
    let out = super::roadmap(dir.path(), &["check-ics", file.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let err = super::stderr(&out);
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "{:?}",
        &err[..err.len().min(400)]
    );
    assert_eq!(err.lines().count(), 101, "{:?}", err.lines().last());
    assert!(
        err.lines()
            .last()
            .is_some_and(|l| l.contains("more problems")),
        "{:?}",
        err.lines().last()
    );
}

#[test]
fn tracks_lists_each_choice_with_its_options_and_their_hours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tracks.toml");
    std::fs::write(
        &file,
        include_str!("../../../roadmap-core/tests/it/fixtures/tracks.toml"),
    )
    .expect("write");
    let path = file.to_str().expect("path");
    let out = roadmap(
        dir.path(),
        &["tracks", "--roadmap", path, "--format", "json"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json[0]["id"], "track");
    assert_eq!(json[0]["default"], "python");
    let options: Vec<(String, f64)> = json[0]["options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|o| {
            (
                o["id"].as_str().expect("id").to_string(),
                o["hours"].as_f64().expect("hours"),
            )
        })
        .collect();
    assert_eq!(
        options,
        [("python".to_string(), 25.0), ("java".to_string(), 37.0)]
    );
    let text = stdout(&roadmap(dir.path(), &["tracks", "--roadmap", path]));
    assert!(text.contains("Language track (track):"), "{text}");
    assert!(text.contains("java") && text.contains("37 h"), "{text}");
    let summary = stdout(&roadmap(dir.path(), &["validate", path]));
    assert!(summary.contains("4 topics, 25 expected hours"), "{summary}");
    assert!(summary.contains("Choice track: python, java"), "{summary}");
    // The bundled roadmap offers its three language tracks, Python first.
    let bundled = stdout(&roadmap(dir.path(), &["tracks"]));
    let at = |id: &str| bundled.find(&format!("  {id} ")).expect(id);
    assert!(
        at("python") < at("java") && at("java") < at("node"),
        "{bundled}"
    );
    assert!(bundled.contains("(the default)"), "{bundled}");
}

#[test]
fn plan_track_takes_the_chosen_options_topics_and_keeps_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tracks.toml");
    std::fs::write(
        &file,
        include_str!("../../../roadmap-core/tests/it/fixtures/tracks.toml"),
    )
    .expect("write");
    let path = file.to_str().expect("path");
    let base = [
        "plan",
        "--roadmap",
        path,
        "--start",
        "2030-01-07",
        "--months",
        "6",
        "--availability",
        "mon=19:00-21:00",
    ];
    let topics = |out: &std::process::Output| -> std::collections::BTreeSet<String> {
        let json: serde_json::Value = serde_json::from_str(&stdout(out)).expect("json");
        json["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .map(|s| s["topic"].as_str().expect("topic").to_string())
            .collect()
    };
    let python = roadmap(dir.path(), &[&base[..], &["--format", "json"]].concat());
    assert!(python.status.success(), "{}", stderr(&python));
    assert!(topics(&python).contains("py-lang"));
    let java = roadmap(
        dir.path(),
        &[
            &base[..],
            &["--track", "java", "--save", "--format", "json"],
        ]
        .concat(),
    );
    assert!(java.status.success(), "{}", stderr(&java));
    let planned = topics(&java);
    assert!(planned.contains("java-lang") && planned.contains("java-test"));
    assert!(!planned.iter().any(|t| t.starts_with("py-")), "{planned:?}");
    // Saved: the plan is read back with its track.
    let status = roadmap(dir.path(), &["status", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&status)).expect("json");
    assert_eq!(
        json["plan"]["settings"]["chosen"],
        serde_json::json!(["java"])
    );
    let ids: Vec<&str> = json["plan"]["topics"]
        .as_array()
        .expect("topics")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["http", "java-lang", "java-test", "api"]);
    let bad = roadmap(dir.path(), &[&base[..], &["--track", "rust"]].concat());
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("python, java"), "{}", stderr(&bad));
}

//! `roadmap forecast` and `roadmap replan --use-pace`: the JSON contract, a band that is the
//! same for the same data, and a learner slower than the estimates seeing it and planning it.

use chrono::{Days, NaiveDate};

use super::{command_at, stderr, stdout};

fn run(dir: &std::path::Path, now: &str, args: &[&str]) -> String {
    let out = command_at(dir, now).args(args).output().expect("run");
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

fn json(dir: &std::path::Path, now: &str, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run(dir, now, args)).expect("json")
}

#[test]
fn the_band_follows_a_slower_learner_and_use_pace_plans_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    run(
        d,
        "2027-01-04T08:00",
        &[
            "plan",
            "--start",
            "2027-01-04",
            "--months",
            "12",
            "--availability",
            "mon=19:00-22:00,tue=19:00-22:00,wed=19:00-22:00,sat=09:00-15:00",
            "--save",
        ],
    );

    // Before any study: the roadmap's ranges alone, the same band every time.
    let fresh = json(d, "2027-01-04T08:00", &["forecast", "--format", "json"]);
    for key in [
        "as_of",
        "naive_end",
        "p50",
        "p80",
        "p90",
        "adherence",
        "pace",
        "runs",
    ] {
        assert!(fresh.get(key).is_some(), "{key} missing from {fresh}");
    }
    assert_eq!(fresh["evidence"], false);
    assert_eq!(fresh["adherence"], serde_json::Value::Null);
    assert_eq!(fresh["runs"], 1000);
    assert_eq!(
        fresh,
        json(d, "2027-01-04T08:00", &["forecast", "--format", "json"])
    );
    let pace = fresh["pace"].as_array().expect("pace");
    assert_eq!(pace.len(), 7);
    for p in pace {
        assert_eq!(p["factor"], 1.0);
        assert_eq!(p["evidence_hours"], 0.0);
        assert!(p["skill"].is_string());
    }
    let (p50, p80, p90) = (
        fresh["p50"].as_str().expect("p50"),
        fresh["p80"].as_str().expect("p80"),
        fresh["p90"].as_str().expect("p90"),
    );
    assert!(p50 <= p80 && p80 <= p90);

    // Six weeks, the first two topics taking 1.5× their estimates (35 h and 15 h), logged a
    // little every day, then marked done.
    let mut left = [
        ("python-fundamentals", 35 * 90),
        ("python-data-structures", 15 * 90),
    ];
    let start: NaiveDate = "2027-01-04".parse().expect("date");
    let mut day = 0u64;
    for (topic, minutes) in left.iter_mut() {
        while *minutes > 0 {
            let m = (*minutes).min(110);
            let date = (start + Days::new(day % 42)).to_string();
            run(
                d,
                "2027-02-15T08:00",
                &["log", topic, &m.to_string(), "--date", &date],
            );
            *minutes -= m;
            day += 1;
        }
        run(d, "2027-02-15T08:00", &["done", topic]);
    }
    let slower = json(d, "2027-02-15T08:00", &["forecast", "--format", "json"]);
    assert_eq!(slower["evidence"], true);
    let languages = slower["pace"]
        .as_array()
        .expect("pace")
        .iter()
        .find(|p| p["skill"] == "languages")
        .expect("languages")
        .clone();
    let factor = languages["factor"].as_f64().expect("factor");
    assert!(
        factor > 1.2 && factor < 1.5,
        "shrunk toward 1.0, clearly slower: {factor}"
    );
    assert!((languages["evidence_hours"].as_f64().expect("hours") - 75.0).abs() < 0.5);
    assert!(
        slower["p50"].as_str().expect("p50") > p50,
        "the band moved later"
    );

    // Use my pace: previewed, later than the plain replan, and saved only when asked.
    let plain = json(
        d,
        "2027-02-15T08:00",
        &["replan", "--dry-run", "--format", "json"],
    );
    let paced = json(
        d,
        "2027-02-15T08:00",
        &["replan", "--use-pace", "--dry-run", "--format", "json"],
    );
    assert_eq!(paced["policy"]["policy"], "use_pace");
    assert!(
        paced["projected_end"].as_str() > plain["projected_end"].as_str(),
        "{paced} vs {plain}"
    );
    let text = run(d, "2027-02-15T08:00", &["forecast"]);
    assert!(text.contains("Programming languages"), "{text}");
    let refused = command_at(d, "2027-02-15T08:00")
        .args(["replan", "--use-pace", "--policy", "compress"])
        .output()
        .expect("run");
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("--use-pace"));
}

//! `cargo bench -p roadmap-core`: how long the core takes to plan roadmaps of several sizes.
//! Prints the median and minimum of repeated runs; no assertions (targets live in
//! BENCHMARKS.md, not in tests).

// A benchmark reads the clock to time the core; the library may not (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use roadmap_core::Roadmap;
use roadmap_core::schedule::availability::Availability;
use roadmap_core::schedule::planner::{PlanRequest, plan};
use roadmap_core::synthetic;

/// A realistic week for the real roadmap.
const AVAILABILITY: &str = "mon=18:00-22:00,tue=18:00-22:00,wed=18:00-22:00,thu=18:00-22:00,fri=18:00-22:00,sat=08:00-18:00,sun=08:00-18:00";
/// Every hour of every day, so that even 10,000 topics fit inside the scheduler's horizon and
/// the figures measure scheduling all of them (the same week the TaskJuggler comparison uses).
const ALL_WEEK: &str = "mon=00:00-24:00,tue=00:00-24:00,wed=00:00-24:00,thu=00:00-24:00,fri=00:00-24:00,sat=00:00-24:00,sun=00:00-24:00";

fn main() {
    let bundled = Roadmap::bundled().expect("bundled roadmap");
    // Without spaced review, and with it at the default cap (reviews projected for every
    // topic the plan finishes, placed day by day).
    for review_cap in [0, 15] {
        let with = if review_cap > 0 { ", review 15 %" } else { "" };
        measure(
            &format!("bundled roadmap (56 topics), 24 months{with}"),
            &bundled,
            Some(24),
            AVAILABILITY,
            review_cap,
        );
        for n in [50, 1_000, 10_000] {
            let text = synthetic::roadmap_toml(n);
            let roadmap = Roadmap::parse("synthetic.toml", &text).expect("synthetic roadmap");
            measure(
                &format!("synthetic, {n} topics, no target{with}"),
                &roadmap,
                None,
                ALL_WEEK,
                review_cap,
            );
        }
    }
    for n in [1_000, 10_000] {
        let text = synthetic::roadmap_toml(n);
        let started = Instant::now();
        let roadmap = Roadmap::parse("synthetic.toml", &text).expect("parse");
        black_box(&roadmap);
        println!("parse + validate, {n} topics: {:?}", started.elapsed());
    }
}

fn measure(label: &str, roadmap: &Roadmap, months: Option<u32>, week: &str, review_cap: u32) {
    let availability = Availability::parse(week).expect("availability");
    let start = "2027-01-04".parse().expect("date");
    let run = || {
        let mut req = PlanRequest::new(roadmap, start);
        req.months = months;
        req.availability = Some(availability.clone());
        req.review_cap = review_cap;
        plan(&req).expect("plan")
    };
    let first = run();
    assert!(
        first.unscheduled.is_empty(),
        "{label}: not everything was scheduled"
    );
    let sessions = first.sessions.len();
    let reviews = first
        .sessions
        .iter()
        .filter(|s| s.kind == roadmap_core::api::SessionKind::Review)
        .count();
    // Repeat for about a second, at least 5 and at most 1,000 times.
    let mut times: Vec<Duration> = Vec::new();
    let budget = Instant::now();
    while times.len() < 5 || (budget.elapsed() < Duration::from_secs(1) && times.len() < 1_000) {
        let t = Instant::now();
        black_box(run());
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "plan, {label}: median {:?}, min {:?} ({} runs, {sessions} sessions, {reviews} reviews)",
        times[times.len() / 2],
        times[0],
        times.len()
    );
}

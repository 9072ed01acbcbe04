//! `cargo bench -p roadmap-core --bench reminders`: what the app's 15-second reminder tick
//! and This week's "what next" cost on a large plan. Prints the median and minimum of
//! repeated runs; no assertions (the figures live in BENCHMARKS.md).

// A benchmark reads the clock to time the core; the library may not (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use roadmap_core::Roadmap;
use roadmap_core::api::PlanSettings;
use roadmap_core::clock::Clock;
use roadmap_core::saved::SavedPlan;
use roadmap_core::synthetic;

const WEEK: &str = "mon=18:00-22:00,tue=18:00-22:00,wed=18:00-22:00,thu=18:00-22:00,fri=18:00-22:00,sat=08:00-18:00,sun=08:00-18:00";

fn time(label: &str, mut f: impl FnMut()) {
    let mut times: Vec<Duration> = Vec::new();
    let budget = Instant::now();
    while times.len() < 5 || (budget.elapsed() < Duration::from_secs(1) && times.len() < 10_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    println!(
        "{label}: median {:?}, min {:?} ({} runs)",
        times[times.len() / 2],
        times[0],
        times.len()
    );
}

fn main() {
    for (name, roadmap) in [
        ("bundled roadmap", Roadmap::bundled().expect("bundled")),
        (
            "synthetic, 1,000 topics",
            Roadmap::parse("synthetic.toml", &synthetic::roadmap_toml(1_000)).expect("synthetic"),
        ),
    ] {
        let settings = PlanSettings {
            start: "2027-01-04".parse().expect("date"),
            months: None,
            availability: Some(WEEK.into()),
            blackouts: Vec::new(),
            session_min: 30,
            session_max: 120,
            include_optional: true,
            known: Vec::new(),
            some: Vec::new(),
            review_cap: 15,
            pace: None,
            weeks: Default::default(),
            chosen: Vec::new(),
            edits: Vec::new(),
        };
        let born: DateTime<Utc> = "2027-01-04T07:00:00Z".parse().expect("instant");
        let zone = "Europe/Berlin".parse().expect("zone");
        let plan = SavedPlan::create(
            Arc::new(roadmap),
            None,
            &settings,
            &Clock::new(born, zone),
            1,
            Default::default(),
        )
        .expect("plan");
        // Two months in: a tick, a look at what is next, a stop booked.
        let now = born + chrono::Duration::days(60) + chrono::Duration::hours(10);
        let clock = Clock::new(now, zone);
        let sessions = plan.sessions.len();
        time(
            &format!("reminder tick, {name} ({sessions} sessions)"),
            || {
                black_box(plan.reminders(15, now - chrono::Duration::seconds(15), now, &clock));
            },
        );
        let next = plan.next(&clock).expect("a next session");
        time(&format!("what next, {name}"), || {
            black_box(plan.next(&clock));
        });
        time(&format!("does a reminder stand, {name}"), || {
            black_box(plan.reminder_stands(next.session, clock.now, &clock));
        });
        time(&format!("book a timer's stop, {name}"), || {
            black_box(
                plan.book_timer(Some(next.session), &next.topic, 75, &clock)
                    .expect("booked"),
            );
        });
    }
}

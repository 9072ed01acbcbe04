//! `cargo bench -p roadmap-core --bench forecast`: how long the finish-date band takes (1,000
//! simulated futures), which every change in the window recomputes. Prints the median and the
//! minimum of repeated runs; no assertions (targets live in BENCHMARKS.md).

// A benchmark reads the clock to time the core; the library may not (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use roadmap_core::Roadmap;
use roadmap_core::forecast::{self, ForecastInput, Work, WorkState};
use roadmap_core::synthetic;

fn main() {
    let bundled = Roadmap::bundled().expect("bundled roadmap");
    measure("bundled roadmap (56 topics)", &bundled, 8.0);
    for n in [1_000, 10_000] {
        let roadmap = Roadmap::parse("synthetic.toml", &synthetic::roadmap_toml(n))
            .expect("synthetic roadmap");
        // Enough hours a week that the plan ends within the 20-year horizon.
        measure(
            &format!("synthetic, {n} topics"),
            &roadmap,
            40.0 * (n as f64 / 1_000.0).max(1.0),
        );
    }
}

fn measure(label: &str, roadmap: &Roadmap, weekly: f64) {
    // A tenth of the topics finished at 1.3× their estimate, one under way, eight weeks kept.
    let done = roadmap.topics.len() / 10;
    let work: Vec<Work> = roadmap
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| Work {
            low: t.hours.low,
            expected: t.hours.expected,
            high: t.hours.high,
            skills: t
                .skills
                .iter()
                .filter_map(|s| roadmap.skills.iter().position(|k| &k.id == s))
                .collect(),
            studied: if i < done {
                1.3 * t.hours.expected
            } else if i == done {
                0.5 * t.hours.expected
            } else {
                0.0
            },
            state: if i < done {
                WorkState::Done
            } else {
                WorkState::Open
            },
            age_weeks: 0.0,
        })
        .collect();
    let weeks = vec![(weekly, 0.85 * weekly); 8];
    let per_day = weekly / 7.0;
    let input = ForecastInput {
        as_of: "2027-03-01".parse().expect("date"),
        skills: roadmap.skills.len(),
        work: &work,
        weeks: &weeks,
        day_hours: [per_day; 7],
        one_off: &Default::default(),
        blocked: &[],
        runs: forecast::RUNS,
        seed: 1,
    };
    let mut times: Vec<Duration> = (0..25)
        .map(|_| {
            let started = Instant::now();
            black_box(forecast::forecast(black_box(&input)));
            started.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "forecast, {label}: median {:?}, min {:?} ({} futures)",
        times[times.len() / 2],
        times[0],
        forecast::RUNS
    );
}

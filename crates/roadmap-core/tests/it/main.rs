//! The core's one integration-test binary.

// Tests may read the clock, files and the environment (the clock to bound a run, fixtures,
// PROPTEST_CASES); the library may not (clippy.toml).
#![allow(clippy::disallowed_methods)]

mod answer;
mod api;
mod busy;
mod caldav;
mod calendar;
mod content;
mod edits;
mod forecast;
mod ipc;
mod leaf;
mod life;
mod plan_json;
mod planner;
mod replan;
mod saved;
mod timer;
mod track;

/// How many random cases a property test runs: `default` in `make test`, or PROPTEST_CASES
/// when it is set (a longer hunt: `PROPTEST_CASES=5000 cargo test --release -p roadmap-core
/// --test it`).
pub fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

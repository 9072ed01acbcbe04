//! The CLI's one integration-test binary: runs the real `roadmap` binary against temporary
//! data folders.

use std::path::Path;
use std::process::{Command, Output};

mod busy;
mod caldav;
mod churn;
mod crash;
mod data;
mod flags;
mod forecast;
mod plan;
mod progress;
mod review;
mod sessions;
mod timer;
mod track;
mod validate;

fn roadmap(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .args(args)
        .env("ROADMAP_PLANNER_DATA_DIR", data_dir)
        .env_remove("ROADMAP_PLANNER_TODAY")
        .output()
        .expect("run roadmap")
}

/// Runs `roadmap` with "today" set (debug builds honour the variable).
fn roadmap_on(data_dir: &Path, today: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roadmap"))
        .args(args)
        // Relative paths in arguments land in the temporary folder, never in the repository.
        .current_dir(data_dir)
        .env("ROADMAP_PLANNER_DATA_DIR", data_dir)
        .env("ROADMAP_PLANNER_TODAY", today)
        .output()
        .expect("run roadmap")
}

/// A `roadmap` command at a local time in Berlin, to the minute (debug builds honour the
/// variable; the clock runs on from there).
fn command_at(data_dir: &Path, now: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_roadmap"));
    c.current_dir(data_dir)
        .env("ROADMAP_PLANNER_DATA_DIR", data_dir)
        .env("ROADMAP_PLANNER_NOW", now)
        .env("TZ", "Europe/Berlin")
        .env_remove("ROADMAP_PLANNER_TODAY");
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

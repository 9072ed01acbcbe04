//! Scheduling: turning a roadmap and the user's settings into dated work.
//!
//! `spread` is the walking skeleton's proportional spread of the steps over the target months,
//! still what the app saves. `planner` schedules every topic as concrete study sessions inside
//! the user's weekly availability; `availability` parses and measures that availability.

pub mod availability;
pub mod planner;
mod spread;

pub use spread::{MAX_MONTHS, MIN_MONTHS, spread_steps, target_end};

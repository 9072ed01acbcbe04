//! Scheduling: turning a roadmap and the user's settings into dated study sessions.
//!
//! `planner` schedules every topic as concrete sessions inside the user's weekly availability;
//! `availability` parses and measures that availability; `replan` reschedules what is left of
//! a saved plan from a given day, keeping the past and the user's pinned sessions.

pub mod availability;
pub mod iso;
pub mod json;
pub mod planner;
pub mod replan;

/// The shortest and longest target durations, in months.
pub const MIN_MONTHS: u32 = 6;
pub const MAX_MONTHS: u32 = 24;

pub use planner::target_end;

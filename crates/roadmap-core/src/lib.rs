//! Roadmap Planner's core: pure functions over values.
//!
//! Nothing in this crate reads the clock, the file system or a database. The shell (the Tauri
//! app, the CLI) gathers those inputs, calls in here, and applies the result. That keeps every
//! decision deterministic and testable without a window or a disk.

pub mod answer;
pub mod api;
pub mod busy;
pub mod caldav;
pub mod calendar;
pub mod clock;
pub mod content;
pub mod data;
pub mod edits;
pub mod error;
pub mod forecast;
pub mod progress;
pub mod recall;
pub mod remind;
pub mod saved;
pub mod schedule;
pub mod synthetic;
pub mod timer;
pub mod track;
pub mod undo;

pub use content::Roadmap;
pub use error::CoreError;

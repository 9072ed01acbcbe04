//! The core's one integration-test binary.

mod api;
mod content;
mod planner;
mod replan;

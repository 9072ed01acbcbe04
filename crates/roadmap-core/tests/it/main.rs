//! The core's one integration-test binary.

mod api;
mod busy;
mod caldav;
mod calendar;
mod content;
mod forecast;
mod ipc;
mod life;
mod plan_json;
mod planner;
mod replan;
mod saved;

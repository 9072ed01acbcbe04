//! Roadmap Planner's application layer: one function per user action, shared by the window
//! (`src-tauri`) and the `roadmap` CLI.
//!
//! Each use case reads what it needs from outside first — files, web addresses, the CalDAV
//! server, the system keyring — with the database unlocked, then lets the core decide and the
//! store apply, in one IMMEDIATE transaction ([`Db`]). [`clock::now`] is the one clock read;
//! [`AppError`] the one error type, with variants that carry data rather than sentences.

pub mod busy;
pub mod caldav;
pub mod clock;
pub mod data;
pub mod db;
mod error;
pub mod export;
pub mod files;
pub mod plan;
pub mod progress;
pub mod reminders;
pub mod remote;
pub mod roadmap;
pub mod timer;

pub use db::Db;
pub use error::{AddressProblem, AppError};

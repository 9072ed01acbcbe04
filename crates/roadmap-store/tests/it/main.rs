//! The store's one integration-test binary: real SQLite files in temporary folders.

mod backup;
mod checkpoint;
mod data;
mod open;
mod plans;
mod secrets;
mod writers;

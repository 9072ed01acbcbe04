pub mod backup;
pub mod calendar;
pub mod plan;
pub mod progress;
pub mod roadmap;
pub mod views;

pub mod arg;
pub mod backup;
pub mod calendar;
pub mod lifecycle;
pub mod plan;
pub mod progress;
pub mod roadmap;
pub mod views;

pub mod plan;
pub mod roadmap;

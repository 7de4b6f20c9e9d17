pub mod bench;
pub mod candidates;
pub mod domain;
pub mod generate;
pub mod greedy;
pub mod input;
pub mod model;
pub mod plan;
mod progress;
pub mod regions;
pub mod report;
pub mod solve;
pub mod sweep;
#[cfg(test)]
mod testing;
pub mod time;
pub mod timetable;
pub mod verify;
pub mod write;

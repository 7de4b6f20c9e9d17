//! The integration tests, in one binary so the suite links once.

mod bench;
mod cli;
mod generate;
mod hostile;
mod input;
mod optional;
mod properties;
mod report;
mod solve;
mod sweep;
mod verify;
mod write;

//! The integration tests, in one binary so the suite links once.

mod cli;
mod input;
mod solve;
mod verify;
mod write;

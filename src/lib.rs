pub mod domain;
pub mod input;
pub mod model;
pub mod solve;
pub mod time;
pub mod timetable;
pub mod verify;
pub mod write;

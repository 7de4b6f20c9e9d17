//! Reading scenario files (TOML and learner CSV) into a checked [`Scenario`](crate::domain::Scenario).

mod error;

pub use error::{InputError, InputErrors};

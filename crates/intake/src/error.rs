//! The crate's error type: every message says what is wrong in words a vendor can act on.

use std::fmt;

/// Anything that stops the service or an admin command.
#[derive(Debug)]
pub enum IntakeError {
    /// The configuration file is missing, unreadable or invalid.
    Config(String),
    /// The database could not be opened, migrated, read or written.
    Database(String),
    /// A file or socket operation failed.
    Io(String),
    /// An admin command was asked to do something that is not allowed (e.g. approve a revoked request).
    InvalidAction(String),
    /// The named request does not exist.
    NotFound(String),
}

impl fmt::Display for IntakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntakeError::Config(m) => write!(f, "configuration problem: {m}"),
            IntakeError::Database(m) => write!(f, "database problem: {m}"),
            IntakeError::Io(m) => write!(f, "{m}"),
            IntakeError::InvalidAction(m) => write!(f, "{m}"),
            IntakeError::NotFound(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for IntakeError {}

impl From<rusqlite::Error> for IntakeError {
    fn from(error: rusqlite::Error) -> Self {
        IntakeError::Database(error.to_string())
    }
}

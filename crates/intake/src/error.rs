//! The crate's error type: every message says what is wrong in words a vendor can act on, and an
//! error that comes from SQLite or the operating system keeps that error as its
//! [`source`](std::error::Error::source) instead of a copy of its text.

use std::fmt;

/// Anything that stops the service or an admin command.
#[derive(Debug)]
pub enum IntakeError {
    /// The configuration file is missing, unreadable or invalid.
    Config(String),
    /// The database is unusable for a reason this crate found (schema too new, no WAL, …).
    Database(String),
    /// The database cannot be reached right now (PostgreSQL down, pool exhausted, statement timeout):
    /// nothing was committed, and the API answers `503` with `Retry-After`.
    Unavailable(String),
    /// A SQLite call failed: what was being done (when there is more to say than the call), and the
    /// driver's error as the source.
    Sqlite {
        /// What was being done, e.g. `cannot open /srv/intake.sqlite3`.
        action: Option<String>,
        /// The driver's error.
        source: rusqlite::Error,
    },
    /// A file or socket operation failed (message only, no underlying error).
    Io(String),
    /// A file or socket operation failed: what was being done, and the operating system's error.
    System {
        /// What was being done, e.g. `cannot listen on 127.0.0.1:8787`.
        action: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An admin command was asked to do something that is not allowed (e.g. approve a revoked request).
    InvalidAction(String),
    /// The named request does not exist.
    NotFound(String),
}

impl IntakeError {
    /// A failed SQLite call: `action` says what was being done.
    pub fn sqlite(action: impl Into<String>, source: rusqlite::Error) -> IntakeError {
        IntakeError::Sqlite {
            action: Some(action.into()),
            source,
        }
    }

    /// A failed file or socket operation: `action` says what was being done.
    pub fn system(action: impl Into<String>, source: std::io::Error) -> IntakeError {
        IntakeError::System {
            action: action.into(),
            source,
        }
    }
}

impl fmt::Display for IntakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntakeError::Config(m) => write!(f, "configuration problem: {m}"),
            IntakeError::Database(m) => write!(f, "database problem: {m}"),
            IntakeError::Unavailable(m) => write!(f, "database unavailable: {m}"),
            IntakeError::Sqlite {
                action: Some(action),
                source,
            } => write!(f, "database problem: {action}: {source}"),
            IntakeError::Sqlite {
                action: None,
                source,
            } => write!(f, "database problem: {source}"),
            IntakeError::Io(m) => write!(f, "{m}"),
            IntakeError::System { action, source } => write!(f, "{action}: {source}"),
            IntakeError::InvalidAction(m) => write!(f, "{m}"),
            IntakeError::NotFound(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for IntakeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IntakeError::Sqlite { source, .. } => Some(source),
            IntakeError::System { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for IntakeError {
    fn from(error: rusqlite::Error) -> Self {
        IntakeError::Sqlite {
            action: None,
            source: error,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::IntakeError;

    #[test]
    fn keeps_the_source_error() {
        let sqlite = IntakeError::from(rusqlite::Error::QueryReturnedNoRows);
        assert!(sqlite.to_string().starts_with("database problem: "));
        assert!(sqlite
            .source()
            .and_then(|s| s.downcast_ref::<rusqlite::Error>())
            .is_some());
        let io = IntakeError::system(
            "cannot read /x",
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert_eq!(
            io.source()
                .and_then(|s| s.downcast_ref::<std::io::Error>())
                .map(std::io::Error::kind),
            Some(std::io::ErrorKind::NotFound)
        );
        assert!(io.to_string().starts_with("cannot read /x: "));
    }
}

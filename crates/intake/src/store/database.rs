//! Which database a configuration names — a SQLite file (the default) or a PostgreSQL server — and
//! opening it as a [`Store`] or as a portable [`Engine`].

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::portable::Engine;
use super::postgres::{self, PgPool, PgStore, PostgresSettings};
use super::{SqliteStore, Store, SubscriptionStore};
use crate::config::Config;
use crate::error::IntakeError;

/// The request store and the subscription store of one database.
pub type Stores = (Arc<dyn Store>, Arc<dyn SubscriptionStore>);

/// A database location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL server (`postgres://…`; the password may come from the environment).
    Postgres {
        url: String,
        settings: PostgresSettings,
    },
}

impl Database {
    /// The database of `config`: `database_url` when it is a `postgres://` URL, otherwise the SQLite
    /// file (`database`, or `<data_dir>/intake.sqlite3`).
    pub fn from_config(config: &Config) -> Database {
        match config.database_url.as_deref() {
            Some(url) if is_postgres_url(url) => Database::Postgres {
                url: url.to_string(),
                settings: config.postgres.clone(),
            },
            _ => Database::Sqlite(config.database_path()),
        }
    }

    /// Parses `sqlite:PATH` or `postgres://…` (for `trustctl db copy`).
    pub fn parse(text: &str, settings: &PostgresSettings) -> Result<Database, String> {
        if is_postgres_url(text) {
            Ok(Database::Postgres {
                url: text.to_string(),
                settings: settings.clone(),
            })
        } else if let Some(path) = text.strip_prefix("sqlite:") {
            if path.is_empty() {
                return Err("sqlite: needs a file path (sqlite:PATH)".into());
            }
            Ok(Database::Sqlite(PathBuf::from(path)))
        } else {
            Err(format!(
                "{} is neither sqlite:PATH nor a postgres:// URL",
                crate::neutralise::inline(text)
            ))
        }
    }

    /// Where the data is, without credentials.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite:{}", path.display()),
            Database::Postgres { url, .. } => postgres::describe_url(url),
        }
    }

    /// Opens the database and applies pending migrations.
    pub fn open_store(&self) -> Result<Arc<dyn Store>, IntakeError> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(SqliteStore::open(path)?),
            Database::Postgres { url, settings } => Arc::new(PgStore::open(url, settings)?),
        })
    }

    /// Opens the database (applying pending migrations) as the request store and the subscription
    /// store, both on the same connection(s).
    pub fn open_stores(&self) -> Result<Stores, IntakeError> {
        match self {
            Database::Sqlite(path) => {
                let store = Arc::new(SqliteStore::open(path)?);
                Ok((store.clone(), store))
            }
            Database::Postgres { url, settings } => {
                let store = Arc::new(PgStore::open(url, settings)?);
                Ok((store.clone(), store))
            }
        }
    }

    /// Opens the (already migrated) database as a portable engine with its own connection(s).
    pub fn open_engine(&self) -> Result<Engine, IntakeError> {
        match self {
            Database::Sqlite(path) => {
                let connection = rusqlite::Connection::open(path).map_err(|e| {
                    IntakeError::Database(format!("cannot open {}: {e}", path.display()))
                })?;
                connection.busy_timeout(std::time::Duration::from_secs(5))?;
                connection.execute_batch(
                    "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
                )?;
                Ok(Engine::Sqlite(Mutex::new(connection)))
            }
            Database::Postgres { url, settings } => {
                Ok(Engine::Postgres(PgPool::connect(url, settings)?))
            }
        }
    }

    /// Whether the configured file or server is PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        matches!(self, Database::Postgres { .. })
    }
}

/// Whether `text` is a PostgreSQL connection URL.
pub fn is_postgres_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

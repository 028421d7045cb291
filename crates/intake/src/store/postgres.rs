//! The PostgreSQL engine, for several instances on one database: the connection pool, the migrations
//! and [`PgStore`]. Its [`Store`](super::Store) and
//! [`SubscriptionStore`](super::SubscriptionStore) are written once for both engines
//! (`store/requests/sql.rs`, `store/subscriptions/sql.rs`); this module gives the request store its
//! pooled connections and transactions ([`Connections`]), `postgres/requests.rs` and
//! `postgres/subscriptions.rs` the locks and claims that several instances need.
//!
//! The synchronous `postgres` client behind an `r2d2` pool: the `Store` trait is synchronous and the
//! service calls it from `spawn_blocking`, where a blocking client is the natural fit. Every connection
//! gets a connect timeout and a `statement_timeout`, and the pool a checkout timeout, so a database that
//! is down gives a fast [`IntakeError::Unavailable`] (HTTP `503`) instead of a hang.
//!
//! Several instances are safe because: idempotency keys are unique in the table (`ON CONFLICT DO
//! NOTHING`, then the committed winner is read back); outbox rows are claimed with
//! `FOR UPDATE SKIP LOCKED` plus a lease (`claimed_until_ms`), so two instances never hold the same
//! message and a crashed instance's claims come back once the lease ends; migrations run in one
//! transaction under `pg_advisory_xact_lock`.

// Access requests, audit trail and outbox: the queries are in requests/sql.rs, the row lock and outbox claim here.
mod requests;
// Subscriptions and change notices (issue 17): the queries are in subscriptions/sql.rs, the locks here.
mod subscriptions;

use std::time::Duration;

use r2d2_postgres::postgres::{Config as PgConfig, NoTls};
use r2d2_postgres::PostgresConnectionManager;
use serde::Deserialize;

use super::migrations::{self, MIGRATIONS};
use super::portable::{pg_error, Connections, Engine, Exec};
use crate::error::IntakeError;
use crate::store::subscriptions::OldCopies;

/// Environment variable with the database password (preferred over a password in `database_url`).
pub const PASSWORD_ENV: &str = "TRUST_INTAKE_DATABASE_PASSWORD";

/// Key of the advisory lock held while migrating (any constant; "trust-in" in ASCII).
const MIGRATION_LOCK: i64 = 0x7472_7573_742d_696e;

/// The `[postgres]` section of the configuration (used only with a `postgres://` `database_url`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct PostgresSettings {
    /// Most connections one instance opens.
    pub pool_size: u32,
    /// Longest wait for a TCP connection and the server's greeting.
    pub connect_timeout_ms: u64,
    /// Longest wait for a free pooled connection (then `503`).
    pub pool_wait_ms: u64,
    /// Longest any statement may run on the server (then `503`).
    pub statement_timeout_ms: u64,
    /// How long an outbox claim lasts before another instance may retry the message.
    pub claim_lease_secs: u64,
}

impl Default for PostgresSettings {
    fn default() -> Self {
        PostgresSettings {
            pool_size: 16,
            connect_timeout_ms: 2_000,
            pool_wait_ms: 2_000,
            statement_timeout_ms: 5_000,
            claim_lease_secs: 300,
        }
    }
}

/// A pool of PostgreSQL connections.
pub struct PgPool {
    /// Always `Some` until dropped (see the `Drop` impl).
    pool: Option<r2d2::Pool<PostgresConnectionManager<NoTls>>>,
    config: PgConfig,
}

impl Drop for PgPool {
    /// Closing a synchronous `postgres` connection blocks on its own small runtime, which panics on a
    /// thread that drives an async runtime (the service's workers drop the last store handle there at
    /// shutdown): the connections are then closed on a plain thread.
    fn drop(&mut self) {
        let Some(pool) = self.pool.take() else {
            return;
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        } else {
            drop(pool);
        }
    }
}

/// A connection checked out of a [`PgPool`].
pub type PgConnection = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

impl PgPool {
    /// Parses `url` (the password may come from [`PASSWORD_ENV`] instead) and builds a pool; connects
    /// lazily, so a database that is down at start-up is reported by the first use.
    pub fn connect(url: &str, settings: &PostgresSettings) -> Result<PgPool, IntakeError> {
        let mut config: PgConfig = url.parse().map_err(|_| {
            IntakeError::Config(
                "database_url is not a valid postgres:// URL (postgres://USER@HOST:PORT/DATABASE)"
                    .into(),
            )
        })?;
        if let Ok(password) = std::env::var(PASSWORD_ENV) {
            if !password.is_empty() {
                config.password(password);
            }
        }
        config
            .connect_timeout(Duration::from_millis(settings.connect_timeout_ms.max(1)))
            .application_name("trust-intake")
            .options(&format!(
                "-c statement_timeout={} -c idle_in_transaction_session_timeout={}",
                settings.statement_timeout_ms.max(1),
                settings.statement_timeout_ms.max(1).saturating_mul(2)
            ));
        let manager = PostgresConnectionManager::new(config.clone(), NoTls);
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size.max(1))
            .min_idle(Some(0))
            .connection_timeout(Duration::from_millis(settings.pool_wait_ms.max(1)))
            .test_on_check_out(true)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(PgPool {
            pool: Some(pool),
            config,
        })
    }

    /// Connects once outside the pool, to report at start-up why a connection fails: a refused
    /// login, a missing password or an unknown database is a configuration error (exit, with the
    /// server's reason); a server that cannot be reached is [`IntakeError::Unavailable`].
    pub fn check(&self) -> Result<(), IntakeError> {
        match self.config.connect(NoTls) {
            Ok(_) => Ok(()),
            Err(error) => {
                let refused = error.code().is_some_and(|code| {
                    let code = code.code();
                    code.starts_with("28") || code == "3D000"
                }) || error.to_string().starts_with("invalid configuration");
                if refused {
                    Err(IntakeError::Config(format!(
                        "PostgreSQL refused the connection ({}); check database_url and {PASSWORD_ENV}",
                        super::portable::pg_error_text(&error)
                    )))
                } else {
                    Err(pg_error(error))
                }
            }
        }
    }

    /// A connection, or [`IntakeError::Unavailable`] after `pool_wait_ms`.
    pub fn get(&self) -> Result<PgConnection, IntakeError> {
        self.pool
            .as_ref()
            .ok_or_else(|| IntakeError::Unavailable("the PostgreSQL pool is closed".into()))?
            .get()
            .map_err(|error| {
                IntakeError::Unavailable(format!("PostgreSQL is unavailable: {error}"))
            })
    }
}

/// What a `postgres://` URL names, without user or password (for messages and logs).
pub fn describe_url(url: &str) -> String {
    match url.parse::<PgConfig>() {
        Ok(config) => {
            let host = config
                .get_hosts()
                .first()
                .map(|host| match host {
                    r2d2_postgres::postgres::config::Host::Tcp(name) => name.clone(),
                    r2d2_postgres::postgres::config::Host::Unix(path) => path.display().to_string(),
                })
                .unwrap_or_else(|| "localhost".into());
            let port = config.get_ports().first().copied().unwrap_or(5432);
            let database = config.get_dbname().unwrap_or("(default)");
            format!("postgres://{host}:{port}/{database}")
        }
        Err(_) => "postgres://(invalid URL)".into(),
    }
}

/// Applies pending migrations in one transaction under an advisory lock (two instances starting
/// together: the second waits, then finds nothing to do); refuses a database newer than this binary.
pub fn migrate(pool: &PgPool) -> Result<i64, IntakeError> {
    pool.check()?;
    let mut client = pool.get()?;
    let mut transaction = client.transaction().map_err(pg_error)?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(pg_error)?;
    transaction
        .batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version    BIGINT PRIMARY KEY,
                 name       TEXT NOT NULL,
                 applied_at BIGINT NOT NULL
             )",
        )
        .map_err(pg_error)?;
    let current: i64 = transaction
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
            &[],
        )
        .map_err(pg_error)?
        .get(0);
    if current > migrations::latest() {
        return Err(migrations::too_new(current));
    }
    for migration in MIGRATIONS.iter().filter(|m| m.version > current) {
        transaction.batch_execute(migration.postgres).map_err(|e| {
            IntakeError::Database(format!("migration {:04} failed: {e}", migration.version))
        })?;
        transaction
            .execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[
                    &migration.version,
                    &migration.name,
                    &crate::clock::now_secs(),
                ],
            )
            .map_err(pg_error)?;
    }
    transaction.commit().map_err(pg_error)?;
    Ok(migrations::latest().max(current))
}

/// The schema version recorded in the database (0 before the first migration).
pub fn schema_version(pool: &PgPool) -> Result<i64, IntakeError> {
    let mut client = pool.get()?;
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
        .map_err(pg_error)?
        .get(0);
    if !exists {
        return Ok(0);
    }
    Ok(client
        .query_one(
            "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
            &[],
        )
        .map_err(pg_error)?
        .get(0))
}

/// A PostgreSQL database shared by any number of service instances and admin commands.
pub struct PgStore {
    engine: Engine,
    lease_ms: i64,
}

impl PgStore {
    /// Connects to `url` and applies pending migrations.
    pub fn open(url: &str, settings: &PostgresSettings) -> Result<PgStore, IntakeError> {
        let pool = PgPool::connect(url, settings)?;
        migrate(&pool)?;
        Ok(PgStore::from_pool(pool, settings))
    }

    /// A store over an already migrated pool.
    pub fn from_pool(pool: PgPool, settings: &PostgresSettings) -> PgStore {
        PgStore {
            engine: Engine::Postgres(pool),
            lease_ms: i64::try_from(settings.claim_lease_secs.max(1))
                .unwrap_or(i64::MAX / 1000)
                .saturating_mul(1000),
        }
    }

    /// The portable engine (for the console's queries and `trustctl db`).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Schema version recorded in the database.
    pub fn schema_version(&self) -> Result<i64, IntakeError> {
        match &self.engine {
            Engine::Postgres(pool) => schema_version(pool),
            Engine::Sqlite(_) => Err(IntakeError::Database("not a PostgreSQL store".into())),
        }
    }
}

impl Connections for PgStore {
    fn with<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        self.engine.with(work)
    }

    /// A transaction at the server's default isolation (read committed): a statement that must
    /// exclude other instances locks its rows itself (`FOR UPDATE`, advisory locks).
    fn transaction<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        self.engine.transaction(work)
    }

    fn purge_old_copies(&self) -> OldCopies {
        // VACUUM marks the dead versions' space reusable but does not overwrite it, and VACUUM FULL
        // would lock the tables every instance uses: nothing here is a purge, so none is attempted.
        OldCopies::LeftToVacuum
    }
}

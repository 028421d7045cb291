//! PostgreSQL implementation of [`Store`] for several instances on one database.
//!
//! The synchronous `postgres` client behind an `r2d2` pool: the [`Store`] trait is synchronous and the
//! service calls it from `spawn_blocking`, where a blocking client is the natural fit. Every connection
//! gets a connect timeout and a `statement_timeout`, and the pool a checkout timeout, so a database that
//! is down gives a fast [`IntakeError::Unavailable`] (HTTP `503`) instead of a hang.
//!
//! Several instances are safe because: idempotency keys are unique in the table (`ON CONFLICT DO
//! NOTHING`, then the committed winner is read back); outbox rows are claimed with
//! `FOR UPDATE SKIP LOCKED` plus a lease (`claimed_until_ms`), so two instances never hold the same
//! message and a crashed instance's claims come back once the lease ends; migrations run in one
//! transaction under `pg_advisory_xact_lock`.

// Subscriptions and change notices (issue 17): the queries are in subscriptions/sql.rs, the locks here.
mod subscriptions;

use std::time::Duration;

use r2d2_postgres::postgres::{Config as PgConfig, NoTls};
use r2d2_postgres::PostgresConnectionManager;
use serde::Deserialize;

use super::migrations::{self, MIGRATIONS};
use super::portable::{pg_error, Engine, Exec, Row};
use super::{
    allowed_from, no_such_request, AccessRequest, AuditEvent, Channel, CreateOutcome, Decision,
    NewMessage, OutboxMessage, RequestStatus, Store,
};
use crate::error::IntakeError;

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

const REQUEST_COLUMNS: &str = "id, idempotency_key, fingerprint, name, email, email_domain, company, reason, \
    document_id, nda_version, nda_sha256, accepted_at, client_ip, user_agent, status, decided_by, decision_note, \
    decided_at, access_expires_at, created_at, updated_at";

const MESSAGE_COLUMNS: &str =
    "id, request_id, channel, recipient, subject, body, status, attempts, next_attempt_at_ms, last_error";

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

fn request_from_row(row: &Row) -> Result<AccessRequest, IntakeError> {
    Ok(AccessRequest {
        id: row.text(0)?,
        idempotency_key: row.text(1)?,
        fingerprint: row.text(2)?,
        name: row.text(3)?,
        email: row.text(4)?,
        email_domain: row.text(5)?,
        company: row.text(6)?,
        reason: row.opt_text(7)?,
        document_id: row.text(8)?,
        nda_version: row.text(9)?,
        nda_sha256: row.text(10)?,
        accepted_at: row.int(11)?,
        client_ip: row.text(12)?,
        user_agent: row.opt_text(13)?,
        status: RequestStatus::parse(&row.text(14)?).unwrap_or(RequestStatus::Pending),
        decided_by: row.opt_text(15)?,
        decision_note: row.opt_text(16)?,
        decided_at: row.opt_int(17)?,
        access_expires_at: row.opt_int(18)?,
        created_at: row.int(19)?,
        updated_at: row.int(20)?,
    })
}

fn message_from_row(row: &Row) -> Result<OutboxMessage, IntakeError> {
    Ok(OutboxMessage {
        id: row.int(0)?,
        request_id: row.opt_text(1)?,
        channel: if row.text(2)? == "webhook" {
            Channel::Webhook
        } else {
            Channel::Email
        },
        recipient: row.text(3)?,
        subject: row.opt_text(4)?,
        body: row.text(5)?,
        status: row.text(6)?,
        attempts: row.int(7)?,
        next_attempt_at_ms: row.int(8)?,
        last_error: row.opt_text(9)?,
    })
}

fn get_request_in(db: &mut dyn Exec, id: &str) -> Result<Option<AccessRequest>, IntakeError> {
    db.query_opt(
        &format!("SELECT {REQUEST_COLUMNS} FROM access_requests WHERE id = ?1"),
        &[id.into()],
    )?
    .as_ref()
    .map(request_from_row)
    .transpose()
}

fn lock_request_in(db: &mut dyn Exec, id: &str) -> Result<AccessRequest, IntakeError> {
    db.query_opt(
        &format!("SELECT {REQUEST_COLUMNS} FROM access_requests WHERE id = ?1 FOR UPDATE"),
        &[id.into()],
    )?
    .as_ref()
    .map(request_from_row)
    .transpose()?
    .ok_or_else(|| no_such_request(id))
}

fn insert_audit(db: &mut dyn Exec, event: &AuditEvent) -> Result<(), IntakeError> {
    db.execute(
        "INSERT INTO audit_events (request_id, at, event, actor, client_ip, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            (&event.request_id).into(),
            event.at.into(),
            (&event.event).into(),
            (&event.actor).into(),
            (&event.client_ip).into(),
            (&event.detail).into(),
        ],
    )?;
    Ok(())
}

fn insert_message(
    db: &mut dyn Exec,
    request_id: &str,
    message: &NewMessage,
    now: i64,
) -> Result<(), IntakeError> {
    db.execute(
        "INSERT INTO outbox (request_id, channel, recipient, subject, body, next_attempt_at_ms, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        &[
            request_id.into(),
            message.channel.as_str().into(),
            (&message.recipient).into(),
            (&message.subject).into(),
            (&message.body).into(),
            now.saturating_mul(1000).into(),
            now.into(),
        ],
    )?;
    Ok(())
}

fn insert_request(db: &mut dyn Exec, request: &AccessRequest) -> Result<u64, IntakeError> {
    db.execute(
        &format!(
            "INSERT INTO access_requests ({REQUEST_COLUMNS}) VALUES \
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) \
             ON CONFLICT (idempotency_key) DO NOTHING"
        ),
        &[
            (&request.id).into(),
            (&request.idempotency_key).into(),
            (&request.fingerprint).into(),
            (&request.name).into(),
            (&request.email).into(),
            (&request.email_domain).into(),
            (&request.company).into(),
            (&request.reason).into(),
            (&request.document_id).into(),
            (&request.nda_version).into(),
            (&request.nda_sha256).into(),
            request.accepted_at.into(),
            (&request.client_ip).into(),
            (&request.user_agent).into(),
            request.status.as_str().into(),
            (&request.decided_by).into(),
            (&request.decision_note).into(),
            request.decided_at.into(),
            request.access_expires_at.into(),
            request.created_at.into(),
            request.updated_at.into(),
        ],
    )
}

impl Store for PgStore {
    fn create_request(
        &self,
        request: &AccessRequest,
        audit: &[AuditEvent],
        messages: &[NewMessage],
    ) -> Result<CreateOutcome, IntakeError> {
        self.engine.transaction(|db| {
            // The unique constraint decides between two instances inserting the same key at once: the
            // second insert waits for the first transaction and then inserts nothing.
            if insert_request(db, request)? == 0 {
                let existing = db
                    .query_opt(
                        &format!(
                            "SELECT {REQUEST_COLUMNS} FROM access_requests WHERE idempotency_key = ?1"
                        ),
                        &[(&request.idempotency_key).into()],
                    )?
                    .as_ref()
                    .map(request_from_row)
                    .transpose()?
                    .ok_or_else(|| {
                        IntakeError::Database(
                            "an idempotency key conflicted but its request is not visible".into(),
                        )
                    })?;
                return Ok(if existing.fingerprint == request.fingerprint {
                    CreateOutcome::Replayed(existing)
                } else {
                    CreateOutcome::KeyConflict
                });
            }
            for event in audit {
                insert_audit(db, event)?;
            }
            for message in messages {
                insert_message(db, &request.id, message, request.created_at)?;
            }
            Ok(CreateOutcome::Created(request.clone()))
        })
    }

    fn get_request(&self, id: &str) -> Result<Option<AccessRequest>, IntakeError> {
        self.engine.with(|db| get_request_in(db, id))
    }

    fn list_requests(
        &self,
        status: Option<RequestStatus>,
        limit: u32,
    ) -> Result<Vec<AccessRequest>, IntakeError> {
        self.engine.with(|db| {
            db.query(
                &format!(
                    "SELECT {REQUEST_COLUMNS} FROM access_requests \
                     WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) \
                     ORDER BY created_at DESC, rowid DESC LIMIT ?2"
                ),
                &[
                    status.map(RequestStatus::as_str).into(),
                    i64::from(limit).into(),
                ],
            )?
            .iter()
            .map(request_from_row)
            .collect()
        })
    }

    fn decide(&self, id: &str, decision: &Decision) -> Result<AccessRequest, IntakeError> {
        self.engine.transaction(|db| {
            // FOR UPDATE: two reviewers deciding on two instances at once are serialised.
            let current = lock_request_in(db, id)?;
            if !allowed_from(decision.status).contains(&current.status) {
                return Err(IntakeError::InvalidAction(format!(
                    "request {id} is {} and cannot be {}",
                    current.status.as_str(),
                    decision.status.as_str()
                )));
            }
            db.execute(
                "UPDATE access_requests SET status = ?2, decided_by = ?3, decision_note = ?4, decided_at = ?5, \
                 access_expires_at = COALESCE(?6, access_expires_at), updated_at = ?5 WHERE id = ?1",
                &[
                    id.into(),
                    decision.status.as_str().into(),
                    (&decision.actor).into(),
                    (&decision.note).into(),
                    decision.at.into(),
                    decision.access_expires_at.into(),
                ],
            )?;
            insert_audit(
                db,
                &AuditEvent {
                    request_id: id.to_string(),
                    at: decision.at,
                    event: decision.status.as_str().to_string(),
                    actor: decision.actor.clone(),
                    client_ip: None,
                    detail: decision.note.clone(),
                },
            )?;
            for message in &decision.messages {
                insert_message(db, id, message, decision.at)?;
            }
            get_request_in(db, id)?.ok_or_else(|| no_such_request(id))
        })
    }

    fn record_audit(&self, event: &AuditEvent) -> Result<(), IntakeError> {
        self.engine.with(|db| insert_audit(db, event))
    }

    fn audit_trail(&self, id: &str) -> Result<Vec<AuditEvent>, IntakeError> {
        self.engine.with(|db| {
            db.query(
                "SELECT request_id, at, event, actor, client_ip, detail FROM audit_events \
                 WHERE request_id = ?1 ORDER BY id",
                &[id.into()],
            )?
            .iter()
            .map(|row| {
                Ok(AuditEvent {
                    request_id: row.text(0)?,
                    at: row.int(1)?,
                    event: row.text(2)?,
                    actor: row.text(3)?,
                    client_ip: row.opt_text(4)?,
                    detail: row.opt_text(5)?,
                })
            })
            .collect()
        })
    }

    fn due_messages(
        &self,
        channel: Channel,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, IntakeError> {
        // Claims the rows: locked rows another instance is claiming are skipped, and a claimed row is
        // invisible to everyone else until its lease ends (or the claimer records the outcome).
        let mut messages = self.engine.with(|db| {
            db.query(
                &format!(
                    "UPDATE outbox SET claimed_until_ms = ?4 WHERE id IN ( \
                         SELECT id FROM outbox WHERE status = 'pending' AND channel = ?1 \
                         AND next_attempt_at_ms <= ?2 \
                         AND (claimed_until_ms IS NULL OR claimed_until_ms <= ?2) \
                         ORDER BY next_attempt_at_ms, id LIMIT ?3 FOR UPDATE SKIP LOCKED) \
                     RETURNING {MESSAGE_COLUMNS}"
                ),
                &[
                    channel.as_str().into(),
                    now_ms.into(),
                    i64::from(limit).into(),
                    now_ms.saturating_add(self.lease_ms).into(),
                ],
            )?
            .iter()
            .map(message_from_row)
            .collect::<Result<Vec<_>, _>>()
        })?;
        messages.sort_by_key(|m| (m.next_attempt_at_ms, m.id));
        Ok(messages)
    }

    fn mark_delivered(&self, id: i64, at: i64) -> Result<(), IntakeError> {
        self.engine.with(|db| {
            db.execute(
                "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?2, \
                 last_error = NULL, claimed_until_ms = NULL WHERE id = ?1",
                &[id.into(), at.into()],
            )?;
            Ok(())
        })
    }

    fn mark_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at_ms: Option<i64>,
    ) -> Result<(), IntakeError> {
        self.engine.with(|db| {
            match next_attempt_at_ms {
                Some(next) => db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at_ms = ?3, \
                     claimed_until_ms = NULL WHERE id = ?1 AND status = 'pending'",
                    &[id.into(), error.into(), next.into()],
                )?,
                None => db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, status = 'failed', \
                     claimed_until_ms = NULL WHERE id = ?1 AND status = 'pending'",
                    &[id.into(), error.into()],
                )?,
            };
            Ok(())
        })
    }

    fn outbox(
        &self,
        request_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, IntakeError> {
        self.engine.with(|db| {
            db.query(
                &format!(
                    "SELECT {MESSAGE_COLUMNS} FROM outbox \
                     WHERE (CAST(?1 AS TEXT) IS NULL OR request_id = ?1) ORDER BY id DESC LIMIT ?2"
                ),
                &[request_id.into(), i64::from(limit).into()],
            )?
            .iter()
            .map(message_from_row)
            .collect()
        })
    }

    fn record_with_messages(
        &self,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<(), IntakeError> {
        self.engine.transaction(|db| {
            insert_audit(db, event)?;
            for message in messages {
                insert_message(db, &event.request_id, message, event.at)?;
            }
            Ok(())
        })
    }

    fn extend_access(
        &self,
        id: &str,
        until: i64,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<AccessRequest, IntakeError> {
        self.engine.transaction(|db| {
            let current = lock_request_in(db, id)?;
            if current.status != RequestStatus::Approved {
                return Err(IntakeError::InvalidAction(format!(
                    "request {id} is {} and its access cannot be extended",
                    current.status.as_str()
                )));
            }
            db.execute(
                "UPDATE access_requests SET access_expires_at = ?2, updated_at = ?3 WHERE id = ?1",
                &[id.into(), until.into(), event.at.into()],
            )?;
            insert_audit(db, event)?;
            for message in messages {
                insert_message(db, id, message, event.at)?;
            }
            get_request_in(db, id)?.ok_or_else(|| no_such_request(id))
        })
    }
}

//! SQLite implementation of [`Store`]: WAL journal, `synchronous=FULL`, versioned migrations.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::{
    allowed_from, no_such_request, AccessRequest, AuditEvent, Channel, CreateOutcome, Decision,
    NewMessage, OutboxMessage, RequestStatus, Store,
};
use crate::error::IntakeError;

use super::migrations::{self, MIGRATIONS};

// Subscriptions and change notices (issue 17): the queries are in subscriptions/sql.rs, the transactions here.
mod subscriptions;

/// A single SQLite database file shared by the service and the admin commands.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

const REQUEST_COLUMNS: &str = "id, idempotency_key, fingerprint, name, email, email_domain, company, reason, \
    document_id, nda_version, nda_sha256, accepted_at, client_ip, user_agent, status, decided_by, decision_note, \
    decided_at, access_expires_at, created_at, updated_at";

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<SqliteStore, IntakeError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_fs::create_dir(dir).map_err(|e| {
                IntakeError::system(
                    format!("cannot create database folder {}", dir.display()),
                    e,
                )
            })?;
        }
        // SQLite gives the -wal and -shm files the database file's mode, so 0600 here covers all three.
        crate::private_fs::touch_file(path).map_err(|e| {
            IntakeError::system(format!("cannot create database file {}", path.display()), e)
        })?;
        let connection = Connection::open(path)
            .map_err(|e| IntakeError::sqlite(format!("cannot open {}", path.display()), e))?;
        // WAL lets the admin commands read while the service writes; FULL syncs the WAL on every commit so
        // an acknowledged request survives a power cut, not only a process crash (docs/intake.md).
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(IntakeError::Database(format!(
                "{} cannot use write-ahead logging (journal mode is {mode}); put it on a local disk",
                path.display()
            )));
        }
        // secure_delete zeroes the content of deleted and overwritten rows, so an erased subscriber's
        // data does not linger in the unused space of a page (docs/intake.md, "Erasing a subscriber").
        connection.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
        )?;
        let store = SqliteStore {
            connection: Mutex::new(connection),
        };
        store.migrate()?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back), so a
        // poisoned mutex is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn migrate(&self) -> Result<(), IntakeError> {
        let mut connection = self.lock();
        // A migration may rebuild a table that other tables reference (the only way SQLite changes a
        // constraint), which needs foreign key enforcement off; it can only be switched outside a
        // transaction. `migrate_in` checks every reference before it commits.
        connection.execute_batch("PRAGMA foreign_keys = OFF")?;
        let migrated = migrate_in(&mut connection);
        let restored = connection.execute_batch("PRAGMA foreign_keys = ON");
        migrated?;
        restored?;
        Ok(())
    }

    /// Schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64, IntakeError> {
        Ok(self
            .lock()
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// Applies the pending migrations in one transaction; with any applied, `PRAGMA foreign_key_check`
/// must find no dangling reference before it commits.
fn migrate_in(connection: &mut Connection) -> Result<(), IntakeError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > migrations::latest() {
        return Err(migrations::too_new(current));
    }
    // `PRAGMA user_version` records how many migrations have been applied.
    let pending: Vec<_> = MIGRATIONS.iter().filter(|m| m.version > current).collect();
    for migration in &pending {
        transaction.execute_batch(migration.sqlite).map_err(|e| {
            IntakeError::sqlite(format!("migration {:04} failed", migration.version), e)
        })?;
        transaction.execute_batch(&format!("PRAGMA user_version = {}", migration.version))?;
    }
    if !pending.is_empty() {
        let dangling = transaction
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |_| Ok(()))?
            .count();
        if dangling > 0 {
            return Err(IntakeError::Database(format!(
                "the migrations would leave {dangling} row(s) referring to rows that do not exist; nothing was changed"
            )));
        }
    }
    transaction.commit()?;
    Ok(())
}

fn request_from_row(row: &Row<'_>) -> rusqlite::Result<AccessRequest> {
    let status: String = row.get(14)?;
    Ok(AccessRequest {
        id: row.get(0)?,
        idempotency_key: row.get(1)?,
        fingerprint: row.get(2)?,
        name: row.get(3)?,
        email: row.get(4)?,
        email_domain: row.get(5)?,
        company: row.get(6)?,
        reason: row.get(7)?,
        document_id: row.get(8)?,
        nda_version: row.get(9)?,
        nda_sha256: row.get(10)?,
        accepted_at: row.get(11)?,
        client_ip: row.get(12)?,
        user_agent: row.get(13)?,
        status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Pending),
        decided_by: row.get(15)?,
        decision_note: row.get(16)?,
        decided_at: row.get(17)?,
        access_expires_at: row.get(18)?,
        created_at: row.get(19)?,
        updated_at: row.get(20)?,
    })
}

fn message_from_row(row: &Row<'_>) -> rusqlite::Result<OutboxMessage> {
    let channel: String = row.get(2)?;
    Ok(OutboxMessage {
        id: row.get(0)?,
        request_id: row.get(1)?,
        channel: if channel == "webhook" {
            Channel::Webhook
        } else {
            Channel::Email
        },
        recipient: row.get(3)?,
        subject: row.get(4)?,
        body: row.get(5)?,
        status: row.get(6)?,
        attempts: row.get(7)?,
        next_attempt_at_ms: row.get(8)?,
        last_error: row.get(9)?,
    })
}

const MESSAGE_COLUMNS: &str =
    "id, request_id, channel, recipient, subject, body, status, attempts, next_attempt_at_ms, last_error";

fn get_request_in(connection: &Connection, id: &str) -> rusqlite::Result<Option<AccessRequest>> {
    connection
        .query_row(
            &format!("SELECT {REQUEST_COLUMNS} FROM access_requests WHERE id = ?1"),
            [id],
            request_from_row,
        )
        .optional()
}

fn insert_audit(connection: &Connection, event: &AuditEvent) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO audit_events (request_id, at, event, actor, client_ip, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![event.request_id, event.at, event.event, event.actor, event.client_ip, event.detail],
    )?;
    Ok(())
}

fn insert_message(
    connection: &Connection,
    request_id: &str,
    message: &NewMessage,
    now: i64,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO outbox (request_id, channel, recipient, subject, body, next_attempt_at_ms, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![request_id, message.channel.as_str(), message.recipient, message.subject, message.body, now * 1000, now],
    )?;
    Ok(())
}

impl Store for SqliteStore {
    fn create_request(
        &self,
        request: &AccessRequest,
        audit: &[AuditEvent],
        messages: &[NewMessage],
    ) -> Result<CreateOutcome, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing = transaction
            .query_row(
                &format!(
                    "SELECT {REQUEST_COLUMNS} FROM access_requests WHERE idempotency_key = ?1"
                ),
                [&request.idempotency_key],
                request_from_row,
            )
            .optional()?;
        if let Some(existing) = existing {
            return Ok(if existing.fingerprint == request.fingerprint {
                CreateOutcome::Replayed(existing)
            } else {
                CreateOutcome::KeyConflict
            });
        }
        transaction.execute(
            &format!(
                "INSERT INTO access_requests ({REQUEST_COLUMNS}) VALUES \
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)"
            ),
            params![
                request.id,
                request.idempotency_key,
                request.fingerprint,
                request.name,
                request.email,
                request.email_domain,
                request.company,
                request.reason,
                request.document_id,
                request.nda_version,
                request.nda_sha256,
                request.accepted_at,
                request.client_ip,
                request.user_agent,
                request.status.as_str(),
                request.decided_by,
                request.decision_note,
                request.decided_at,
                request.access_expires_at,
                request.created_at,
                request.updated_at,
            ],
        )?;
        for event in audit {
            insert_audit(&transaction, event)?;
        }
        for message in messages {
            insert_message(&transaction, &request.id, message, request.created_at)?;
        }
        transaction.commit()?;
        Ok(CreateOutcome::Created(request.clone()))
    }

    fn get_request(&self, id: &str) -> Result<Option<AccessRequest>, IntakeError> {
        Ok(get_request_in(&self.lock(), id)?)
    }

    fn list_requests(
        &self,
        status: Option<RequestStatus>,
        limit: u32,
    ) -> Result<Vec<AccessRequest>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(&format!(
            "SELECT {REQUEST_COLUMNS} FROM access_requests WHERE (?1 IS NULL OR status = ?1) \
             ORDER BY created_at DESC, rowid DESC LIMIT ?2"
        ))?;
        let rows = statement.query_map(
            params![status.map(RequestStatus::as_str), limit],
            request_from_row,
        )?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn decide(&self, id: &str, decision: &Decision) -> Result<AccessRequest, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = get_request_in(&transaction, id)?.ok_or_else(|| no_such_request(id))?;
        if !allowed_from(decision.status).contains(&current.status) {
            return Err(IntakeError::InvalidAction(format!(
                "request {id} is {} and cannot be {}",
                current.status.as_str(),
                decision.status.as_str()
            )));
        }
        transaction.execute(
            "UPDATE access_requests SET status = ?2, decided_by = ?3, decision_note = ?4, decided_at = ?5, \
             access_expires_at = COALESCE(?6, access_expires_at), updated_at = ?5 WHERE id = ?1",
            params![id, decision.status.as_str(), decision.actor, decision.note, decision.at, decision.access_expires_at],
        )?;
        insert_audit(
            &transaction,
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
            insert_message(&transaction, id, message, decision.at)?;
        }
        let updated = get_request_in(&transaction, id)?.ok_or_else(|| no_such_request(id))?;
        transaction.commit()?;
        Ok(updated)
    }

    fn record_audit(&self, event: &AuditEvent) -> Result<(), IntakeError> {
        Ok(insert_audit(&self.lock(), event)?)
    }

    fn audit_trail(&self, id: &str) -> Result<Vec<AuditEvent>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT request_id, at, event, actor, client_ip, detail FROM audit_events WHERE request_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([id], |row| {
            Ok(AuditEvent {
                request_id: row.get(0)?,
                at: row.get(1)?,
                event: row.get(2)?,
                actor: row.get(3)?,
                client_ip: row.get(4)?,
                detail: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn due_messages(
        &self,
        channel: Channel,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE status = 'pending' AND channel = ?1 \
             AND next_attempt_at_ms <= ?2 ORDER BY next_attempt_at_ms, id LIMIT ?3"
        ))?;
        let rows =
            statement.query_map(params![channel.as_str(), now_ms, limit], message_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn mark_delivered(&self, id: i64, at: i64) -> Result<(), IntakeError> {
        self.lock().execute(
            "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?2, last_error = NULL \
             WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    fn mark_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at_ms: Option<i64>,
    ) -> Result<(), IntakeError> {
        let connection = self.lock();
        match next_attempt_at_ms {
            Some(next) => connection.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at_ms = ?3 \
                 WHERE id = ?1 AND status = 'pending'",
                params![id, error, next],
            )?,
            None => connection.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, status = 'failed' \
                 WHERE id = ?1 AND status = 'pending'",
                params![id, error],
            )?,
        };
        Ok(())
    }

    fn outbox(
        &self,
        request_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE (?1 IS NULL OR request_id = ?1) ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = statement.query_map(params![request_id, limit], message_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn record_with_messages(
        &self,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<(), IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        insert_audit(&transaction, event)?;
        for message in messages {
            insert_message(&transaction, &event.request_id, message, event.at)?;
        }
        transaction.commit()?;
        Ok(())
    }

    fn extend_access(
        &self,
        id: &str,
        until: i64,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<AccessRequest, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let current = get_request_in(&transaction, id)?.ok_or_else(|| no_such_request(id))?;
        if current.status != RequestStatus::Approved {
            return Err(IntakeError::InvalidAction(format!(
                "request {id} is {} and its access cannot be extended",
                current.status.as_str()
            )));
        }
        transaction.execute(
            "UPDATE access_requests SET access_expires_at = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, until, event.at],
        )?;
        insert_audit(&transaction, event)?;
        for message in messages {
            insert_message(&transaction, id, message, event.at)?;
        }
        let updated = get_request_in(&transaction, id)?.ok_or_else(|| no_such_request(id))?;
        transaction.commit()?;
        Ok(updated)
    }
}

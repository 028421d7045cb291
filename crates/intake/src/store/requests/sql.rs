//! The request store written once: every access-request, audit and outbox statement, run through the
//! portable [`Exec`] layer, so SQLite and PostgreSQL execute the same SQL. An engine supplies only what
//! differs: how it opens a connection or a transaction ([`Connections`], in `store/sqlite.rs` and
//! `store/postgres.rs`), and its [`RequestEngine`] (`store/sqlite/requests.rs`,
//! `store/postgres/requests.rs`): how a transaction locks the request it is about to change, and how
//! `due_messages` takes the due outbox rows (SQLite selects them, PostgreSQL claims them with a lease).
//!
//! `create_request` inserts with `INSERT … ON CONFLICT (idempotency_key) DO NOTHING` (the same
//! statement on both engines) and reads the stored request back when nothing was inserted: the unique
//! key decides, however many instances receive the same retry at once.

use super::{
    allowed_from, no_such_request, AccessRequest, AuditEvent, Channel, CreateOutcome, Decision,
    NewMessage, OutboxMessage, RequestErasure, RequestStatus, Store,
};
use crate::error::IntakeError;
use crate::store::portable::{Connections, Exec, Row};
use crate::store::subscriptions::OldCopies;

/// What an engine supplies, besides its [`Connections`], to run the portable request statements;
/// every type implementing it is a [`Store`].
pub trait RequestEngine: Connections {
    /// Appended to the `SELECT` of a request that the transaction is about to change (a decision, an
    /// access extension), so it stays locked until the transaction ends (empty where the transaction
    /// already holds the database's write lock).
    const ROW_LOCK: &'static str;

    /// Appended to the `SET` list of the statements that record a delivery attempt: releases the
    /// message's claim (empty where `due_messages` claims nothing).
    const RELEASE_CLAIM: &'static str;

    /// `due_messages`' one statement on `db`: the pending messages of `channel` due at `now_ms`, at
    /// most `limit` of the earliest due, as rows of [`MESSAGE_COLUMNS`] in any order.
    fn due_rows(
        &self,
        db: &mut dyn Exec,
        channel: Channel,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<Row>, IntakeError>;
}

/// [`RequestEngine::ROW_LOCK`]'s counterpart for a plain read.
const NO_LOCK: &str = "";

const REQUEST_COLUMNS: &str = "id, idempotency_key, fingerprint, name, email, email_domain, company, reason, \
    document_id, nda_version, nda_sha256, accepted_at, client_ip, user_agent, status, decided_by, decision_note, \
    decided_at, access_expires_at, created_at, updated_at";

/// The outbox columns [`message_from_row`] reads, in its order.
pub const MESSAGE_COLUMNS: &str =
    "id, request_id, channel, recipient, subject, body, status, attempts, next_attempt_at_ms, last_error";

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

/// The request whose `column` is `value`, its row locked with `lock` ([`NO_LOCK`] or
/// [`RequestEngine::ROW_LOCK`]).
fn find_by(
    db: &mut dyn Exec,
    column: &str,
    value: &str,
    lock: &str,
) -> Result<Option<AccessRequest>, IntakeError> {
    db.query_opt(
        &format!("SELECT {REQUEST_COLUMNS} FROM access_requests WHERE {column} = ?1{lock}"),
        &[value.into()],
    )?
    .as_ref()
    .map(request_from_row)
    .transpose()
}

/// The request `id`, locked with [`RequestEngine::ROW_LOCK`] until the transaction ends.
fn lock_request<E: RequestEngine>(
    db: &mut dyn Exec,
    id: &str,
) -> Result<AccessRequest, IntakeError> {
    find_by(db, "id", id, E::ROW_LOCK)?.ok_or_else(|| no_such_request(id))
}

/// The request `id` as stored now (after a change in the same transaction).
fn reload(db: &mut dyn Exec, id: &str) -> Result<AccessRequest, IntakeError> {
    find_by(db, "id", id, NO_LOCK)?.ok_or_else(|| no_such_request(id))
}

/// Inserts `request` unless its idempotency key is taken; returns how many rows it inserted (0 or 1).
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

/// Queues `messages` for request `request_id`, due at once (`now` in seconds).
fn insert_messages(
    db: &mut dyn Exec,
    request_id: &str,
    messages: &[NewMessage],
    now: i64,
) -> Result<(), IntakeError> {
    for message in messages {
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
    }
    Ok(())
}

/// `create_request` inside its transaction.
fn create_request_in(
    db: &mut dyn Exec,
    request: &AccessRequest,
    audit: &[AuditEvent],
    messages: &[NewMessage],
) -> Result<CreateOutcome, IntakeError> {
    // On PostgreSQL, of two instances inserting the same key at once the second one's insert waits for
    // the first transaction and then inserts nothing; SQLite's writing transaction excludes the second.
    if insert_request(db, request)? == 0 {
        let existing = find_by(db, "idempotency_key", &request.idempotency_key, NO_LOCK)?
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
    insert_messages(db, &request.id, messages, request.created_at)?;
    Ok(CreateOutcome::Created(request.clone()))
}

/// `decide` inside its transaction.
fn decide_in<E: RequestEngine>(
    db: &mut dyn Exec,
    id: &str,
    decision: &Decision,
) -> Result<AccessRequest, IntakeError> {
    let current = lock_request::<E>(db, id)?;
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
    insert_messages(db, id, &decision.messages, decision.at)?;
    reload(db, id)
}

/// `extend_access` inside its transaction.
fn extend_access_in<E: RequestEngine>(
    db: &mut dyn Exec,
    id: &str,
    until: i64,
    event: &AuditEvent,
    messages: &[NewMessage],
) -> Result<AccessRequest, IntakeError> {
    let current = lock_request::<E>(db, id)?;
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
    insert_messages(db, id, messages, event.at)?;
    reload(db, id)
}

/// The `last_error` of a message cancelled by a request erasure.
const CANCELLED_BY_ERASURE: &str = "cancelled before it was sent: the requester's data was erased";

/// The `last_error` of an erased request's message whose server answer was removed.
const ANSWER_ERASED: &str = "(the server's answer was removed with the requester's data)";

/// What an erasure keeps of an audit event's detail: the NDA evidence of `submitted`, the document,
/// size and SHA-256 of a `downloaded` copy (what `requests trace` matches a leaked file against),
/// without the address and user agent after it; nothing of any other event (user agents, reviewers'
/// and rules' notes, which can name the requester or their domain).
fn erased_detail(event: &str, detail: Option<&str>) -> Option<String> {
    let detail = detail?;
    match event {
        "submitted" if detail.starts_with("NDA ") => Some(detail.to_string()),
        // "document ID (N bytes, …, sha256 H) by ADDRESS; user agent: …": document ids have no spaces.
        "downloaded" => detail
            .find(") by ")
            .map(|end| format!("{})", &detail[..end])),
        _ => None,
    }
}

/// `erase_request` inside its one transaction; the report's `old_copies` is filled in by the caller
/// once it has committed.
fn erase_request_in<E: RequestEngine>(
    db: &mut dyn Exec,
    id: &str,
    at: i64,
) -> Result<RequestErasure, IntakeError> {
    let current = lock_request::<E>(db, id)?;
    let mut report = RequestErasure {
        request_id: current.id.clone(),
        erased_now: false,
        events_scrubbed: 0,
        messages_cancelled: 0,
        messages_scrubbed: 0,
        old_copies: OldCopies::LeftToVacuum,
    };
    if current.is_erased() {
        return Ok(report);
    }
    match current.status {
        RequestStatus::Pending => {
            return Err(IntakeError::InvalidAction(format!(
                "request {id} is pending: deny it first (`trustctl requests deny`), then erase it"
            )))
        }
        RequestStatus::Approved if current.access_expires_at.is_none_or(|end| end > at) => {
            return Err(IntakeError::InvalidAction(format!(
                "request {id} is approved and its access is still running: its NDA evidence may be \
                 needed while the requester can download; erase it with --revoke to end the access first"
            )))
        }
        _ => {}
    }
    let events = db.query(
        "SELECT id, event, detail FROM audit_events WHERE request_id = ?1 ORDER BY id",
        &[id.into()],
    )?;
    for row in &events {
        let detail = erased_detail(&row.text(1)?, row.opt_text(2)?.as_deref());
        report.events_scrubbed += db.execute(
            "UPDATE audit_events SET client_ip = NULL, detail = ?2 WHERE id = ?1",
            &[row.int(0)?.into(), (&detail).into()],
        )?;
    }
    // Queued messages are cancelled first, so the scrub below keeps their reason.
    report.messages_cancelled = db.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ?2 WHERE request_id = ?1 AND status = 'pending'",
        &[id.into(), CANCELLED_BY_ERASURE.into()],
    )?;
    report.messages_scrubbed = db.execute(
        "UPDATE outbox SET recipient = '', subject = NULL, body = '', \
         last_error = CASE WHEN last_error IS NULL OR status = 'cancelled' THEN last_error ELSE ?2 END \
         WHERE request_id = ?1",
        &[id.into(), ANSWER_ERASED.into()],
    )?;
    // The fingerprint is an unsalted SHA-256 of the name, address, company and reason: anyone who
    // knows them could recompute it, so it goes too (a retry with the old key now gets a conflict).
    db.execute(
        "UPDATE access_requests SET name = '', email = '', email_domain = '', company = '', reason = NULL, \
         client_ip = '', user_agent = NULL, fingerprint = '', decision_note = NULL, updated_at = ?2 \
         WHERE id = ?1",
        &[id.into(), at.into()],
    )?;
    insert_audit(
        db,
        &AuditEvent {
            request_id: id.to_string(),
            at,
            event: "erased".into(),
            actor: "system".into(),
            client_ip: None,
            detail: None,
        },
    )?;
    report.erased_now = true;
    Ok(report)
}

impl<E: RequestEngine> Store for E {
    fn create_request(
        &self,
        request: &AccessRequest,
        audit: &[AuditEvent],
        messages: &[NewMessage],
    ) -> Result<CreateOutcome, IntakeError> {
        // A replay or a key conflict has written nothing, so committing it is the same as rolling back.
        self.transaction(|db| create_request_in(db, request, audit, messages))
    }

    fn get_request(&self, id: &str) -> Result<Option<AccessRequest>, IntakeError> {
        self.with(|db| find_by(db, "id", id, NO_LOCK))
    }

    fn list_requests(
        &self,
        status: Option<RequestStatus>,
        limit: u32,
    ) -> Result<Vec<AccessRequest>, IntakeError> {
        // `rowid` is SQLite's implicit insertion order; the PostgreSQL table has a column of that name.
        self.with(|db| {
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
        self.transaction(|db| decide_in::<E>(db, id, decision))
    }

    fn record_audit(&self, event: &AuditEvent) -> Result<(), IntakeError> {
        self.with(|db| insert_audit(db, event))
    }

    fn audit_trail(&self, id: &str) -> Result<Vec<AuditEvent>, IntakeError> {
        self.with(|db| {
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
        let mut messages = self
            .with(|db| self.due_rows(db, channel, now_ms, limit))?
            .iter()
            .map(message_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        // Earliest due first (a claim's `UPDATE … RETURNING` has no order of its own).
        messages.sort_by_key(|message| (message.next_attempt_at_ms, message.id));
        Ok(messages)
    }

    fn mark_delivered(&self, id: i64, at: i64) -> Result<(), IntakeError> {
        let release = E::RELEASE_CLAIM;
        self.with(|db| {
            db.execute(
                &format!(
                    "UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?2, \
                     last_error = NULL{release} WHERE id = ?1"
                ),
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
        let release = E::RELEASE_CLAIM;
        self.with(|db| {
            match next_attempt_at_ms {
                Some(next) => db.execute(
                    &format!(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, \
                         next_attempt_at_ms = ?3{release} WHERE id = ?1 AND status = 'pending'"
                    ),
                    &[id.into(), error.into(), next.into()],
                )?,
                None => db.execute(
                    &format!(
                        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, \
                         status = 'failed'{release} WHERE id = ?1 AND status = 'pending'"
                    ),
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
        self.with(|db| {
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
        self.transaction(|db| {
            insert_audit(db, event)?;
            insert_messages(db, &event.request_id, messages, event.at)
        })
    }

    fn extend_access(
        &self,
        id: &str,
        until: i64,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<AccessRequest, IntakeError> {
        self.transaction(|db| extend_access_in::<E>(db, id, until, event, messages))
    }

    fn erase_request(&self, id: &str, at: i64) -> Result<RequestErasure, IntakeError> {
        let mut report = self.transaction(|db| erase_request_in::<E>(db, id, at))?;
        // Also after a repeated erasure: a purge that could not finish before is tried again.
        report.old_copies = self.purge_old_copies();
        Ok(report)
    }
}

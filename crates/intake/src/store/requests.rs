//! Storage of access requests, their audit trail and the outbox of e-mails and webhooks: the
//! [`Store`] trait and its records (re-exported from [`crate::store`]). Its one implementation, every
//! query written once for both engines, is [`sql`]; the engines add only their connections and
//! transactions (`sqlite.rs`, `postgres.rs`), the request row lock and how due outbox messages are
//! taken (`sqlite/requests.rs`, and `postgres/requests.rs`, safe for several instances on one
//! database).

pub(super) mod sql;

use serde::Serialize;

use crate::error::IntakeError;

/// Lifecycle of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    Pending,
    Approved,
    Denied,
    Revoked,
}

impl RequestStatus {
    /// Database / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Approved => "approved",
            RequestStatus::Denied => "denied",
            RequestStatus::Revoked => "revoked",
        }
    }

    /// Parses the database / command-line spelling.
    pub fn parse(text: &str) -> Option<RequestStatus> {
        match text {
            "pending" => Some(RequestStatus::Pending),
            "approved" => Some(RequestStatus::Approved),
            "denied" => Some(RequestStatus::Denied),
            "revoked" => Some(RequestStatus::Revoked),
            _ => None,
        }
    }
}

/// A stored access request with its NDA evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRequest {
    pub id: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub name: String,
    pub email: String,
    pub email_domain: String,
    pub company: String,
    pub reason: Option<String>,
    pub document_id: String,
    pub nda_version: String,
    pub nda_sha256: String,
    pub accepted_at: i64,
    pub client_ip: String,
    pub user_agent: Option<String>,
    pub status: RequestStatus,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
    pub decided_at: Option<i64>,
    pub access_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl AccessRequest {
    /// Its requester's personal data was erased (`trustctl requests erase`): a submitted request
    /// always has an e-mail address, an erased one never (no migration: the empty string is the mark).
    pub fn is_erased(&self) -> bool {
        self.email.is_empty()
    }
}

/// What one request erasure did: counts only, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestErasure {
    pub request_id: String,
    /// False when it had been erased before: nothing changed now and the counts are 0.
    pub erased_now: bool,
    /// Its audit events, each left with its time, name and actor but no IP, user agent or free text.
    pub events_scrubbed: u64,
    /// Its messages still queued: now `cancelled`, never sent.
    pub messages_cancelled: u64,
    /// Its messages (all states) whose recipient, subject, body and server answer were removed.
    pub messages_scrubbed: u64,
    /// What the engine still holds outside the tables.
    pub old_copies: crate::store::subscriptions::OldCopies,
}

/// One line of a request's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    pub request_id: String,
    pub at: i64,
    pub event: String,
    pub actor: String,
    pub client_ip: Option<String>,
    pub detail: Option<String>,
}

/// Delivery channel of an outbox message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Webhook,
    Email,
}

impl Channel {
    /// Database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Webhook => "webhook",
            Channel::Email => "email",
        }
    }
}

/// A message to put in the outbox in the same transaction as the change that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
}

/// A message waiting in (or delivered from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutboxMessage {
    pub id: i64,
    pub request_id: Option<String>,
    pub channel: Channel,
    pub recipient: String,
    pub subject: Option<String>,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at_ms: i64,
    pub last_error: Option<String>,
}

/// Result of inserting a new request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateOutcome {
    /// A new row was committed.
    Created(AccessRequest),
    /// The idempotency key was already used for the same submission: the original request.
    Replayed(AccessRequest),
    /// The idempotency key was already used for a different submission.
    KeyConflict,
}

/// A state change decided by an admin (or by the rules at submission time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: RequestStatus,
    pub actor: String,
    pub note: Option<String>,
    pub access_expires_at: Option<i64>,
    pub at: i64,
    pub messages: Vec<NewMessage>,
}

/// Everything the service and the admin commands need from storage.
pub trait Store: Send + Sync {
    /// Inserts `request` (status already set by the rules) plus its audit event and outbox messages in one
    /// transaction, or returns the existing request for a repeated idempotency key.
    fn create_request(
        &self,
        request: &AccessRequest,
        audit: &[AuditEvent],
        messages: &[NewMessage],
    ) -> Result<CreateOutcome, IntakeError>;
    /// Loads one request.
    fn get_request(&self, id: &str) -> Result<Option<AccessRequest>, IntakeError>;
    /// Newest first, optionally only one status.
    fn list_requests(
        &self,
        status: Option<RequestStatus>,
        limit: u32,
    ) -> Result<Vec<AccessRequest>, IntakeError>;
    /// Applies a state change if allowed from the current state; records audit and outbox atomically.
    fn decide(&self, id: &str, decision: &Decision) -> Result<AccessRequest, IntakeError>;
    /// Appends one audit event.
    fn record_audit(&self, event: &AuditEvent) -> Result<(), IntakeError>;
    /// A request's audit trail, oldest first.
    fn audit_trail(&self, id: &str) -> Result<Vec<AuditEvent>, IntakeError>;
    /// Pending messages of `channel` due at `now_ms`, claimed for this caller: on PostgreSQL no other
    /// instance gets them until the caller records an outcome or the claim lease ends (SQLite has one
    /// instance per file, so it only selects).
    fn due_messages(
        &self,
        channel: Channel,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, IntakeError>;
    /// Marks a message delivered.
    fn mark_delivered(&self, id: i64, at: i64) -> Result<(), IntakeError>;
    /// Records a failed attempt; `next_attempt_at_ms = None` gives up (status `failed`). Only a
    /// pending message changes: one cancelled while it was being sent (its subscriber erased) keeps
    /// its state and no server answer, which could name the address.
    fn mark_attempt_failed(
        &self,
        id: i64,
        error: &str,
        next_attempt_at_ms: Option<i64>,
    ) -> Result<(), IntakeError>;
    /// All outbox messages of a request (or all, newest first, if `request_id` is None).
    fn outbox(
        &self,
        request_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, IntakeError>;
    /// Appends one audit event and queues `messages` for its request, in one transaction (re-sent links).
    fn record_with_messages(
        &self,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<(), IntakeError>;
    /// Moves the end of an approved request's access period to `until` and records `event` and
    /// `messages` in the same transaction; refuses any request that is not approved.
    fn extend_access(
        &self,
        id: &str,
        until: i64,
        event: &AuditEvent,
        messages: &[NewMessage],
    ) -> Result<AccessRequest, IntakeError>;
    /// Erases the requester's personal data from request `id`, its audit trail and its messages in one
    /// transaction, adding an `erased` event at `at`, then purges what old copies the engine can.
    /// Refused (`InvalidAction`) while the request is pending or approved with access running at
    /// `at`; an erased request is left as it is (`erased_now` false).
    fn erase_request(&self, id: &str, at: i64) -> Result<RequestErasure, IntakeError>;
}

/// The error for a request id that is not in the store.
pub fn no_such_request(id: &str) -> IntakeError {
    IntakeError::NotFound(format!("there is no request with id {id}"))
}

/// Which states a decision may start from.
pub fn allowed_from(target: RequestStatus) -> &'static [RequestStatus] {
    match target {
        RequestStatus::Approved => &[RequestStatus::Pending, RequestStatus::Denied],
        RequestStatus::Denied => &[RequestStatus::Pending],
        RequestStatus::Revoked => &[RequestStatus::Approved],
        RequestStatus::Pending => &[],
    }
}

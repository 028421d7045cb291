//! Storage of update subscriptions and change notices: the [`SubscriptionStore`] trait and its
//! records. Its one implementation, every query written once for both engines, is [`sql`]; the
//! engines add only their transactions and locks (`sqlite/subscriptions.rs`, and
//! `postgres/subscriptions.rs`, safe for several instances on one database).

pub(super) mod sql;

use serde::Serialize;

use super::NewMessage;
use crate::error::IntakeError;

/// Lifecycle of a subscription.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriptionStatus {
    /// Asked for, confirmation e-mail sent, not yet confirmed: receives nothing else.
    Pending,
    /// Confirmed through the e-mailed link: receives notices in its categories.
    Confirmed,
    /// Unsubscribed: receives nothing.
    Unsubscribed,
    /// Its personal data was erased (GDPR Art. 17): the row keeps only the id, the categories, the
    /// consent wording version and the times, receives nothing, and its links lead nowhere.
    Erased,
}

impl SubscriptionStatus {
    /// Database / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Confirmed => "confirmed",
            SubscriptionStatus::Unsubscribed => "unsubscribed",
            SubscriptionStatus::Erased => "erased",
        }
    }

    /// Parses the database spelling.
    pub fn parse(text: &str) -> Option<SubscriptionStatus> {
        match text {
            "pending" => Some(SubscriptionStatus::Pending),
            "confirmed" => Some(SubscriptionStatus::Confirmed),
            "unsubscribed" => Some(SubscriptionStatus::Unsubscribed),
            "erased" => Some(SubscriptionStatus::Erased),
            _ => None,
        }
    }
}

/// A stored subscription with its consent evidence. Once erased, `email` and `request_ip` are empty
/// and the other IPs and user agents `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscription {
    pub id: String,
    pub email: String,
    /// Comma-separated category names (see [`crate::subscriptions::Category`]).
    pub categories: String,
    pub status: SubscriptionStatus,
    pub requested_at: i64,
    pub request_ip: String,
    pub request_user_agent: Option<String>,
    pub requested_categories: String,
    pub confirmed_at: Option<i64>,
    pub confirm_ip: Option<String>,
    pub confirm_user_agent: Option<String>,
    pub consent_version: Option<String>,
    pub unsubscribed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// When its personal data was erased.
    pub erased_at: Option<i64>,
}

/// One line of a subscription's evidence trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubscriptionEvent {
    pub at: i64,
    pub event: String,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
    pub detail: Option<String>,
}

/// A validated `POST /v1/subscriptions`, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeRequest {
    /// Id for the subscription if this address has none yet.
    pub new_id: String,
    pub email: String,
    pub email_key: String,
    pub categories: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub client_ip: String,
    pub user_agent: Option<String>,
    pub at: i64,
    /// Accepted submissions per address in 24 hours.
    pub per_address_per_day: u32,
    /// Accepted submissions per client IP in 24 hours.
    pub per_ip_per_day: u32,
}

/// What storing a subscription request did. The HTTP answer is the same for the first three, so
/// nobody learns an address's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscribeOutcome {
    /// A new or pending (or formerly unsubscribed) address: the confirmation e-mail is queued.
    ConfirmationQueued,
    /// Already confirmed: nothing changed and nothing was sent.
    AlreadyConfirmed,
    /// The idempotency key was already used for the same body: nothing done again.
    Replayed,
    /// The idempotency key was already used for a different body.
    KeyConflict,
    /// A cap was reached; try again after this many seconds.
    Capped { retry_after_secs: i64 },
}

/// The state change of a confirmation, preference or unsubscribe action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriberAction {
    pub client_ip: String,
    pub user_agent: Option<String>,
    pub at: i64,
}

/// Result of a confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmOutcome {
    /// It was pending and is now confirmed.
    Confirmed(Subscription),
    /// It was already confirmed (a second click): unchanged.
    AlreadyConfirmed(Subscription),
    /// Unsubscribed since the link was sent: the link no longer confirms anything.
    NotPending,
}

/// A notice to queue for one subscriber: the e-mail and which change entries it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedNotice {
    pub message: NewMessage,
    pub change_ids: Vec<String>,
}

/// What one `queue_notices` run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NoticeRun {
    /// Subscribers a notice was queued for now: (subscription id, address).
    pub queued: Vec<(String, String)>,
    /// Confirmed subscribers who already had a notice for this version.
    pub already_notified: usize,
    /// Confirmed subscribers whose categories match none of the changes.
    pub not_interested: usize,
}

/// One notice with the delivery state of its e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticeRecord {
    pub id: i64,
    pub subscription_id: String,
    /// The subscriber's address (empty once erased: the record stays, the address does not).
    pub email: String,
    pub manifest_version: u64,
    pub payload_sha256: String,
    pub change_ids: String,
    pub queued_at: i64,
    pub outbox_id: Option<i64>,
    /// The outbox row's state: pending, delivered or failed.
    pub delivery: String,
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub last_error: Option<String>,
}

/// Whose personal data [`SubscriptionStore::erase_subscription`] erases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErasureTarget {
    /// The subscription with this id (`sub_…`).
    Id(String),
    /// The subscription of this address key (the whole address lowercased, as `email_key`).
    EmailKey(String),
}

/// What the database engine keeps of erased data outside the tables, after the erasure committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OldCopies {
    /// SQLite: the file was rebuilt (`VACUUM`) and its write-ahead log emptied, so no old copy of a
    /// changed or deleted row is left in either.
    Purged,
    /// SQLite: the file could not be rebuilt or its log emptied now (`reason`); erasing again (a
    /// no-op otherwise) tries again.
    NotPurged { reason: String },
    /// PostgreSQL: old row versions stay in the table files until (auto)vacuum reuses their space,
    /// and in the write-ahead log, its archive and backups until they expire.
    LeftToVacuum,
}

/// What one erasure did: counts only, no personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErasureReport {
    pub subscription_id: String,
    /// False when it had been erased before: nothing changed now and the counts are 0.
    pub erased_now: bool,
    /// When its personal data was erased (now, or the earlier erasure).
    pub erased_at: Option<i64>,
    /// Its evidence events, each left with its time, name and detail but no IP or user agent.
    pub events_scrubbed: u64,
    /// Its e-mails still queued: now `cancelled`, never sent.
    pub emails_cancelled: u64,
    /// Its e-mails (sent, failed and cancelled) whose recipient, body and server answer were removed.
    pub emails_scrubbed: u64,
    /// Its change-notice records, kept (version, time, delivery state) without an address.
    pub notices_kept: u64,
    /// Cap records of its address key (with the requesting IPs) deleted.
    pub attempts_deleted: u64,
    /// Idempotency records whose body fingerprint derives from its address, deleted.
    pub idempotency_records_deleted: u64,
    /// What the engine still holds outside the tables.
    pub old_copies: OldCopies,
}

/// Everything the subscription endpoints, pages and `trustctl notify` need from storage.
pub trait SubscriptionStore: Send + Sync {
    /// In one transaction: idempotency key, caps, the subscription row (created, re-requested or left
    /// alone when confirmed), its evidence, and — unless confirmed — the confirmation e-mail made by
    /// `confirmation` for the stored subscription.
    fn subscribe(
        &self,
        request: &SubscribeRequest,
        confirmation: &dyn Fn(&Subscription) -> NewMessage,
    ) -> Result<SubscribeOutcome, IntakeError>;
    /// Loads one subscription.
    fn get_subscription(&self, id: &str) -> Result<Option<Subscription>, IntakeError>;
    /// Newest first.
    fn list_subscriptions(&self, limit: u32) -> Result<Vec<Subscription>, IntakeError>;
    /// A subscription's evidence trail, oldest first.
    fn subscription_events(&self, id: &str) -> Result<Vec<SubscriptionEvent>, IntakeError>;
    /// Confirms a pending subscription, recording the consent wording version and who confirmed.
    fn confirm_subscription(
        &self,
        id: &str,
        consent_version: &str,
        action: &SubscriberAction,
    ) -> Result<ConfirmOutcome, IntakeError>;
    /// Replaces the categories of a subscription that is not unsubscribed.
    fn set_categories(
        &self,
        id: &str,
        categories: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError>;
    /// Unsubscribes (idempotent); `how` is recorded (one-click, page).
    fn unsubscribe(
        &self,
        id: &str,
        how: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError>;
    /// In one transaction: for every confirmed subscriber without a notice for `version`, the notice
    /// `plan` makes (None: nothing in their categories), its record and its e-mail. The unique
    /// (subscriber, version) constraint makes a second run queue nothing.
    fn queue_notices(
        &self,
        version: u64,
        payload_sha256: &str,
        at: i64,
        plan: &dyn Fn(&Subscription) -> Option<PlannedNotice>,
    ) -> Result<NoticeRun, IntakeError>;
    /// Notices newest first, optionally of one version, with their delivery state.
    fn list_notices(
        &self,
        version: Option<u64>,
        limit: u32,
    ) -> Result<Vec<NoticeRecord>, IntakeError>;
    /// Erases the personal data of one subscription (GDPR Art. 17) in one transaction: the address,
    /// IPs and user agents of the row and its events, the recipient, body and server answer of its
    /// outbox e-mails (the queued ones cancelled), its cap records and the idempotency records whose
    /// fingerprint is one of `fingerprints(email_key)`; the row becomes `erased` with an `erased`
    /// event (time only); its change-notice records stay. Then the engine purges what old copies it
    /// can. None: no such subscription. An erased one is left as it is (`erased_now` false).
    fn erase_subscription(
        &self,
        target: &ErasureTarget,
        at: i64,
        fingerprints: &dyn Fn(&str) -> Vec<String>,
    ) -> Result<Option<ErasureReport>, IntakeError>;
}

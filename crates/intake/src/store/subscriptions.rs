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
}

impl SubscriptionStatus {
    /// Database / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Confirmed => "confirmed",
            SubscriptionStatus::Unsubscribed => "unsubscribed",
        }
    }

    /// Parses the database spelling.
    pub fn parse(text: &str) -> Option<SubscriptionStatus> {
        match text {
            "pending" => Some(SubscriptionStatus::Pending),
            "confirmed" => Some(SubscriptionStatus::Confirmed),
            "unsubscribed" => Some(SubscriptionStatus::Unsubscribed),
            _ => None,
        }
    }
}

/// A stored subscription with its consent evidence.
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
}

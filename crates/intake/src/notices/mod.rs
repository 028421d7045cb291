//! Change notices: given a verified manifest version and its change entries, queue one e-mail per
//! confirmed subscriber whose categories match, at most once per (subscriber, version).
//!
//! - [`ChangeNotice`] / [`VersionNotice`]: what a version announces, independent of the manifest
//!   model ([`from_manifest`] builds them from a [`trust_manifest::VerifiedManifest`]).
//! - [`queue`]: the whole run is one transaction of [`crate::store::SubscriptionStore::queue_notices`];
//!   the unique (subscriber, version) constraint makes a re-run (or a run after a crash) queue nothing
//!   twice. Each notice is recorded (who, which version, which entries, when) and points at its outbox
//!   row, whose state is the delivery state.
//! - [`cli`]: `trustctl notify` (after trustctl verified the envelope) and `trustctl notices`.

pub mod cli;
pub mod from_manifest;

use crate::error::IntakeError;
use crate::mail::content::{MailContent, MailKind, LIST_UNSUBSCRIBE_VARIABLE};
use crate::store::subscriptions::{NoticeRun, PlannedNotice, Subscription};
use crate::store::{Channel, NewMessage, SubscriptionStore};
use crate::subscriptions::category::{decode, describe};
use crate::subscriptions::links::{mint, preferences_url, unsubscribe_url, Purpose};
use crate::subscriptions::Category;

/// A subprocessor a notice names, with what customers need to decide whether to object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubprocessorFacts {
    pub name: String,
    pub purpose: String,
    pub locations: Vec<String>,
}

/// One change entry of the new version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNotice {
    pub id: String,
    pub category: Category,
    /// `YYYY-MM-DD` the change was announced.
    pub date: String,
    pub summary: String,
    /// `YYYY-MM-DD` it takes effect, if given.
    pub effective_date: Option<String>,
    /// For subprocessor changes: the subprocessors the entry concerns.
    pub subprocessors: Vec<SubprocessorFacts>,
}

/// What a signed version announces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionNotice {
    pub version: u64,
    /// SHA-256 of the signed payload (recorded with each notice as evidence).
    pub payload_sha256: String,
    /// How to object: the vendor's security contact (`mailto:` stripped).
    pub object_contact: String,
    /// The entries this version introduced.
    pub changes: Vec<ChangeNotice>,
    /// Where the whole history is published (the manifest's `updates.feed_url`), if anywhere.
    pub history_url: Option<String>,
}

/// The plain-text block of the entries a subscriber follows (also shown, escaped, in the HTML part).
pub fn changes_text(changes: &[&ChangeNotice], object_contact: &str) -> String {
    let mut blocks = Vec::new();
    for change in changes {
        let mut block = format!(
            "[{}] {}: {}",
            change.category.label(),
            change.date,
            change.summary
        );
        for sub in &change.subprocessors {
            block.push_str(&format!(
                "\n  Subprocessor: {}; purpose: {}; location: {}",
                sub.name,
                sub.purpose,
                if sub.locations.is_empty() {
                    "not stated".to_string()
                } else {
                    sub.locations.join(", ")
                }
            ));
        }
        if let Some(effective) = &change.effective_date {
            block.push_str(&format!("\n  Effective date: {effective}"));
        }
        if change.category == Category::Subprocessors {
            block.push_str(&format!("\n  How to object: contact {object_contact}"));
        }
        blocks.push(block);
    }
    blocks.join("\n\n")
}

/// The notice for `subscriber`, or None when no entry is in their categories.
pub fn plan(
    notice: &VersionNotice,
    subscriber: &Subscription,
    secret: &[u8],
    public_base: &str,
) -> Option<PlannedNotice> {
    let follows = decode(&subscriber.categories);
    let matching: Vec<&ChangeNotice> = notice
        .changes
        .iter()
        .filter(|c| follows.contains(&c.category))
        .collect();
    if matching.is_empty() {
        return None;
    }
    let manage = mint(secret, Purpose::Manage, &subscriber.id, 0);
    let has_subprocessors = matching
        .iter()
        .any(|c| c.category == Category::Subprocessors);
    let content = MailContent::new(
        MailKind::ChangeNotice,
        [
            ("version", notice.version.to_string()),
            ("change_count", matching.len().to_string()),
            ("changes", changes_text(&matching, &notice.object_contact)),
            (
                "has_subprocessor_changes",
                if has_subprocessors { "yes" } else { "" }.to_string(),
            ),
            ("object_contact", notice.object_contact.clone()),
            (
                "history_url",
                notice
                    .history_url
                    .clone()
                    .filter(|url| url.starts_with("https://"))
                    .unwrap_or_default(),
            ),
            ("categories", describe(&subscriber.categories)),
            ("preferences_url", preferences_url(public_base, &manage)),
            (
                LIST_UNSUBSCRIBE_VARIABLE,
                unsubscribe_url(public_base, &manage),
            ),
        ],
    );
    Some(PlannedNotice {
        message: NewMessage {
            channel: Channel::Email,
            recipient: subscriber.email.clone(),
            subject: Some(format!("Trust center version {}", notice.version)),
            body: content.to_body(),
        },
        change_ids: matching.iter().map(|c| c.id.clone()).collect(),
    })
}

/// Queues the notices of `notice` in one transaction; a version without entries queues nothing.
pub fn queue(
    store: &dyn SubscriptionStore,
    secret: &[u8],
    public_base: &str,
    notice: &VersionNotice,
    at: i64,
) -> Result<NoticeRun, IntakeError> {
    if notice.changes.is_empty() {
        return Ok(NoticeRun::default());
    }
    store.queue_notices(notice.version, &notice.payload_sha256, at, &|subscriber| {
        plan(notice, subscriber, secret, public_base)
    })
}

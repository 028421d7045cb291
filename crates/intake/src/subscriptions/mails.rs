//! The confirmation e-mail of the double opt-in, as an outbox row (template + variables). It is the
//! only message an unconfirmed address ever gets, and it carries the RFC 8058 unsubscribe headers too,
//! so whoever did not ask can say stop in one click.

use super::category::describe;
use super::links::{confirm_url, mint, unsubscribe_url, Purpose};
use crate::clock::format_utc;
use crate::mail::content::{MailContent, MailKind, LIST_UNSUBSCRIBE_VARIABLE};
use crate::store::subscriptions::Subscription;
use crate::store::{Channel, NewMessage};

/// The confirmation e-mail for `subscription`, its link valid until `expires_at`.
pub fn confirmation_email(
    secret: &[u8],
    public_base: &str,
    subscription: &Subscription,
    expires_at: i64,
) -> NewMessage {
    let confirm = mint(secret, Purpose::Confirm, &subscription.id, expires_at);
    let manage = mint(secret, Purpose::Manage, &subscription.id, 0);
    let content = MailContent::new(
        MailKind::SubscriptionConfirmation,
        [
            ("categories", describe(&subscription.categories)),
            ("confirm_url", confirm_url(public_base, &confirm)),
            ("expires_at", format_utc(expires_at)),
            (
                LIST_UNSUBSCRIBE_VARIABLE,
                unsubscribe_url(public_base, &manage),
            ),
        ],
    );
    NewMessage {
        channel: Channel::Email,
        recipient: subscription.email.clone(),
        subject: Some("Please confirm your trust center updates".into()),
        body: content.to_body(),
    }
}

//! Every English string of the "What's changed" section and the subscribe form, in one place so
//! they move into the i18n catalogue together.

use trust_manifest::ChangeCategory;

/// The section heading.
pub const TITLE: &str = "What\u{2019}s changed";
/// The lead under the heading.
pub const LEAD: &str =
    "Notable changes to this page, newest first. Each one is part of the signed information.";
/// Shown instead of the list when the vendor has announced nothing yet.
pub const NONE_YET: &str = "No changes have been announced yet.";
/// The badge on an entry newer than the last version this browser showed.
pub const NEW_BADGE: &str = "New since your last visit";
/// The accessible name of an entry's deep link.
pub const LINK_LABEL: &str = "Link to this change";
/// The feed link.
pub const FEED: &str = "Follow the changes as an Atom feed";

/// "2 changes since your last visit (version 6)."
pub fn new_count(count: usize, last_seen: u64) -> String {
    if count == 1 {
        format!("1 change since your last visit (version {last_seen}).")
    } else {
        format!("{count} changes since your last visit (version {last_seen}).")
    }
}

/// An entry's details: "2 Dec 2026 · Subprocessors · version 7".
pub fn meta(date: &str, category: &str, version: u64) -> String {
    format!("{date} · {category} · version {version}")
}

/// Appended to the details: " · takes effect 1 Jan 2027".
pub fn effective(date: &str) -> String {
    format!(" · takes effect {date}")
}

/// The name shown for a category (also the checkbox labels).
pub fn category(category: ChangeCategory) -> &'static str {
    match category {
        ChangeCategory::Subprocessors => "Subprocessors",
        ChangeCategory::Certifications => "Certifications",
        ChangeCategory::Documents => "Documents",
        ChangeCategory::Policies => "Policies",
        ChangeCategory::Other => "Other changes",
    }
}

/// The subscribe form's heading.
pub const SUBSCRIBE_TITLE: &str = "Get notified by e-mail";
/// Under the heading.
pub const SUBSCRIBE_LEAD: &str = "We send one e-mail per new signed version, only about the topics you choose. You confirm the subscription from the first e-mail, and every e-mail has a one-click unsubscribe link.";
/// The e-mail field's label.
pub const EMAIL_LABEL: &str = "E-mail";
/// The categories' group label.
pub const CATEGORIES_LABEL: &str = "Topics";
/// The submit button.
pub const SUBSCRIBE: &str = "Subscribe";
/// The submit button while sending.
pub const SENDING: &str = "Sending\u{2026}";
/// An empty or malformed e-mail address.
pub const EMAIL_INVALID: &str = "Enter an e-mail address like name@company.com.";
/// No category ticked.
pub const CATEGORIES_EMPTY: &str = "Choose at least one topic.";
/// The browser has no random generator for the idempotency key.
pub const NO_RANDOM: &str =
    "This browser cannot create the one-time key the request needs. Try another browser.";

/// After the service accepted the request (the same answer whether the address is new or not).
pub fn confirmation_sent(email: &str) -> String {
    format!("Check the inbox of {email}: confirm the subscription with the link we sent. Nothing is sent until you do.")
}

/// The service could not be reached.
pub const NETWORK: &str = "Could not reach the vendor\u{2019}s update service. Check your connection; what you entered is kept, so you can retry.";
/// A 400 with field errors.
pub const REFUSED_FIELDS: &str = "The update service did not accept some of your details.";
/// A 429.
pub const RATE_LIMITED: &str = "Too many subscription requests were sent from here in a short time. Wait a minute, then retry.";

/// Any other refusal.
pub fn refused(status: u16) -> String {
    format!("The vendor\u{2019}s update service refused the request (HTTP {status}).")
}

/// Appended when the service gave a reason.
pub const SERVICE_SAID: &str = " The service said: ";

//! The `[subscriptions]` table of the configuration file: abuse caps, the confirmation link's lifetime
//! and the consent wording (with its version, which is stored with every confirmation).

use serde::Deserialize;

/// The built-in consent wording shown on the confirmation page.
pub const DEFAULT_CONSENT_TEXT: &str = "I want to receive e-mail notices about changes to this trust center \
in the categories I chose. I can change the categories or unsubscribe at any time through the link in every e-mail.";

/// Version of [`DEFAULT_CONSENT_TEXT`].
pub const DEFAULT_CONSENT_VERSION: &str = "builtin-2026-12";

/// `[subscriptions]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionSettings {
    /// Accepted subscribe requests per address in 24 hours (each can send one confirmation; default 3).
    #[serde(default = "default_per_address")]
    pub per_address_per_day: u32,
    /// Accepted subscribe requests per client IP in 24 hours (default 20).
    #[serde(default = "default_per_ip")]
    pub per_ip_per_day: u32,
    /// How long a confirmation link works, in days (default 7).
    #[serde(default = "default_confirm_days")]
    pub confirm_link_days: u32,
    /// The consent wording shown before the subscriber confirms (default: a built-in text).
    #[serde(default)]
    pub consent_text: Option<String>,
    /// Version label of `consent_text`, stored with each confirmation (required with `consent_text`).
    #[serde(default)]
    pub consent_version: Option<String>,
}

fn default_per_address() -> u32 {
    3
}
fn default_per_ip() -> u32 {
    20
}
fn default_confirm_days() -> u32 {
    7
}

impl Default for SubscriptionSettings {
    fn default() -> Self {
        SubscriptionSettings {
            per_address_per_day: default_per_address(),
            per_ip_per_day: default_per_ip(),
            confirm_link_days: default_confirm_days(),
            consent_text: None,
            consent_version: None,
        }
    }
}

impl SubscriptionSettings {
    /// Checks the values; the error names the key.
    pub fn check(&self) -> Result<(), String> {
        if self.per_address_per_day == 0 || self.per_ip_per_day == 0 {
            return Err(
                "subscriptions.per_address_per_day and subscriptions.per_ip_per_day must be at least 1"
                    .into(),
            );
        }
        if self.confirm_link_days == 0 || self.confirm_link_days > 90 {
            return Err("subscriptions.confirm_link_days must be between 1 and 90".into());
        }
        if self.consent_text.is_some() != self.consent_version.is_some() {
            return Err(
                "subscriptions.consent_text and subscriptions.consent_version go together: a changed wording needs a new version"
                    .into(),
            );
        }
        Ok(())
    }

    /// (wording, version) shown and recorded at confirmation.
    pub fn consent(&self) -> (&str, &str) {
        match (&self.consent_text, &self.consent_version) {
            (Some(text), Some(version)) => (text, version),
            _ => (DEFAULT_CONSENT_TEXT, DEFAULT_CONSENT_VERSION),
        }
    }
}

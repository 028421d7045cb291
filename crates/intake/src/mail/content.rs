//! What an e-mail row in the outbox holds: which template to render and its variables, as JSON.
//!
//! The workflow stores a [`MailContent`] in the row's `body` when the row is queued (in the same
//! transaction as the change that caused it); the mail worker renders it when it delivers, so vendor
//! templates, name and logo apply to messages already queued. Rows written by older versions hold plain
//! text, which is sent as it is.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The messages the service sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailKind {
    /// To the vendor: a new request arrived (evidence summary, how to decide).
    NewRequest,
    /// To the requester, right after the request is stored: what they accepted, what happens next.
    Receipt,
    /// To the requester: approved, with the download link.
    Approval,
    /// To the requester: denied.
    Denial,
    /// `trustctl mail test`.
    Test,
    /// To someone who asked for update notices: the double opt-in confirmation link.
    SubscriptionConfirmation,
    /// To a confirmed subscriber: the changes of a new signed manifest version in their categories.
    ChangeNotice,
}

impl MailKind {
    /// Every kind, for start-up checks of the templates.
    pub const ALL: [MailKind; 7] = [
        MailKind::NewRequest,
        MailKind::Receipt,
        MailKind::Approval,
        MailKind::Denial,
        MailKind::Test,
        MailKind::SubscriptionConfirmation,
        MailKind::ChangeNotice,
    ];

    /// Base name of the kind's template files (`<name>.subject.txt`, `<name>.txt`, `<name>.html`).
    pub fn template_name(self) -> &'static str {
        match self {
            MailKind::NewRequest => "new_request",
            MailKind::Receipt => "receipt",
            MailKind::Approval => "approval",
            MailKind::Denial => "denial",
            MailKind::Test => "test",
            MailKind::SubscriptionConfirmation => "subscription_confirmation",
            MailKind::ChangeNotice => "change_notice",
        }
    }
}

/// Variables that may hold several lines (everything else is folded onto one line).
pub const MULTI_LINE_VARIABLES: &[&str] = &["reason", "reviewer_message", "changes"];

/// A variable that, when present, also becomes the RFC 8058 headers `List-Unsubscribe: <value>` and
/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (subscription e-mails; see [`super::message`]).
pub const LIST_UNSUBSCRIBE_VARIABLE: &str = "unsubscribe_url";

/// The `body` of an e-mail row: `{"template":"approval","vars":{…}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailContent {
    pub template: MailKind,
    pub vars: BTreeMap<String, String>,
}

impl MailContent {
    /// A content of `kind` with the given variables (values are stored as typed; they are made inert
    /// when rendered).
    pub fn new<K: Into<String>, V: Into<String>>(
        kind: MailKind,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> MailContent {
        MailContent {
            template: kind,
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// JSON for the outbox row.
    pub fn to_body(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a row's body; `None` for plain-text bodies written by older versions.
    pub fn from_body(body: &str) -> Option<MailContent> {
        serde_json::from_str(body).ok()
    }
}

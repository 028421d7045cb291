//! What the widget shows: the load state, the verified page data and the failure reasons.
//!
//! Plain data with no browser calls, so every component that takes it renders under SSR.

use std::fmt;
use std::rc::Rc;

use trust_manifest::{
    evaluate, Date, Manifest, StatusPolicy, StatusReport, VerifiedManifest, VerifyError,
};

/// Where a widget instance is in its life.
#[derive(Clone, Debug)]
pub enum LoadState {
    /// Fetching and verifying; the skeleton is shown.
    Loading,
    /// Verified; the page is shown.
    Verified(Rc<VerifiedPage>),
    /// Not verified; the error panel is shown and no claim at all.
    Failed(LoadError),
}

/// Verified pages compare by identity: each load builds its page once and shares it (`Rc`), so
/// the pointer says whether it is the same page. Comparing contents would put the derived
/// comparison of whole manifests into the wasm for a question whose answer is the same.
impl PartialEq for LoadState {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (LoadState::Loading, LoadState::Loading) => true,
            (LoadState::Verified(a), LoadState::Verified(b)) => Rc::ptr_eq(a, b),
            (LoadState::Failed(a), LoadState::Failed(b)) => a == b,
            _ => false,
        }
    }
}

impl LoadState {
    /// The value for the host's `data-state` attribute.
    pub fn data_state(&self) -> &'static str {
        match self {
            LoadState::Loading => "loading",
            LoadState::Verified(_) => "verified",
            LoadState::Failed(_) => "error",
        }
    }
}

/// A served version lower than one this browser has already verified for the same keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RollbackWarning {
    /// The highest version verified before in this browser.
    pub highest_seen: u64,
    /// The version served now.
    pub served: u64,
}

/// Everything the verified page renders, computed once when verification succeeds.
#[derive(Clone, Debug)]
pub struct VerifiedPage {
    /// The verified manifest.
    pub manifest: Manifest,
    /// Key ids (lowercase hex) of the trusted keys whose signatures verified.
    pub signed_by: Vec<String>,
    /// Lowercase hex SHA-256 of the signed payload bytes.
    pub payload_sha256: String,
    /// Status of each framework as of `today`.
    pub status: StatusReport,
    /// The visitor's local date, read once when the widget loaded.
    pub today: Date,
    /// Set when an older version than previously seen was served.
    pub rollback: Option<RollbackWarning>,
    /// Development mode: loopback `http:` links and intake are allowed.
    pub allow_loopback_http: bool,
    /// The last manifest version this browser showed verified before this load (for "new since
    /// your last visit"); `None` on a first visit.
    pub last_seen_version: Option<u64>,
}

impl PartialEq for VerifiedPage {
    fn eq(&self, other: &Self) -> bool {
        // The status is a pure function of the manifest and today, so it need not be compared.
        self.manifest == other.manifest
            && self.signed_by == other.signed_by
            && self.payload_sha256 == other.payload_sha256
            && self.today == other.today
            && self.rollback == other.rollback
            && self.allow_loopback_http == other.allow_loopback_http
            && self.last_seen_version == other.last_seen_version
    }
}

impl VerifiedPage {
    /// Builds the page data and evaluates the status with the default policy.
    pub fn new(
        manifest: Manifest,
        signed_by: Vec<String>,
        payload_sha256: String,
        today: Date,
        allow_loopback_http: bool,
    ) -> VerifiedPage {
        let status = evaluate(&manifest, today, &StatusPolicy::default());
        VerifiedPage {
            manifest,
            signed_by,
            payload_sha256,
            status,
            today,
            rollback: None,
            allow_loopback_http,
            last_seen_version: None,
        }
    }

    /// Builds the page data from an opened envelope (`services::signature_check::open_envelope`).
    pub fn from_verified(
        verified: VerifiedManifest,
        today: Date,
        allow_loopback_http: bool,
    ) -> VerifiedPage {
        VerifiedPage::new(
            verified.manifest,
            verified.signed_by,
            verified.payload_sha256,
            today,
            allow_loopback_http,
        )
    }

    /// Whether `url` may be rendered as a link on this page.
    pub fn is_safe_link(&self, url: &str) -> bool {
        trust_manifest::is_safe_link(url, self.allow_loopback_http)
    }
}

/// Why the page could not be shown as verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Stable machine code, also set as the host's `data-error-code` (e.g. `bad_signature`).
    pub code: String,
    /// Short headline, e.g. "Not signed by the pinned key".
    pub title: String,
    /// One or two plain sentences: what happened and what it means.
    pub detail: String,
    /// Who can fix it: the visitor (retry) or the vendor.
    pub retryable: bool,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.title, self.detail)
    }
}

impl LoadError {
    /// A host attribute is wrong (reported by `Config::from_attributes`).
    pub fn config(error: &crate::config::ConfigError) -> LoadError {
        LoadError {
            code: "config".to_owned(),
            title: format!("The \"{}\" attribute needs fixing", error.attribute),
            detail: error.to_string(),
            retryable: false,
        }
    }

    /// The request did not reach the server or the connection failed.
    pub fn network(url: &str, detail: &str) -> LoadError {
        LoadError {
            code: "network".to_owned(),
            title: "Could not reach the trust-center file".to_owned(),
            detail: format!(
                "The browser could not download {url} ({detail}). Check your connection and try again."
            ),
            retryable: true,
        }
    }

    /// The server answered with an error status.
    pub fn http_status(url: &str, status: u16, status_text: &str) -> LoadError {
        let reason = if status_text.is_empty() {
            String::new()
        } else {
            format!(" {status_text}")
        };
        LoadError {
            code: "http_status".to_owned(),
            title: format!("The server answered HTTP {status}{reason}"),
            detail: format!(
                "The trust-center file at {url} could not be loaded (HTTP status {status}). Nothing on it can be shown."
            ),
            retryable: status >= 500 || status == 429,
        }
    }

    /// The file is larger than the widget accepts.
    pub fn too_large(size: usize, limit: usize) -> LoadError {
        LoadError {
            code: "too_large".to_owned(),
            title: "The trust-center file is too large".to_owned(),
            detail: format!(
                "It is {size} bytes; the widget accepts at most {limit} bytes, so it was not read."
            ),
            retryable: false,
        }
    }

    /// The browser cannot check Ed25519 signatures (no Web Crypto `Ed25519`, or not a secure
    /// context): the signatures were not checked, so nothing is shown as verified.
    pub fn no_web_crypto() -> LoadError {
        LoadError {
            code: "no_web_crypto".to_owned(),
            title: "The trust-center information cannot be checked in this browser".to_owned(),
            detail: "It is signed with Ed25519, and this browser does not check Ed25519 signatures (Web Crypto), or the page is not served over HTTPS. Nothing is shown as verified. A current Chrome, Edge, Firefox or Safari can check it.".to_owned(),
            retryable: false,
        }
    }

    /// Verification by the manifest crate failed.
    pub fn verify(error: &VerifyError) -> LoadError {
        let code = error.code();
        let title = match code {
            "too_large" => "The trust-center file is too large",
            "malformed_envelope" | "wrong_payload_type" | "invalid_base64" => {
                "The trust-center file is malformed"
            }
            "no_signatures" => "The trust-center file is not signed",
            "untrusted_key" => "Not signed by the pinned key",
            "bad_signature" => "The signature does not match: the content was altered",
            "threshold_not_met" => "Not enough trusted signatures",
            "malformed_manifest" => "The signed content is malformed",
            "unsupported_schema_version" => "Unsupported manifest version",
            "expired" => "The trust-center information has expired",
            _ => "The trust-center file could not be verified",
        };
        LoadError {
            code: code.to_owned(),
            title: title.to_owned(),
            detail: error.to_string(),
            retryable: false,
        }
    }
}

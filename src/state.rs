//! What the widget shows: the load state, the verified page data and the failure reasons.
//!
//! Plain data with no browser calls, so every component that takes it renders under SSR.

use std::fmt;
use std::rc::Rc;

use trust_manifest::translations;
use yew::AttrValue;

use crate::i18n::{fill_owned, Msg, Params, Tr};

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
    /// The page language's texts (English unless the loader chose another language).
    pub tr: Tr,
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
            && self.tr == other.tr
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
            tr: Tr::english(),
        }
    }

    /// A vendor text (a field's value in the manifest's main language) as the page shows it:
    /// its translation into the page language when the manifest has one, else the text itself
    /// with the main language for its element's `lang` attribute (`None`: it is in the page
    /// language). See `trust_manifest::translations`.
    pub fn vendor<'a>(&'a self, text: &'a str) -> (Option<AttrValue>, &'a str) {
        let main = translations::main_language(&self.manifest);
        let page = self.tr.lang().code();
        if translations::same_language(main, page) {
            return (None, text);
        }
        match translations::translate(&self.manifest, page, text) {
            Some(translated) => (None, translated),
            None => (Some(AttrValue::from(main.to_owned())), text),
        }
    }

    /// The `lang` attribute for vendor text that is never translated (the NDA): the manifest's
    /// main language when the page is in another one.
    pub fn untranslated_lang(&self) -> Option<AttrValue> {
        let main = translations::main_language(&self.manifest);
        (!translations::same_language(main, self.tr.lang().code()))
            .then(|| AttrValue::from(main.to_owned()))
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

/// Why the page could not be shown as verified: a machine code and the catalogue's `error.*`
/// (headline) and `verify.*` / `error.*` (detail) messages with their facts, rendered in the page
/// language by [`LoadError::title`] and [`LoadError::detail`]. The English of a verification
/// failure is the manifest crate's `VerifyError` sentence word for word (tests/i18n_catalogue.rs),
/// though the widget never formats that sentence itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    /// Stable machine code, also set as the host's `data-error-code` (e.g. `bad_signature`).
    pub code: &'static str,
    /// Who can fix it: the visitor (retry) or the vendor.
    pub retryable: bool,
    /// The headline message, e.g. "Not signed by the pinned key".
    title: Msg,
    /// One or two plain sentences: what happened and what it means.
    detail: Detail,
    /// The placeholder values of both messages.
    params: Params,
}

/// The detail of a [`LoadError`].
#[derive(Clone, Debug, PartialEq, Eq)]
enum Detail {
    /// A catalogue message, filled with the error's facts.
    Message(Msg),
    /// English in every language: a configuration problem, told to the site's developer.
    English(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tr = Tr::english();
        write!(f, "{}: {}", self.title(tr), self.detail(tr))
    }
}

impl LoadError {
    fn new(
        code: &'static str,
        title: Msg,
        detail: Msg,
        params: Params,
        retryable: bool,
    ) -> LoadError {
        LoadError {
            code,
            retryable,
            title,
            detail: Detail::Message(detail),
            params,
        }
    }

    /// The headline in the language of `tr`.
    pub fn title(&self, tr: Tr) -> String {
        fill_owned(tr.get(self.title), &self.params)
    }

    /// The detail in the language of `tr`, or in English (see [`LoadError::detail_is_english_only`]).
    pub fn detail(&self, tr: Tr) -> String {
        match &self.detail {
            Detail::Message(detail) => fill_owned(tr.get(*detail), &self.params),
            Detail::English(detail) => detail.clone(),
        }
    }

    /// Whether [`LoadError::detail`] is English whatever the page language.
    pub fn detail_is_english_only(&self) -> bool {
        matches!(self.detail, Detail::English(_))
    }

    /// A host attribute is wrong (reported by `Config::from_attributes`).
    pub fn config(error: &crate::config::ConfigError) -> LoadError {
        LoadError {
            code: "config",
            retryable: false,
            title: Msg::ErrorConfigTitle,
            detail: Detail::English(error.to_string()),
            params: vec![("attribute", error.attribute.to_owned())],
        }
    }

    /// The request did not reach the server or the connection failed.
    pub fn network(url: &str, detail: &str) -> LoadError {
        LoadError::new(
            "network",
            Msg::ErrorNetworkTitle,
            Msg::ErrorNetworkDetail,
            vec![("url", url.to_owned()), ("detail", detail.to_owned())],
            true,
        )
    }

    /// The server answered with an error status.
    pub fn http_status(url: &str, status: u16, status_text: &str) -> LoadError {
        let reason = if status_text.is_empty() {
            String::new()
        } else {
            format!(" {status_text}")
        };
        LoadError::new(
            "http_status",
            Msg::ErrorHttpStatusTitle,
            Msg::ErrorHttpStatusDetail,
            vec![
                ("url", url.to_owned()),
                ("status", status.to_string()),
                ("reason", reason),
            ],
            status >= 500 || status == 429,
        )
    }

    /// The file is larger than the widget accepts.
    pub fn too_large(size: usize, limit: usize) -> LoadError {
        LoadError::new(
            "too_large",
            Msg::ErrorTooLargeTitle,
            Msg::ErrorTooLargeDetail,
            vec![("size", size.to_string()), ("limit", limit.to_string())],
            false,
        )
    }

    /// The browser cannot check Ed25519 signatures (no Web Crypto `Ed25519`, or not a secure
    /// context): the signatures were not checked, so nothing is shown as verified.
    pub fn no_web_crypto() -> LoadError {
        LoadError::new(
            "no_web_crypto",
            Msg::ErrorNoWebCryptoTitle,
            Msg::ErrorNoWebCryptoDetail,
            Vec::new(),
            false,
        )
    }

    /// Verification by the manifest crate failed.
    pub fn verify(error: &VerifyError) -> LoadError {
        let (title, detail, params) = match error {
            VerifyError::TooLarge { size, limit } => (
                Msg::ErrorTooLargeTitle,
                Msg::VerifyTooLarge,
                vec![("size", size.to_string()), ("limit", limit.to_string())],
            ),
            VerifyError::MalformedEnvelope(detail) => (
                Msg::ErrorMalformedTitle,
                Msg::VerifyMalformedEnvelope,
                vec![("detail", detail.to_string())],
            ),
            VerifyError::WrongPayloadType { found } => (
                Msg::ErrorMalformedTitle,
                Msg::VerifyWrongPayloadType,
                vec![("found", found.clone())],
            ),
            VerifyError::InvalidBase64 { field } => (
                Msg::ErrorMalformedTitle,
                Msg::VerifyInvalidBase64,
                vec![("field", field.clone())],
            ),
            VerifyError::NoSignatures => (
                Msg::ErrorNoSignaturesTitle,
                Msg::VerifyNoSignatures,
                Vec::new(),
            ),
            VerifyError::UntrustedKey => (
                Msg::ErrorUntrustedKeyTitle,
                Msg::VerifyUntrustedKey,
                Vec::new(),
            ),
            VerifyError::BadSignature => (
                Msg::ErrorBadSignatureTitle,
                Msg::VerifyBadSignature,
                Vec::new(),
            ),
            VerifyError::ThresholdNotMet { required, verified } => (
                Msg::ErrorThresholdTitle,
                Msg::VerifyThreshold,
                vec![
                    ("required", required.to_string()),
                    ("verified", verified.to_string()),
                ],
            ),
            VerifyError::MalformedManifest(detail) => (
                Msg::ErrorMalformedManifestTitle,
                Msg::VerifyMalformedManifest,
                vec![("detail", detail.to_string())],
            ),
            VerifyError::UnsupportedSchemaVersion { found } => (
                Msg::ErrorUnsupportedTitle,
                Msg::VerifyUnsupported,
                vec![("found", found.to_string())],
            ),
            VerifyError::Expired { expires_at } => (
                Msg::ErrorExpiredTitle,
                Msg::VerifyExpired,
                vec![("expires_at", expires_at.to_string())],
            ),
        };
        LoadError::new(error.code(), title, detail, params, false)
    }
}

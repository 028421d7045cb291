//! Signed trust-center manifests: the data model, the DSSE envelope, Ed25519 verification,
//! validation and status rules. No UI, no I/O and no clock: "today" is always a parameter.
//!
//! # Sign, then verify
//!
//! ```
//! use trust_manifest::{
//!     evaluate, open_envelope, sign_envelope, validate, Date, SigningKey, StatusLevel,
//!     StatusPolicy, TrustPolicy, ValidationOptions, VerifyError,
//! };
//!
//! let manifest_json = br#"{
//!   "schema_version": 1, "version": 3,
//!   "issued_at": "2026-11-01", "expires_at": "2027-02-01",
//!   "organization": {
//!     "name": "Example Cloud Ltd", "website": "https://example.com",
//!     "security_contact": "mailto:security@example.com"
//!   },
//!   "soc2": {
//!     "status": "report_available",
//!     "report": {
//!       "type": "type2", "period_start": "2025-10-01", "period_end": "2026-09-30",
//!       "criteria": ["security", "availability"],
//!       "auditor": "Sample & Partners CPA LLP", "report_date": "2026-10-20"
//!     }
//!   }
//! }"#;
//!
//! // The vendor signs the exact manifest bytes (feature `sign`; trustctl does this).
//! let key = SigningKey::from_bytes(&[42; 32]);
//! let envelope = sign_envelope(manifest_json, &[key.clone()]);
//! let published = envelope.to_json();
//!
//! // The widget pins the vendor's public key and verifies the bytes it downloaded.
//! let policy = TrustPolicy::new(vec![key.public_key()]);
//! let today: Date = "2026-11-28".parse()?;
//! let verified = open_envelope(published.as_bytes(), &policy, today)?;
//! assert_eq!(verified.signed_by, vec![key.public_key().key_id()]);
//! assert!(validate(&verified.manifest, &ValidationOptions::default()).is_empty());
//!
//! // Status rules explain what the dates mean today.
//! let report = evaluate(&verified.manifest, today, &StatusPolicy::default());
//! assert_eq!(report.soc2.level, StatusLevel::Current);
//! println!("SOC 2: {} — {}", report.soc2.headline, report.soc2.explanation);
//!
//! // A page that trusts another key refuses it; so does every page after `expires_at`.
//! // Each error says why in plain language.
//! let stranger = TrustPolicy::new(vec![SigningKey::from_bytes(&[7; 32]).public_key()]);
//! let refused = open_envelope(published.as_bytes(), &stranger, today);
//! assert_eq!(refused.unwrap_err(), VerifyError::UntrustedKey);
//! let later: Date = "2027-02-02".parse()?;
//! let error = open_envelope(published.as_bytes(), &policy, later).unwrap_err();
//! assert_eq!(error.code(), "expired");
//! println!("{error}"); // "The trust information expired on 2027-02-01 and ..."
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Modules
//!
//! - [`envelope`]: the DSSE v1 envelope and PAE; [`MAX_ENVELOPE_BYTES`].
//! - [`base64_codec`]: the base64 rules of envelopes and key files.
//! - [`sha256`]: SHA-256 as lowercase hex (payload hashes, key ids).
//! - [`json`]: a small, strict RFC 8259 reader (bytes → [`json::Value`] tree) with no
//!   floating-point code; [`MAX_ENVELOPE_BYTES`] bounds its input in the browser.
//! - [`decode`]: the envelope and the manifest decoded from that tree by hand, the only reader of
//!   either (the widget's [`open_envelope`] and [`parse_manifest`], and trustctl); its
//!   [`DecodeError`] names the JSON path and the problem.
//! - [`ids`]: the one rule for a document id and the one for an idempotency key, shared with
//!   the widget and the intake service.
//! - [`keys`]: Ed25519 public keys, key ids and fingerprints.
//! - [`ed25519_rules`]: the byte rules of strict Ed25519 (small-order points, canonical `S`).
//! - [`verify`]: `open_envelope` (size → envelope → payload type → base64 → signatures →
//!   threshold → only then the manifest → expiry; feature `ed25519`), the same steps with the
//!   signature checks left to the caller ([`read_envelope`], [`PendingEnvelope`]: the widget
//!   has the browser's Web Crypto check them) and [`parse_manifest`].
//! - [`model`] and [`date`]: the manifest payload, schema version 1.
//! - [`digits`]: whole numbers written as ASCII digits, read by one loop (shared with the widget).
//! - [`mod@validate`]: [`validate()`] checks content rules and names JSON paths;
//!   [`is_safe_link`] guards every link shown.
//! - [`status`]: [`evaluate`], the plain-language status per framework.
//! - feature `ed25519`: signature checks in Rust with ed25519-dalek (`open_envelope`,
//!   `PublicKey::verify_raw`). Off in the widget, which then carries no curve arithmetic.
//! - `sign` (feature `sign`, which implies `ed25519`): `SigningKey` and `sign_envelope`. Never needed in the browser, and
//!   without it the crate pulls in no random number generator.
//! - `schema` (feature `schema`): `json_schema()`, the JSON Schema of the payload.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod base64_codec;
pub mod date;
pub mod decode;
pub mod digits;
pub mod ed25519_rules;
pub mod envelope;
pub mod error;
pub mod ids;
pub mod json;
pub mod keys;
pub mod model;
#[cfg(feature = "schema")]
pub mod schema;
pub mod sha256;
#[cfg(feature = "sign")]
pub mod sign;
pub mod status;
pub mod translations;
pub mod validate;
pub mod verify;

pub use base64_codec::decode_base64;
pub use date::Date;
pub use decode::{DecodeError, DecodeProblem};
pub use envelope::{pae, Envelope, EnvelopeSignature, MAX_ENVELOPE_BYTES, PAYLOAD_TYPE};
pub use error::{KeyError, VerifyError};
pub use ids::{is_document_id, is_idempotency_key};
pub use keys::PublicKey;
pub use model::*;
#[cfg(feature = "schema")]
pub use schema::{json_schema, json_schema_pretty};
#[cfg(feature = "sign")]
pub use sign::{sign_envelope, SigningKey};
pub use status::{
    evaluate, Fact, Finding, FrameworkStatus, Severity, StatusLevel, StatusPolicy, StatusReport,
    Text, TextId,
};
pub use validate::{is_safe_link, validate, Problem, ValidationOptions};
#[cfg(feature = "ed25519")]
pub use verify::open_envelope;
pub use verify::{
    parse_manifest, read_envelope, PendingEnvelope, SignatureCheck, TrustPolicy, VerifiedManifest,
};

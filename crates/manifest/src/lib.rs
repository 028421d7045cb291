//! Signed trust-center manifests: the data model, the DSSE envelope, Ed25519 verification,
//! validation and status rules. No UI, no I/O and no clock: "today" is always a parameter.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod date;
pub mod envelope;
pub mod error;
pub mod keys;
pub mod model;
#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "sign")]
pub mod sign;
pub mod status;
pub mod validate;
pub mod verify;

pub use date::Date;
pub use envelope::{
    decode_base64, pae, Envelope, EnvelopeSignature, MAX_ENVELOPE_BYTES, PAYLOAD_TYPE,
};
pub use error::{KeyError, VerifyError};
pub use keys::PublicKey;
pub use model::*;
#[cfg(feature = "schema")]
pub use schema::{json_schema, json_schema_pretty};
#[cfg(feature = "sign")]
pub use sign::{sign_envelope, SigningKey};
pub use status::{
    evaluate, Finding, FrameworkStatus, Severity, StatusLevel, StatusPolicy, StatusReport,
};
pub use validate::{is_safe_link, validate, Problem, ValidationOptions};
pub use verify::{open_envelope, parse_manifest, TrustPolicy, VerifiedManifest};

//! Errors: why an envelope or a public key was refused, in words a visitor understands.

use std::fmt;

use crate::date::Date;
use crate::decode::DecodeError;

/// Why a signed manifest was not accepted. Every variant's message says what is wrong in plain
/// language; [`VerifyError::code`] gives a stable machine-readable code for logs, tests and the
/// widget's `data-error-code` attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// The envelope is larger than the size limit; it was refused before being read.
    TooLarge {
        /// Size of what was received, in bytes.
        size: usize,
        /// The largest size accepted, in bytes.
        limit: usize,
    },
    /// The file is not a signed manifest envelope (not JSON, or required fields are missing):
    /// what could not be read, and where.
    MalformedEnvelope(DecodeError),
    /// The envelope says it carries something other than a trust-center manifest.
    WrongPayloadType {
        /// The payload type the envelope declares.
        found: String,
    },
    /// A field that must hold base64 text holds something else.
    InvalidBase64 {
        /// Which field, e.g. `payload` or `signatures[0].sig`.
        field: String,
    },
    /// The envelope carries no signatures at all.
    NoSignatures,
    /// The envelope is signed, but not by any of the keys this page trusts.
    UntrustedKey,
    /// A signature from a trusted key does not match the content: the manifest was changed after
    /// signing, or the signature is damaged.
    BadSignature,
    /// Fewer trusted keys signed the manifest than the page requires.
    ThresholdNotMet {
        /// How many distinct trusted keys must sign.
        required: usize,
        /// How many distinct trusted keys did sign.
        verified: usize,
    },
    /// The signature is valid, but the signed content is not a readable manifest: what could
    /// not be read, and where.
    MalformedManifest(DecodeError),
    /// The manifest uses a format version this software does not understand.
    UnsupportedSchemaVersion {
        /// The version number found in the manifest.
        found: u64,
    },
    /// The manifest is signed correctly but its validity period is over.
    Expired {
        /// The last day the manifest could be relied on.
        expires_at: Date,
    },
}

impl VerifyError {
    /// A stable snake_case code for this error, e.g. `"too_large"` or `"bad_signature"`.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::TooLarge { .. } => "too_large",
            VerifyError::MalformedEnvelope(_) => "malformed_envelope",
            VerifyError::WrongPayloadType { .. } => "wrong_payload_type",
            VerifyError::InvalidBase64 { .. } => "invalid_base64",
            VerifyError::NoSignatures => "no_signatures",
            VerifyError::UntrustedKey => "untrusted_key",
            VerifyError::BadSignature => "bad_signature",
            VerifyError::ThresholdNotMet { .. } => "threshold_not_met",
            VerifyError::MalformedManifest(_) => "malformed_manifest",
            VerifyError::UnsupportedSchemaVersion { .. } => "unsupported_schema_version",
            VerifyError::Expired { .. } => "expired",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::TooLarge { size, limit } => write!(
                f,
                "The trust information file is too large ({size} bytes; the limit is {limit} bytes), so it was not read."
            ),
            VerifyError::MalformedEnvelope(detail) => write!(
                f,
                "The trust information file is not a signed manifest and could not be read ({detail})."
            ),
            VerifyError::WrongPayloadType { found } => write!(
                f,
                "The signed file holds something other than trust-center information (it says \"{found}\")."
            ),
            VerifyError::InvalidBase64 { field } => write!(
                f,
                "Part of the signed file is damaged: the field \"{field}\" is not valid base64 text."
            ),
            VerifyError::NoSignatures => {
                f.write_str("The trust information is not signed, so it cannot be trusted.")
            }
            VerifyError::UntrustedKey => f.write_str(
                "The trust information is signed, but not with a key this page trusts.",
            ),
            VerifyError::BadSignature => f.write_str(
                "The signature does not match the content: the trust information was changed after it was signed, or the signature is damaged.",
            ),
            VerifyError::ThresholdNotMet { required, verified } => write!(
                f,
                "The trust information needs signatures from {required} trusted keys, but only {verified} signed it."
            ),
            VerifyError::MalformedManifest(detail) => write!(
                f,
                "The signature is valid, but the signed content is not a readable manifest ({detail})."
            ),
            VerifyError::UnsupportedSchemaVersion { found } => write!(
                f,
                "The trust information uses format version {found}, which this software does not understand (it reads version 1)."
            ),
            VerifyError::Expired { expires_at } => write!(
                f,
                "The trust information expired on {expires_at} and should not be relied on; the vendor needs to publish a new version."
            ),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::MalformedEnvelope(error) | VerifyError::MalformedManifest(error) => {
                Some(error)
            }
            _ => None,
        }
    }
}

/// Why a public key (or a signing key file) was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// The key text is not base64.
    InvalidBase64,
    /// The key does not have the 32 bytes an Ed25519 key has.
    WrongLength {
        /// The number of bytes found.
        found: usize,
    },
    /// The 32 bytes are not a usable Ed25519 public key (not a curve point, or a weak key).
    InvalidKey,
}

impl KeyError {
    /// A stable snake_case code for this error, e.g. `"key_wrong_length"`.
    pub fn code(&self) -> &'static str {
        match self {
            KeyError::InvalidBase64 => "key_invalid_base64",
            KeyError::WrongLength { .. } => "key_wrong_length",
            KeyError::InvalidKey => "key_invalid",
        }
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::InvalidBase64 => {
                f.write_str("The key is not valid base64 text; copy it again without changes.")
            }
            KeyError::WrongLength { found } => write!(
                f,
                "The key is {found} bytes long, but an Ed25519 key is exactly 32 bytes; check that the whole key was copied."
            ),
            KeyError::InvalidKey => f.write_str(
                "The key is not a usable Ed25519 public key; check that the right key was copied.",
            ),
        }
    }
}

impl std::error::Error for KeyError {}

//! Opening a signed envelope: size, shape, payload type, signatures and threshold are checked,
//! and only then is the manifest parsed. Both JSON documents are read by [`crate::json`] and
//! [`crate::decode`], never by serde_json.

use crate::base64_codec::decode_base64;
use crate::date::Date;
use crate::decode;
use crate::envelope::{pae, Envelope, MAX_ENVELOPE_BYTES, PAYLOAD_TYPE};
use crate::error::VerifyError;
use crate::keys::PublicKey;
use crate::model::Manifest;
use crate::sha256::sha256_hex;

/// Which keys are trusted and how many of them must sign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustPolicy {
    /// The trusted public keys.
    pub keys: Vec<PublicKey>,
    /// How many distinct trusted keys must have signed. Zero is treated as one.
    pub threshold: usize,
}

impl TrustPolicy {
    /// Trusts `keys`, requiring one valid signature from any of them.
    pub fn new(keys: Vec<PublicKey>) -> TrustPolicy {
        TrustPolicy { keys, threshold: 1 }
    }

    /// The same keys with a different threshold.
    pub fn with_threshold(mut self, threshold: usize) -> TrustPolicy {
        self.threshold = threshold;
        self
    }
}

/// A manifest whose signatures held and that is not expired.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedManifest {
    /// The parsed manifest.
    pub manifest: Manifest,
    /// Key ids (see [`PublicKey::key_id`]) of the trusted keys whose signatures verified, in
    /// the order of the trust policy.
    pub signed_by: Vec<String>,
    /// Lowercase hex SHA-256 of the exact payload bytes that were signed.
    pub payload_sha256: String,
}

/// Verifies a DSSE envelope and returns the manifest it carries.
///
/// The checks run in this order, cheapest first, and the first failure is returned:
/// 1. size: more than [`MAX_ENVELOPE_BYTES`] is [`VerifyError::TooLarge`], before any decoding;
/// 2. the envelope JSON ([`VerifyError::MalformedEnvelope`]): UTF-8, strict RFC 8259 syntax
///    ([`crate::json`]) and the envelope's fields ([`crate::decode::envelope`]);
/// 3. `payloadType` must be [`PAYLOAD_TYPE`] ([`VerifyError::WrongPayloadType`]), before any
///    cryptography;
/// 4. base64 of the payload and of every signature ([`VerifyError::InvalidBase64`]);
/// 5. signatures: each one is checked with Ed25519 `verify_strict` over [`pae`]. The `keyid` is
///    only a hint: an empty keyid is tried against every trusted key, a keyid that names no
///    trusted key is not counted, and each trusted key counts at most once however often it
///    signed;
/// 6. the threshold of distinct trusted keys ([`VerifyError::NoSignatures`],
///    [`VerifyError::UntrustedKey`], [`VerifyError::BadSignature`],
///    [`VerifyError::ThresholdNotMet`]);
/// 7. only then the payload is parsed as a manifest ([`parse_manifest`]);
/// 8. `expires_at` must be `today` or later ([`VerifyError::Expired`]); a manifest is still good
///    on its `expires_at` day.
pub fn open_envelope(
    bytes: &[u8],
    policy: &TrustPolicy,
    today: Date,
) -> Result<VerifiedManifest, VerifyError> {
    if bytes.len() > MAX_ENVELOPE_BYTES {
        return Err(VerifyError::TooLarge {
            size: bytes.len(),
            limit: MAX_ENVELOPE_BYTES,
        });
    }
    // The reader refuses anything that is not UTF-8, anywhere (unknown fields included): other
    // DSSE tools must not read a different document from the same bytes.
    let envelope = decode::envelope(bytes)?;
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(VerifyError::WrongPayloadType {
            found: envelope.payload_type,
        });
    }
    let payload = decode_base64(&envelope.payload).ok_or_else(|| VerifyError::InvalidBase64 {
        field: "payload".to_owned(),
    })?;
    if envelope.signatures.is_empty() {
        return Err(VerifyError::NoSignatures);
    }
    let signed_by = verified_keys(&envelope, &payload, policy)?;

    let manifest = parse_manifest(&payload)?;
    if manifest.expires_at < today {
        return Err(VerifyError::Expired {
            expires_at: manifest.expires_at,
        });
    }
    Ok(VerifiedManifest {
        manifest,
        signed_by,
        payload_sha256: sha256_hex(&payload),
    })
}

/// Checks every signature and returns the key ids of the distinct trusted keys that signed,
/// or the reason the threshold was not reached.
fn verified_keys(
    envelope: &Envelope,
    payload: &[u8],
    policy: &TrustPolicy,
) -> Result<Vec<String>, VerifyError> {
    let key_ids: Vec<String> = policy.keys.iter().map(PublicKey::key_id).collect();
    let mut signatures = Vec::with_capacity(envelope.signatures.len());
    for (index, entry) in envelope.signatures.iter().enumerate() {
        let raw = decode_base64(&entry.sig).ok_or_else(|| VerifyError::InvalidBase64 {
            field: format!("signatures[{index}].sig"),
        })?;
        signatures.push((entry.keyid.as_str(), raw));
    }

    let message = pae(&envelope.payload_type, payload);
    // Indexes into `policy.keys` whose signature held, each at most once (a plain vector: a
    // handful of keys, and a B-tree would add its code to the widget's wasm).
    let mut verified: Vec<usize> = Vec::new();
    let mut any_candidate = false;
    for (keyid, raw) in &signatures {
        // The candidates are the trusted keys the keyid names (all of them for an empty keyid)
        // that have not verified yet; the first one the signature verifies with counts.
        for (index, key) in policy.keys.iter().enumerate() {
            if (keyid.is_empty() || key_ids[index] == *keyid) && !verified.contains(&index) {
                any_candidate = true;
                if key.verify_raw(&message, raw) {
                    verified.push(index);
                    break;
                }
            }
        }
    }

    let required = policy.threshold.max(1);
    if verified.len() >= required {
        // In the order of the trust policy, not of the signatures.
        let mut signed_by = Vec::with_capacity(verified.len());
        for (index, id) in key_ids.into_iter().enumerate() {
            if verified.contains(&index) {
                signed_by.push(id);
            }
        }
        return Ok(signed_by);
    }
    Err(match verified.len() {
        0 if !any_candidate => VerifyError::UntrustedKey,
        0 => VerifyError::BadSignature,
        count => VerifyError::ThresholdNotMet {
            required,
            verified: count,
        },
    })
}

/// Parses manifest JSON without any signature check (for `trustctl lint` and `sign`, and as the
/// last step of [`open_envelope`]). The JSON is read once ([`crate::json`]), then the
/// `schema_version` is checked first, so a manifest in a newer format gets
/// [`VerifyError::UnsupportedSchemaVersion`] rather than a field error; then the fields are
/// decoded ([`crate::decode::manifest`]), and an error names the JSON path of the field at fault.
/// Unknown fields are ignored.
pub fn parse_manifest(payload: &[u8]) -> Result<Manifest, VerifyError> {
    decode::manifest(payload)
}

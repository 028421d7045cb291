//! Opening a signed envelope: size, shape, payload type, signatures and threshold are checked,
//! and only then is the manifest parsed. Both JSON documents are read by [`crate::json`] and
//! [`crate::decode`], never by serde_json.

use crate::base64_codec::decode_base64;
use crate::date::Date;
use crate::decode;
use crate::ed25519_rules::signature_is_well_formed;
use crate::envelope::{pae, MAX_ENVELOPE_BYTES, PAYLOAD_TYPE};
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

/// Verifies a DSSE envelope and returns the manifest it carries, checking the signatures with
/// ed25519-dalek (feature `ed25519`; trustctl, the intake service, the tests). It is
/// [`read_envelope`], then [`PublicKey::verify_raw`] for each of its checks, then
/// [`PendingEnvelope::finish`]: the widget takes the same steps and has the browser check the
/// signatures instead.
///
/// The checks run in this order, cheapest first, and the first failure is returned:
/// 1. size: more than [`MAX_ENVELOPE_BYTES`] is [`VerifyError::TooLarge`], before any decoding;
/// 2. the envelope JSON ([`VerifyError::MalformedEnvelope`]): UTF-8, strict RFC 8259 syntax
///    ([`crate::json`]) and the envelope's fields ([`crate::decode::envelope`]);
/// 3. `payloadType` must be [`PAYLOAD_TYPE`] ([`VerifyError::WrongPayloadType`]), before any
///    cryptography;
/// 4. base64 of the payload and of every signature ([`VerifyError::InvalidBase64`]);
/// 5. signatures: each one is checked as Ed25519 `verify_strict` checks it, over [`pae`]. The
///    `keyid` is only a hint: an empty keyid is tried against every trusted key, a keyid that
///    names no trusted key is not counted, and each trusted key counts at most once however
///    often it signed;
/// 6. the threshold of distinct trusted keys ([`VerifyError::NoSignatures`],
///    [`VerifyError::UntrustedKey`], [`VerifyError::BadSignature`],
///    [`VerifyError::ThresholdNotMet`]);
/// 7. only then the payload is parsed as a manifest ([`parse_manifest`]);
/// 8. `expires_at` must be `today` or later ([`VerifyError::Expired`]); a manifest is still good
///    on its `expires_at` day.
#[cfg(feature = "ed25519")]
pub fn open_envelope(
    bytes: &[u8],
    policy: &TrustPolicy,
    today: Date,
) -> Result<VerifiedManifest, VerifyError> {
    let pending = read_envelope(bytes, policy)?;
    let valid: Vec<bool> = pending
        .checks()
        .iter()
        .map(|check| {
            check
                .public_key
                .verify_raw(pending.message(), &check.signature)
        })
        .collect();
    pending.finish(&valid, today)
}

/// Steps 1 to 4 of [`open_envelope`], and the signature checks step 5 needs: the pairs of a
/// signature and a trusted key its keyid allows. A pair that fails the byte rules of strict
/// Ed25519 ([`crate::ed25519_rules`]: a signature whose `R` has small order or whose `S` is not
/// canonical, or one that is not 64 bytes) is decided here and is not among the checks, so a
/// verifier that only implements RFC 8032 gives the answers `verify_strict` gives.
pub fn read_envelope(bytes: &[u8], policy: &TrustPolicy) -> Result<PendingEnvelope, VerifyError> {
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
    let mut signatures = Vec::with_capacity(envelope.signatures.len());
    for (index, entry) in envelope.signatures.iter().enumerate() {
        let raw = decode_base64(&entry.sig).ok_or_else(|| VerifyError::InvalidBase64 {
            field: format!("signatures[{index}].sig"),
        })?;
        signatures.push(raw);
    }

    let key_ids: Vec<String> = policy.keys.iter().map(PublicKey::key_id).collect();
    let mut candidates = Vec::new();
    let mut checks = Vec::new();
    for (signature_index, (entry, raw)) in envelope.signatures.iter().zip(&signatures).enumerate() {
        let well_formed = <[u8; 64]>::try_from(raw.as_slice())
            .ok()
            .filter(signature_is_well_formed);
        for (key_index, key) in policy.keys.iter().enumerate() {
            if !(entry.keyid.is_empty() || key_ids[key_index] == entry.keyid) {
                continue;
            }
            let check = well_formed.map(|signature| {
                checks.push(SignatureCheck {
                    public_key: key.clone(),
                    signature,
                });
                checks.len() - 1
            });
            candidates.push(Candidate {
                signature: signature_index,
                key: key_index,
                check,
            });
        }
    }
    Ok(PendingEnvelope {
        message: pae(&envelope.payload_type, &payload),
        payload,
        key_ids,
        required: policy.threshold.max(1),
        candidates,
        checks,
    })
}

/// An envelope whose size, shape, payload type and base64 held (see [`read_envelope`]) and
/// whose signatures are still to be checked: [`PendingEnvelope::checks`] are the questions for
/// an Ed25519 verifier, [`PendingEnvelope::finish`] takes its answers.
#[derive(Clone, Debug)]
pub struct PendingEnvelope {
    payload: Vec<u8>,
    /// The bytes every signature signs: [`pae`] of the payload type and the payload.
    message: Vec<u8>,
    /// The key ids of the trust policy's keys, in its order.
    key_ids: Vec<String>,
    /// How many distinct trusted keys must have signed (at least one).
    required: usize,
    /// Every pair of a signature and a trusted key its keyid allows, in signature order and,
    /// for each signature, in the trust policy's order.
    candidates: Vec<Candidate>,
    checks: Vec<SignatureCheck>,
}

/// One pair of a signature and a trusted key its keyid allows.
#[derive(Clone, Debug)]
struct Candidate {
    /// Index of the signature in the envelope.
    signature: usize,
    /// Index of the key in the trust policy.
    key: usize,
    /// Index in [`PendingEnvelope::checks`]; `None` when the byte rules already refused it.
    check: Option<usize>,
}

/// One question for an Ed25519 verifier: is `signature` the signature of
/// [`PendingEnvelope::message`] by `public_key`? RFC 8032 verification is enough: the byte rules
/// `verify_strict` adds were applied before (see [`read_envelope`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignatureCheck {
    /// A trusted key the signature's keyid allows.
    pub public_key: PublicKey,
    /// The raw 64-byte signature (`R` then `S`).
    pub signature: [u8; 64],
}

impl PendingEnvelope {
    /// The bytes every signature signs: [`pae`] of the payload type and the payload.
    pub fn message(&self) -> &[u8] {
        &self.message
    }

    /// The signature checks to run, at most one per pair of a signature and a trusted key.
    pub fn checks(&self) -> &[SignatureCheck] {
        &self.checks
    }

    /// Steps 6 to 8 of [`open_envelope`], given the verifier's answers: `valid[i]` says whether
    /// [`PendingEnvelope::checks`]`[i]` held. A missing answer counts as "did not hold".
    pub fn finish(self, valid: &[bool], today: Date) -> Result<VerifiedManifest, VerifyError> {
        let signed_by = self.signed_by(valid)?;
        let manifest = parse_manifest(&self.payload)?;
        if manifest.expires_at < today {
            return Err(VerifyError::Expired {
                expires_at: manifest.expires_at,
            });
        }
        Ok(VerifiedManifest {
            manifest,
            signed_by,
            payload_sha256: sha256_hex(&self.payload),
        })
    }

    /// The key ids of the distinct trusted keys that signed, in the trust policy's order, or the
    /// reason the threshold was not reached. For each signature, the first of its keys (in the
    /// policy's order) that has not counted yet and whose check held counts.
    fn signed_by(&self, valid: &[bool]) -> Result<Vec<String>, VerifyError> {
        // Indexes into the policy's keys whose signature held, each at most once (a plain
        // vector: a handful of keys, and a B-tree would add its code to the widget's wasm).
        let mut verified: Vec<usize> = Vec::new();
        let mut counted_signature = None;
        for candidate in &self.candidates {
            if counted_signature == Some(candidate.signature) || verified.contains(&candidate.key) {
                continue;
            }
            let held = candidate
                .check
                .is_some_and(|check| valid.get(check).copied().unwrap_or(false));
            if held {
                verified.push(candidate.key);
                counted_signature = Some(candidate.signature);
            }
        }

        if verified.len() >= self.required {
            // In the order of the trust policy, not of the signatures.
            let mut signed_by = Vec::with_capacity(verified.len());
            for (index, id) in self.key_ids.iter().enumerate() {
                if verified.contains(&index) {
                    signed_by.push(id.clone());
                }
            }
            return Ok(signed_by);
        }
        Err(match verified.len() {
            0 if self.candidates.is_empty() => VerifyError::UntrustedKey,
            0 => VerifyError::BadSignature,
            count => VerifyError::ThresholdNotMet {
                required: self.required,
                verified: count,
            },
        })
    }
}

/// Parses manifest JSON without any signature check (for `trustctl lint` and `sign`, and as the
/// last step of [`PendingEnvelope::finish`]). The JSON is read once ([`crate::json`]), then the
/// `schema_version` is checked first, so a manifest in a newer format gets
/// [`VerifyError::UnsupportedSchemaVersion`] rather than a field error; then the fields are
/// decoded ([`crate::decode::manifest`]), and an error names the JSON path of the field at fault.
/// Unknown fields are ignored.
pub fn parse_manifest(payload: &[u8]) -> Result<Manifest, VerifyError> {
    decode::manifest(payload)
}

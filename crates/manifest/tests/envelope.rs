//! Envelope verification against tampering and misuse: every single-byte change, wrong keys,
//! wrong payload type, thresholds, size limit, base64 variants, schema versions and expiry.

mod common;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;
use trust_manifest::*;

/// A small but complete manifest, so the byte-flip test stays quick.
const SMALL: &str = r#"{"schema_version":1,"version":1,"issued_at":"2026-11-01","expires_at":"2026-12-31","organization":{"name":"A","website":"https://a.example","security_contact":"mailto:s@a.example"}}"#;

fn sign(payload: &str, keys: &[SigningKey]) -> Envelope {
    sign_envelope(payload.as_bytes(), keys)
}

fn open(envelope: &Envelope, policy: &TrustPolicy) -> Result<VerifiedManifest, VerifyError> {
    open_envelope(envelope.to_json().as_bytes(), policy, today())
}

fn trust(keys: &[&SigningKey]) -> TrustPolicy {
    TrustPolicy::new(keys.iter().map(|k| k.public_key()).collect())
}

/// A validly signed envelope for another payload type (the signature covers that type).
fn signed_with_type(payload_type: &str, payload: &[u8], key: &SigningKey) -> Envelope {
    Envelope {
        payload_type: payload_type.to_owned(),
        payload: STANDARD.encode(payload),
        signatures: vec![EnvelopeSignature {
            keyid: key.public_key().key_id(),
            sig: STANDARD.encode(key.sign_raw(&pae(payload_type, payload))),
        }],
    }
}

#[test]
fn no_single_byte_change_anywhere_is_accepted() {
    let key = key_a();
    let policy = trust(&[&key]);
    let bytes = sign(SMALL, std::slice::from_ref(&key))
        .to_json()
        .into_bytes();
    open_envelope(&bytes, &policy, today()).expect("the unmodified envelope verifies");
    assert!(
        bytes.len() < 1000,
        "keep the envelope small: {}",
        bytes.len()
    );

    let mut tried = 0;
    for position in 0..bytes.len() {
        // Every single-bit flip and the complement of the byte.
        for mask in [1u8, 2, 4, 8, 16, 32, 64, 128, 0xff] {
            let mut changed = bytes.clone();
            changed[position] ^= mask;
            let result = open_envelope(&changed, &policy, today());
            assert!(
                result.is_err(),
                "changing byte {position} ({:?}) with mask {mask:#04x} was accepted",
                char::from(bytes[position])
            );
            tried += 1;
        }
    }
    assert_eq!(tried, bytes.len() * 9);
}

#[test]
fn no_truncation_is_accepted() {
    let key = key_a();
    let policy = trust(&[&key]);
    let bytes = sign(SMALL, std::slice::from_ref(&key))
        .to_json()
        .into_bytes();
    for length in 0..bytes.len() {
        assert!(
            open_envelope(&bytes[..length], &policy, today()).is_err(),
            "truncated to {length} bytes was accepted"
        );
    }
}

#[test]
fn wrong_key_is_refused() {
    let envelope = sign(SMALL, &[key_a()]);
    let policy = trust(&[&key_b()]);
    assert_eq!(open(&envelope, &policy), Err(VerifyError::UntrustedKey));

    // With the key id hint removed, the signature is tried against the trusted key and fails.
    let mut anonymous = envelope.clone();
    anonymous.signatures[0].keyid.clear();
    assert_eq!(open(&anonymous, &policy), Err(VerifyError::BadSignature));

    // A signature that names the trusted key but was made by another key.
    let mut lying = envelope;
    lying.signatures[0].keyid = key_b().public_key().key_id();
    assert_eq!(open(&lying, &policy), Err(VerifyError::BadSignature));
}

#[test]
fn empty_keyid_is_tried_against_every_trusted_key() {
    let mut envelope = sign(SMALL, &[key_b()]);
    envelope.signatures[0].keyid.clear();
    let policy = trust(&[&key_a(), &key_b()]);
    let verified = open(&envelope, &policy).expect("verifies");
    assert_eq!(verified.signed_by, vec![key_b().public_key().key_id()]);
}

#[test]
fn wrong_payload_type_is_refused_before_any_crypto_or_decoding() {
    let garbage = Envelope {
        payload_type: "application/vnd.in-toto+json".to_owned(),
        payload: "%%% not base64 %%%".to_owned(),
        signatures: vec![EnvelopeSignature {
            keyid: "x".to_owned(),
            sig: "%%%".to_owned(),
        }],
    };
    assert_eq!(
        open(&garbage, &trust(&[&key_a()])),
        Err(VerifyError::WrongPayloadType {
            found: "application/vnd.in-toto+json".to_owned()
        })
    );
    // Even a perfectly valid signature over another payload type does not help.
    let other = signed_with_type("application/json", SMALL.as_bytes(), &key_a());
    assert_eq!(
        open(&other, &trust(&[&key_a()])).map_err(|e| e.code()),
        Err("wrong_payload_type")
    );
    // And relabelling it to our type breaks the signature (the type is part of what is signed).
    let mut relabelled = other;
    relabelled.payload_type = PAYLOAD_TYPE.to_owned();
    assert_eq!(
        open(&relabelled, &trust(&[&key_a()])),
        Err(VerifyError::BadSignature)
    );
}

#[test]
fn threshold_counts_distinct_trusted_keys() {
    let (a, b) = (key_a(), key_b());
    let policy = trust(&[&a, &b]).with_threshold(2);

    // One key signing twice is still one key.
    let twice = sign(SMALL, &[a.clone(), a.clone()]);
    assert_eq!(
        open(&twice, &policy),
        Err(VerifyError::ThresholdNotMet {
            required: 2,
            verified: 1
        })
    );
    let mut twice_anonymous = twice;
    for signature in &mut twice_anonymous.signatures {
        signature.keyid.clear();
    }
    assert_eq!(
        open(&twice_anonymous, &policy).map_err(|e| e.code()),
        Err("threshold_not_met")
    );

    let both = sign(SMALL, &[a.clone(), b.clone()]);
    let verified = open(&both, &policy).expect("two keys meet a threshold of two");
    assert_eq!(verified.signed_by.len(), 2);

    // A threshold above the number of trusted keys can never be met.
    assert_eq!(
        open(&both, &trust(&[&a, &b]).with_threshold(3)),
        Err(VerifyError::ThresholdNotMet {
            required: 3,
            verified: 2
        })
    );
    // A signature from an untrusted key does not count towards the threshold.
    let with_stranger = sign(SMALL, &[a.clone(), SigningKey::from_bytes(&[9; 32])]);
    assert_eq!(
        open(&with_stranger, &policy),
        Err(VerifyError::ThresholdNotMet {
            required: 2,
            verified: 1
        })
    );
    // Threshold zero is treated as one.
    assert!(open(
        &sign(SMALL, std::slice::from_ref(&a)),
        &trust(&[&a]).with_threshold(0)
    )
    .is_ok());
    assert_eq!(
        open(&sign(SMALL, &[b]), &trust(&[&a]).with_threshold(0)),
        Err(VerifyError::UntrustedKey)
    );
}

#[test]
fn size_limit_is_checked_before_reading() {
    let policy = trust(&[&key_a()]);
    let too_big = vec![b' '; MAX_ENVELOPE_BYTES + 1];
    assert_eq!(
        open_envelope(&too_big, &policy, today()),
        Err(VerifyError::TooLarge {
            size: MAX_ENVELOPE_BYTES + 1,
            limit: MAX_ENVELOPE_BYTES
        })
    );
    // Exactly at the limit it is read (and here refused for being empty JSON).
    let at_limit = vec![b' '; MAX_ENVELOPE_BYTES];
    assert_eq!(
        open_envelope(&at_limit, &policy, today()).map_err(|e| e.code()),
        Err("malformed_envelope")
    );
    // A genuinely signed envelope just under the limit still verifies.
    let padding = " ".repeat(700_000);
    let big = sign(&format!("{SMALL}{padding}"), &[key_a()]).to_json();
    assert!(big.len() <= MAX_ENVELOPE_BYTES);
    assert!(open_envelope(big.as_bytes(), &policy, today()).is_ok());
}

#[test]
fn bad_base64_is_reported_with_its_field() {
    let policy = trust(&[&key_a()]);
    let mut envelope = sign(SMALL, &[key_a()]);
    envelope.payload.insert(3, '*');
    assert_eq!(
        open(&envelope, &policy),
        Err(VerifyError::InvalidBase64 {
            field: "payload".to_owned()
        })
    );
    let mut envelope = sign(SMALL, &[key_a(), key_b()]);
    envelope.signatures[1].sig = "@@@@".to_owned();
    assert_eq!(
        open(&envelope, &policy),
        Err(VerifyError::InvalidBase64 {
            field: "signatures[1].sig".to_owned()
        })
    );
}

#[test]
fn url_safe_and_unpadded_base64_are_accepted() {
    // A name of "???" encodes to "Pz8/" at one of the three alignments, so some payload below
    // has a '/' in its standard base64 and the URL-safe form really differs.
    let payload = ["???", "x???", "xx???"]
        .iter()
        .map(|name| SMALL.replace(r#""name":"A""#, &format!(r#""name":"{name}""#)))
        .find(|payload| STANDARD.encode(payload).contains(['+', '/']))
        .expect("one alignment gives a '/'");
    let key = key_a();
    let mut envelope = sign(&payload, std::slice::from_ref(&key));
    let raw_payload = STANDARD.decode(&envelope.payload).expect("standard base64");
    let raw_sig = STANDARD
        .decode(&envelope.signatures[0].sig)
        .expect("standard base64");
    envelope.payload = URL_SAFE_NO_PAD.encode(raw_payload);
    envelope.signatures[0].sig = URL_SAFE_NO_PAD.encode(raw_sig);
    assert!(envelope.payload.contains(['-', '_']));
    assert!(!envelope.signatures[0].sig.ends_with('='));
    let verified = open(&envelope, &trust(&[&key])).expect("URL-safe, unpadded verifies");
    assert_eq!(verified.manifest.version, 1);
}

#[test]
fn envelope_shape_errors() {
    let policy = trust(&[&key_a()]);
    assert_eq!(
        open_envelope(b"not json", &policy, today()).map_err(|e| e.code()),
        Err("malformed_envelope")
    );
    assert_eq!(
        open_envelope(b"{\"payloadType\":\"x\"}", &policy, today()).map_err(|e| e.code()),
        Err("malformed_envelope")
    );
    let mut unsigned = sign(SMALL, &[key_a()]);
    unsigned.signatures.clear();
    assert_eq!(open(&unsigned, &policy), Err(VerifyError::NoSignatures));
    // A valid signature over something that is not a manifest: refused after the signature.
    let not_a_manifest = sign("[1,2,3]", &[key_a()]);
    assert_eq!(
        open(&not_a_manifest, &policy).map_err(|e| e.code()),
        Err("malformed_manifest")
    );
}

#[test]
fn unsupported_schema_version_is_a_clear_error() {
    let policy = trust(&[&key_a()]);
    // Version 2 with a completely different body: still reported as a version problem.
    let v2 = sign(r#"{"schema_version":2,"whatever":true}"#, &[key_a()]);
    assert_eq!(
        open(&v2, &policy),
        Err(VerifyError::UnsupportedSchemaVersion { found: 2 })
    );
    let v0 = SMALL.replace("\"schema_version\":1", "\"schema_version\":0");
    assert_eq!(
        parse_manifest(v0.as_bytes()),
        Err(VerifyError::UnsupportedSchemaVersion { found: 0 })
    );
    let missing = SMALL.replace("\"schema_version\":1,", "");
    assert_eq!(
        parse_manifest(missing.as_bytes()).map_err(|e| e.code()),
        Err("malformed_manifest")
    );
    let text = SMALL.replace("\"schema_version\":1", "\"schema_version\":\"1\"");
    assert_eq!(
        parse_manifest(text.as_bytes()).map_err(|e| e.code()),
        Err("malformed_manifest")
    );
}

#[test]
fn expiry_is_inclusive_of_the_last_day() {
    let key = key_a();
    let policy = trust(&[&key]);
    let bytes = sign(SMALL, std::slice::from_ref(&key)).to_json();
    // SMALL expires on 2026-12-31.
    assert!(open_envelope(bytes.as_bytes(), &policy, date("2026-12-30")).is_ok());
    assert!(open_envelope(bytes.as_bytes(), &policy, date("2026-12-31")).is_ok());
    assert_eq!(
        open_envelope(bytes.as_bytes(), &policy, date("2027-01-01")),
        Err(VerifyError::Expired {
            expires_at: date("2026-12-31")
        })
    );
}

#[test]
fn unknown_fields_are_ignored() {
    let payload = SMALL
        .replacen('{', r#"{"future_top_level":{"x":[1,2]},"#, 1)
        .replace(
            r#""name":"A""#,
            r#""name":"A","future_org_field":"ignored""#,
        );
    let key = key_a();
    let envelope = sign(&payload, std::slice::from_ref(&key));
    let mut json: serde_json::Value = serde_json::from_str(&envelope.to_json()).expect("json");
    json["future_envelope_field"] = serde_json::json!("ignored");
    json["signatures"][0]["future_signature_field"] = serde_json::json!(1);
    let bytes = serde_json::to_vec(&json).expect("json");
    let verified = open_envelope(&bytes, &trust(&[&key]), today()).expect("verifies");
    assert_eq!(verified.manifest.organization.name, "A");
}

#[test]
fn full_example_round_trips_and_reports_its_payload_hash() {
    use sha2::Digest;
    let key = key_a();
    let envelope = sign(MANIFEST_JSON, std::slice::from_ref(&key));
    let verified = open(&envelope, &trust(&[&key])).expect("verifies");
    let expected: String = sha2::Sha256::digest(MANIFEST_JSON.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(verified.payload_sha256, expected);
    assert_eq!(
        verified.manifest,
        parse_manifest(MANIFEST_JSON.as_bytes()).expect("parses")
    );
    // The envelope survives a JSON round trip with its field names intact.
    let json: serde_json::Value = serde_json::from_str(&envelope.to_json()).expect("json");
    assert_eq!(json["payloadType"], PAYLOAD_TYPE);
    assert!(json["signatures"][0]["keyid"].is_string());
}

#[test]
fn error_codes_are_distinct_and_messages_are_plain() {
    let errors = [
        VerifyError::TooLarge { size: 2, limit: 1 },
        VerifyError::MalformedEnvelope(DecodeError::new("payload".into(), DecodeProblem::Missing)),
        VerifyError::WrongPayloadType { found: "x".into() },
        VerifyError::InvalidBase64 {
            field: "payload".into(),
        },
        VerifyError::NoSignatures,
        VerifyError::UntrustedKey,
        VerifyError::BadSignature,
        VerifyError::ThresholdNotMet {
            required: 2,
            verified: 1,
        },
        VerifyError::MalformedManifest(DecodeError::new(
            "version".into(),
            DecodeProblem::Duplicate,
        )),
        VerifyError::UnsupportedSchemaVersion { found: 2 },
        VerifyError::Expired {
            expires_at: date("2026-01-01"),
        },
    ];
    let codes: std::collections::BTreeSet<_> = errors.iter().map(VerifyError::code).collect();
    assert_eq!(codes.len(), errors.len());
    for error in &errors {
        let message = error.to_string();
        assert!(message.ends_with('.'), "{message}");
        assert!(
            message.chars().next().is_some_and(char::is_uppercase),
            "{message}"
        );
    }
    assert!(VerifyError::Expired {
        expires_at: date("2026-01-01")
    }
    .to_string()
    .contains("2026-01-01"));
}

// `read_envelope` + `PendingEnvelope::finish`: the steps of `open_envelope` with the signature
// checks answered by the caller (the widget asks the browser's Web Crypto).

#[test]
fn pending_envelope_asks_one_check_per_signature_and_allowed_key() {
    let (a, b) = (key_a(), key_b());
    let envelope = sign(SMALL, &[a.clone(), b.clone()]);
    let pending = read_envelope(envelope.to_json().as_bytes(), &trust(&[&a, &b])).unwrap();
    // Each signature names its key: two checks, not four.
    let asked: Vec<PublicKey> = pending
        .checks()
        .iter()
        .map(|check| check.public_key.clone())
        .collect();
    assert_eq!(asked, vec![a.public_key(), b.public_key()]);
    assert_eq!(pending.message(), pae(PAYLOAD_TYPE, SMALL.as_bytes()));
    // The answers decide, whatever the signatures really are.
    let verified = pending.clone().finish(&[true, false], today()).unwrap();
    assert_eq!(verified.signed_by, vec![a.public_key().key_id()]);
    assert_eq!(
        pending.clone().finish(&[false, false], today()),
        Err(VerifyError::BadSignature)
    );
    // A missing answer is "did not hold".
    assert_eq!(pending.finish(&[], today()), Err(VerifyError::BadSignature));
}

#[test]
fn a_signature_the_byte_rules_refuse_is_never_asked_about() {
    let a = key_a();
    let mut envelope = sign(SMALL, std::slice::from_ref(&a));
    // S = L: a non-canonical scalar, refused before any verifier sees it.
    let mut raw = STANDARD.decode(&envelope.signatures[0].sig).unwrap();
    raw[32..].copy_from_slice(&[
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ]);
    envelope.signatures[0].sig = STANDARD.encode(&raw);
    let pending = read_envelope(envelope.to_json().as_bytes(), &trust(&[&a])).unwrap();
    assert!(pending.checks().is_empty());
    // It was signed by a trusted key's id, so it is a bad signature, not an unknown key.
    assert_eq!(pending.finish(&[], today()), Err(VerifyError::BadSignature));
}

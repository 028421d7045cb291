//! Tampering tests in the browser: the same signed fixture as the native suite
//! (`crates/manifest/tests/hostile_tamper.rs`) is changed one byte at a time and opened as the
//! widget opens it in headless Chromium (`services::signature_check`: the manifest crate compiled
//! to WebAssembly, the signatures checked by Web Crypto in a fresh realm).
//! Also: a key the page does not trust, one signature repeated against a threshold of two, a
//! relabelled payload type, an oversized file and bytes that are not UTF-8.
//! Run by `scripts/test.sh wasm`
//! (`cargo test --target wasm32-unknown-unknown -p trust-center-widget --test wasm_tamper`).
#![cfg(target_arch = "wasm32")]

use trust_center_widget::services::signature_check::{self, Refusal};
use trust_manifest::{
    Date, Envelope, PublicKey, TrustPolicy, VerifiedManifest, VerifyError, MAX_ENVELOPE_BYTES,
};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Compact DSSE envelope signed with the fixed test key (see `hostile_tamper.rs`).
const FIXTURE_ENVELOPE: &str = include_str!("e2e/security/tamper-envelope.json");
/// Base64 public key of the fixture key.
const FIXTURE_PUBLIC_KEY: &str = include_str!("e2e/security/tamper-key.pub");
/// Another valid Ed25519 public key (the curve's base point); it never signed anything.
const OTHER_PUBLIC_KEY: &str = "WGZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY=";
/// Standard and URL-safe base64 letters plus padding.
const BASE64_LETTERS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=";

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).unwrap()
}

fn key(base64: &str) -> PublicKey {
    PublicKey::from_base64(base64).unwrap()
}

fn policy() -> TrustPolicy {
    TrustPolicy::new(vec![key(FIXTURE_PUBLIC_KEY)])
}

/// Opens `bytes` as the widget does; this browser must be able to check Ed25519.
async fn open(bytes: &[u8], policy: &TrustPolicy) -> Result<VerifiedManifest, VerifyError> {
    match signature_check::open_envelope(bytes, policy, today()).await {
        Ok(verified) => Ok(verified),
        Err(Refusal::Verify(error)) => Err(error),
        Err(Refusal::NoWebCrypto) => panic!("this Chromium cannot check Ed25519 signatures"),
    }
}

/// Byte ranges of the base64 strings (payload and signatures) inside the envelope text.
fn base64_spans(envelope: &str) -> Vec<std::ops::Range<usize>> {
    let parsed: Envelope = trust_manifest::decode::envelope(envelope.as_bytes()).unwrap();
    let mut texts = vec![parsed.payload];
    texts.extend(parsed.signatures.into_iter().map(|s| s.sig));
    texts
        .iter()
        .map(|text| {
            let start = envelope.find(text.as_str()).unwrap();
            start..start + text.len()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_untouched_fixture_verifies_in_the_browser() {
    let verified = open(FIXTURE_ENVELOPE.as_bytes(), &policy()).await.unwrap();
    assert_eq!(verified.manifest.version, 3);
    assert_eq!(verified.signed_by, vec![key(FIXTURE_PUBLIC_KEY).key_id()]);
}

/// Every byte position, with 12 replacement values each (every single-bit flip, the complement,
/// NUL, a quote and a backslash). Inside the base64 strings each position also gets another
/// base64 letter; there, replacements that keep the text valid base64 cost a full Ed25519 check,
/// so only one of those is tried per position to stay inside the test runner's 20 s budget.
/// (The native suite runs all 255 values at every position.)
#[wasm_bindgen_test]
async fn every_byte_position_is_refused_when_changed() {
    let original = FIXTURE_ENVELOPE.as_bytes();
    let spans = base64_spans(FIXTURE_ENVELOPE);
    let policy = policy();
    let (mut tried, mut full_checks) = (0usize, 0usize);
    for (position, &byte) in original.iter().enumerate() {
        let in_base64 = spans.iter().any(|span| span.contains(&position));
        let letter = BASE64_LETTERS[(position * 7 + usize::from(byte)) % BASE64_LETTERS.len()];
        let mut values: Vec<u8> = (0..8).map(|bit| byte ^ (1 << bit)).collect();
        values.extend([!byte, 0, b'"', b'\\', letter]);
        let mut costly_done = false;
        for value in values {
            if value == byte {
                continue;
            }
            let costly = in_base64 && BASE64_LETTERS.contains(&value);
            if costly && costly_done {
                continue;
            }
            costly_done |= costly;
            full_checks += usize::from(costly);
            let mut changed = original.to_vec();
            changed[position] = value;
            tried += 1;
            assert!(
                open(&changed, &policy).await.is_err(),
                "changing byte {position} ({:?}) to {value:#04x} was accepted",
                char::from(byte)
            );
        }
    }
    assert!(tried > original.len() * 8, "{tried}");
    assert!(full_checks > 600, "{full_checks}");
}

#[wasm_bindgen_test]
async fn a_key_the_page_does_not_pin_is_refused() {
    let stranger = TrustPolicy::new(vec![key(OTHER_PUBLIC_KEY)]);
    assert_eq!(
        open(FIXTURE_ENVELOPE.as_bytes(), &stranger).await,
        Err(VerifyError::UntrustedKey)
    );
    // Claiming the pinned key's id, or none, does not help.
    let mut envelope: Envelope =
        trust_manifest::decode::envelope(FIXTURE_ENVELOPE.as_bytes()).unwrap();
    for keyid in [key(OTHER_PUBLIC_KEY).key_id(), String::new()] {
        envelope.signatures[0].keyid = keyid;
        assert_eq!(
            open(envelope.to_json().as_bytes(), &stranger).await,
            Err(VerifyError::BadSignature)
        );
    }
}

#[wasm_bindgen_test]
async fn one_signature_repeated_does_not_meet_a_threshold_of_two() {
    let policy =
        TrustPolicy::new(vec![key(FIXTURE_PUBLIC_KEY), key(OTHER_PUBLIC_KEY)]).with_threshold(2);
    let mut envelope: Envelope =
        trust_manifest::decode::envelope(FIXTURE_ENVELOPE.as_bytes()).unwrap();
    let signature = envelope.signatures[0].clone();
    let mut anonymous = signature.clone();
    anonymous.keyid.clear();
    let mut mislabelled = signature.clone();
    mislabelled.keyid = key(OTHER_PUBLIC_KEY).key_id();
    envelope.signatures = vec![signature.clone(), signature, anonymous, mislabelled];
    assert_eq!(
        open(envelope.to_json().as_bytes(), &policy).await,
        Err(VerifyError::ThresholdNotMet {
            required: 2,
            verified: 1
        })
    );
}

#[wasm_bindgen_test]
async fn relabelled_payload_type_oversize_and_non_utf8_are_refused() {
    let policy = policy();
    let mut envelope: Envelope =
        trust_manifest::decode::envelope(FIXTURE_ENVELOPE.as_bytes()).unwrap();
    for payload_type in ["application/json", "application/vnd.in-toto+json", ""] {
        envelope.payload_type = payload_type.to_owned();
        assert_eq!(
            open(envelope.to_json().as_bytes(), &policy)
                .await
                .map_err(|e| e.code()),
            Err("wrong_payload_type")
        );
    }

    let mut padded = FIXTURE_ENVELOPE.as_bytes().to_vec();
    padded.resize(MAX_ENVELOPE_BYTES + 1, b' ');
    assert_eq!(
        open(&padded, &policy).await.map_err(|e| e.code()),
        Err("too_large")
    );

    let mut not_utf8 = FIXTURE_ENVELOPE.as_bytes().to_vec();
    let at = FIXTURE_ENVELOPE.find("\"signatures\"").unwrap();
    not_utf8.splice(at..at, b"\"note\":\"\xff\xfe\",".iter().copied());
    assert_eq!(
        open(&not_utf8, &policy).await.map_err(|e| e.code()),
        Err("malformed_envelope")
    );
}

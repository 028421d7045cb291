//! Fuzz target: arbitrary bytes as a signed envelope — size check, envelope JSON, payload type,
//! base64, Ed25519 signatures, threshold, manifest parsing and expiry (`open_envelope`).
//!
//! Property beyond "never panics": nothing the fuzzer makes is accepted unless it carries exactly
//! the payload the fixture key really signed (`tests/e2e/security/tamper-manifest.json`).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trust_manifest::{open_envelope, Date, SigningKey, TrustPolicy};

/// The fixed test seed of `tests/e2e/security/tamper-envelope.json` (public; protects nothing).
const FIXTURE_SEED: [u8; 32] = *b"trust-center security fixture k1";
const FIXTURE_MANIFEST: &[u8] = include_bytes!("../../tests/e2e/security/tamper-manifest.json");

struct Setup {
    one_key: TrustPolicy,
    two_keys: TrustPolicy,
    signed_payload_sha256: String,
    today: Date,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let key = SigningKey::from_bytes(&FIXTURE_SEED).public_key();
        let second = SigningKey::from_bytes(&[0x42; 32]).public_key();
        let today = Date::from_ymd(2026, 11, 28).unwrap_or(Date::MIN);
        let envelope = trust_manifest::sign_envelope(
            FIXTURE_MANIFEST,
            &[SigningKey::from_bytes(&FIXTURE_SEED)],
        );
        let one_key = TrustPolicy::new(vec![key.clone()]);
        let reference = open_envelope(envelope.to_json().as_bytes(), &one_key, today)
            .map(|verified| verified.payload_sha256)
            .unwrap_or_default();
        Setup {
            one_key,
            two_keys: TrustPolicy::new(vec![key, second]).with_threshold(2),
            signed_payload_sha256: reference,
            today,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    if let Ok(verified) = open_envelope(data, &setup.one_key, setup.today) {
        assert_eq!(
            verified.payload_sha256, setup.signed_payload_sha256,
            "an envelope with a payload the key never signed was accepted"
        );
        assert!(!verified.signed_by.is_empty());
    }
    // Only one of the two keys ever signed anything: a threshold of two is never met.
    assert!(open_envelope(data, &setup.two_keys, setup.today).is_err());
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = trust_manifest::decode_base64(text);
    }
});

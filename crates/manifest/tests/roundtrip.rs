//! Sign-then-verify round trips with real Ed25519 keys.

mod common;

use common::*;
use trust_manifest::*;

#[test]
fn signed_manifest_verifies_with_its_key() {
    let key = key_a();
    let envelope = sign_envelope(MANIFEST_JSON.as_bytes(), std::slice::from_ref(&key));
    let policy = TrustPolicy::new(vec![key.public_key()]);
    let verified =
        open_envelope(envelope.to_json().as_bytes(), &policy, today()).expect("verifies");
    assert_eq!(verified.manifest.version, 7);
    assert_eq!(verified.signed_by, vec![key.public_key().key_id()]);
    assert_eq!(verified.payload_sha256.len(), 64);
    assert_eq!(envelope.signatures[0].keyid, key.public_key().key_id());
}

#[test]
fn generated_keys_are_random_and_round_trip_through_their_seed() {
    let first = SigningKey::generate();
    let second = SigningKey::generate();
    assert_ne!(first.to_bytes(), second.to_bytes());
    let restored = SigningKey::from_bytes(&first.to_bytes());
    assert_eq!(restored.public_key(), first.public_key());
    let public = PublicKey::from_base64(&first.public_key().to_base64()).expect("parses");
    assert_eq!(public, first.public_key());
    // Debug output never shows the secret seed.
    let debug = format!("{first:?}");
    assert!(debug.contains(&first.public_key().key_id()));
    let seed_hex: String = first
        .to_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!debug.contains(&seed_hex));
    let envelope = sign_envelope(MANIFEST_JSON.as_bytes(), &[restored]);
    let policy = TrustPolicy::new(vec![public]);
    assert!(open_envelope(envelope.to_json().as_bytes(), &policy, today()).is_ok());
}

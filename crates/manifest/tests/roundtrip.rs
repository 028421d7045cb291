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

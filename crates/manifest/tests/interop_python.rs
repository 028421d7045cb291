//! Interoperability with an independent DSSE implementation, Python's `securesystemslib`:
//! envelopes we sign verify there, and envelopes it signs verify here.
//!
//! Runs `python3 tests/interop/dsse_interop.py` from the workspace root. These tests FAIL (they
//! do not skip) when python3 or the module is missing; install it with
//! `pip install --quiet 'securesystemslib[crypto]==1.6.0'`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use trust_manifest::*;

const PIP_LINE: &str = "pip install --quiet 'securesystemslib[crypto]==1.6.0'";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "trust-manifest-interop-{}-{test}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

fn python(args: &[&str]) -> Output {
    let probe = Command::new("python3")
        .args(["-c", "import securesystemslib.dsse, cryptography"])
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed for the DSSE interop test ({e}); install python3 and run: {PIP_LINE}"));
    assert!(
        probe.status.success(),
        "securesystemslib is not importable ({}); run: {PIP_LINE}",
        String::from_utf8_lossy(&probe.stderr).trim()
    );
    Command::new("python3")
        .arg("tests/interop/dsse_interop.py")
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("run tests/interop/dsse_interop.py")
}

#[test]
fn securesystemslib_verifies_our_envelope_and_refuses_a_tampered_one() {
    let dir = scratch_dir("verify");
    let key = key_a();
    let public = key.public_key();
    let envelope = sign_envelope(MANIFEST_JSON.as_bytes(), std::slice::from_ref(&key));
    let path = dir.join("envelope.json");
    std::fs::write(&path, envelope.to_json()).expect("write envelope");

    let output = python(&[
        "verify",
        path.to_str().expect("utf-8 path"),
        &public.to_base64(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "securesystemslib refused our envelope: {stdout} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_str(&stdout).expect("JSON summary");
    assert_eq!(summary["ok"], true);
    assert_eq!(summary["keyids"][0], public.key_id());
    let ours = open_envelope(
        envelope.to_json().as_bytes(),
        &TrustPolicy::new(vec![public.clone()]),
        today(),
    )
    .expect("verifies here too");
    assert_eq!(summary["payload_sha256"], ours.payload_sha256.as_str());

    // The Python side is not a rubber stamp: a changed payload is refused there as well.
    let mut tampered = envelope.clone();
    tampered.payload = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        MANIFEST_JSON.replace("\"version\": 7", "\"version\": 8"),
    );
    std::fs::write(&path, tampered.to_json()).expect("write envelope");
    let output = python(&[
        "verify",
        path.to_str().expect("utf-8 path"),
        &public.to_base64(),
    ]);
    assert!(
        !output.status.success(),
        "securesystemslib accepted a tampered envelope"
    );

    // And a different key is refused.
    std::fs::write(&path, envelope.to_json()).expect("write envelope");
    let output = python(&[
        "verify",
        path.to_str().expect("utf-8 path"),
        &key_b().public_key().to_base64(),
    ]);
    assert!(
        !output.status.success(),
        "securesystemslib accepted the wrong key"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn we_verify_an_envelope_signed_by_securesystemslib() {
    let dir = scratch_dir("sign");
    let seed = [7u8; 32];
    let seed_hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    let payload_path = dir.join("manifest.json");
    std::fs::write(&payload_path, MANIFEST_JSON).expect("write payload");

    let output = python(&[
        "sign",
        &seed_hex,
        payload_path.to_str().expect("utf-8 path"),
    ]);
    assert!(
        output.status.success(),
        "securesystemslib could not sign: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let envelope_json = output.stdout;

    let key = SigningKey::from_bytes(&seed);
    let policy = TrustPolicy::new(vec![key.public_key()]);
    let verified = open_envelope(&envelope_json, &policy, today())
        .expect("securesystemslib envelope verifies");
    assert_eq!(verified.signed_by, vec![key.public_key().key_id()]);
    assert_eq!(
        verified.manifest,
        parse_manifest(MANIFEST_JSON.as_bytes()).expect("parses")
    );

    // Ed25519 is deterministic, so both implementations produce the very same envelope fields.
    let theirs: Envelope = serde_json::from_slice(&envelope_json).expect("envelope JSON");
    let ours = sign_envelope(MANIFEST_JSON.as_bytes(), &[key]);
    assert_eq!(theirs, ours);

    // Not trusted under another key.
    let other = TrustPolicy::new(vec![key_b().public_key()]);
    assert_eq!(
        open_envelope(&envelope_json, &other, today()),
        Err(VerifyError::UntrustedKey)
    );
    let _ = std::fs::remove_dir_all(dir);
}

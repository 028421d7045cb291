//! The fixture behind the "same mistake, same message" tests: a manifest whose one broken field
//! (`documents[0].access` is `"everyone"`), signed with the fixed security fixture key
//! (`tests/e2e/security/tamper-key.pub`). trustctl's tests (`crates/trustctl/tests/lint.rs`) and
//! the widget's (`tests/ssr_states.rs`) read these files and check that each prints exactly the
//! [`DecodeError`] shown here.
//!
//! Regenerate the envelope after changing the manifest with
//! `UPDATE_SECURITY_FIXTURES=1 cargo test -p trust-manifest --test broken_field`.

use trust_manifest::*;

const MANIFEST: &[u8] = include_bytes!("fixtures/broken-field-manifest.json");
const ENVELOPE: &str = include_str!("fixtures/broken-field-envelope.json");
const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// The fixed seed of the security fixture key (public; protects nothing).
const FIXTURE_SEED: [u8; 32] = *b"trust-center security fixture k1";

/// The message every reader shows for the broken field.
const MESSAGE: &str =
    "documents[0].access: expected one of \"public\", \"nda\", found the string \"everyone\"";

#[test]
fn the_signed_fixture_is_current() {
    let key = SigningKey::from_bytes(&FIXTURE_SEED);
    let envelope = sign_envelope(MANIFEST, &[key]).to_json();
    if std::env::var_os("UPDATE_SECURITY_FIXTURES").is_some() {
        std::fs::write(format!("{FIXTURES}/broken-field-envelope.json"), &envelope)
            .expect("write envelope");
        return;
    }
    assert_eq!(ENVELOPE, envelope, "regenerate it (see the module comment)");
}

#[test]
fn the_broken_field_gives_one_structured_error() {
    let expected = DecodeError {
        path: "documents[0].access".to_owned(),
        problem: DecodeProblem::Mismatch {
            expected: "one of \"public\", \"nda\"".to_owned(),
            found: "the string \"everyone\"".to_owned(),
        },
    };
    assert_eq!(expected.to_string(), MESSAGE);
    assert_eq!(
        parse_manifest(MANIFEST),
        Err(VerifyError::MalformedManifest(expected.clone()))
    );
    let key = SigningKey::from_bytes(&FIXTURE_SEED).public_key();
    let today = Date::from_ymd(2026, 11, 28).expect("date");
    let error = open_envelope(ENVELOPE.as_bytes(), &TrustPolicy::new(vec![key]), today)
        .expect_err("the manifest is broken");
    assert_eq!(error, VerifyError::MalformedManifest(expected));
    assert!(error.to_string().contains(MESSAGE), "{error}");
}

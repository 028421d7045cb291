//! Replays the fuzz regression inputs (`fuzz/regressions/envelope_open/`, `…/manifest_parse/`) and
//! the fuzz seeds through the same checks as the fuzz targets, so every input that ever broke
//! something is re-tested by the ordinary test suite (no nightly, no cargo-fuzz needed).

use std::path::{Path, PathBuf};

use trust_manifest::*;

const FUZZ_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz");
const FIXTURE_MANIFEST: &[u8] = include_bytes!("../../../tests/e2e/security/tamper-manifest.json");
const FIXTURE_SEED: [u8; 32] = *b"trust-center security fixture k1";

/// Files in `fuzz/<kind>/<target>/` (none if the folder is absent).
fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(FUZZ_DIR).join(kind).join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).expect("valid date")
}

#[test]
fn envelope_open_regressions_and_seeds() {
    let key = SigningKey::from_bytes(&FIXTURE_SEED);
    let one_key = TrustPolicy::new(vec![key.public_key()]);
    let two_keys = TrustPolicy::new(vec![
        key.public_key(),
        SigningKey::from_bytes(&[0x42; 32]).public_key(),
    ])
    .with_threshold(2);
    let signed = open_envelope(
        sign_envelope(FIXTURE_MANIFEST, &[key]).to_json().as_bytes(),
        &one_key,
        today(),
    )
    .expect("fixture verifies");
    let files = [
        inputs("regressions", "envelope_open"),
        inputs("seeds", "envelope_open"),
    ]
    .concat();
    assert!(!files.is_empty(), "no inputs found under {FUZZ_DIR}");
    for file in files {
        let data = std::fs::read(&file).expect("readable");
        if let Ok(verified) = open_envelope(&data, &one_key, today()) {
            assert_eq!(
                verified.payload_sha256,
                signed.payload_sha256,
                "{}",
                file.display()
            );
        }
        assert!(
            open_envelope(&data, &two_keys, today()).is_err(),
            "{}",
            file.display()
        );
    }
    // The non-UTF-8 regression is refused for the right reason.
    let data = std::fs::read(
        Path::new(FUZZ_DIR).join("regressions/envelope_open/non-utf8-in-unknown-field.json"),
    )
    .expect("regression input present");
    assert_eq!(
        open_envelope(&data, &one_key, today()).map_err(|e| e.code()),
        Err("malformed_envelope")
    );
}

#[test]
fn manifest_parse_regressions_and_seeds() {
    let files = [
        inputs("regressions", "manifest_parse"),
        inputs("seeds", "manifest_parse"),
    ]
    .concat();
    assert!(!files.is_empty(), "no inputs found under {FUZZ_DIR}");
    for file in files {
        let data = std::fs::read(&file).expect("readable");
        let Ok(manifest) = parse_manifest(&data) else {
            continue;
        };
        for allow_loopback_http in [false, true] {
            let _ = validate(
                &manifest,
                &ValidationOptions {
                    allow_loopback_http,
                },
            );
        }
        let _ = evaluate(&manifest, today(), &StatusPolicy::default());
        for url in [
            &manifest.organization.website,
            &manifest.organization.security_contact,
        ] {
            if is_safe_link(url, false) {
                let lower = url.to_ascii_lowercase();
                assert!(lower.starts_with("https://") || lower.starts_with("mailto:"));
            }
        }
    }
}

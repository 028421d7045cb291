//! The vendor's path end to end with the real binary: init → keygen → sign → verify → lint,
//! plus init's and sign's own rules (overwrite, --bump, several keys, refusing bad manifests).

mod common;

use common::{trustctl_on, trustctl_system_clock, Setup, TODAY};
use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

#[test]
fn init_keygen_sign_verify_lint_round_trip() {
    let setup = Setup::new();
    let manifest = setup.manifest_json();
    assert_eq!(manifest["issued_at"], TODAY);
    assert_eq!(manifest["expires_at"], "2027-05-28");
    assert_eq!(manifest["soc2"]["report"]["type"], "type2");
    assert!(manifest["documents"]
        .as_array()
        .is_some_and(|d| d.len() >= 5));

    let envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope JSON");
    assert_eq!(envelope["payloadType"], trust_manifest::PAYLOAD_TYPE);
    let keyid = trust_manifest::PublicKey::from_base64(setup.read("keys/vendor.pub").trim())
        .expect("public key")
        .key_id();
    assert_eq!(envelope["signatures"][0]["keyid"], keyid.as_str());

    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(0)
        .stdout(contains("✓ VALID: trust/trust-center.json"))
        .stdout(contains(format!("keyid {keyid}")))
        .stdout(contains("Version:        1"))
        .stdout(contains("Expires:        2027-05-28 (181 days left)"))
        .stdout(contains("✓ SOC 2: Current"))
        .stdout(contains("✓ ISO/IEC 27001: Current"));

    setup
        .lint_cmd()
        .assert()
        .code(0)
        .stdout(contains("✓ Signature: valid"))
        .stdout(contains("✓ Content: every field is valid"))
        .stdout(contains("✓ PASSED: 0 errors, 0 warnings"));
}

#[test]
fn init_uses_the_system_clock_and_its_output_signs_and_verifies_today() {
    let dir = TempDir::new().expect("temporary directory");
    trustctl_system_clock(dir.path())
        .args(["init"])
        .assert()
        .success()
        .stdout(contains("Wrote ./manifest.json").or(contains("Wrote manifest.json")))
        .stdout(contains("Next steps:"))
        .stdout(contains("trustctl keygen --out keys/vendor"));
    trustctl_system_clock(dir.path())
        .args(["keygen", "--out", "k"])
        .assert()
        .success();
    trustctl_system_clock(dir.path())
        .args([
            "sign",
            "manifest.json",
            "--key",
            "k.key",
            "--out",
            "env.json",
        ])
        .assert()
        .success();
    trustctl_system_clock(dir.path())
        .args(["verify", "env.json", "--public-key", "k.pub"])
        .assert()
        .code(0);
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let setup = Setup::new();
    setup.write("trust/manifest.json", b"{\"mine\": true}");
    setup
        .cmd()
        .args(["init", "trust"])
        .assert()
        .code(3)
        .stderr(contains("trust/manifest.json already exists"))
        .stderr(contains("--force"));
    assert_eq!(setup.read("trust/manifest.json"), "{\"mine\": true}");
    setup
        .cmd()
        .args(["init", "trust", "--force"])
        .assert()
        .success();
    assert!(setup
        .read("trust/manifest.json")
        .contains("Example Cloud Ltd"));
}

#[test]
fn sign_bump_raises_version_and_issue_date_in_manifest_and_envelope() {
    let setup = Setup::new();
    trustctl_on(setup.dir.path(), "2026-12-05")
        .args(["sign", "trust/manifest.json", "--key", "keys/vendor.key"])
        .args(["--out", "trust/trust-center.json", "--bump"])
        .assert()
        .success()
        .stdout(contains("version 2, issued_at 2026-12-05"));
    let manifest = setup.manifest_json();
    assert_eq!(manifest["version"], 2);
    assert_eq!(manifest["issued_at"], "2026-12-05");
    trustctl_on(setup.dir.path(), "2026-12-05")
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(0)
        .stdout(contains("Version:        2"))
        .stdout(contains("Issued:         2026-12-05"));
}

#[test]
fn sign_bump_keeps_the_vendors_file_as_written_apart_from_version_and_date() {
    let setup = Setup::new();
    let written = setup.read("trust/manifest.json");
    let line_of = |text: &str, key: &str| {
        text.lines()
            .find(|line| line.trim_start().starts_with(&format!("\"{key}\":")))
            .map(str::to_owned)
            .expect("the example has the line")
    };
    let (version, issued) = (line_of(&written, "version"), line_of(&written, "issued_at"));
    assert_eq!(version.trim(), "\"version\": 1,");
    // Fields this trustctl does not know (at the top and inside a subprocessor) and the vendor's
    // own spacing: a re-serialised manifest would lose all three.
    let original = written
        .replacen(
            "{",
            "{\n  \"x-internal-owner\": \"security@example.com\",",
            1,
        )
        .replacen(
            "\"subprocessors\": [\n    {",
            "\"subprocessors\":   [\n    {\n      \"x-contract-ref\": \"C-42\",",
            1,
        );
    assert!(
        original.contains("x-contract-ref"),
        "the example's layout changed"
    );
    std::fs::write(setup.dir.path().join("trust/manifest.json"), &original).expect("write");
    trustctl_on(setup.dir.path(), "2026-12-05")
        .args(["sign", "trust/manifest.json", "--key", "keys/vendor.key"])
        .args(["--out", "trust/trust-center.json", "--bump"])
        .assert()
        .success();
    let bumped = setup.read("trust/manifest.json");
    let indent = &issued[..issued.len() - issued.trim_start().len()];
    let expected = original
        .replacen(&version, &version.replace('1', "2"), 1)
        .replacen(
            &issued,
            &format!("{indent}\"issued_at\": \"2026-12-05\","),
            1,
        );
    assert_eq!(
        bumped, expected,
        "only the version and the issue date change"
    );
    // The envelope signs exactly the bumped file.
    let envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope JSON");
    use base64::Engine as _;
    let signed = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().expect("payload"))
        .expect("base64");
    assert_eq!(String::from_utf8(signed).expect("UTF-8"), bumped);
}

#[test]
fn several_keys_give_several_signatures_and_meet_a_threshold() {
    let setup = Setup::new();
    setup.keygen("keys/auditor");
    setup
        .cmd()
        .args([
            "sign",
            "trust/manifest.json",
            "--key",
            "keys/vendor.key",
            "--key",
        ])
        .args(["keys/auditor.key", "--out", "both.json"])
        .assert()
        .success();
    let envelope: serde_json::Value =
        serde_json::from_str(&setup.read("both.json")).expect("envelope JSON");
    assert_eq!(envelope["signatures"].as_array().map(Vec::len), Some(2));
    setup
        .cmd()
        .args(["verify", "both.json", "--public-key", "keys/vendor.pub"])
        .args(["--public-key", "keys/auditor.pub", "--threshold", "2"])
        .assert()
        .code(0)
        .stdout(contains("2 trusted keys (2 required)"));
    // The vendor-only envelope does not meet a threshold of two.
    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .args(["--public-key", "keys/auditor.pub", "--threshold", "2"])
        .assert()
        .code(12)
        .stderr(contains(
            "needs signatures from 2 trusted keys, but only 1 signed it",
        ))
        .stderr(contains("[threshold_not_met]"));
}

#[test]
fn sign_refuses_an_invalid_manifest_listing_every_problem() {
    let setup = Setup::new();
    let mut manifest = setup.manifest_json();
    manifest["organization"]["website"] = "http://www.example.com".into();
    manifest["soc2"]["report"]["auditor"] = "".into();
    manifest["documents"][0]["id"] = "has spaces!".into();
    setup.write_json("bad.json", &manifest);
    setup
        .cmd()
        .args([
            "sign",
            "bad.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "bad-env.json",
        ])
        .assert()
        .code(1)
        .stderr(contains("bad.json: not signed"))
        .stderr(contains("organization.website"))
        .stderr(contains("soc2.report.auditor"))
        .stderr(contains("documents[0].id"));
    assert!(!setup.path("bad-env.json").exists());
}

#[test]
fn sign_refuses_a_manifest_that_has_already_expired() {
    let setup = Setup::new();
    trustctl_on(setup.dir.path(), "2027-06-01")
        .args(["sign", "trust/manifest.json"])
        .args(["--key", "keys/vendor.key", "--out", "late.json"])
        .assert()
        .code(1)
        .stderr(contains("expires_at: 2027-05-28 is already in the past"));
    assert!(!setup.path("late.json").exists());
}

#[test]
fn sign_dev_allows_loopback_http_links_only_when_asked() {
    let setup = Setup::new();
    let mut manifest = setup.manifest_json();
    manifest["access_requests"]["intake_url"] = "http://127.0.0.1:8787".into();
    setup.write_json("dev.json", &manifest);
    setup
        .cmd()
        .args([
            "sign",
            "dev.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "dev-env.json",
        ])
        .assert()
        .code(1)
        .stderr(contains("access_requests.intake_url"))
        .stderr(contains("add --dev"));
    setup
        .cmd()
        .args([
            "sign",
            "dev.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "dev-env.json",
            "--dev",
        ])
        .assert()
        .success();
    setup
        .cmd()
        .args(["lint", "dev.json", "--dev"])
        .assert()
        .code(0);
}

#[test]
fn sign_reports_malformed_json_and_missing_files_by_name() {
    let setup = Setup::new();
    setup.write("broken.json", b"{\"schema_version\": 1, ");
    setup
        .cmd()
        .args([
            "sign",
            "broken.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "x.json",
        ])
        .assert()
        .code(10)
        .stderr(contains("broken.json"));
    setup
        .cmd()
        .args([
            "sign",
            "missing.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "x.json",
        ])
        .assert()
        .code(3)
        .stderr(contains("cannot read missing.json: it does not exist"));
    setup
        .cmd()
        .args(["sign", "trust/manifest.json", "--key", "keys/vendor.key"])
        .args(["--key", "keys/vendor.key", "--out", "x.json"])
        .assert()
        .code(2)
        .stderr(contains("are the same key"));
    setup
        .cmd()
        .args(["sign", "trust/manifest.json", "--key", "keys/vendor.key"])
        .args(["--out", "trust/../trust/manifest.json"])
        .assert()
        .code(2)
        .stderr(contains("is the manifest itself"));
    assert!(setup
        .read("trust/manifest.json")
        .contains("\"schema_version\": 1"));
}

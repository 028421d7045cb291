//! `trustctl lint` with the real binary: markers, exit codes (errors fail, warnings only with
//! --deny-warnings), JSON output, envelopes with and without a key, and bad input.

mod common;

use common::{trustctl_on, Setup};
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn clean_manifest_passes_with_check_marks() {
    let setup = Setup::new();
    setup
        .cmd()
        .args(["lint", "trust/manifest.json"])
        .assert()
        .code(0)
        .stdout(contains(
            "trust/manifest.json (manifest): Example Cloud Ltd, version 1",
        ))
        .stdout(contains("· Signature: none"))
        .stdout(contains("✓ Content: every field is valid"))
        .stdout(contains("✓ SOC 2: Current"))
        .stdout(contains("✓ ISO/IEC 27001: Current"))
        .stdout(contains("✓ Addresses: none look unreachable"))
        .stdout(contains("✓ PASSED: 0 errors, 0 warnings"));
}

#[test]
fn placeholder_and_private_addresses_are_warnings() {
    let setup = Setup::new();
    // The unedited example still points at reserved example.* domains.
    setup.cmd().args(["init", "raw"]).assert().success();
    setup
        .cmd()
        .args(["lint", "raw/manifest.json"])
        .assert()
        .code(0)
        .stdout(contains(
            "! Addresses: 11 look unreachable from the internet",
        ))
        .stdout(contains(
            "! organization.website: example.com is reserved for examples and documentation",
        ))
        .stdout(contains("✓ PASSED: 0 errors, 11 warnings"));

    let mut manifest = setup.manifest_json();
    manifest["documents"][2]["url"] = "https://10.0.0.7/soc3.pdf".into();
    manifest["organization"]["security_contact"] = "mailto:security@vendor.internal".into();
    manifest["subprocessors"][0]["url"] = "https://intranet/aws".into();
    setup.write_json("private.json", &manifest);
    setup
        .cmd()
        .args(["lint", "private.json", "--deny-warnings"])
        .assert()
        .code(1)
        .stdout(contains("! Addresses: 3 look unreachable"))
        .stdout(contains("documents[2].url: 10.0.0.7 is a private or local IP address"))
        .stdout(contains("organization.security_contact: vendor.internal uses the reserved or private name .internal"))
        .stdout(contains("subprocessors[0].url: intranet is a single-word host name"))
        .stdout(contains("✗ FAILED: 0 errors, 3 warnings"));
}

#[test]
fn envelope_without_a_key_is_read_but_its_signature_is_not_checked() {
    let setup = Setup::new();
    setup
        .cmd()
        .args(["lint", "trust/trust-center.json"])
        .assert()
        .code(0)
        .stdout(contains("(signed envelope)"))
        .stdout(contains("! Signature NOT checked: 1 signature present"))
        .stdout(contains("✓ PASSED"));
    setup
        .lint_cmd()
        .assert()
        .code(0)
        .stdout(contains("✓ Signature: valid, signed by 1 trusted key"));
}

#[test]
fn envelope_with_the_wrong_key_fails_like_verify() {
    let setup = Setup::new();
    setup.keygen("other");
    setup
        .cmd()
        .args([
            "lint",
            "trust/trust-center.json",
            "--public-key",
            "other.pub",
        ])
        .assert()
        .code(12)
        .stderr(contains("[untrusted_key]"));
}

#[test]
fn expired_manifest_is_an_error_in_lint_too() {
    let setup = Setup::new();
    trustctl_on(setup.dir.path(), "2027-06-01")
        .args([
            "lint",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(1)
        .stdout(contains("✗ This information expired on 2027-05-28"))
        .stdout(contains("✗ FAILED: 1 error"));
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let setup = Setup::new();
    let mut manifest = setup.manifest_json();
    // A bridge letter reaching far beyond the report period is a warning, not an error.
    manifest["soc2"]["bridge_letter"]["covers_through"] = "2027-03-01".into();
    setup.write_json("warn.json", &manifest);
    setup
        .cmd()
        .args(["lint", "warn.json"])
        .assert()
        .code(0)
        .stdout(contains("! The bridge letter reaches to 2027-03-01"))
        .stdout(contains("[soc2.bridge_letter.covers_through]"))
        .stdout(contains("✓ PASSED: 0 errors, 1 warning"));
    setup
        .cmd()
        .args(["lint", "warn.json", "--deny-warnings"])
        .assert()
        .code(1)
        .stdout(contains("✗ FAILED: 0 errors, 1 warning"));
}

#[test]
fn validation_problems_and_invalid_certificates_are_errors() {
    let setup = Setup::new();
    let mut manifest = setup.manifest_json();
    manifest["organization"]["security_contact"] = "javascript:alert(1)".into();
    manifest["iso27001"]["certificate"]["edition"] = "2013".into();
    setup.write_json("bad.json", &manifest);
    setup
        .cmd()
        .args(["lint", "bad.json"])
        .assert()
        .code(1)
        .stdout(contains("✗ Content: 1 problem"))
        .stdout(contains("✗ organization.security_contact:"))
        .stdout(contains("✗ ISO/IEC 27001: Not valid"))
        .stdout(contains("✗ FAILED: 2 errors"));
}

#[test]
fn json_output_is_machine_readable() {
    let setup = Setup::new();
    let assert = trustctl_on(setup.dir.path(), "2027-06-01")
        .args(["lint", "trust/manifest.json", "--json"])
        .assert()
        .code(1);
    let value: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert_eq!(value["kind"], "manifest");
    assert_eq!(value["ok"], false);
    assert_eq!(value["errors"], 1);
    assert_eq!(value["status"]["manifest"][0]["code"], "manifest_expired");
    assert_eq!(value["status"]["today"], "2027-06-01");

    let assert = setup
        .cmd()
        .args(["lint", "trust/trust-center.json", "--json"])
        .assert()
        .code(0);
    let value: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert_eq!(value["kind"], "envelope");
    assert_eq!(value["signature"]["state"], "not_checked");
    assert_eq!(value["ok"], true);
    assert_eq!(value["problems"], serde_json::json!([]));
    assert_eq!(value["unreachable_links"], serde_json::json!([]));
}

#[test]
fn bad_input_names_the_file() {
    let setup = Setup::new();
    setup.write(
        "broken.json",
        b"{\"schema_version\": 1, \"version\": \"one\"}",
    );
    setup
        .cmd()
        .args(["lint", "broken.json"])
        .assert()
        .code(10)
        .stderr(contains("broken.json:"))
        .stderr(contains("version"));
    setup
        .cmd()
        .args(["lint", "nothing-here.json"])
        .assert()
        .code(3)
        .stderr(contains("nothing-here.json"));
    setup
        .cmd()
        .args([
            "lint",
            "trust/manifest.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(2)
        .stderr(contains("only applies to a signed envelope"));
}

#[test]
fn reads_standard_input() {
    let setup = Setup::new();
    setup
        .cmd()
        .args(["lint", "-"])
        .write_stdin(setup.read("trust/manifest.json"))
        .assert()
        .code(0)
        .stdout(contains("standard input (manifest)"))
        .stdout(contains("✓ PASSED").and(contains("✗").not()));
}

/// A document id the intake service would refuse (`trust_manifest::is_document_id`, the rule
/// both use) is a lint error, and `sign` refuses the manifest.
#[test]
fn lint_refuses_a_document_id_the_service_would_refuse() {
    let setup = Setup::new();
    for bad_id in ["a..b", ".hidden", "-dash-first"] {
        let mut manifest = setup.manifest_json();
        manifest["documents"][0]["id"] = bad_id.into();
        setup.write_json("bad-id.json", &manifest);
        setup
            .cmd()
            .args(["lint", "bad-id.json"])
            .assert()
            .code(1)
            .stdout(contains("✗ documents[0].id:").and(contains(format!("\"{bad_id}\""))))
            .stdout(contains("✗ FAILED"));
        setup
            .cmd()
            .args([
                "sign",
                "bad-id.json",
                "--key",
                "keys/vendor.key",
                "--out",
                "out.json",
            ])
            .assert()
            .code(1)
            .stderr(contains("documents[0].id"));
        assert!(!setup.dir.path().join("out.json").exists());
    }
}

/// The same mistake gets the same message as in the widget: trustctl prints exactly the
/// `Display` of the library's `DecodeError` (the widget's side is `tests/ssr_states.rs`, on the
/// same fixture files).
#[test]
fn a_broken_field_is_reported_with_the_libraries_message() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/../manifest/tests/fixtures");
    let manifest_path = format!("{fixtures}/broken-field-manifest.json");
    let envelope_path = format!("{fixtures}/broken-field-envelope.json");
    let key_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/e2e/security/tamper-key.pub"
    );
    let bytes = std::fs::read(&manifest_path).expect("fixture");
    let Err(trust_manifest::VerifyError::MalformedManifest(error)) =
        trust_manifest::parse_manifest(&bytes)
    else {
        panic!("the fixture must have a broken field");
    };
    let message = error.to_string();
    assert_eq!(
        message,
        "documents[0].access: expected one of \"public\", \"nda\", found the string \"everyone\""
    );
    let setup = Setup::new();
    for args in [
        vec!["lint", manifest_path.as_str()],
        vec!["lint", envelope_path.as_str()],
        vec!["lint", envelope_path.as_str(), "--public-key", key_path],
        vec!["verify", envelope_path.as_str(), "--public-key", key_path],
    ] {
        setup
            .cmd()
            .args(&args)
            .assert()
            .code(10)
            .stderr(contains(message.as_str()));
    }
}

//! `trustctl changes` and `sign --bump` with the real binary: proposals against the last signed
//! envelope (verified with the key), nothing written without `--write`, the vendor's file kept
//! as it was apart from the inserted entries, a second `--write` refused, tampered or foreign
//! envelopes refused, `sign --bump --accept-changes`, and lint's notice-period warning.

mod common;

use common::{trustctl_on, Setup};
use predicates::prelude::*;
use predicates::str::contains;
use serde_json::{json, Value};

fn changes_cmd(setup: &Setup) -> assert_cmd::Command {
    let mut command = setup.cmd();
    command.args([
        "changes",
        "trust/manifest.json",
        "--since",
        "trust/trust-center.json",
        "--public-key",
        "keys/vendor.pub",
    ]);
    command
}

/// Adds a subprocessor and changes another one's locations; adds a field this trustctl does
/// not know, which must survive `--write`.
fn edit_manifest(setup: &Setup) {
    let mut manifest = setup.manifest_json();
    manifest["subprocessors"]
        .as_array_mut()
        .expect("list")
        .push(json!({"name": "Acme Support Desk", "purpose": "Customer support tickets", "locations": ["Ireland"]}));
    manifest["subprocessors"][2]["locations"] = json!(["Germany", "United States"]);
    manifest["x_vendor_note"] = json!("kept as written");
    setup.write_json("trust/manifest.json", &manifest);
}

fn proposals_json(setup: &Setup) -> Value {
    let output = changes_cmd(setup).arg("--json").output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

#[test]
fn proposals_are_printed_and_written_only_with_write() {
    let setup = Setup::new();
    edit_manifest(&setup);
    let before = setup.read("trust/manifest.json");

    changes_cmd(&setup)
        .assert()
        .code(0)
        .stdout(contains("compared with trust/trust-center.json (signed version 1)"))
        .stdout(contains("· 2 proposed change entries:"))
        .stdout(contains(
            "+ 2026-11-28-subprocessor-added-acme-support-desk [subprocessors] version 2, 2026-11-28, effective 2026-12-28",
        ))
        .stdout(contains("New subprocessor: Acme Support Desk (Customer support tickets; Ireland)."))
        .stdout(contains(
            "Subprocessor Example Mail Delivery GmbH: data processed in Germany, United States (was Germany).",
        ))
        .stdout(contains("· Nothing written: add --write"));
    assert_eq!(setup.read("trust/manifest.json"), before, "nothing written");

    let report = proposals_json(&setup);
    assert_eq!(report["since_version"], 1);
    assert_eq!(report["next_version"], 2);
    assert_eq!(report["written"], false);
    let kinds: Vec<&str> = report["proposals"]
        .as_array()
        .expect("proposals")
        .iter()
        .map(|p| p["kind"].as_str().expect("kind"))
        .collect();
    // In the order of the new subprocessor list.
    assert_eq!(kinds, ["subprocessor_changed", "subprocessor_added"]);
    assert_eq!(
        report["proposals"][1]["entry"],
        json!({
            "id": "2026-11-28-subprocessor-added-acme-support-desk",
            "version": 2,
            "date": "2026-11-28",
            "category": "subprocessors",
            "summary": "New subprocessor: Acme Support Desk (Customer support tickets; Ireland).",
            "effective_date": "2026-12-28"
        })
    );
    assert_eq!(
        setup.read("trust/manifest.json"),
        before,
        "--json writes nothing"
    );

    changes_cmd(&setup)
        .arg("--write")
        .assert()
        .code(0)
        .stdout(contains(
            "✓ Inserted 2 entries for version 2 into trust/manifest.json",
        ));
    let after = setup.read("trust/manifest.json");
    // The vendor's own layout and fields are kept; the entries come first.
    assert!(
        after.starts_with(before.trim_end_matches(&['}', '\n'][..])),
        "{after}"
    );
    assert!(after.contains("\"x_vendor_note\": \"kept as written\""));
    let written: Value = serde_json::from_str(&after).expect("still JSON");
    assert_eq!(written["changes"][0], report["proposals"][0]["entry"]);
    assert_eq!(written["changes"][1], report["proposals"][1]["entry"]);
    assert_eq!(
        written["version"], 1,
        "the version itself is sign --bump's job"
    );

    // A second --write would duplicate them: refused, file unchanged.
    changes_cmd(&setup)
        .arg("--write")
        .assert()
        .code(1)
        .stderr(contains("already has change entries for version 2"));
    assert_eq!(setup.read("trust/manifest.json"), after);

    // Signing without the bump is refused (the entries name version 2); with it, it verifies.
    setup
        .sign_cmd()
        .assert()
        .code(1)
        .stderr(contains("changes[0].version"));
    setup
        .sign_cmd()
        .args(["--bump"])
        .assert()
        .code(0)
        .stdout(contains("version 2"))
        .stdout(contains("✓ No changes to announce.").not());
    setup
        .lint_cmd()
        .assert()
        .code(0)
        .stdout(contains(
            "✓ Notice: subprocessor changes give the promised notice",
        ))
        .stdout(contains("✓ PASSED: 0 errors, 0 warnings"));
    // Compared with the new signature there is nothing left to announce.
    changes_cmd(&setup)
        .assert()
        .code(0)
        .stdout(contains("(signed version 2)"))
        .stdout(contains("✓ No changes to announce."));
}

#[test]
fn an_envelope_that_does_not_verify_is_not_compared() {
    let setup = Setup::new();
    edit_manifest(&setup);
    // Another key's public key: not signed by a trusted key.
    setup.keygen("keys/other");
    setup
        .cmd()
        .args([
            "changes",
            "trust/manifest.json",
            "--since",
            "trust/trust-center.json",
            "--public-key",
            "keys/other.pub",
        ])
        .assert()
        .code(12)
        .stdout(contains("proposed").not());
    // A changed payload: the signature no longer holds.
    let mut envelope: Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("JSON");
    let payload = envelope["payload"].as_str().expect("payload").to_owned();
    let mut bytes = payload.into_bytes();
    bytes[40] = if bytes[40] == b'A' { b'B' } else { b'A' };
    envelope["payload"] = json!(String::from_utf8(bytes).expect("ascii"));
    setup.write_json("trust/trust-center.json", &envelope);
    changes_cmd(&setup)
        .assert()
        .failure()
        .stdout(contains("proposed").not());
    let code = changes_cmd(&setup).output().expect("runs").status.code();
    assert!(matches!(code, Some(10 | 11)), "{code:?}");
}

#[test]
fn sign_bump_lists_proposals_and_records_them_only_when_accepted() {
    let setup = Setup::new();
    edit_manifest(&setup);
    let sign = |extra: &[&str]| {
        let mut command = setup.cmd();
        command.args([
            "sign",
            "trust/manifest.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "trust/trust-center.json",
            "--bump",
        ]);
        command.args(extra);
        command
    };
    sign(&[])
        .assert()
        .code(0)
        .stdout(contains(
            "Change history since trust/trust-center.json (signed version 1):",
        ))
        .stdout(contains(
            "+ 2026-11-28-subprocessor-added-acme-support-desk [subprocessors] version 2",
        ))
        .stdout(contains("· Not recorded: add --accept-changes"));
    let manifest = setup.manifest_json();
    assert_eq!(manifest["version"], 2);
    assert!(manifest.get("changes").is_none(), "{manifest}");

    // Version 3 removes a subprocessor; accepted, the entry is signed with it.
    let mut manifest = setup.manifest_json();
    manifest["subprocessors"]
        .as_array_mut()
        .expect("list")
        .remove(1);
    setup.write_json("trust/manifest.json", &manifest);
    sign(&["--accept-changes"])
        .assert()
        .code(0)
        .stdout(contains(
            "+ 2026-11-28-subprocessor-removed-cloudflare-inc [subprocessors] version 3",
        ))
        .stdout(contains("✓ Recorded in the manifest (--accept-changes)."));
    let manifest = setup.manifest_json();
    assert_eq!(manifest["version"], 3);
    assert_eq!(
        manifest["changes"][0]["id"],
        "2026-11-28-subprocessor-removed-cloudflare-inc"
    );
    assert_eq!(manifest["changes"][0]["version"], 3);
    let verified = setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
            "--json",
        ])
        .output()
        .expect("runs");
    let verified: Value = serde_json::from_slice(&verified.stdout).expect("JSON");
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["version"], 3);

    // --accept-changes only makes sense with --bump.
    setup.sign_cmd().args(["--accept-changes"]).assert().code(2);
}

#[test]
fn lint_warns_about_short_notice() {
    let setup = Setup::new();
    let mut manifest = setup.manifest_json();
    manifest["changes"] = json!([
        {"id": "2026-11-28-subprocessor-added-acme", "version": 1, "date": "2026-11-28",
         "category": "subprocessors", "summary": "New subprocessor: Acme.", "effective_date": "2026-12-08"},
        {"id": "2026-11-28-subprocessor-removed-old", "version": 1, "date": "2026-11-28",
         "category": "subprocessors", "summary": "Old Ltd removed."}
    ]);
    setup.write_json("trust/manifest.json", &manifest);
    setup
        .cmd()
        .args(["lint", "trust/manifest.json"])
        .assert()
        .code(0)
        .stdout(contains("! Notice: 1 subprocessor change with too little notice"))
        .stdout(contains(
            "! changes[0].effective_date: Subprocessor change \"2026-11-28-subprocessor-added-acme\" takes effect 2026-12-08, 10 days after it is announced (2026-11-28); customers are promised 30 days' notice",
        ))
        .stdout(contains("✓ PASSED: 0 errors, 1 warning"));
    setup
        .cmd()
        .args(["lint", "trust/manifest.json", "--deny-warnings"])
        .assert()
        .code(1);
    let output = setup
        .cmd()
        .args(["lint", "trust/manifest.json", "--json"])
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(
        report["notice_warnings"][0]["path"],
        "changes[0].effective_date"
    );
    assert_eq!(report["warnings"], 1);

    // A promised notice of 7 days is met by 10.
    manifest["updates"] = json!({"subprocessor_notice_days": 7});
    setup.write_json("trust/manifest.json", &manifest);
    setup
        .cmd()
        .args(["lint", "trust/manifest.json", "--deny-warnings"])
        .assert()
        .code(0)
        .stdout(contains("✓ Notice"));
    // The same entry once it is history (the manifest moved on to version 2): not checked again.
    manifest["updates"] = json!({"subprocessor_notice_days": 60});
    manifest["version"] = json!(2);
    setup.write_json("trust/manifest.json", &manifest);
    trustctl_on(setup.dir.path(), "2026-12-20")
        .args(["lint", "trust/manifest.json", "--deny-warnings"])
        .assert()
        .code(0);
}

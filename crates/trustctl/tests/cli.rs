//! The command line as a whole with the real binary: help texts with examples and the exit-code
//! table, the schema command, usage errors and the --today override.

mod common;

use common::trustctl;
use predicates::str::contains;
use tempfile::TempDir;

#[test]
fn top_level_help_lists_commands_walkthrough_and_exit_codes() {
    let dir = TempDir::new().expect("temporary directory");
    let assert = trustctl(dir.path()).arg("--help").assert().code(0);
    let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for expected in [
        "init",
        "keygen",
        "sign",
        "verify",
        "lint",
        "schema",
        "serve",
        "requests",
        "console",
        "Publish a trust page in five minutes",
        "Exit codes:",
        "11  bad or missing signature",
        "12  not signed by a trusted key",
        "13  expired",
        "15  envelope larger than the 1 MiB limit",
    ] {
        assert!(help.contains(expected), "help lacks {expected:?}:\n{help}");
    }
    assert!(!help.contains("--today"), "--today is a hidden option");
}

#[test]
fn every_command_has_help_with_examples() {
    let dir = TempDir::new().expect("temporary directory");
    for command in [
        "init", "keygen", "sign", "verify", "lint", "schema", "serve", "requests", "console",
        "notify", "notices",
    ] {
        trustctl(dir.path())
            .args([command, "--help"])
            .assert()
            .code(0)
            .stdout(contains("Examples:"))
            .stdout(contains(format!("trustctl {command}")));
    }
    trustctl(dir.path())
        .args(["verify", "--help"])
        .assert()
        .stdout(contains("Exit codes:"));
}

#[test]
fn schema_prints_the_manifest_json_schema() {
    let dir = TempDir::new().expect("temporary directory");
    let assert = trustctl(dir.path()).arg("schema").assert().code(0);
    let schema: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("schema is JSON");
    assert!(schema["$schema"]
        .as_str()
        .is_some_and(|s| s.contains("json-schema.org")));
    for field in [
        "schema_version",
        "version",
        "issued_at",
        "expires_at",
        "organization",
    ] {
        assert!(
            schema["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|f| f == field)),
            "{field} should be required"
        );
    }
    assert!(schema["properties"]["soc2"].is_object());
}

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::new().expect("temporary directory");
    trustctl(dir.path()).arg("frobnicate").assert().code(2);
    trustctl(dir.path())
        .args(["sign", "manifest.json", "--out", "x.json"])
        .assert()
        .code(2)
        .stderr(contains("--key"));
    trustctl(dir.path())
        .args(["keygen"])
        .assert()
        .code(2)
        .stderr(contains("--out"));
}

#[test]
fn today_override_must_be_a_real_date() {
    let dir = TempDir::new().expect("temporary directory");
    assert_cmd::Command::cargo_bin("trustctl")
        .expect("binary")
        .current_dir(dir.path())
        .args(["--today", "2026-02-30", "init"])
        .assert()
        .code(2)
        .stderr(contains("2026-02-30"));
    assert!(!dir.path().join("manifest.json").exists());
}

#[test]
fn requests_with_a_missing_config_names_the_file() {
    let dir = TempDir::new().expect("temporary directory");
    trustctl(dir.path())
        .args(["requests", "list", "--config", "missing-intake.toml"])
        .assert()
        .code(5)
        .stderr(contains("missing-intake.toml"));
}

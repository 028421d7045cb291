//! `trustctl verify` failure classes with the real binary: each has its own exit code and
//! message. Also stdin, JSON output and downloads from a loopback HTTP server.

mod common;

use base64::Engine;
use common::{trustctl_on, LoopbackServer, Setup};
use predicates::str::contains;
use trust_manifest::SigningKey;

fn vendor_key(setup: &Setup) -> SigningKey {
    let seed = trust_manifest::decode_base64(setup.read("keys/vendor.key").trim()).expect("seed");
    SigningKey::from_bytes(&seed.try_into().expect("32 bytes"))
}

fn verify(setup: &Setup, file: &str) -> assert_cmd::assert::Assert {
    setup
        .cmd()
        .args(["verify", file, "--public-key", "keys/vendor.pub"])
        .assert()
}

#[test]
fn tampered_envelope_exits_11() {
    let setup = Setup::new();
    let mut envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope");
    let engine = base64::engine::general_purpose::STANDARD;
    let payload = engine
        .decode(envelope["payload"].as_str().expect("payload"))
        .expect("base64");
    let changed = String::from_utf8(payload)
        .expect("utf-8")
        .replace("\"version\": 1", "\"version\": 99");
    envelope["payload"] = engine.encode(changed).into();
    setup.write_json("tampered.json", &envelope);
    verify(&setup, "tampered.json")
        .code(11)
        .stdout(predicates::str::is_empty())
        .stderr(contains(
            "tampered.json: The signature does not match the content",
        ))
        .stderr(contains("[bad_signature]"));
}

#[test]
fn expired_manifest_exits_13_and_still_shows_what_expired() {
    let setup = Setup::new();
    trustctl_on(setup.dir.path(), "2027-05-28")
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(0);
    trustctl_on(setup.dir.path(), "2027-05-29")
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(13)
        .stdout(contains("✗ EXPIRED: trust/trust-center.json"))
        .stdout(contains("Expires:        2027-05-28 (1 day ago)"))
        .stderr(contains("expired on 2027-05-28"))
        .stderr(contains("[expired]"));
}

#[test]
fn wrong_key_exits_12() {
    let setup = Setup::new();
    setup.keygen("other");
    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "other.pub",
        ])
        .assert()
        .code(12)
        .stderr(contains("not with a key this page trusts"))
        .stderr(contains("[untrusted_key]"));
}

#[test]
fn malformed_inputs_exit_10() {
    let setup = Setup::new();
    setup.write("notjson.json", b"<html>not found</html>");
    verify(&setup, "notjson.json")
        .code(10)
        .stderr(contains("[malformed_envelope]"));

    let mut envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope");
    envelope["payloadType"] = "application/vnd.in-toto+json".into();
    setup.write_json("wrongtype.json", &envelope);
    verify(&setup, "wrongtype.json")
        .code(10)
        .stderr(contains("application/vnd.in-toto+json"))
        .stderr(contains("[wrong_payload_type]"));

    envelope["payloadType"] = trust_manifest::PAYLOAD_TYPE.into();
    envelope["payload"] = "***".into();
    setup.write_json("badbase64.json", &envelope);
    verify(&setup, "badbase64.json")
        .code(10)
        .stderr(contains("\"payload\""))
        .stderr(contains("[invalid_base64]"));

    // Correctly signed, but the payload is not a manifest.
    let signed = trust_manifest::sign_envelope(b"{\"hello\": \"world\"}", &[vendor_key(&setup)]);
    setup.write("notmanifest.json", signed.to_json().as_bytes());
    verify(&setup, "notmanifest.json")
        .code(10)
        .stderr(contains("[malformed_manifest]"));
}

#[test]
fn unsigned_envelope_exits_11() {
    let setup = Setup::new();
    let mut envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope");
    envelope["signatures"] = serde_json::json!([]);
    setup.write_json("unsigned.json", &envelope);
    verify(&setup, "unsigned.json")
        .code(11)
        .stderr(contains("[no_signatures]"));
}

#[test]
fn unsupported_schema_version_exits_14() {
    let setup = Setup::new();
    let mut manifest = setup.manifest_json();
    manifest["schema_version"] = 2.into();
    let payload = serde_json::to_vec(&manifest).expect("json");
    let signed = trust_manifest::sign_envelope(&payload, &[vendor_key(&setup)]);
    setup.write("v2.json", signed.to_json().as_bytes());
    verify(&setup, "v2.json")
        .code(14)
        .stderr(contains("format version 2"))
        .stderr(contains("[unsupported_schema_version]"));
}

#[test]
fn oversized_envelope_exits_15_before_reading_it() {
    let setup = Setup::new();
    let mut big = b"{\"payloadType\":\"".to_vec();
    big.resize(trust_manifest::MAX_ENVELOPE_BYTES + 10, b'a');
    setup.write("big.json", &big);
    verify(&setup, "big.json")
        .code(15)
        .stderr(contains("too large"))
        .stderr(contains("[too_large]"));
}

#[test]
fn usage_and_file_errors_have_their_own_codes() {
    let setup = Setup::new();
    verify(&setup, "missing.json")
        .code(3)
        .stderr(contains("cannot read missing.json: it does not exist"));
    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .args(["--threshold", "2"])
        .assert()
        .code(2)
        .stderr(contains("--threshold 2 is impossible with 1 trusted key"));
    setup
        .cmd()
        .args(["verify", "trust/trust-center.json"])
        .assert()
        .code(2)
        .stderr(contains("--public-key"));
    setup
        .cmd()
        .args(["verify", "--public-key", "keys/vendor.pub"])
        .assert()
        .code(2);
}

#[test]
fn reads_standard_input() {
    let setup = Setup::new();
    setup
        .cmd()
        .args(["verify", "-", "--public-key", "keys/vendor.pub"])
        .write_stdin(setup.read("trust/trust-center.json"))
        .assert()
        .code(0)
        .stdout(contains("✓ VALID: standard input"));
}

#[test]
fn json_output_for_success_and_failure() {
    let setup = Setup::new();
    let assert = setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
            "--json",
        ])
        .assert()
        .code(0);
    let value: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert_eq!(value["valid"], true);
    assert_eq!(value["version"], 1);
    assert_eq!(value["expires_at"], "2027-05-28");
    assert_eq!(value["status"]["soc2"]["level"], "current");
    assert_eq!(value["signed_by"].as_array().map(Vec::len), Some(1));

    let assert = trustctl_on(setup.dir.path(), "2028-01-01")
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
            "--json",
        ])
        .assert()
        .code(13);
    let value: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON on stdout");
    assert_eq!(value["valid"], false);
    assert_eq!(value["error"]["code"], "expired");
    assert_eq!(value["error"]["exit_code"], 13);
}

#[test]
fn downloads_from_a_loopback_http_server() {
    let setup = Setup::new();
    let server = LoopbackServer::start(setup.read("trust/trust-center.json").into_bytes(), 2);
    let ok = format!("{}/ok", server.base);
    let missing = format!("{}/missing.json", server.base);
    setup
        .cmd()
        .args(["verify", "--url", &ok, "--public-key", "keys/vendor.pub"])
        .assert()
        .code(0)
        .stdout(contains(format!("✓ VALID: {ok}")))
        .stdout(contains("✓ SOC 2: Current"));
    setup
        .cmd()
        .args([
            "verify",
            "--url",
            &missing,
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(3)
        .stderr(contains("HTTP 404"));
    assert_eq!(
        server.finish(),
        vec!["/ok".to_owned(), "/missing.json".to_owned()]
    );
}

#[test]
fn download_of_an_envelope_with_a_damaged_signature_exits_11() {
    let setup = Setup::new();
    let mut envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope");
    let engine = base64::engine::general_purpose::STANDARD;
    let mut sig = engine
        .decode(envelope["signatures"][0]["sig"].as_str().expect("sig"))
        .expect("base64");
    sig[10] ^= 0x01;
    envelope["signatures"][0]["sig"] = engine.encode(sig).into();
    let server = LoopbackServer::start(envelope.to_string().into_bytes(), 1);
    let url = format!("{}/ok", server.base);
    setup
        .cmd()
        .args(["verify", "--url", &url, "--public-key", "keys/vendor.pub"])
        .assert()
        .code(11)
        .stderr(contains(format!("{url}: The signature does not match")));
    server.finish();
}

#[test]
fn url_must_be_http_or_https() {
    let setup = Setup::new();
    setup
        .cmd()
        .args([
            "verify",
            "--url",
            "file:///etc/passwd",
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(2)
        .stderr(contains("only http:// and https://"));
}

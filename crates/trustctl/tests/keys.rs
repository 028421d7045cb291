//! Key handling with the real binary: keygen's files and permissions, refusing to overwrite,
//! keys made by `openssl genpkey -algorithm ed25519`, inline base64 keys, and mixed-up keys.

mod common;

use std::os::unix::fs::PermissionsExt;

use base64::Engine;
use common::{openssl, trustctl, Setup};
use predicates::str::contains;
use tempfile::TempDir;

#[test]
fn keygen_writes_a_private_key_only_its_owner_can_read_and_prints_the_attribute() {
    let dir = TempDir::new().expect("temporary directory");
    let assert = trustctl(dir.path())
        .args(["keygen", "--out", "keys/vendor"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();

    let private = dir.path().join("keys/vendor.key");
    let mode = std::fs::metadata(&private)
        .expect("key file")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "private key mode is {mode:o}");

    let public_text = std::fs::read_to_string(dir.path().join("keys/vendor.pub")).expect("pub");
    let public = trust_manifest::PublicKey::from_base64(public_text.trim()).expect("32-byte key");
    let seed =
        trust_manifest::decode_base64(std::fs::read_to_string(&private).expect("key").trim())
            .expect("base64 seed");
    assert_eq!(seed.len(), 32);
    let seed: [u8; 32] = seed.try_into().expect("32 bytes");
    assert_eq!(
        trust_manifest::SigningKey::from_bytes(&seed).public_key(),
        public
    );

    assert!(
        stdout.contains(&format!("keyid:       {}", public.key_id())),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("public-key=\"{}\"", public.to_base64())),
        "{stdout}"
    );
    assert!(stdout.contains("<trust-center manifest="), "{stdout}");
}

#[test]
fn keygen_refuses_to_overwrite_unless_forced() {
    let dir = TempDir::new().expect("temporary directory");
    trustctl(dir.path())
        .args(["keygen", "--out", "v"])
        .assert()
        .success();
    let before = std::fs::read_to_string(dir.path().join("v.key")).expect("key");
    trustctl(dir.path())
        .args(["keygen", "--out", "v"])
        .assert()
        .code(3)
        .stderr(contains("v.key already exists"))
        .stderr(contains("--force"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("v.key")).expect("key"),
        before
    );

    // Only the public half left behind still blocks a new pair.
    std::fs::remove_file(dir.path().join("v.key")).expect("remove");
    trustctl(dir.path())
        .args(["keygen", "--out", "v"])
        .assert()
        .code(3)
        .stderr(contains("v.pub already exists"));

    std::fs::set_permissions(
        dir.path().join("v.pub"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    trustctl(dir.path())
        .args(["keygen", "--out", "v", "--force"])
        .assert()
        .success();
    let after = std::fs::read_to_string(dir.path().join("v.key")).expect("key");
    assert_ne!(after, before);
    let mode = std::fs::metadata(dir.path().join("v.key"))
        .expect("key")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn openssl_pkcs8_private_key_signs_and_spki_public_key_verifies() {
    let setup = Setup::new();
    openssl(
        setup.dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "auditor.pem"],
    );
    openssl(
        setup.dir.path(),
        &[
            "pkey",
            "-in",
            "auditor.pem",
            "-pubout",
            "-out",
            "auditor.pub.pem",
        ],
    );
    std::fs::set_permissions(
        setup.path("auditor.pem"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");

    setup
        .cmd()
        .args(["sign", "trust/manifest.json", "--key", "keys/vendor.key"])
        .args(["--key", "auditor.pem", "--out", "countersigned.json"])
        .assert()
        .success()
        .stderr(predicates::str::is_empty());
    setup
        .cmd()
        .args([
            "verify",
            "countersigned.json",
            "--public-key",
            "keys/vendor.pub",
        ])
        .args(["--public-key", "auditor.pub.pem", "--threshold", "2"])
        .assert()
        .code(0)
        .stdout(contains("2 trusted keys (2 required)"));
    // The auditor's key alone is enough for threshold 1, and a different key is not.
    setup
        .cmd()
        .args([
            "verify",
            "countersigned.json",
            "--public-key",
            "auditor.pub.pem",
        ])
        .assert()
        .code(0);
    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            "auditor.pub.pem",
        ])
        .assert()
        .code(12)
        .stderr(contains("[untrusted_key]"));
}

#[test]
fn readable_private_key_gets_a_warning_but_still_signs() {
    let setup = Setup::new();
    openssl(
        setup.dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "loose.pem"],
    );
    std::fs::set_permissions(
        setup.path("loose.pem"),
        std::fs::Permissions::from_mode(0o644),
    )
    .expect("chmod");
    setup
        .cmd()
        .args([
            "sign",
            "trust/manifest.json",
            "--key",
            "loose.pem",
            "--out",
            "x.json",
        ])
        .assert()
        .success()
        .stderr(contains("can be read by other users"))
        .stderr(contains("chmod 600 loose.pem"));
}

#[test]
fn inline_base64_public_key_is_accepted() {
    let setup = Setup::new();
    let key = setup.read("keys/vendor.pub");
    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            key.trim(),
        ])
        .assert()
        .code(0);
    // URL-safe, unpadded spelling of the same key.
    let url_safe = key
        .trim()
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_");
    setup
        .cmd()
        .args([
            "verify",
            "trust/trust-center.json",
            "--public-key",
            &url_safe,
        ])
        .assert()
        .code(0);
}

#[test]
fn url_safe_public_key_starting_with_a_hyphen_is_not_taken_for_an_option() {
    let setup = Setup::new();
    // Find a deterministic seed whose public key's URL-safe base64 starts with a single `-`.
    let (seed, url_safe) = (0_u8..=255)
        .flat_map(|a| (0_u8..=255).map(move |b| (a, b)))
        .map(|(a, b)| {
            let mut seed = [7_u8; 32];
            seed[0] = a;
            seed[1] = b;
            let key = trust_manifest::SigningKey::from_bytes(&seed).public_key();
            let url_safe = key
                .to_base64()
                .trim_end_matches('=')
                .replace('+', "-")
                .replace('/', "_");
            (seed, url_safe)
        })
        .find(|(_, text)| text.starts_with('-') && !text.starts_with("--"))
        .expect("some seed gives a key starting with '-'");
    let engine = base64::engine::general_purpose::STANDARD;
    setup.write(
        "hyphen.key",
        format!("{}\n", engine.encode(seed)).as_bytes(),
    );
    std::fs::set_permissions(
        setup.path("hyphen.key"),
        std::fs::Permissions::from_mode(0o600),
    )
    .expect("chmod");
    setup
        .cmd()
        .args([
            "sign",
            "trust/manifest.json",
            "--key",
            "hyphen.key",
            "--out",
            "h.json",
        ])
        .assert()
        .success();
    setup
        .cmd()
        .args(["verify", "h.json", "--public-key", &url_safe])
        .assert()
        .code(0)
        .stdout(contains("✓ VALID: h.json"));
}

#[test]
fn mixed_up_and_broken_keys_get_exit_code_4_and_say_why() {
    let setup = Setup::new();
    openssl(
        setup.dir.path(),
        &["genpkey", "-algorithm", "ed25519", "-out", "a.pem"],
    );
    openssl(
        setup.dir.path(),
        &["pkey", "-in", "a.pem", "-pubout", "-out", "a.pub.pem"],
    );
    openssl(
        setup.dir.path(),
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "ec.pem",
        ],
    );
    setup.write("garbage.key", b"not a key at all\n");
    setup.write("short.pub", b"AAAA\n");

    let sign = |key: &str| {
        let mut command = setup.cmd();
        command.args([
            "sign",
            "trust/manifest.json",
            "--key",
            key,
            "--out",
            "x.json",
        ]);
        command
    };
    sign("a.pub.pem")
        .assert()
        .code(4)
        .stderr(contains("this is a PUBLIC key"));
    sign("ec.pem")
        .assert()
        .code(4)
        .stderr(contains("not an Ed25519 key"));
    sign("garbage.key")
        .assert()
        .code(4)
        .stderr(contains("garbage.key: not a key file"));
    sign("nope.key")
        .assert()
        .code(3)
        .stderr(contains("nope.key"));

    let verify = |key: &str| {
        let mut command = setup.cmd();
        command.args(["verify", "trust/trust-center.json", "--public-key", key]);
        command
    };
    verify("keys/vendor.key")
        .assert()
        .code(4)
        .stderr(contains("PRIVATE key file"));
    verify("a.pem")
        .assert()
        .code(4)
        .stderr(contains("this is a PRIVATE key"));
    verify("short.pub")
        .assert()
        .code(4)
        .stderr(contains("3 bytes"));
    verify("no-such-file.pub")
        .assert()
        .code(4)
        .stderr(contains("there is no such file"));
    assert!(!setup.path("x.json").exists());
}

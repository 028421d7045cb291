//! `trustctl feed` and the feed `sign` writes next to the envelope: valid Atom 1.0 (RFC 4287)
//! as two independent parsers read it (Python's xml.etree with the RFC's required elements,
//! and feedparser), vendor text escaped (no markup gets through), entries newest first with
//! their deep links, and envelopes read only when verified.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::Setup;
use predicates::str::contains;
use serde_json::{json, Value};

/// A Python with feedparser: `$TRUST_TEST_PYTHON`, else Debian's, else `python3`. Fails (does
/// not skip) without one: scripts/setup.sh installs python3-feedparser.
fn python() -> String {
    let candidates = std::env::var("TRUST_TEST_PYTHON")
        .into_iter()
        .chain(["/usr/bin/python3".to_owned(), "python3".to_owned()]);
    for candidate in candidates {
        let ok = Command::new(&candidate)
            .args(["-c", "import feedparser"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return candidate;
        }
    }
    panic!("no Python with feedparser: run scripts/setup.sh (installs python3-feedparser)")
}

/// What the two parsers read from the feed file.
fn parse_feed(file: &Path) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/atom_check.py");
    let output = Command::new(python())
        .arg(script)
        .arg(file)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "the feed does not parse: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(file).unwrap_or_default()
    );
    serde_json::from_slice(&output.stdout).expect("checker prints JSON")
}

const HOSTILE: &str = "<script>alert(\"x\")</script> & 'quoted' ]]> \u{1}bell";

/// A history of three entries over two versions, one with hostile text, and a feed URL.
fn with_history(setup: &Setup) {
    let mut manifest = setup.manifest_json();
    manifest["version"] = json!(2);
    manifest["changes"] = json!([
        {"id": "2026-11-01-soc2-report-renewed", "version": 1, "date": "2026-11-01",
         "category": "certifications", "summary": "Renewed SOC 2 Type 2 report."},
        {"id": "2026-11-28-subprocessor-added-acme", "version": 2, "date": "2026-11-28",
         "category": "subprocessors", "summary": HOSTILE, "effective_date": "2026-12-28"},
        {"id": "2026-11-20-document-added-dpa", "version": 2, "date": "2026-11-20",
         "category": "documents", "summary": "New document: DPA."}
    ]);
    manifest["updates"] = json!({"feed_url": "https://www.vendor-cloud.io/trust/changes.atom"});
    setup.write_json("trust/manifest.json", &manifest);
}

#[test]
fn the_feed_is_valid_atom_with_escaped_vendor_text() {
    let setup = Setup::new();
    with_history(&setup);
    setup
        .sign_cmd()
        .assert()
        .code(0)
        .stdout(contains("feed:           trust/changes.atom (3 entries)"));
    let xml = setup.read("trust/changes.atom");
    assert!(!xml.contains("<script>"), "{xml}");

    let parsed = parse_feed(&setup.path("trust/changes.atom"));
    assert_eq!(
        parsed["feed_id"],
        "https://www.vendor-cloud.io/trust/changes.atom"
    );
    assert_eq!(
        parsed["self"],
        json!(["https://www.vendor-cloud.io/trust/changes.atom"])
    );
    assert_eq!(
        parsed["feed_title"],
        "Example Cloud Ltd: trust center changes"
    );
    assert_eq!(parsed["feed_updated"], "2026-11-28T00:00:00Z");
    let entries = parsed["entries"].as_array().expect("entries");
    let ids: Vec<&str> = entries
        .iter()
        .map(|e| e["id"].as_str().expect("id"))
        .collect();
    // Newest first by (version, date).
    assert_eq!(
        ids,
        [
            "https://www.vendor-cloud.io/trust/changes.atom/2026-11-28-subprocessor-added-acme",
            "https://www.vendor-cloud.io/trust/changes.atom/2026-11-20-document-added-dpa",
            "https://www.vendor-cloud.io/trust/changes.atom/2026-11-01-soc2-report-renewed",
        ]
    );
    // The hostile text is text again after parsing; the control character became U+FFFD.
    let expected_title = HOSTILE.replace('\u{1}', "\u{fffd}");
    assert_eq!(entries[0]["title"], expected_title.as_str());
    assert_eq!(entries[0]["category"], json!(["subprocessors"]));
    assert_eq!(entries[0]["updated"], "2026-11-28T00:00:00Z");
    assert_eq!(
        entries[0]["link"],
        "https://www.vendor-cloud.io#change-2026-11-28-subprocessor-added-acme"
    );
    assert!(entries[0]["summary"]
        .as_str()
        .expect("summary")
        .ends_with("(category: subprocessors; signed manifest version 2; announced 2026-11-28; effective 2026-12-28)"));
    // feedparser agrees.
    let fp = &parsed["feedparser"];
    assert_eq!(fp["title"], "Example Cloud Ltd: trust center changes");
    assert_eq!(fp["entries"].as_array().expect("entries").len(), 3);
    assert_eq!(fp["entries"][0]["title"], expected_title.as_str());
    assert_eq!(fp["entries"][0]["tags"], json!(["subprocessors"]));
    assert_eq!(fp["entries"][2]["title"], "Renewed SOC 2 Type 2 report.");
}

#[test]
fn feed_command_reads_verified_envelopes_or_manifests() {
    let setup = Setup::new();
    with_history(&setup);
    setup
        .sign_cmd()
        .args([
            "--feed",
            "out/feed.xml",
            "--page-url",
            "https://www.vendor-cloud.io/security#top",
        ])
        .assert()
        .code(0)
        .stdout(contains("out/feed.xml"));
    let parsed = parse_feed(&setup.path("out/feed.xml"));
    assert_eq!(
        parsed["entries"][0]["link"],
        "https://www.vendor-cloud.io/security#change-2026-11-28-subprocessor-added-acme"
    );

    // An envelope needs the key, so only verified history is published.
    setup
        .cmd()
        .args(["feed", "trust/trust-center.json"])
        .assert()
        .code(2)
        .stderr(contains("needs --public-key"));
    setup.keygen("keys/other");
    setup
        .cmd()
        .args([
            "feed",
            "trust/trust-center.json",
            "--public-key",
            "keys/other.pub",
        ])
        .assert()
        .code(12);
    setup
        .cmd()
        .args([
            "feed",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
            "--out",
            "feed.atom",
        ])
        .assert()
        .code(0)
        .stdout(contains(
            "Wrote feed.atom (3 entries) from trust/trust-center.json",
        ));
    assert_eq!(
        parse_feed(&setup.path("feed.atom"))["entries"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );

    // A bare manifest with no history: a valid, empty feed on standard output, its id from the website.
    setup.cmd().args(["init", "plain"]).assert().success();
    let output = setup
        .cmd()
        .args(["feed", "plain/manifest.json"])
        .output()
        .expect("runs");
    assert!(output.status.success());
    setup.write("plain/feed.atom", &output.stdout);
    let parsed = parse_feed(&setup.path("plain/feed.atom"));
    assert_eq!(parsed["entries"], json!([]));
    assert_eq!(parsed["feed_id"], "https://www.example.com#changes");
}

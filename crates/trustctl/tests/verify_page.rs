//! `trustctl verify --page URL` against trust pages served on 127.0.0.1: the page is read, its
//! `<trust-center>` found, the manifest address resolved against the page (after redirects), the
//! envelope verified against the page's pins and, with `--public-key`, compared with trusted keys.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::Setup;
use predicates::prelude::*;
use predicates::str::contains;

/// An HTTP/1.1 server on 127.0.0.1 answering from a fixed table (path → status, headers, body)
/// until the test process ends; it records the paths asked for.
struct Site {
    base: String,
    seen: Arc<Mutex<Vec<String>>>,
}

type Routes = HashMap<String, (u16, Vec<(String, String)>, Vec<u8>)>;

impl Site {
    fn start(routes: Routes) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if header.trim().is_empty() => break,
                        Ok(_) => {}
                    }
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .to_owned();
                log.lock().expect("log").push(path.clone());
                let (status, headers, body) =
                    routes
                        .get(&path)
                        .cloned()
                        .unwrap_or((404, Vec::new(), b"not here".to_vec()));
                let mut head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
                let _ = stream.flush();
            }
        });
        Site { base, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().expect("log").clone()
    }
}

fn html(body: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let page = format!(
        "<!doctype html><html><head><title>Security</title>\
         <script type=\"module\" src=\"/trust-center/trust-center.js\"></script></head>\
         <body><h1>Security at Vendor</h1>{body}</body></html>"
    );
    (
        200,
        vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        page.into_bytes(),
    )
}

fn json(bytes: Vec<u8>) -> (u16, Vec<(String, String)>, Vec<u8>) {
    (
        200,
        vec![("Content-Type".into(), "application/json".into())],
        bytes,
    )
}

/// The vendor's page at /vendor/security (also reached through a redirect from /security) that
/// pins `public_key` and names the envelope relative to the page.
fn vendor_site(public_key: &str, envelope: Vec<u8>) -> Site {
    let mut routes = Routes::new();
    routes.insert(
        "/vendor/security".into(),
        html(&format!(
            "<!-- <trust-center manifest=\"/decoy.json\" public-key=\"{public_key}\"></trust-center> -->\
             <trust-center manifest=\"../.well-known/trust-center.json\" public-key=\"{public_key}\"></trust-center>"
        )),
    );
    routes.insert(
        "/security".into(),
        (
            302,
            vec![("Location".into(), "/vendor/security".into())],
            Vec::new(),
        ),
    );
    routes.insert("/.well-known/trust-center.json".into(), json(envelope));
    routes.insert("/empty".into(), html("<p>No widget here.</p>"));
    Site::start(routes)
}

fn vendor_key(setup: &Setup) -> String {
    setup.read("keys/vendor.pub").trim().to_owned()
}

#[test]
fn a_page_that_verifies_prints_what_a_visitor_sees() {
    let setup = Setup::new();
    let site = vendor_site(
        &vendor_key(&setup),
        setup.read("trust/trust-center.json").into_bytes(),
    );
    let page = site.url("/security");
    setup
        .cmd()
        .args(["verify", "--page", &page])
        .assert()
        .code(0)
        .stdout(contains(format!("Page: {}", site.url("/vendor/security"))))
        .stdout(contains(format!(
            "Envelope:       {}",
            site.url("/.well-known/trust-center.json")
        )))
        .stdout(contains(
            "<trust-center> 1 of 1: manifest=\"../.well-known/trust-center.json\"",
        ))
        .stdout(contains("Trusted keys:   none given"))
        .stdout(contains("What a visitor sees: ✓ VERIFIED"))
        .stdout(contains("✓ SOC 2: Current"));
    let seen = site.seen();
    assert!(
        seen.contains(&"/.well-known/trust-center.json".to_owned()),
        "{seen:?}"
    );
    assert!(
        !seen.contains(&"/decoy.json".to_owned()),
        "a commented-out element is not a widget: {seen:?}"
    );

    setup
        .cmd()
        .args(["verify", "--page", &page, "--public-key", "keys/vendor.pub"])
        .assert()
        .code(0)
        .stdout(contains(
            "Trusted keys:   ✓ the page pins exactly the key(s) you gave",
        ));
}

#[test]
fn a_page_whose_pin_was_swapped_fails_against_the_trusted_key() {
    let setup = Setup::new();
    setup.keygen("keys/attacker");
    setup
        .cmd()
        .args([
            "sign",
            "trust/manifest.json",
            "--key",
            "keys/attacker.key",
            "--out",
            "trust/forged.json",
        ])
        .assert()
        .success();
    let attacker = setup.read("keys/attacker.pub").trim().to_owned();
    let site = vendor_site(&attacker, setup.read("trust/forged.json").into_bytes());
    let page = site.url("/vendor/security");
    // Visitors would see it verified: the page pins the key that signed it.
    setup
        .cmd()
        .args(["verify", "--page", &page])
        .assert()
        .code(0);
    // Checked against the key obtained through a trusted channel, it fails.
    setup
        .cmd()
        .args(["verify", "--page", &page, "--public-key", "keys/vendor.pub"])
        .assert()
        .code(12)
        .stdout(contains("What a visitor sees: ✓ VERIFIED"))
        .stdout(contains("Trusted keys:   ✗ MISMATCH: the page pins keyid"))
        .stdout(contains("Against your trusted key(s): ✗"))
        .stderr(contains(
            "the page's pinned keys are not the ones you trust",
        ));
}

#[test]
fn a_tampered_envelope_is_not_verified_and_shows_no_claims() {
    let setup = Setup::new();
    let mut envelope: serde_json::Value =
        serde_json::from_str(&setup.read("trust/trust-center.json")).expect("envelope JSON");
    let payload = envelope["payload"].as_str().expect("payload").to_owned();
    let mut bytes = payload.into_bytes();
    let last = bytes.len() - 3;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    envelope["payload"] = serde_json::Value::String(String::from_utf8(bytes).expect("base64 text"));
    let site = vendor_site(&vendor_key(&setup), envelope.to_string().into_bytes());
    setup
        .cmd()
        .args([
            "verify",
            "--page",
            &site.url("/vendor/security"),
            "--public-key",
            "keys/vendor.pub",
        ])
        .assert()
        .code(11)
        .stdout(contains(
            "What a visitor sees: ✗ NOT VERIFIED, no claims are shown",
        ))
        .stdout(contains("✓ SOC 2").not());
}

#[test]
fn pages_without_a_widget_or_envelope_are_errors() {
    let setup = Setup::new();
    let mut routes = Routes::new();
    routes.insert("/empty".into(), html("<p>No widget here.</p>"));
    routes.insert(
        "/broken".into(),
        html(&format!(
            "<trust-center manifest=\"/gone.json\" public-key=\"{}\"></trust-center>",
            vendor_key(&setup)
        )),
    );
    routes.insert(
        "/nokey".into(),
        html("<trust-center manifest=\"/gone.json\"></trust-center>"),
    );
    let site = Site::start(routes);
    setup
        .cmd()
        .args(["verify", "--page", &site.url("/empty")])
        .assert()
        .code(1)
        .stderr(contains("has no <trust-center> element"));
    setup
        .cmd()
        .args(["verify", "--page", &site.url("/broken")])
        .assert()
        .code(3)
        .stderr(contains("HTTP 404"));
    setup
        .cmd()
        .args(["verify", "--page", &site.url("/nokey")])
        .assert()
        .code(1)
        .stdout(contains(
            "the widget shows a configuration error: the public-key attribute is missing",
        ));
    setup
        .cmd()
        .args(["verify", "--page", &site.url("/missing")])
        .assert()
        .code(3)
        .stderr(contains("cannot download the page"));
    setup
        .cmd()
        .args(["verify", "--page", "file:///etc/passwd"])
        .assert()
        .code(2);
}

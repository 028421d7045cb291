//! Security tests of the intake service that complement `api.rs`: no admin action is reachable over
//! HTTP (admin is the CLI on the database and the signing secret), download-token forgery in many
//! shapes, tokens after revocation or denial, path traversal in raw request paths, JSON bodies and
//! signed tokens, and a corpus of SQL-injection strings stored verbatim. Real service on
//! 127.0.0.1, real SQLite file.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::*;
use serde_json::json;
use trust_intake::token::{mint, TokenClaims};

/// Sends exactly `method path` (no normalisation by a client library) and returns the status and body.
fn raw_request(service: &Service, method: &str, path: &str, body: &str) -> (u16, String) {
    let address = service.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: security-tests/1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn create(service: &Service, email: &str, key: &str) -> String {
    let reply = post(&service.url("/v1/access-requests"), &submission(email, key));
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()["request_id"].as_str().unwrap().to_string()
}

fn never_serves_a_document(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(body);
    !text.contains("%PDF") && !text.contains("must never be served")
}

#[test]
fn no_admin_action_is_reachable_over_http() {
    let service = Service::start(Options::default());
    let id = create(
        &service,
        "admin-probe@prospect.example",
        "key-admin-probe-01",
    );
    let paths = [
        "/admin".to_string(),
        "/admin/requests".into(),
        "/v1/admin".into(),
        "/v1/admin/requests".into(),
        format!("/v1/admin/requests/{id}/approve"),
        "/v1/requests".into(),
        "/v1/access-requests".into(),
        format!("/v1/access-requests/{id}"),
        format!("/v1/access-requests/{id}/approve"),
        format!("/v1/access-requests/{id}/deny"),
        format!("/v1/access-requests/{id}/revoke"),
        format!("/v1/access-requests/{id}/events"),
        format!("/v1/approve/{id}"),
        "/v1/outbox".into(),
        "/v1/audit".into(),
        "/v1/config".into(),
        "/v1/secret".into(),
        "/v1/downloads".into(),
        "/debug".into(),
        "/metrics".into(),
        "/.env".into(),
        "/intake.toml".into(),
        "/data/intake.sqlite".into(),
        "/signing-secret".into(),
    ];
    let approve_body = json!({"status": "approved", "decided_by": "attacker"}).to_string();
    let mut tried = 0;
    for path in &paths {
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let (status, body) = raw_request(&service, method, path, &approve_body);
            tried += 1;
            let allowed = match (method, path.as_str()) {
                // The two public routes, used as designed: create (validation fails on this body)
                // and the status of one request.
                ("POST", "/v1/access-requests") => status == 400,
                ("GET", p) if p == format!("/v1/access-requests/{id}") => status == 200,
                _ => matches!(status, 404 | 405),
            };
            assert!(allowed, "{method} {path} answered {status}: {body}");
            assert!(!body.contains("/v1/downloads/"), "{method} {path}: {body}");
            assert!(!body.contains(SECRET), "{method} {path}: {body}");
            assert!(
                !body.contains("admin-probe@prospect.example"),
                "{method} {path} disclosed the requester's e-mail: {body}"
            );
        }
    }
    assert_eq!(tried, paths.len() * 5);
    // Nothing changed: still pending, only the submission is recorded.
    let shown = service.env.show_json(&id);
    assert_eq!(shown["request"]["status"], "pending");
    assert_eq!(service.env.audit_events(&id), ["submitted"]);
}

#[test]
fn admin_tools_without_the_secret_cannot_issue_working_links() {
    // Someone with a copy of the configuration but another signing secret (no access to the
    // real one) approves the request in their own copy: the link they get does not work.
    let service = Service::start(Options::default());
    let id = create(&service, "copycat@prospect.example", "key-copycat-000001");
    let forged = mint(
        b"a-guessed-secret-that-is-long-enough-0123",
        &TokenClaims {
            request_id: id.clone(),
            document_id: "soc2-type2-2026".into(),
            expires_at: trust_intake::clock::now_secs() + 3600,
        },
    );
    let reply = get(&service.url(&format!("/v1/downloads/{forged}")));
    assert_eq!(reply.status, 403);
    assert!(never_serves_a_document(&reply.body));
    // Even the right secret does not help while the request is not approved.
    let premature = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id.clone(),
            document_id: "soc2-type2-2026".into(),
            expires_at: trust_intake::clock::now_secs() + 3600,
        },
    );
    let reply = get(&service.url(&format!("/v1/downloads/{premature}")));
    assert_eq!(
        reply.status,
        403,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert!(never_serves_a_document(&reply.body));
    // The admin CLI refuses an unknown or malformed id instead of guessing.
    for bad in ["req_", "req_0000", "*", "' OR 1=1 --", "../req_x"] {
        assert!(service.env.admin(&["approve", bad]).is_err(), "{bad}");
    }
}

#[test]
fn forged_download_tokens_are_refused() {
    let service = Service::start(Options::default());
    let id = create(&service, "forger@prospect.example", "key-forger-0000001");
    let genuine = service.approve(&id);
    assert_eq!(
        get(&service.url(&format!("/v1/downloads/{genuine}"))).status,
        200
    );
    let (payload_b64, mac_b64) = genuine.split_once('.').unwrap();
    let mac = URL_SAFE_NO_PAD.decode(mac_b64).unwrap();
    let far = trust_intake::clock::now_secs() + 10 * 365 * 86_400;
    let other_doc = URL_SAFE_NO_PAD.encode(format!("v1\n{id}\niso27001-cert\n{far}"));
    let longer = URL_SAFE_NO_PAD.encode(format!("v1\n{id}\nsoc2-type2-2026\n{far}"));
    let v2 = URL_SAFE_NO_PAD.encode(format!("v2\n{id}\nsoc2-type2-2026\n{far}"));

    let mut forgeries: Vec<String> = vec![
        // No or empty MAC ("alg: none" style).
        payload_b64.to_string(),
        format!("{payload_b64}."),
        format!(".{mac_b64}"),
        ".".into(),
        // Another document, a later expiry or another version with the old MAC.
        format!("{other_doc}.{mac_b64}"),
        format!("{longer}.{mac_b64}"),
        format!("{v2}.{mac_b64}"),
        // The MAC of this token on another payload, and MACs of other lengths.
        format!("{payload_b64}.{}", URL_SAFE_NO_PAD.encode(&mac[..16])),
        format!(
            "{payload_b64}.{}",
            URL_SAFE_NO_PAD.encode([&mac[..], &[0]].concat())
        ),
        format!("{payload_b64}.{}", URL_SAFE_NO_PAD.encode([0u8; 32])),
        format!("{payload_b64}.{}", URL_SAFE_NO_PAD.encode(vec![0xffu8; 32])),
        // Extra parts, other alphabets, padding, case.
        format!("{genuine}.extra"),
        format!("{genuine}="),
        format!("{payload_b64}.{}", STANDARD.encode(&mac)),
        format!(
            "{}.{mac_b64}",
            STANDARD.encode(URL_SAFE_NO_PAD.decode(payload_b64).unwrap())
        ),
        genuine.to_uppercase(),
        genuine.to_lowercase(),
        // Oversized tokens. (A percent-encoded '.' is the same token after URL decoding.)
        format!("{}{genuine}", "A".repeat(600)),
        "A".repeat(5000),
        // Tokens minted with related secrets.
        mint(
            format!("{SECRET} ").as_bytes(),
            &TokenClaims {
                request_id: id.clone(),
                document_id: "soc2-type2-2026".into(),
                expires_at: far,
            },
        ),
        mint(
            &SECRET.as_bytes()[..SECRET.len() - 1],
            &TokenClaims {
                request_id: id.clone(),
                document_id: "soc2-type2-2026".into(),
                expires_at: far,
            },
        ),
        mint(
            b"",
            &TokenClaims {
                request_id: id.clone(),
                document_id: "soc2-type2-2026".into(),
                expires_at: far,
            },
        ),
    ];
    // Every single-character change of the genuine token.
    for position in 0..genuine.len() {
        let mut bytes = genuine.clone().into_bytes();
        bytes[position] = if bytes[position] == b'A' { b'B' } else { b'A' };
        forgeries.push(String::from_utf8(bytes).unwrap());
    }
    let mut refused = 0;
    for forged in &forgeries {
        if forged == &genuine {
            continue;
        }
        let (status, body) = raw_request(&service, "GET", &format!("/v1/downloads/{forged}"), "");
        assert!(
            matches!(status, 400 | 403 | 404 | 410 | 414 | 431),
            "{forged}: {status} {body}"
        );
        assert!(never_serves_a_document(body.as_bytes()), "{forged}");
        refused += 1;
    }
    assert!(refused > genuine.len(), "{refused}");
    // The genuine link still works: the refusals did not lock anything.
    assert_eq!(
        get(&service.url(&format!("/v1/downloads/{genuine}"))).status,
        200
    );
}

#[test]
fn no_token_works_after_revocation_or_denial() {
    let service = Service::start(Options::default());
    let id = create(&service, "revoked@prospect.example", "key-revoked-sec-01");
    let token = service.approve(&id);
    assert_eq!(
        get(&service.url(&format!("/v1/downloads/{token}"))).status,
        200
    );
    service.env.admin(&["revoke", &id]).unwrap();
    // The old link, a freshly minted one with the real secret (as if re-sent), and the same
    // submission replayed with its idempotency key.
    let fresh = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id.clone(),
            document_id: "soc2-type2-2026".into(),
            expires_at: trust_intake::clock::now_secs() + 86_400,
        },
    );
    for link in [&token, &fresh] {
        for _ in 0..3 {
            let reply = get(&service.url(&format!("/v1/downloads/{link}")));
            assert_eq!(reply.status, 403);
            assert!(never_serves_a_document(&reply.body));
        }
    }
    let replay = post(
        &service.url("/v1/access-requests"),
        &submission("revoked@prospect.example", "key-revoked-sec-01"),
    );
    assert_eq!(replay.status, 200);
    assert_ne!(replay.json()["status"], "approved");
    assert_eq!(
        get(&service.url(&format!("/v1/downloads/{token}"))).status,
        403
    );
    assert!(service.env.admin(&["approve", &id]).is_err());

    // A denied request: a correctly signed token for it is refused too.
    let denied = create(&service, "denied@prospect.example", "key-denied-sec-001");
    service.env.admin(&["deny", &denied]).unwrap();
    let for_denied = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: denied,
            document_id: "soc2-type2-2026".into(),
            expires_at: trust_intake::clock::now_secs() + 86_400,
        },
    );
    let reply = get(&service.url(&format!("/v1/downloads/{for_denied}")));
    assert_eq!(reply.status, 403);
    assert!(never_serves_a_document(&reply.body));
}

#[test]
fn path_traversal_in_every_position_is_refused() {
    let service = Service::start(Options::default());
    let traversals = [
        "../outside-secret.txt",
        "..%2foutside-secret.txt",
        "%2e%2e%2foutside-secret.txt",
        "%2e%2e/outside-secret.txt",
        "..%5coutside-secret.txt",
        "..\\outside-secret.txt",
        "....//outside-secret.txt",
        "..;/outside-secret.txt",
        "%c0%ae%c0%ae/outside-secret.txt",
        "\u{ff0e}\u{ff0e}/outside-secret.txt",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "soc2.pdf%00.txt",
        "soc2.pdf\u{0}",
        "docs/soc2.pdf",
        "soc2-type2-2026/../../outside-secret.txt",
        "~/outside-secret.txt",
        "soc2.pdf",
        ".",
        "..",
    ];
    let mut tried = 0;
    // 1. As the document id of a submission.
    for (index, evil) in traversals.iter().enumerate() {
        let mut body = submission("walker@prospect.example", &format!("key-walker-{index:07}"));
        body["document_id"] = json!(evil);
        let reply = post(&service.url("/v1/access-requests"), &body);
        assert_eq!(reply.status, 400, "{evil}");
        assert_eq!(reply.error_fields(), ["document_id"], "{evil}");
        tried += 1;
    }
    // 2. In raw request paths (no client-side normalisation).
    for evil in traversals {
        let path_safe: String = evil
            .chars()
            .map(|c| {
                if c.is_ascii_graphic() {
                    c.to_string()
                } else {
                    format!("%{:02X}", u32::from(c) & 0xff)
                }
            })
            .collect();
        for prefix in [
            "/v1/downloads/",
            "/v1/access-requests/",
            "/",
            "/v1/downloads/x/",
        ] {
            let (status, body) = raw_request(&service, "GET", &format!("{prefix}{path_safe}"), "");
            assert!(
                matches!(status, 400 | 403 | 404 | 405),
                "{prefix}{path_safe}: {status}"
            );
            assert!(
                never_serves_a_document(body.as_bytes()),
                "{prefix}{path_safe}"
            );
            tried += 1;
        }
    }
    // 3. In correctly signed tokens for an approved request.
    let id = create(&service, "walker@prospect.example", "key-walker-approved1");
    service.approve(&id);
    for evil in traversals {
        let token = mint(
            SECRET.as_bytes(),
            &TokenClaims {
                request_id: id.clone(),
                document_id: evil.to_string(),
                expires_at: trust_intake::clock::now_secs() + 3600,
            },
        );
        let reply = get(&service.url(&format!("/v1/downloads/{token}")));
        assert_eq!(reply.status, 403, "{evil}");
        assert!(never_serves_a_document(&reply.body), "{evil}");
        tried += 1;
    }
    assert_eq!(tried, traversals.len() * 6);
}

#[test]
fn sql_injection_corpus_is_stored_as_data() {
    let service = Service::start(Options::default());
    let corpus = [
        "' OR '1'='1",
        "' OR 1=1 --",
        "\" OR \"\"=\"",
        "'; DROP TABLE access_requests; --",
        "'); DELETE FROM audit_events; --",
        "1; UPDATE access_requests SET status='approved'",
        "' UNION SELECT signing_secret FROM config --",
        "admin'--",
        "' OR sleep(5) --",
        "'||(SELECT sqlite_version())||'",
        "x' AND 1=(SELECT COUNT(*) FROM sqlite_master) AND 'a'='a",
        "'; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --",
        "\\'; SELECT 1; --",
        "%27%20OR%201%3D1",
        "' /*comment*/ OR /**/ 1=1",
        "`id`",
        "$(id)",
        "Robert'); DROP TABLE students;--",
        "'; PRAGMA writable_schema=ON; --",
        "' OR ''='",
    ];
    let mut ids = Vec::new();
    for (index, attack) in corpus.iter().enumerate() {
        let mut body = submission(
            &format!("o'sql{index}@prospect.example"),
            &format!("key-sqlcorpus-{index:04}"),
        );
        body["name"] = json!(attack);
        body["company"] = json!(format!("{attack} Ltd"));
        body["reason"] = json!(format!("reason: {attack}"));
        body["nda_version"] = json!(&attack[..attack.len().min(64)]);
        let reply = post(&service.url("/v1/access-requests"), &body);
        assert_eq!(
            reply.status,
            201,
            "{attack}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let id = reply.json()["request_id"].as_str().unwrap().to_string();
        let stored = service.env.show_json(&id)["request"].clone();
        assert_eq!(stored["name"], body["name"], "{attack}");
        assert_eq!(stored["company"], body["company"], "{attack}");
        assert_eq!(stored["reason"], body["reason"], "{attack}");
        assert_eq!(stored["status"], "pending", "{attack}");
        ids.push(id);
    }
    // Every request exists once, none was approved, and the audit trail is intact.
    let listed = service.env.list_json();
    assert_eq!(listed.len(), corpus.len());
    assert!(listed.iter().all(|request| request["status"] == "pending"));
    for id in &ids {
        assert_eq!(service.env.audit_events(id), ["submitted"]);
    }
    // The status endpoint with injection in the id finds nothing.
    for attack in [
        "req_' OR '1'='1",
        "req_%27%20OR%201=1--",
        "req_1;DROP TABLE x",
    ] {
        let (status, _) = raw_request(
            &service,
            "GET",
            &format!("/v1/access-requests/{}", attack.replace(' ', "%20")),
            "",
        );
        assert_eq!(status, 404, "{attack}");
    }
}

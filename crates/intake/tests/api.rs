//! End-to-end tests of the intake HTTP API and admin commands against a real service and SQLite file.

mod common;

use common::*;
use serde_json::{json, Value};
use trust_intake::token::{mint, TokenClaims};

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

/// The download page's button (POST); a GET only shows the page.
fn download(service: &Service, token: &str) -> Reply {
    post_form(&service.url(&format!("/v1/downloads/{token}")))
}

/// The served file is the SOC 2 report stamped for `email`: a PDF whose every page still has its text
/// and now carries the request id (read back with pdftotext).
fn assert_stamped_soc2(body: &[u8], request_id: &str, email: &str) {
    assert!(body.starts_with(b"%PDF-"));
    assert_ne!(body, soc2_pdf().as_slice(), "served unstamped");
    let dir = tempfile::tempdir().unwrap();
    let pages = common::pdf::pdftotext_pages(body, dir.path());
    assert_eq!(pages.len(), 2);
    for page in &pages {
        let flat = page.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(SOC2_PAGE_TEXT), "{flat}");
        assert!(flat.contains(request_id) && flat.contains(email), "{flat}");
    }
}

#[test]
fn request_approve_download_is_audited() {
    let service = Service::start(Options::default());
    assert_eq!(get(&service.url("/healthz")).body, b"ok");

    let reply = post(
        &service.url("/v1/access-requests"),
        &submission("jane.doe@prospect.example", "key-0000000000000001"),
    );
    assert_eq!(reply.status, 201);
    let body = reply.json();
    let id = body["request_id"].as_str().unwrap().to_string();
    assert!(id.starts_with("req_") && id.len() == 36, "{id}");
    assert_eq!(body["status"], "pending");
    assert_eq!(
        body["status_url"],
        json!(service.url(&format!("/v1/access-requests/{id}")))
    );

    let status = get(body["status_url"].as_str().unwrap());
    assert_eq!(status.status, 200);
    assert_eq!(status.json()["status"], "pending");
    assert!(
        status.json().get("email").is_none(),
        "the status endpoint must not leak contact details"
    );

    // Evidence stored with the request.
    let shown = service.env.show_json(&id);
    let request = &shown["request"];
    assert_eq!(request["client_ip"], "127.0.0.1");
    assert_eq!(request["user_agent"], "intake-tests/1");
    assert_eq!(request["nda_version"], "2026-01");
    assert_eq!(
        request["nda_sha256"],
        submission("x@y.example", "k")["nda_sha256"]
    );
    assert!(request["accepted_at"].as_i64().unwrap() > 1_700_000_000);

    // A pending request's link (even a correctly signed one) does not work.
    let early = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id.clone(),
            document_id: "soc2-type2-2026".into(),
            expires_at: i64::MAX / 2,
        },
    );
    let refused = download(&service, &early);
    assert_eq!(
        (refused.status, refused.error_code().as_str()),
        (403, "not_approved")
    );

    let listed = service.env.admin(&["list", "--status", "pending"]).unwrap();
    assert!(
        listed.contains(&id) && listed.contains("jane.doe@prospect.example"),
        "{listed}"
    );

    let token = service.approve(&id);
    assert_eq!(
        get(&service.url(&format!("/v1/access-requests/{id}"))).json()["status"],
        "approved"
    );

    let file = download(&service, &token);
    assert_eq!(file.status, 200);
    assert_stamped_soc2(&file.body, &id, "jane.doe@prospect.example");
    assert_eq!(
        file.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert_eq!(file.header("cache-control").as_deref(), Some("no-store"));
    assert!(file
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));

    let trail = service.env.show_json(&id)["audit"].clone();
    let downloaded: Vec<&Value> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "downloaded")
        .collect();
    assert_eq!(downloaded.len(), 1, "{trail}");
    assert_eq!(downloaded[0]["client_ip"], "127.0.0.1");
    assert!(downloaded[0]["detail"]
        .as_str()
        .unwrap()
        .contains("jane.doe@prospect.example"));
    assert_eq!(
        service.env.audit_events(&id),
        ["submitted", "download_refused", "approved", "downloaded"]
    );

    let text = service.env.admin(&["show", &id]).unwrap();
    assert!(
        text.contains("Audit trail:")
            && text.contains("downloaded")
            && text.contains("admin:tester"),
        "{text}"
    );

    // The approval e-mail with the link sits in the outbox (no [smtp] in this test: it stays queued).
    let outbox: Vec<Value> =
        serde_json::from_str(&service.env.admin(&["outbox", "--json"]).unwrap()).unwrap();
    assert!(outbox.iter().any(|m| m["channel"] == "email"
        && m["recipient"] == "jane.doe@prospect.example"
        && m["body"].as_str().unwrap().contains(&token)));
}

#[test]
fn expired_link_is_gone() {
    let service = Service::start(Options::default());
    let id = create(&service, "a@prospect.example", "key-expired-000001");
    service.approve(&id);
    let past = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id,
            document_id: "soc2-type2-2026".into(),
            expires_at: trust_intake::clock::now_secs() - 1,
        },
    );
    let reply = download(&service, &past);
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (410, "link_expired")
    );
}

#[test]
fn revoked_access_stops_downloads() {
    let service = Service::start(Options::default());
    let id = create(&service, "b@prospect.example", "key-revoked-000001");
    let token = service.approve(&id);
    assert_eq!(download(&service, &token).status, 200);
    let out = service
        .env
        .admin(&["revoke", &id, "--note", "contract ended"])
        .unwrap();
    assert!(out.contains("Revoked"), "{out}");
    let reply = download(&service, &token);
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (403, "access_revoked")
    );
    assert_eq!(
        service.env.audit_events(&id),
        [
            "submitted",
            "approved",
            "downloaded",
            "revoked",
            "download_refused"
        ]
    );
    // Revocation is final.
    let again = service.env.admin(&["approve", &id]).unwrap_err();
    assert!(again.contains("revoked and cannot be approved"), "{again}");
}

#[test]
fn link_for_another_document_is_refused() {
    let service = Service::start(Options::default());
    let id = create(&service, "c@prospect.example", "key-wrongdoc-00001");
    service.approve(&id);
    // Correctly signed, but for a document this request did not ask for.
    let other = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id.clone(),
            document_id: "iso27001-cert".into(),
            expires_at: trust_intake::clock::now_secs() + 3600,
        },
    );
    let reply = download(&service, &other);
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (403, "wrong_document")
    );
    assert_ne!(reply.body, ISO_BYTES);
}

#[test]
fn tampered_or_foreign_links_are_refused() {
    let service = Service::start(Options::default());
    let id = create(&service, "d@prospect.example", "key-tampered-00001");
    let token = service.approve(&id);
    let (payload, mac) = token.split_once('.').unwrap();

    let mut flipped = mac.to_string().into_bytes();
    flipped[0] = if flipped[0] == b'A' { b'B' } else { b'A' };
    let forged_payload =
        base64_url(format!("v1\n{id}\nsoc2-type2-2026\n{}", i64::MAX / 2).as_bytes());
    let other_secret = mint(
        b"some-other-secret-some-other-secret-xx",
        &TokenClaims {
            request_id: id.clone(),
            document_id: "soc2-type2-2026".into(),
            expires_at: i64::MAX / 2,
        },
    );
    for bad in [
        format!("{payload}.{}", String::from_utf8(flipped).unwrap()),
        format!("{forged_payload}.{mac}"),
        other_secret,
        "not-a-token".to_string(),
        format!("{payload}."),
    ] {
        let reply = download(&service, &bad);
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (403, "invalid_link"),
            "{bad}"
        );
    }
    assert_eq!(download(&service, &token).status, 200);
}

fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[test]
fn oversize_body_is_413() {
    let service = Service::start(Options::default());
    let mut body = submission("e@prospect.example", "key-oversize-00001");
    body["reason"] = json!("x".repeat(8000));
    let reply = post(&service.url("/v1/access-requests"), &body);
    assert_eq!(
        (reply.status, reply.error_code().as_str()),
        (413, "too_large")
    );
    assert!(service.env.list_json().is_empty());
}

#[test]
fn missing_nda_acceptance_is_rejected() {
    let service = Service::start(Options::default());
    for accepted in [json!(false), Value::Null] {
        let mut body = submission("f@prospect.example", "key-nda-0000000001");
        body["nda_accepted"] = accepted;
        let reply = post(&service.url("/v1/access-requests"), &body);
        assert_eq!(
            (reply.status, reply.error_code().as_str()),
            (400, "validation_failed")
        );
        assert_eq!(reply.error_fields(), ["nda_accepted"]);
    }
    assert!(service.env.list_json().is_empty());
}

#[test]
fn bad_email_and_other_fields_are_named() {
    let service = Service::start(Options::default());
    let mut body = submission("not-an-email", "short");
    body["nda_sha256"] = json!("abc");
    body.as_object_mut().unwrap().remove("company");
    let reply = post(&service.url("/v1/access-requests"), &body);
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.error_fields(),
        ["company", "email", "nda_sha256", "idempotency_key"]
    );
    let message = reply.json()["error"]["fields"][1]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains("e-mail"), "{message}");

    let not_json = post_raw(&service.url("/v1/access-requests"), "{nope", None);
    assert_eq!(
        (not_json.status, not_json.error_fields()),
        (400, vec!["body".to_string()])
    );

    let form = common::agent()
        .post(&service.url("/v1/access-requests"))
        .content_type("application/x-www-form-urlencoded")
        .send("name=x")
        .unwrap();
    assert_eq!(form.status().as_u16(), 415);
    assert!(service.env.list_json().is_empty());
}

#[test]
fn cors_only_for_configured_origins() {
    let service = Service::start(Options::default());
    let url = service.url("/v1/access-requests");

    let preflight = options(&url, ALLOWED_ORIGIN);
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED_ORIGIN)
    );
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .contains("content-type"));

    let evil_preflight = options(&url, "https://evil.example");
    assert_eq!(
        (evil_preflight.status, evil_preflight.error_code().as_str()),
        (403, "origin_not_allowed")
    );
    assert!(evil_preflight
        .header("access-control-allow-origin")
        .is_none());

    let body = submission("g@prospect.example", "key-cors-000000001").to_string();
    let evil = post_raw(&url, &body, Some("https://evil.example"));
    assert_eq!(
        (evil.status, evil.error_code().as_str()),
        (403, "origin_not_allowed")
    );
    assert!(
        service.env.list_json().is_empty(),
        "a refused origin must not create a request"
    );

    let good = post_raw(&url, &body, Some(ALLOWED_ORIGIN));
    assert_eq!(good.status, 201);
    assert_eq!(
        good.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED_ORIGIN)
    );
}

#[test]
fn rate_limit_answers_429() {
    let service = Service::start(Options {
        burst: 3,
        per_minute: 1,
        ..Options::default()
    });
    let url = service.url("/v1/access-requests");
    for i in 0..3 {
        let reply = post(
            &url,
            &submission("h@prospect.example", &format!("key-rate-00000000{i}")),
        );
        assert_eq!(reply.status, 201);
    }
    let limited = post(
        &url,
        &submission("h@prospect.example", "key-rate-000000009"),
    );
    assert_eq!(
        (limited.status, limited.error_code().as_str()),
        (429, "rate_limited")
    );
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(service.env.list_json().len(), 3);
}

#[test]
fn duplicate_submission_returns_the_same_request() {
    let service = Service::start(Options::default());
    let url = service.url("/v1/access-requests");
    let body = submission("i@prospect.example", "key-duplicate-0001");
    let first = post(&url, &body);
    let second = post(&url, &body);
    assert_eq!((first.status, second.status), (201, 200));
    assert_eq!(first.json(), second.json());
    assert_eq!(service.env.list_json().len(), 1);

    let mut changed = body.clone();
    changed["company"] = json!("Someone Else");
    let conflict = post(&url, &changed);
    assert_eq!(
        (conflict.status, conflict.error_code().as_str()),
        (409, "idempotency_conflict")
    );
    assert_eq!(service.env.list_json().len(), 1);
}

#[test]
fn free_mail_is_blocked() {
    let service = Service::start(Options::default());
    let reply = post(
        &service.url("/v1/access-requests"),
        &submission("someone@gmail.com", "key-freemail-0001"),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_fields(), ["email"]);
    assert!(reply.json()["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("work e-mail"));
    assert!(service.env.list_json().is_empty());
}

#[test]
fn domain_rules_auto_approve_and_deny() {
    let service = Service::start(Options::default());
    let url = service.url("/v1/access-requests");
    let approved = post(
        &url,
        &submission("k@eu.partner.example", "key-autoapprove-01"),
    );
    assert_eq!(
        (approved.status, approved.json()["status"].as_str()),
        (201, Some("approved"))
    );
    let id = approved.json()["request_id"].as_str().unwrap().to_string();

    // The link was queued for the requester's mailbox; it works.
    let outbox: Vec<Value> = serde_json::from_str(
        &service
            .env
            .admin(&["outbox", "--request", &id, "--json"])
            .unwrap(),
    )
    .unwrap();
    let mail = outbox
        .iter()
        .find(|m| m["recipient"] == "k@eu.partner.example")
        .expect("approval e-mail");
    let token = token_from(mail["body"].as_str().unwrap());
    let file = post_form(&service.url(&format!("/v1/downloads/{token}")));
    assert_stamped_soc2(&file.body, &id, "k@eu.partner.example");
    assert_eq!(
        service.env.audit_events(&id),
        ["submitted", "approved", "downloaded"]
    );
    assert_eq!(service.env.show_json(&id)["audit"][1]["actor"], "rules");

    // Without SMTP the vendor can print the same link again; it works and the reissue is audited.
    let again = service.env.admin(&["link", &id, "--by", "tester"]).unwrap();
    assert_eq!(
        post_form(&service.url(&format!("/v1/downloads/{}", token_from(&again)))).status,
        200
    );
    assert_eq!(
        service.env.audit_events(&id),
        [
            "submitted",
            "approved",
            "downloaded",
            "link_reissued",
            "downloaded"
        ]
    );

    let denied = post(&url, &submission("spy@rival.example", "key-denydomain-001"));
    assert_eq!(
        (denied.status, denied.json()["status"].as_str()),
        (201, Some("denied"))
    );
    let denied_id = denied.json()["request_id"].as_str().unwrap().to_string();
    let no_link = service.env.admin(&["link", &denied_id]).unwrap_err();
    assert!(
        no_link.contains("is denied and has no download link"),
        "{no_link}"
    );
}

#[test]
fn path_traversal_in_document_ids_is_refused() {
    let service = Service::start(Options::default());
    let url = service.url("/v1/access-requests");
    for evil in [
        "../outside-secret.txt",
        "../../etc/passwd",
        "..",
        "docs/../soc2.pdf",
        "%2e%2e%2fsecret",
        "soc2.pdf",
    ] {
        let mut body = submission("l@prospect.example", "key-traversal-001");
        body["document_id"] = json!(evil);
        let reply = post(&url, &body);
        assert_eq!(reply.status, 400, "{evil}");
        assert_eq!(reply.error_fields(), ["document_id"], "{evil}");
    }
    // A correctly signed token naming a traversal path is still refused and nothing outside is served.
    let id = create(&service, "l@prospect.example", "key-traversal-ok1");
    service.approve(&id);
    let evil = mint(
        SECRET.as_bytes(),
        &TokenClaims {
            request_id: id,
            document_id: "../outside-secret.txt".into(),
            expires_at: i64::MAX / 2,
        },
    );
    let reply = get(&service.url(&format!("/v1/downloads/{evil}")));
    assert_eq!(reply.status, 403);
    assert!(!String::from_utf8_lossy(&reply.body).contains("must never be served"));
    let encoded = get(&service.url("/v1/downloads/..%2F..%2Foutside-secret.txt"));
    assert_eq!(encoded.status, 403);
}

#[test]
fn sql_injection_strings_are_stored_as_data() {
    let service = Service::start(Options::default());
    let mut body = submission("o'brien@prospect.example", "key-sqlinject-0001");
    body["name"] = json!("Robert'); DROP TABLE access_requests;--");
    body["company"] = json!("' OR '1'='1");
    body["reason"] = json!("\"; DELETE FROM audit_events; --\nsecond line");
    let reply = post(&service.url("/v1/access-requests"), &body);
    assert_eq!(reply.status, 201);
    let id = reply.json()["request_id"].as_str().unwrap().to_string();
    let stored = service.env.show_json(&id)["request"].clone();
    assert_eq!(stored["name"], body["name"]);
    assert_eq!(stored["company"], body["company"]);
    assert_eq!(stored["reason"], body["reason"]);
    assert_eq!(stored["email"], "o'brien@prospect.example");
    assert_eq!(service.env.list_json().len(), 1);
    assert_eq!(service.env.audit_events(&id), ["submitted"]);
    // Ids are checked before any lookup.
    assert_eq!(
        get(&service.url("/v1/access-requests/req_'%20OR%20'1'='1")).status,
        404
    );
    let unknown = service.env.admin(&["show", "req_' OR '1'='1"]).unwrap_err();
    assert!(unknown.contains("there is no request"), "{unknown}");
}

#[test]
fn unknown_routes_and_ids_are_json_404() {
    let service = Service::start(Options::default());
    let missing = get(&service.url("/v1/access-requests/req_00000000000000000000000000000000"));
    assert_eq!(
        (missing.status, missing.error_code().as_str()),
        (404, "not_found")
    );
    assert_eq!(get(&service.url("/nope")).error_code(), "not_found");
}

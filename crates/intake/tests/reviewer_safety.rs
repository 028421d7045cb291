//! Issue 21, what reaches a reviewer and what protects the data: `trustctl requests list/show/outbox`
//! print requester text inert (CR, ESC, bidi overrides in every field), duplicate-key bodies are
//! refused, and the data folder and files are private however they are first created.
mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::{post, post_raw, submission, Options, Service};
use trust_intake::neutralise::is_unsafe_char;
use trust_intake::store::{AccessRequest, AuditEvent, Channel, NewMessage, RequestStatus};
use trust_intake::{SqliteStore, Store};

/// No character that could move the cursor, rewrite a line or reorder text, except line ends.
fn assert_inert(output: &str) {
    for (number, line) in output.lines().enumerate() {
        assert!(
            !line.chars().any(is_unsafe_char),
            "line {number} is not inert: {line:?}"
        );
    }
    assert!(!output.contains('\r'), "{output:?}");
}

/// CR, ESC (a "clear line" sequence), and a right-to-left override, as a requester would combine them.
const HOSTILE: &str = "\r\x1b[2KStatus  approved (by security team)\u{202e}txt.exe\u{2066}";

#[test]
fn show_list_and_outbox_print_hostile_text_inert() {
    let service = Service::start(Options {
        notify_email: Some("security@vendor.example".into()),
        ..Options::default()
    });
    // What validation lets through over HTTP: bidi overrides in text fields, CR in the reason.
    let mut body = submission("j\u{202e}ane@prospect.example", "hostile-terminal-0001");
    body["name"] = "Jane \u{202e}eoD".into();
    body["company"] = "Acme\u{2067} Ltd".into();
    body["reason"] = "due diligence\rStatus       approved".into();
    let reply = post(&service.url("/v1/access-requests"), &body);
    assert_eq!(
        reply.status,
        201,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let via_http = reply.json()["request_id"].as_str().unwrap().to_string();

    // Everything else the store can hold (older rows, other writers): every field hostile.
    let store = SqliteStore::open(&service.env.config().database_path()).unwrap();
    let id = "req_0123456789abcdef0123456789abcdef".to_string();
    let request = AccessRequest {
        id: id.clone(),
        idempotency_key: format!("key{HOSTILE}"),
        fingerprint: format!("fp{HOSTILE}"),
        name: format!("name{HOSTILE}"),
        email: format!("mail{HOSTILE}@x.example"),
        email_domain: format!("x{HOSTILE}.example"),
        company: format!("company{HOSTILE}"),
        reason: Some(format!("reason{HOSTILE}\nsecond line")),
        document_id: format!("doc{HOSTILE}"),
        nda_version: format!("v{HOSTILE}"),
        nda_sha256: format!("sha{HOSTILE}"),
        accepted_at: 1_800_000_000,
        client_ip: format!("ip{HOSTILE}"),
        user_agent: Some(format!("ua{HOSTILE}")),
        status: RequestStatus::Pending,
        decided_by: Some(format!("by{HOSTILE}")),
        decision_note: Some(format!("note{HOSTILE}")),
        decided_at: Some(1_800_000_000),
        access_expires_at: Some(1_900_000_000),
        created_at: 1_800_000_000,
        updated_at: 1_800_000_000,
    };
    let audit = [AuditEvent {
        request_id: id.clone(),
        at: 1_800_000_000,
        event: format!("event{HOSTILE}"),
        actor: format!("actor{HOSTILE}"),
        client_ip: Some(format!("ip{HOSTILE}")),
        detail: Some(format!("detail{HOSTILE}")),
    }];
    let messages = [NewMessage {
        channel: Channel::Email,
        recipient: format!("to{HOSTILE}@x.example"),
        subject: Some(format!("subject{HOSTILE}")),
        body: format!("body{HOSTILE}"),
    }];
    store.create_request(&request, &audit, &messages).unwrap();

    for id in [&id, &via_http] {
        let show = service.env.admin(&["show", id]).unwrap();
        assert_inert(&show);
        // One line per field, none added by a line break in the data.
        let fields = show.split("\n\nAudit trail:").next().unwrap();
        assert!(
            fields
                .lines()
                .all(|l| l.len() > 13 && l.as_bytes()[12] == b' '),
            "{fields}"
        );
    }
    let show = service.env.admin(&["show", &id]).unwrap();
    assert!(
        show.contains(
            "name\\r\\u{1b}[2KStatus  approved (by security team)\\u{202e}txt.exe\\u{2066}"
        ),
        "{show}"
    );
    assert!(show.contains("reason\\r"), "{show}");
    assert!(show.contains("\\nsecond line"), "{show}");
    let via = service.env.admin(&["show", &via_http]).unwrap();
    assert!(via.contains("Name         Jane \\u{202e}eoD"), "{via}");
    assert!(
        via.contains("Reason       due diligence\\rStatus       approved"),
        "{via}"
    );

    let list = service.env.admin(&["list"]).unwrap();
    assert_inert(&list);
    assert_eq!(list.lines().count(), 3, "{list}");
    let outbox = service.env.admin(&["outbox"]).unwrap();
    assert_inert(&outbox);
    assert!(outbox.contains("subject\\r\\u{1b}[2K"), "{outbox}");
    // JSON output stays exact (escaped by the JSON encoder, not altered).
    let json = service.env.show_json(&id);
    assert_eq!(json["request"]["name"], format!("name{HOSTILE}"));
}

#[test]
fn duplicate_keys_are_refused_whichever_copy_comes_last() {
    let service = Service::start(Options::default());
    let url = service.url("/v1/access-requests");
    let good = submission("jane@prospect.example", "duplicate-keys-0001").to_string();
    let cases = [
        ("\"nda_accepted\": false, ", "nda_accepted"),
        ("\"nda_accepted\": true, ", "nda_accepted"),
        ("\"email\": \"ceo@partner.example\", ", "email"),
        ("\"document_id\": \"iso27001-cert\", ", "document_id"),
        ("\"n\\u0061me\": \"Mallory\", ", "name"),
    ];
    for (extra, field) in cases {
        let body = good.replacen('{', &format!("{{{extra}"), 1);
        let reply = post_raw(&url, &body, None);
        assert_eq!(reply.status, 400, "{body}");
        assert_eq!(reply.error_fields(), vec![field.to_string()], "{body}");
        let message = reply.json()["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(message.contains("more than once"), "{message}");
    }
    assert!(service.env.list_json().is_empty(), "nothing stored");
    // The same body without the duplicate is accepted.
    assert_eq!(post_raw(&url, &good, None).status, 201);
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn data_folder_is_0700_and_files_0600_with_a_generated_secret() {
    assert!(std::env::var_os("TRUST_INTAKE_SIGNING_SECRET").is_none());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/soc2.pdf"), common::soc2_pdf()).unwrap();
    let config_path = dir.path().join("intake.toml");
    // No signing_secret: the secret is generated, which creates the data folder first; the database
    // lives in a second, separate folder.
    std::fs::write(
        &config_path,
        "listen = \"127.0.0.1:0\"\ndata_dir = \"state/data\"\ndatabase = \"db/requests/intake.sqlite3\"\n\
         [documents]\nfolder = \"docs\"\n[documents.files]\nsoc2-type2-2026 = \"soc2.pdf\"\n",
    )
    .unwrap();
    let config = trust_intake::Config::load(&config_path).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(trust_intake::start(config)).unwrap();
    let url = format!("http://{}/v1/access-requests", server.local_addr());
    let reply = post(
        &url,
        &submission("jane@prospect.example", "permissions-test-0001"),
    );
    assert_eq!(reply.status, 201);
    runtime.block_on(server.shutdown()).unwrap();

    for folder in ["state", "state/data", "db", "db/requests"] {
        assert_eq!(mode(&dir.path().join(folder)), 0o700, "{folder}");
    }
    assert_eq!(mode(&dir.path().join("state/data/signing-secret")), 0o600);
    for file in ["intake.sqlite3", "intake.sqlite3-wal", "intake.sqlite3-shm"] {
        let path = dir.path().join("db/requests").join(file);
        if file == "intake.sqlite3" || path.exists() {
            assert_eq!(mode(&path), 0o600, "{file}");
        }
    }
}

//! Erasing an NDA requester (GDPR Art. 17, `trustctl requests erase`) in the store and through the
//! workflow, on a real SQLite file and on a fresh database of the PostgreSQL cluster
//! (TEST_POSTGRES_URL; required when CI=true): refused while pending and while access runs, `--revoke`
//! revokes first; afterwards the name, address, IP and user agent are in no row (and on SQLite in no
//! byte of the file or its log), the queued e-mail is cancelled and never due, the decisions stay in
//! the audit trail, a second erasure changes nothing and an unknown id is not found.

#[path = "support/postgres.rs"]
mod pg;

use std::sync::Arc;

use trust_intake::clock::now_secs;
use trust_intake::error::IntakeError;
use trust_intake::store::postgres::PostgresSettings;
use trust_intake::store::subscriptions::OldCopies;
use trust_intake::store::{
    AccessRequest, AuditEvent, Channel, CreateOutcome, Database, NewMessage, RequestStatus, Store,
};
use trust_intake::workflow;

const NAME: &str = "Rhiannon Erasewell";
const EMAIL: &str = "rhiannon.erasewell@tinyco.example";
const COMPANY: &str = "Tinyco Erasewell Ltd";
const IP: &str = "203.0.113.99";
const AGENT: &str = "rhiannon-browser/9.9";
const REASON: &str = "Rhiannon's vendor review";

struct Engine {
    label: &'static str,
    database: Database,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

fn engines(label: &str) -> Vec<Engine> {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::Sqlite(dir.path().join("intake.sqlite3"));
    let (store, _) = database.open_stores().unwrap();
    let mut all = vec![Engine {
        label: "sqlite",
        database,
        store,
        _dir: dir,
    }];
    if let Some(url) = pg::fresh_database(label) {
        let database = Database::Postgres {
            url,
            settings: PostgresSettings::default(),
        };
        let (store, _) = database.open_stores().unwrap();
        all.push(Engine {
            label: "postgres",
            database,
            store,
            _dir: tempfile::tempdir().unwrap(),
        });
    }
    all
}

/// Stores a pending request of the requester above, with its receipt e-mail queued.
fn submit(store: &dyn Store, id: &str, now: i64) -> AccessRequest {
    let request = AccessRequest {
        id: id.into(),
        idempotency_key: format!("key-{id}"),
        fingerprint: "f".repeat(64),
        name: NAME.into(),
        email: EMAIL.into(),
        email_domain: "tinyco.example".into(),
        company: COMPANY.into(),
        reason: Some(REASON.into()),
        document_id: "soc2".into(),
        nda_version: "2026-01".into(),
        nda_sha256: "a".repeat(64),
        accepted_at: now,
        client_ip: IP.into(),
        user_agent: Some(AGENT.into()),
        status: RequestStatus::Pending,
        decided_by: None,
        decision_note: None,
        decided_at: None,
        access_expires_at: None,
        created_at: now,
        updated_at: now,
    };
    let audit = [AuditEvent {
        request_id: id.into(),
        at: now,
        event: "submitted".into(),
        actor: "requester".into(),
        client_ip: Some(IP.into()),
        detail: Some("NDA 2026-01 accepted (sha256 aaaa)".into()),
    }];
    let receipt = NewMessage {
        channel: Channel::Email,
        recipient: EMAIL.into(),
        subject: Some(format!("Your request, {NAME}")),
        body: format!("Dear {NAME} <{EMAIL}>"),
    };
    match store.create_request(&request, &audit, &[receipt]).unwrap() {
        CreateOutcome::Created(created) => created,
        other => panic!("not created: {other:?}"),
    }
}

fn approve(store: &dyn Store, id: &str, until: i64) {
    store
        .decide(
            id,
            &trust_intake::store::Decision {
                status: RequestStatus::Approved,
                actor: "admin:reviewer".into(),
                note: Some(format!("ok for {NAME}")),
                access_expires_at: Some(until),
                at: now_secs(),
                messages: vec![NewMessage {
                    channel: Channel::Email,
                    recipient: EMAIL.into(),
                    subject: Some("Your link".into()),
                    body: format!("Hello {NAME}, https://trust.example/v1/downloads/tok"),
                }],
            },
        )
        .unwrap();
}

/// A download as the HTTP handler records it.
fn download(store: &dyn Store, id: &str) {
    store
        .record_audit(&AuditEvent {
            request_id: id.into(),
            at: now_secs(),
            event: "downloaded".into(),
            actor: "requester".into(),
            client_ip: Some(IP.into()),
            detail: Some(format!(
                "document soc2 (10 bytes, watermarked from 9 bytes, sha256 {}) by {EMAIL}; user agent: {AGENT}",
                "b".repeat(64)
            )),
        })
        .unwrap();
}

fn every_row_text(database: &Database) -> String {
    match database {
        Database::Sqlite(path) => {
            let connection = rusqlite::Connection::open(path).unwrap();
            let mut text = String::new();
            for table in ["access_requests", "audit_events", "outbox"] {
                let mut statement = connection
                    .prepare(&format!("SELECT * FROM {table}"))
                    .unwrap();
                let columns = statement.column_count();
                let mut rows = statement.query([]).unwrap();
                while let Some(row) = rows.next().unwrap() {
                    for i in 0..columns {
                        if let Ok(value) = row.get::<_, Option<String>>(i) {
                            text.push_str(&value.unwrap_or_default());
                            text.push('|');
                        }
                    }
                    text.push('\n');
                }
            }
            text
        }
        Database::Postgres { url, .. } => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            let mut text = String::new();
            for table in ["access_requests", "audit_events", "outbox"] {
                for row in client
                    .query(&format!("SELECT t::text FROM {table} t"), &[])
                    .unwrap()
                {
                    text.push_str(&row.get::<_, String>(0));
                    text.push('\n');
                }
            }
            text
        }
    }
}

fn sqlite_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        if let Ok(content) = std::fs::read(format!("{}{suffix}", path.display())) {
            bytes.extend(content.to_ascii_lowercase());
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.to_lowercase().into_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

const TRACES: [&str; 6] = [NAME, EMAIL, COMPANY, IP, AGENT, "tinyco"];

#[test]
fn erasing_a_requester_scrubs_every_copy_cancels_the_mail_and_keeps_the_decisions_on_both_engines()
{
    for engine in engines("request_erasure") {
        let label = engine.label;
        let store = engine.store.as_ref();
        let now = now_secs();
        let id = "req_0123456789abcdef0123456789abcdef";
        submit(store, id, now);
        // A bystander's request stays as it is.
        let other = "req_ffffffffffffffffffffffffffffffff";
        submit(store, other, now);

        // Pending: refused, with or without --revoke.
        for revoke in [false, true] {
            let refused = workflow::erase(store, id, revoke, "admin:reviewer").unwrap_err();
            assert!(
                matches!(&refused, IntakeError::InvalidAction(m) if m.contains("pending")),
                "{label}: {refused}"
            );
        }
        approve(store, id, now + 86_400);
        download(store, id);

        // Access running: refused without --revoke; nothing changed.
        let refused = workflow::erase(store, id, false, "admin:reviewer").unwrap_err();
        assert!(
            matches!(&refused, IntakeError::InvalidAction(m) if m.contains("--revoke")),
            "{label}: {refused}"
        );
        assert_eq!(store.get_request(id).unwrap().unwrap().email, EMAIL);

        // --revoke: revoked through the workflow, then erased.
        let (revoked, report) = workflow::erase(store, id, true, "admin:reviewer").unwrap();
        assert!(revoked, "{label}");
        assert!(report.erased_now, "{label}");
        // The receipt and the link e-mail were never sent: both cancelled.
        assert_eq!(report.messages_cancelled, 2, "{label}");
        assert_eq!(report.messages_scrubbed, 2, "{label}");
        assert_eq!(
            report.old_copies,
            if label == "sqlite" {
                OldCopies::Purged
            } else {
                OldCopies::LeftToVacuum
            },
            "{label}"
        );

        let erased = store.get_request(id).unwrap().unwrap();
        assert!(erased.is_erased(), "{label}");
        assert_eq!(erased.status, RequestStatus::Revoked, "{label}");
        assert_eq!(
            (
                erased.name.as_str(),
                erased.company.as_str(),
                erased.email_domain.as_str()
            ),
            ("", "", ""),
            "{label}"
        );
        assert_eq!(erased.reason, None, "{label}");
        assert_eq!(
            (erased.client_ip.as_str(), erased.user_agent.as_deref()),
            ("", None)
        );
        assert_eq!(erased.fingerprint, "", "{label}");
        assert_eq!(erased.decision_note, None, "{label}");
        // The vendor's evidence stays.
        assert_eq!(erased.nda_version, "2026-01");
        assert_eq!(erased.nda_sha256, "a".repeat(64));
        assert_eq!(erased.accepted_at, now);
        assert_eq!(erased.decided_by.as_deref(), Some("admin:reviewer"));
        assert!(erased.decided_at.is_some());

        let trail = store.audit_trail(id).unwrap();
        let events: Vec<&str> = trail.iter().map(|e| e.event.as_str()).collect();
        assert_eq!(
            events,
            ["submitted", "approved", "downloaded", "revoked", "erased"],
            "{label}"
        );
        assert!(trail.iter().all(|e| e.client_ip.is_none()), "{label}");
        assert_eq!(
            trail[2].detail.as_deref(),
            Some(
                format!(
                    "document soc2 (10 bytes, watermarked from 9 bytes, sha256 {})",
                    "b".repeat(64)
                )
                .as_str()
            ),
            "{label}: the copy's hash stays for tracing"
        );
        assert_eq!(
            trail[1].detail, None,
            "{label}: the reviewer's note named her"
        );
        assert_eq!(
            (trail[4].actor.as_str(), &trail[4].detail),
            ("system", &None)
        );

        // No e-mail of hers is due, ever; the rows hold nothing of her.
        let due = store
            .due_messages(Channel::Email, i64::MAX / 2, 100)
            .unwrap();
        assert!(
            due.iter().all(|m| m.request_id.as_deref() != Some(id)),
            "{label}"
        );
        for message in store.outbox(Some(id), 100).unwrap() {
            assert_eq!(message.status, "cancelled", "{label}");
            assert_eq!(
                (message.recipient.as_str(), message.body.as_str()),
                ("", "")
            );
            assert_eq!(message.subject, None);
        }
        // A late delivery report does not resurrect the message.
        let first = store.outbox(Some(id), 1).unwrap()[0].id;
        store
            .mark_attempt_failed(first, &format!("550 {EMAIL} unknown"), Some(0))
            .unwrap();
        assert_eq!(store.outbox(Some(id), 1).unwrap()[0].status, "cancelled");

        // The bystander (the same test data, still pending) is untouched and cannot be erased.
        let theirs = store.get_request(other).unwrap().unwrap();
        assert_eq!(
            theirs.email, EMAIL,
            "{label}: the other request is untouched"
        );
        store.erase_request(other, now_secs()).unwrap_err();

        // Twice: a no-op.
        let (revoked, again) = workflow::erase(store, id, true, "admin:reviewer").unwrap();
        assert!(!revoked && !again.erased_now, "{label}");
        assert_eq!(store.audit_trail(id).unwrap().len(), 5, "{label}");

        // Unknown id.
        let missing = workflow::erase(store, "req_nope\u{202e}", false, "admin:x").unwrap_err();
        assert!(
            matches!(&missing, IntakeError::NotFound(m) if m.contains("\\u{202e}")),
            "{label}: {missing}"
        );
    }
}

#[test]
fn after_erasure_no_byte_of_the_sqlite_file_or_any_row_names_the_requester_on_both_engines() {
    for engine in engines("request_erasure_bytes") {
        let label = engine.label;
        let store = engine.store.as_ref();
        let now = now_secs();
        let id = "req_00000000000000000000000000000001";
        submit(store, id, now);
        // Denied: no access to end, so no --revoke needed.
        store
            .decide(
                id,
                &trust_intake::store::Decision {
                    status: RequestStatus::Denied,
                    actor: "rules".into(),
                    note: Some("domain tinyco.example is on the deny list".into()),
                    access_expires_at: None,
                    at: now,
                    messages: Vec::new(),
                },
            )
            .unwrap();
        let (revoked, report) = workflow::erase(store, id, false, "admin:reviewer").unwrap();
        assert!(!revoked && report.erased_now, "{label}");
        let text = every_row_text(&engine.database).to_lowercase();
        for trace in TRACES {
            assert!(
                !text.contains(&trace.to_lowercase()),
                "{label}: {trace} is still in a row:\n{text}"
            );
        }
        if let Database::Sqlite(path) = &engine.database {
            let bytes = sqlite_bytes(path);
            for trace in TRACES {
                assert!(!contains(&bytes, trace), "{trace} is still in the file");
            }
        }
    }
}

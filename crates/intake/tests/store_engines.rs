//! The same store test suite on both engines: a real SQLite file in a temp dir, and a fresh database on
//! the PostgreSQL cluster of scripts/test.sh (TEST_POSTGRES_URL; required when CI=true).
//!
//! Covers the `Store` trait (idempotency, decisions, audit, outbox, claims), the migrations (version,
//! refusal of a newer database), the console's queries, and `trustctl db copy`.

#[path = "support/postgres.rs"]
mod pg;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use trust_intake::console::db::{ConsoleDb, InboxFilter};
use trust_intake::db_cli::{run_db_to, DbArgs};
use trust_intake::store::copy::{self, schema_version};
use trust_intake::store::migrations;
use trust_intake::store::postgres::PostgresSettings;
use trust_intake::store::{
    AccessRequest, AuditEvent, Channel, CreateOutcome, Database, Decision, NewMessage,
    RequestStatus, Store,
};
use trust_intake::IntakeError;

/// One engine under test, with what keeps it alive.
struct Engine {
    label: &'static str,
    database: Database,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

fn settings() -> PostgresSettings {
    PostgresSettings {
        claim_lease_secs: 60,
        ..PostgresSettings::default()
    }
}

fn sqlite_engine() -> Engine {
    let dir = tempfile::tempdir().unwrap();
    let database = Database::Sqlite(dir.path().join("intake.sqlite3"));
    Engine {
        label: "sqlite",
        store: database.open_store().unwrap(),
        database,
        _dir: dir,
    }
}

fn postgres_engine(label: &str) -> Option<Engine> {
    let url = pg::fresh_database(label)?;
    let database = Database::Postgres {
        url,
        settings: settings(),
    };
    Some(Engine {
        label: "postgres",
        store: database.open_store().unwrap(),
        database,
        _dir: tempfile::tempdir().unwrap(),
    })
}

/// SQLite, and PostgreSQL when the cluster is there.
fn engines(label: &str) -> Vec<Engine> {
    let mut all = vec![sqlite_engine()];
    all.extend(postgres_engine(label));
    all
}

fn request(id: &str, key: &str, fingerprint: &str, created_at: i64) -> AccessRequest {
    AccessRequest {
        id: id.into(),
        idempotency_key: key.into(),
        fingerprint: fingerprint.into(),
        name: "Jane O'Doe".into(),
        email: format!("jane+{id}@prospect.example"),
        email_domain: "prospect.example".into(),
        company: "Prospect 50%_Inc".into(),
        reason: None,
        document_id: "soc2-type2-2025".into(),
        nda_version: "2025-01".into(),
        nda_sha256: "ab".repeat(32),
        accepted_at: created_at,
        client_ip: "127.0.0.1".into(),
        user_agent: Some("tests".into()),
        status: RequestStatus::Pending,
        decided_by: None,
        decision_note: None,
        decided_at: None,
        access_expires_at: None,
        created_at,
        updated_at: created_at,
    }
}

fn submitted(id: &str, at: i64) -> AuditEvent {
    AuditEvent {
        request_id: id.into(),
        at,
        event: "submitted".into(),
        actor: "requester".into(),
        client_ip: Some("127.0.0.1".into()),
        detail: None,
    }
}

fn email(to: &str) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: to.into(),
        subject: Some("Your request".into()),
        body: "{}".into(),
    }
}

fn create(store: &dyn Store, id: &str, key: &str, at: i64) -> CreateOutcome {
    store
        .create_request(
            &request(id, key, "fp", at),
            &[submitted(id, at)],
            &[email("jane@prospect.example")],
        )
        .unwrap()
}

#[test]
fn idempotency_key_replays_or_conflicts_on_both_engines() {
    for engine in engines("idem") {
        let store = engine.store.as_ref();
        let created = create(store, "req_a", "key-a", 100);
        assert!(
            matches!(created, CreateOutcome::Created(_)),
            "{}",
            engine.label
        );
        match create(store, "req_other", "key-a", 101) {
            CreateOutcome::Replayed(original) => {
                assert_eq!(original.id, "req_a", "{}", engine.label)
            }
            other => panic!("{}: expected a replay, got {other:?}", engine.label),
        }
        let different = store
            .create_request(&request("req_x", "key-a", "other-fp", 102), &[], &[])
            .unwrap();
        assert_eq!(different, CreateOutcome::KeyConflict, "{}", engine.label);
        let all = store.list_requests(None, 10).unwrap();
        assert_eq!(all.len(), 1, "{}", engine.label);
        assert_eq!(
            store.outbox(Some("req_a"), 10).unwrap().len(),
            1,
            "{}",
            engine.label
        );
        assert_eq!(
            store.audit_trail("req_a").unwrap().len(),
            1,
            "{}",
            engine.label
        );
        assert!(store.get_request("req_missing").unwrap().is_none());
    }
}

#[test]
fn concurrent_retries_with_one_key_make_one_row() {
    for engine in engines("race") {
        let threads = 8;
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let store = engine.store.clone();
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    let id = format!("req_t{i}");
                    store
                        .create_request(
                            &request(&id, "shared-key", "fp", 200),
                            &[submitted(&id, 200)],
                            &[email("a@b.example")],
                        )
                        .unwrap()
                })
            })
            .collect();
        let outcomes: Vec<CreateOutcome> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let created: Vec<_> = outcomes
            .iter()
            .filter_map(|o| match o {
                CreateOutcome::Created(r) => Some(r.id.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(created.len(), 1, "{}: {outcomes:?}", engine.label);
        for outcome in &outcomes {
            match outcome {
                CreateOutcome::Created(r) | CreateOutcome::Replayed(r) => {
                    assert_eq!(r.id, created[0], "{}", engine.label)
                }
                CreateOutcome::KeyConflict => {
                    panic!("{}: conflict for the same fingerprint", engine.label)
                }
            }
        }
        assert_eq!(engine.store.list_requests(None, 100).unwrap().len(), 1);
        assert_eq!(
            engine.store.outbox(None, 100).unwrap().len(),
            1,
            "{}",
            engine.label
        );
    }
}

#[test]
fn decisions_follow_the_state_machine_with_audit_and_outbox() {
    for engine in engines("decide") {
        let store = engine.store.as_ref();
        create(store, "req_d", "key-d", 300);
        let approve = Decision {
            status: RequestStatus::Approved,
            actor: "admin:alice".into(),
            note: Some("ok".into()),
            access_expires_at: Some(9_000),
            at: 310,
            messages: vec![email("jane@prospect.example")],
        };
        let approved = store.decide("req_d", &approve).unwrap();
        assert_eq!(approved.status, RequestStatus::Approved, "{}", engine.label);
        assert_eq!(approved.access_expires_at, Some(9_000));
        assert_eq!(approved.decided_by.as_deref(), Some("admin:alice"));
        // Approved cannot be denied.
        let deny = Decision {
            status: RequestStatus::Denied,
            messages: vec![],
            ..approve.clone()
        };
        assert!(matches!(
            store.decide("req_d", &deny),
            Err(IntakeError::InvalidAction(_))
        ));
        assert!(matches!(
            store.decide("req_nope", &approve),
            Err(IntakeError::NotFound(_))
        ));
        let event = AuditEvent {
            event: "access_extended".into(),
            actor: "admin:alice".into(),
            at: 320,
            ..submitted("req_d", 320)
        };
        let extended = store
            .extend_access("req_d", 12_000, &event, &[email("jane@prospect.example")])
            .unwrap();
        assert_eq!(extended.access_expires_at, Some(12_000), "{}", engine.label);
        assert_eq!(extended.updated_at, 320);
        store
            .record_with_messages(
                &AuditEvent {
                    event: "link_resent".into(),
                    at: 330,
                    ..event.clone()
                },
                &[email("jane@prospect.example")],
            )
            .unwrap();
        store
            .record_audit(&AuditEvent {
                event: "downloaded".into(),
                at: 340,
                ..event.clone()
            })
            .unwrap();
        let trail: Vec<String> = store
            .audit_trail("req_d")
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(
            trail,
            [
                "submitted",
                "approved",
                "access_extended",
                "link_resent",
                "downloaded"
            ],
            "{}",
            engine.label
        );
        assert_eq!(
            store.outbox(Some("req_d"), 10).unwrap().len(),
            4,
            "{}",
            engine.label
        );
        let revoke = Decision {
            status: RequestStatus::Revoked,
            messages: vec![],
            ..approve
        };
        assert_eq!(
            store.decide("req_d", &revoke).unwrap().status,
            RequestStatus::Revoked
        );
        assert!(matches!(
            store.extend_access("req_d", 1, &event, &[]),
            Err(IntakeError::InvalidAction(_))
        ));
        assert_eq!(
            store
                .list_requests(Some(RequestStatus::Revoked), 10)
                .unwrap()
                .len(),
            1,
            "{}",
            engine.label
        );
        assert!(store
            .list_requests(Some(RequestStatus::Pending), 10)
            .unwrap()
            .is_empty());
    }
}

#[test]
fn newest_first_keeps_insertion_order_for_ties() {
    for engine in engines("order") {
        for i in 0..5 {
            create(
                engine.store.as_ref(),
                &format!("req_z{i}"),
                &format!("k{i}"),
                500,
            );
        }
        let ids: Vec<String> = engine
            .store
            .list_requests(None, 10)
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(
            ids,
            ["req_z4", "req_z3", "req_z2", "req_z1", "req_z0"],
            "{}",
            engine.label
        );
    }
}

#[test]
fn outbox_delivery_and_retries() {
    for engine in engines("outbox") {
        let store = engine.store.as_ref();
        create(store, "req_o1", "ko1", 10);
        create(store, "req_o2", "ko2", 11);
        let due = store.due_messages(Channel::Email, 20_000, 10).unwrap();
        assert_eq!(due.len(), 2, "{}", engine.label);
        assert!(store
            .due_messages(Channel::Webhook, 20_000, 10)
            .unwrap()
            .is_empty());
        store.mark_delivered(due[0].id, 21).unwrap();
        store
            .mark_attempt_failed(due[1].id, "421 try later", Some(30_000))
            .unwrap();
        assert!(
            store
                .due_messages(Channel::Email, 29_999, 10)
                .unwrap()
                .is_empty(),
            "{}",
            engine.label
        );
        let retry = store.due_messages(Channel::Email, 30_000, 10).unwrap();
        assert_eq!(retry.len(), 1, "{}", engine.label);
        assert_eq!(retry[0].attempts, 1);
        assert_eq!(retry[0].last_error.as_deref(), Some("421 try later"));
        store
            .mark_attempt_failed(retry[0].id, "550 no", None)
            .unwrap();
        let all = store.outbox(None, 10).unwrap();
        let statuses: Vec<&str> = all.iter().map(|m| m.status.as_str()).collect();
        assert_eq!(statuses, ["failed", "delivered"], "{}", engine.label);
        assert!(store
            .due_messages(Channel::Email, i64::MAX / 2, 10)
            .unwrap()
            .is_empty());
    }
}

#[test]
fn postgres_claims_are_exclusive_until_the_lease_ends() {
    let Some(engine) = postgres_engine("claims") else {
        return;
    };
    let store = engine.store.as_ref();
    for i in 0..6 {
        create(store, &format!("req_c{i}"), &format!("kc{i}"), 10);
    }
    let now = 20_000;
    // A second instance (its own pool) claims concurrently: the two sets never overlap.
    let other = engine.database.open_store().unwrap();
    let first = store.due_messages(Channel::Email, now, 4).unwrap();
    let second = other.due_messages(Channel::Email, now, 10).unwrap();
    assert_eq!(first.len(), 4);
    assert_eq!(second.len(), 2);
    let mut ids: Vec<i64> = first.iter().chain(&second).map(|m| m.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 6, "a message was claimed twice");
    assert!(store
        .due_messages(Channel::Email, now, 10)
        .unwrap()
        .is_empty());
    // A failed attempt releases the claim at once (for its retry time); a delivered one is done.
    store
        .mark_attempt_failed(first[0].id, "421", Some(now))
        .unwrap();
    store.mark_delivered(first[1].id, 30).unwrap();
    let again = other.due_messages(Channel::Email, now, 10).unwrap();
    assert_eq!(
        again.iter().map(|m| m.id).collect::<Vec<_>>(),
        [first[0].id]
    );
    // Claimers that crashed: all five outstanding claims (ids 1 and 3-6) come back after the lease
    // (60 s in these settings), not before.
    let lease_end = now + 60_000;
    assert!(other
        .due_messages(Channel::Email, lease_end - 1, 10)
        .unwrap()
        .is_empty());
    let reclaimed = other.due_messages(Channel::Email, lease_end, 10).unwrap();
    let mut reclaimed_ids: Vec<i64> = reclaimed.iter().map(|m| m.id).collect();
    reclaimed_ids.sort_unstable();
    let mut outstanding: Vec<i64> = first
        .iter()
        .chain(&second)
        .map(|m| m.id)
        .filter(|id| *id != first[1].id)
        .collect();
    outstanding.sort_unstable();
    assert_eq!(reclaimed_ids, outstanding);
    // Many claimers at once: every message exactly once.
    for i in 0..40 {
        create(store, &format!("req_m{i}"), &format!("km{i}"), 10);
    }
    let later = lease_end + 1_000_000;
    let claimers: Vec<_> = (0..4)
        .map(|_| {
            let db = engine.database.open_store().unwrap();
            std::thread::spawn(move || {
                let mut mine = Vec::new();
                loop {
                    let batch = db.due_messages(Channel::Email, later, 3).unwrap();
                    if batch.is_empty() {
                        return mine;
                    }
                    mine.extend(batch.iter().map(|m| m.id));
                }
            })
        })
        .collect();
    let mut claimed: Vec<i64> = claimers
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    let total = claimed.len();
    claimed.sort_unstable();
    claimed.dedup();
    assert_eq!(
        claimed.len(),
        total,
        "some message was claimed by two claimers"
    );
    assert_eq!(
        total, 45,
        "the 40 new messages and the 5 reclaimed ones (claimed at `later`)"
    );
}

#[test]
fn migrations_record_the_version_and_refuse_a_newer_database() {
    for engine in engines("migrate") {
        assert_eq!(
            schema_version(&engine.database).unwrap(),
            migrations::latest(),
            "{}",
            engine.label
        );
        // Opening again applies nothing and keeps the data.
        create(engine.store.as_ref(), "req_m", "km", 1);
        let again = engine.database.open_store().unwrap();
        assert!(again.get_request("req_m").unwrap().is_some());
        match &engine.database {
            Database::Sqlite(path) => {
                let connection = rusqlite::Connection::open(path).unwrap();
                connection.execute_batch("PRAGMA user_version = 99").unwrap();
            }
            Database::Postgres { url, .. } => pg::sql(
                url,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)",
            ),
        }
        let refused = engine
            .database
            .open_store()
            .err()
            .expect("a newer schema must be refused");
        assert!(
            refused.to_string().contains("version 99"),
            "{}: {refused}",
            engine.label
        );
    }
}

#[test]
fn postgres_instances_starting_together_migrate_once() {
    let Some(url) = pg::fresh_database("startup") else {
        return;
    };
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                Database::Postgres {
                    url,
                    settings: settings(),
                }
                .open_store()
                .map(|_| ())
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap().unwrap();
    }
    assert_eq!(
        pg::number(&url, "SELECT COUNT(*) FROM schema_migrations"),
        migrations::latest()
    );
}

#[test]
fn console_queries_work_on_both_engines() {
    for engine in engines("console") {
        let store = engine.store.as_ref();
        create(store, "req_k1", "kk1", 1_700_000_000);
        create(store, "req_k2", "kk2", 1_700_000_100);
        store
            .decide(
                "req_k1",
                &Decision {
                    status: RequestStatus::Approved,
                    actor: "reviewer:alice".into(),
                    note: None,
                    access_expires_at: Some(1_800_000_000),
                    at: 1_700_000_600,
                    messages: vec![],
                },
            )
            .unwrap();
        let db = ConsoleDb::open_database(&engine.database).unwrap();
        let alice = db.add_reviewer("r-1", "alice", 5).unwrap();
        assert!(
            db.add_reviewer("r-2", "alice", 6).is_err(),
            "{}",
            engine.label
        );
        db.create_enrolment(&alice.id, "tok", 5, 100).unwrap();
        assert_eq!(
            db.enrolment_reviewer("tok", 50).unwrap(),
            Some(alice.clone())
        );
        assert!(db.enrolment_reviewer("tok", 100).unwrap().is_none());
        assert!(db
            .complete_enrolment("tok", &alice.id, "cred-1", "{\"k\":1}", 60)
            .unwrap());
        assert!(!db
            .complete_enrolment("tok", &alice.id, "cred-2", "{}", 61)
            .unwrap());
        assert_eq!(db.passkeys(&alice.id).unwrap(), ["{\"k\":1}"]);
        db.update_passkey("cred-1", "{\"k\":2}", 70).unwrap();
        assert_eq!(db.passkeys(&alice.id).unwrap(), ["{\"k\":2}"]);
        db.create_session("s1", &alice.id, "csrf", 80, "127.0.0.1")
            .unwrap();
        db.create_session("s2", &alice.id, "csrf2", 80, "127.0.0.1")
            .unwrap();
        db.touch_session("s1", 90).unwrap();
        assert_eq!(db.session("s1").unwrap().unwrap().last_seen_at, 90);
        let summary = db.reviewers().unwrap();
        assert_eq!(
            (summary[0].passkeys, summary[0].sessions),
            (1, 2),
            "{}",
            engine.label
        );
        db.prune_sessions(85, 0).unwrap();
        assert!(db.session("s2").unwrap().is_none());
        db.delete_session("s1").unwrap();
        db.create_session("s3", &alice.id, "c", 95, "::1").unwrap();
        assert_eq!(db.delete_sessions(Some(&alice.id)).unwrap(), 1);
        assert_eq!(db.delete_sessions(None).unwrap(), 0);
        // Inbox: pending first, filters, literal LIKE patterns, case-insensitive search.
        let inbox = db.inbox(&InboxFilter::default(), 10).unwrap();
        assert_eq!(
            inbox.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["req_k2", "req_k1"],
            "{}",
            engine.label
        );
        let search = |text: &str| {
            db.inbox(
                &InboxFilter {
                    search: Some(text.into()),
                    ..InboxFilter::default()
                },
                10,
            )
            .unwrap()
            .len()
        };
        assert_eq!(search("50%_inc"), 2, "{}", engine.label);
        assert_eq!(search("50%x"), 0, "{}", engine.label);
        assert_eq!(search("JANE"), 2, "{}", engine.label);
        let by_domain = db
            .inbox(
                &InboxFilter {
                    email_domain: Some("EXAMPLE".into()),
                    status: Some(RequestStatus::Approved),
                    ..InboxFilter::default()
                },
                10,
            )
            .unwrap();
        assert_eq!(by_domain.len(), 1, "{}", engine.label);
        assert_eq!(db.requested_documents().unwrap(), ["soc2-type2-2025"]);
        assert_eq!(db.outbox_for("req_k1").unwrap().len(), 1);
        let export = db.audit_export(0, i64::MAX).unwrap();
        assert_eq!(export.len(), 3, "{}", engine.label);
        let overview = db.overview(1_700_000_700, 4).unwrap();
        assert_eq!(
            (overview.approved, overview.pending, overview.denied),
            (1, 1, 0)
        );
        assert_eq!(overview.decision_seconds, [600], "{}", engine.label);
        assert_eq!(overview.per_week.iter().map(|w| w.1).sum::<i64>(), 2);
        assert!(db.remove_reviewer("alice").unwrap());
        assert!(!db.remove_reviewer("alice").unwrap());
    }
}

#[test]
fn db_copy_moves_every_row_from_sqlite_to_postgres_and_back() {
    let Some(url) = pg::fresh_database("copy") else {
        return;
    };
    let source = sqlite_engine();
    for i in 0..25 {
        create(
            source.store.as_ref(),
            &format!("req_s{i:02}"),
            &format!("ks{i}"),
            1_000 + i,
        );
    }
    source.store.mark_delivered(1, 5).unwrap();
    let db = ConsoleDb::open_database(&source.database).unwrap();
    let bob = db.add_reviewer("r-b", "bob", 1).unwrap();
    db.create_enrolment(&bob.id, "t", 1, 10).unwrap();
    db.complete_enrolment("t", &bob.id, "c", "{}", 2).unwrap();
    db.create_session("s", &bob.id, "x", 3, "127.0.0.1")
        .unwrap();
    let Database::Sqlite(path) = &source.database else {
        unreachable!()
    };
    let args = |to: &str, replace: bool| -> DbArgs {
        let mut argv = vec![
            "db".to_string(),
            "copy".into(),
            "--from".into(),
            format!("sqlite:{}", path.display()),
            "--to".into(),
            to.into(),
        ];
        if replace {
            argv.push("--replace".into());
        }
        clap::Parser::parse_from(argv)
    };
    let mut out = Vec::new();
    run_db_to(args(&url, false), &mut out).unwrap();
    let printed = String::from_utf8(out).unwrap();
    assert!(
        printed.contains("access_requests") && printed.contains("25 rows"),
        "{printed}"
    );
    assert!(
        !printed.contains("trust@"),
        "the user name or password must not be printed: {printed}"
    );
    let target = Database::Postgres {
        url: url.clone(),
        settings: settings(),
    };
    let copied = target.open_store().unwrap();
    let expected = source.store.list_requests(None, 100).unwrap();
    assert_eq!(copied.list_requests(None, 100).unwrap(), expected);
    assert_eq!(
        copied.outbox(None, 100).unwrap(),
        source.store.outbox(None, 100).unwrap()
    );
    assert_eq!(
        copied.audit_trail("req_s03").unwrap(),
        source.store.audit_trail("req_s03").unwrap()
    );
    let engine = target.open_engine().unwrap();
    let counts = engine.with(|db| copy::counts(db)).unwrap();
    let source_counts = source
        .database
        .open_engine()
        .unwrap()
        .with(|db| copy::counts(db))
        .unwrap();
    assert_eq!(counts, source_counts);
    assert!(counts.iter().all(|(_, n)| *n > 0), "{counts:?}");
    // New rows after the copy get fresh ids (sequences moved past the copied ones).
    create(copied.as_ref(), "req_new", "k-new", 5_000);
    assert_eq!(copied.outbox(Some("req_new"), 1).unwrap()[0].id, 26);
    // A non-empty target is refused without --replace, and nothing changes.
    let refused = run_db_to(args(&url, false), &mut Vec::new()).unwrap_err();
    assert!(refused.to_string().contains("not empty"), "{refused}");
    assert_eq!(copied.list_requests(None, 100).unwrap().len(), 26);
    run_db_to(args(&url, true), &mut Vec::new()).unwrap();
    assert_eq!(copied.list_requests(None, 100).unwrap(), expected);
    // And back into a new SQLite file.
    let back_dir = tempfile::tempdir().unwrap();
    let back = back_dir.path().join("back.sqlite3");
    copy::copy(&target, &Database::Sqlite(back.clone()), false).unwrap();
    let back_store = Database::Sqlite(back).open_store().unwrap();
    assert_eq!(back_store.list_requests(None, 100).unwrap(), expected);
}

#[test]
fn unreachable_postgres_fails_fast_as_unavailable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let started = Instant::now();
    let result = Database::Postgres {
        url: format!("postgres://nobody@127.0.0.1:{port}/none"),
        settings: PostgresSettings {
            pool_wait_ms: 500,
            connect_timeout_ms: 500,
            ..PostgresSettings::default()
        },
    }
    .open_store();
    assert!(
        matches!(result, Err(IntakeError::Unavailable(_))),
        "{:?}",
        result.err()
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

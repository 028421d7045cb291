//! The same store test suite on both engines: a real SQLite file in a temp dir, and a fresh database on
//! the PostgreSQL cluster of scripts/test.sh (TEST_POSTGRES_URL; required when CI=true).
//!
//! Covers the `Store` trait (idempotency, decisions, audit, outbox, claims), the migrations (version,
//! refusal of a newer database), the console's queries, `trustctl db copy`, and the subscription store
//! (subscribe, confirm, preferences, unsubscribe, notices once per (subscriber, version), under real
//! concurrency on both engines).

#[path = "support/postgres.rs"]
mod pg;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use trust_intake::console::db::{ConsoleDb, InboxFilter};
use trust_intake::db_cli::{run_db_to, DbArgs};
use trust_intake::store::copy::{self, schema_version};
use trust_intake::store::migrations;
use trust_intake::store::postgres::PostgresSettings;
use trust_intake::store::subscriptions::{
    ConfirmOutcome, PlannedNotice, SubscribeOutcome, SubscribeRequest, SubscriberAction,
    Subscription, SubscriptionStatus,
};
use trust_intake::store::{
    AccessRequest, AuditEvent, Channel, CreateOutcome, Database, Decision, NewMessage,
    RequestStatus, Store, SubscriptionStore,
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
    // Subscriptions: two confirmed (events, attempts, idempotency keys), one notice with its e-mail.
    let (_, source_subscriptions) = source.database.open_stores().unwrap();
    for i in 0..2 {
        let request = subscribe_request(
            &format!("copy{i}@prospect.example"),
            &format!("k-copy-{i}"),
            "fp",
            2_000 + i,
        );
        source_subscriptions
            .subscribe(&request, &confirmation_mail)
            .unwrap();
        source_subscriptions
            .confirm_subscription(&request.new_id, "2026-12", &action(2_100))
            .unwrap();
    }
    let noticed = source_subscriptions
        .queue_notices(2, &"cd".repeat(32), 2_200, &subprocessor_plan)
        .unwrap();
    assert_eq!(noticed.queued.len(), 2);
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
    let (_, copied_subscriptions) = target.open_stores().unwrap();
    let expected_subscriptions = source_subscriptions.list_subscriptions(100).unwrap();
    assert_eq!(expected_subscriptions.len(), 2);
    assert_eq!(
        copied_subscriptions.list_subscriptions(100).unwrap(),
        expected_subscriptions
    );
    assert_eq!(
        copied_subscriptions.list_notices(None, 100).unwrap(),
        source_subscriptions.list_notices(None, 100).unwrap()
    );
    let first_subscriber = &expected_subscriptions[0].id;
    assert_eq!(
        copied_subscriptions
            .subscription_events(first_subscriber)
            .unwrap(),
        source_subscriptions
            .subscription_events(first_subscriber)
            .unwrap()
    );
    // New rows after the copy get fresh ids (sequences moved past the copied ones): 25 request
    // e-mails, 2 confirmations and 2 notices were copied.
    create(copied.as_ref(), "req_new", "k-new", 5_000);
    assert_eq!(
        copied.outbox(Some("req_new"), 1).unwrap()[0].id,
        25 + 2 + 2 + 1
    );
    let late = subscribe_request("late@prospect.example", "k-late", "fp", 6_000);
    copied_subscriptions
        .subscribe(&late, &confirmation_mail)
        .unwrap();
    copied_subscriptions
        .confirm_subscription(&late.new_id, "2026-12", &action(6_100))
        .unwrap();
    let late_run = copied_subscriptions
        .queue_notices(2, &"cd".repeat(32), 6_200, &subprocessor_plan)
        .unwrap();
    assert_eq!(late_run.queued.len(), 1, "{late_run:?}");
    assert_eq!(late_run.already_notified, 2);
    // (PostgreSQL spends a sequence value on each insert that ON CONFLICT skipped: above 2, not 3.)
    let newest = copied_subscriptions.list_notices(None, 1).unwrap()[0].id;
    assert!(
        newest > 2,
        "the change_notices sequence follows the copied ids: {newest}"
    );
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
    let back_database = Database::Sqlite(back);
    let back_store = back_database.open_store().unwrap();
    assert_eq!(back_store.list_requests(None, 100).unwrap(), expected);
    let (_, back_subscriptions) = back_database.open_stores().unwrap();
    assert_eq!(
        back_subscriptions.list_subscriptions(100).unwrap(),
        expected_subscriptions
    );
    assert_eq!(
        back_subscriptions.list_notices(None, 100).unwrap(),
        source_subscriptions.list_notices(None, 100).unwrap()
    );
    let back_counts = back_database
        .open_engine()
        .unwrap()
        .with(|db| copy::counts(db))
        .unwrap();
    assert_eq!(back_counts, source_counts);
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

// ---- Subscriptions and change notices (issue 17's tables) on both engines ----

/// One engine's subscription store, with the database it was opened from.
struct SubscriptionEngine {
    label: &'static str,
    database: Database,
    subscriptions: Arc<dyn SubscriptionStore>,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

/// SQLite, and PostgreSQL when the cluster is there, opened as both stores.
fn subscription_engines(label: &str) -> Vec<SubscriptionEngine> {
    let dir = tempfile::tempdir().unwrap();
    let mut databases = vec![(
        "sqlite",
        Database::Sqlite(dir.path().join("intake.sqlite3")),
    )];
    if let Some(url) = pg::fresh_database(label) {
        databases.push((
            "postgres",
            Database::Postgres {
                url,
                settings: settings(),
            },
        ));
    }
    let mut all = Vec::new();
    for (label, database) in databases {
        let (store, subscriptions) = database.open_stores().unwrap();
        all.push(SubscriptionEngine {
            label,
            database,
            subscriptions,
            store,
            _dir: tempfile::tempdir().unwrap(),
        });
    }
    // The SQLite file's folder must outlive the engines: keep it in the first one.
    if let Some(first) = all.first_mut() {
        first._dir = dir;
    }
    all
}

fn subscribe_request(email: &str, key: &str, fingerprint: &str, at: i64) -> SubscribeRequest {
    SubscribeRequest {
        new_id: format!(
            "sub_{}",
            key.replace(|c: char| !c.is_ascii_alphanumeric(), "")
        ),
        email: email.into(),
        email_key: email.to_ascii_lowercase(),
        categories: "security,subprocessors".into(),
        idempotency_key: key.into(),
        fingerprint: fingerprint.into(),
        client_ip: "192.0.2.7".into(),
        user_agent: Some("tests/1".into()),
        at,
        per_address_per_day: 3,
        per_ip_per_day: 50,
    }
}

fn confirmation_mail(subscription: &Subscription) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: subscription.email.clone(),
        subject: Some("Confirm your subscription".into()),
        body: format!("{{\"confirm\":\"{}\"}}", subscription.id),
    }
}

fn action(at: i64) -> SubscriberAction {
    SubscriberAction {
        client_ip: "198.51.100.9".into(),
        user_agent: Some("mail-client/2".into()),
        at,
    }
}

/// A notice for every subscriber who chose "subprocessors".
fn subprocessor_plan(subscription: &Subscription) -> Option<PlannedNotice> {
    subscription
        .categories
        .split(',')
        .any(|c| c == "subprocessors")
        .then(|| PlannedNotice {
            message: NewMessage {
                channel: Channel::Email,
                recipient: subscription.email.clone(),
                subject: Some("What changed".into()),
                body: "{}".into(),
            },
            change_ids: vec!["v2-subprocessor".into(), "v2-other".into()],
        })
}

#[test]
fn subscription_idempotency_keys_are_forgotten_after_a_week_on_both_engines() {
    const DAY: i64 = 86_400;
    for engine in subscription_engines("subs-keys") {
        let label = engine.label;
        let subs = engine.subscriptions.as_ref();
        let first = subscribe_request("ann@prospect.example", "k-old", "fp-1", 1_000);
        assert_eq!(
            subs.subscribe(&first, &confirmation_mail).unwrap(),
            SubscribeOutcome::ConfirmationQueued,
            "{label}"
        );
        // Six days on, the key is still known: another body under it conflicts.
        let reused = subscribe_request("bob@prospect.example", "k-old", "fp-2", 1_000 + 6 * DAY);
        assert_eq!(
            subs.subscribe(&reused, &confirmation_mail).unwrap(),
            SubscribeOutcome::KeyConflict,
            "{label}"
        );
        // Any subscription a week later forgets it (its fingerprint is a hash of the address).
        let later = subscribe_request("cy@prospect.example", "k-new", "fp-3", 1_000 + 7 * DAY);
        assert_eq!(
            subs.subscribe(&later, &confirmation_mail).unwrap(),
            SubscribeOutcome::ConfirmationQueued,
            "{label}"
        );
        let reused = SubscribeRequest {
            new_id: "sub_bob".into(),
            at: 1_001 + 7 * DAY,
            ..reused
        };
        assert_eq!(
            subs.subscribe(&reused, &confirmation_mail).unwrap(),
            SubscribeOutcome::ConfirmationQueued,
            "{label}: the forgotten key is a new request"
        );
    }
}

#[test]
fn subscription_lifecycle_and_notices_on_both_engines() {
    for engine in subscription_engines("subs") {
        let label = engine.label;
        let subs = engine.subscriptions.as_ref();
        let first = subscribe_request("Ann@Prospect.example", "k-ann", "fp-1", 1_000);
        assert_eq!(
            subs.subscribe(&first, &confirmation_mail).unwrap(),
            SubscribeOutcome::ConfirmationQueued,
            "{label}"
        );
        // The same key: the same body replays, another body conflicts; neither writes anything.
        assert_eq!(
            subs.subscribe(&first, &confirmation_mail).unwrap(),
            SubscribeOutcome::Replayed,
            "{label}"
        );
        let other_body = subscribe_request("ann@prospect.example", "k-ann", "fp-2", 1_001);
        assert_eq!(
            subs.subscribe(&other_body, &confirmation_mail).unwrap(),
            SubscribeOutcome::KeyConflict,
            "{label}"
        );
        let id = first.new_id.clone();
        let pending = subs.get_subscription(&id).unwrap().unwrap();
        assert_eq!(pending.status, SubscriptionStatus::Pending, "{label}");
        assert_eq!(pending.email, "Ann@Prospect.example", "{label}");
        assert_eq!(pending.request_ip, "192.0.2.7", "{label}");
        assert_eq!(pending.request_user_agent.as_deref(), Some("tests/1"));
        let mails = engine.store.outbox(None, 10).unwrap();
        assert_eq!(mails.len(), 1, "{label}: one confirmation e-mail");
        assert_eq!(mails[0].recipient, "Ann@Prospect.example", "{label}");
        assert_eq!(mails[0].request_id, None, "{label}");
        // A resend under a new key for the same address (case differs) keeps one subscription.
        let resend = SubscribeRequest {
            new_id: "sub_unused".into(),
            categories: "subprocessors".into(),
            ..subscribe_request("ann@prospect.example", "k-ann-2", "fp-3", 1_010)
        };
        assert_eq!(
            subs.subscribe(&resend, &confirmation_mail).unwrap(),
            SubscribeOutcome::ConfirmationQueued,
            "{label}"
        );
        assert!(subs.get_subscription("sub_unused").unwrap().is_none());
        assert_eq!(subs.list_subscriptions(10).unwrap().len(), 1, "{label}");
        assert_eq!(engine.store.outbox(None, 10).unwrap().len(), 2, "{label}");
        // Confirm, then a second click changes nothing.
        let confirmed = match subs.confirm_subscription(&id, "2026-12", &action(1_100)) {
            Ok(ConfirmOutcome::Confirmed(s)) => s,
            other => panic!("{label}: {other:?}"),
        };
        assert_eq!(confirmed.status, SubscriptionStatus::Confirmed, "{label}");
        assert_eq!(confirmed.consent_version.as_deref(), Some("2026-12"));
        assert_eq!(confirmed.confirm_ip.as_deref(), Some("198.51.100.9"));
        assert_eq!(confirmed.confirmed_at, Some(1_100), "{label}");
        assert_eq!(confirmed.categories, "subprocessors", "{label}");
        assert!(matches!(
            subs.confirm_subscription(&id, "2026-12", &action(1_101)),
            Ok(ConfirmOutcome::AlreadyConfirmed(_))
        ));
        assert!(matches!(
            subs.confirm_subscription("sub_missing", "2026-12", &action(1_101)),
            Ok(ConfirmOutcome::NotPending)
        ));
        // Asking again once confirmed sends nothing.
        let again = subscribe_request("ann@prospect.example", "k-ann-3", "fp-4", 1_200);
        assert_eq!(
            subs.subscribe(&again, &confirmation_mail).unwrap(),
            SubscribeOutcome::AlreadyConfirmed,
            "{label}"
        );
        assert_eq!(engine.store.outbox(None, 10).unwrap().len(), 2, "{label}");
        // The per-address cap (3 a day) counts every accepted submission, whatever the state.
        let capped = subscribe_request("ann@prospect.example", "k-ann-4", "fp-5", 1_300);
        match subs.subscribe(&capped, &confirmation_mail).unwrap() {
            SubscribeOutcome::Capped { retry_after_secs } => {
                assert_eq!(retry_after_secs, 1_000 + 86_400 - 1_300, "{label}")
            }
            other => panic!("{label}: expected the cap, got {other:?}"),
        }
        // Preferences, then notices: one per (subscriber, version), only in chosen categories.
        let changed = subs
            .set_categories(&id, "security,subprocessors", &action(1_400))
            .unwrap()
            .unwrap();
        assert_eq!(changed.categories, "security,subprocessors", "{label}");
        let run = subs
            .queue_notices(2, &"cd".repeat(32), 1_500, &subprocessor_plan)
            .unwrap();
        assert_eq!(
            run.queued,
            vec![(id.clone(), "Ann@Prospect.example".to_string())],
            "{label}"
        );
        let rerun = subs
            .queue_notices(2, &"cd".repeat(32), 1_600, &subprocessor_plan)
            .unwrap();
        assert!(rerun.queued.is_empty(), "{label}");
        assert_eq!(rerun.already_notified, 1, "{label}");
        let none = subs
            .queue_notices(3, &"ef".repeat(32), 1_700, &|_| None)
            .unwrap();
        assert_eq!((none.queued.len(), none.not_interested), (0, 1), "{label}");
        let notices = subs.list_notices(Some(2), 10).unwrap();
        assert_eq!(notices.len(), 1, "{label}");
        let notice = &notices[0];
        assert_eq!(notice.manifest_version, 2, "{label}");
        assert_eq!(notice.change_ids, "v2-subprocessor,v2-other", "{label}");
        assert_eq!(notice.delivery, "pending", "{label}");
        assert_eq!(notice.queued_at, 1_500, "{label}");
        let outbox_id = notice.outbox_id.expect("the notice's e-mail");
        engine.store.mark_delivered(outbox_id, 1_550).unwrap();
        let delivered = &subs.list_notices(None, 10).unwrap()[0];
        assert_eq!(delivered.delivery, "delivered", "{label}");
        assert_eq!(delivered.delivered_at, Some(1_550), "{label}");
        assert_eq!(delivered.attempts, 1, "{label}");
        assert!(subs.list_notices(Some(7), 10).unwrap().is_empty());
        // Unsubscribe (idempotent); the old confirmation link no longer confirms; no more notices.
        let gone = subs
            .unsubscribe(&id, "one-click", &action(1_800))
            .unwrap()
            .unwrap();
        assert_eq!(gone.status, SubscriptionStatus::Unsubscribed, "{label}");
        assert_eq!(gone.unsubscribed_at, Some(1_800), "{label}");
        let twice = subs
            .unsubscribe(&id, "page", &action(1_900))
            .unwrap()
            .unwrap();
        assert_eq!(twice.unsubscribed_at, Some(1_800), "{label}");
        assert!(matches!(
            subs.confirm_subscription(&id, "2026-12", &action(2_000)),
            Ok(ConfirmOutcome::NotPending)
        ));
        let after = subs
            .queue_notices(4, &"ab".repeat(32), 2_100, &subprocessor_plan)
            .unwrap();
        assert!(after.queued.is_empty(), "{label}");
        assert_eq!(
            subs.set_categories(&id, "security", &action(2_200))
                .unwrap()
                .unwrap()
                .categories,
            "security,subprocessors",
            "{label}: an unsubscribed address keeps its last choice"
        );
        assert!(subs
            .unsubscribe("sub_missing", "page", &action(1))
            .unwrap()
            .is_none());
        // The evidence trail, oldest first.
        let events: Vec<String> = subs
            .subscription_events(&id)
            .unwrap()
            .into_iter()
            .map(|e| e.event)
            .collect();
        assert_eq!(
            events,
            [
                "requested",
                "confirmation_sent",
                "requested",
                "confirmation_sent",
                "confirmed",
                "requested_again",
                "preferences_changed",
                "unsubscribed"
            ],
            "{label}"
        );
        let trail = subs.subscription_events(&id).unwrap();
        assert_eq!(trail[4].client_ip.as_deref(), Some("198.51.100.9"));
        assert_eq!(trail[4].user_agent.as_deref(), Some("mail-client/2"));
        assert_eq!(trail[7].detail.as_deref(), Some("one-click"), "{label}");
    }
}

/// Two "instances" (stores opened separately: their own connections) per engine, plus the
/// confirmed subscribers of a list.
fn confirmed_list(engine: &SubscriptionEngine, count: usize) {
    for i in 0..count {
        let request = subscribe_request(
            &format!("reader{i}@prospect.example"),
            &format!("k-reader-{i}"),
            "fp",
            10_000 + i64::try_from(i).unwrap(),
        );
        assert_eq!(
            engine
                .subscriptions
                .subscribe(&request, &confirmation_mail)
                .unwrap(),
            SubscribeOutcome::ConfirmationQueued
        );
        assert!(matches!(
            engine
                .subscriptions
                .confirm_subscription(&request.new_id, "2026-12", &action(20_000)),
            Ok(ConfirmOutcome::Confirmed(_))
        ));
    }
}

#[test]
fn concurrent_notify_runs_queue_one_notice_per_subscriber_and_version() {
    let subscribers = 40;
    let runs = 4;
    for engine in subscription_engines("notify_race") {
        let label = engine.label;
        confirmed_list(&engine, subscribers);
        let confirmations = engine.store.outbox(None, 1_000).unwrap().len();
        // Each run opens its own store (its own pool or connection), as separate processes do.
        let stores: Vec<Arc<dyn SubscriptionStore>> = (0..runs)
            .map(|_| engine.database.open_stores().unwrap().1)
            .collect();
        let barrier = Arc::new(Barrier::new(runs));
        let handles: Vec<_> = stores
            .into_iter()
            .map(|store| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    store
                        .queue_notices(5, &"aa".repeat(32), 30_000, &subprocessor_plan)
                        .unwrap()
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let queued: usize = results.iter().map(|r| r.queued.len()).sum();
        let already: usize = results.iter().map(|r| r.already_notified).sum();
        assert_eq!(queued, subscribers, "{label}: {results:?}");
        assert_eq!(already, subscribers * (runs - 1), "{label}");
        let mut notified: Vec<String> = results
            .iter()
            .flat_map(|r| r.queued.iter().map(|(id, _)| id.clone()))
            .collect();
        notified.sort();
        notified.dedup();
        assert_eq!(notified.len(), subscribers, "{label}: nobody twice");
        let notices = engine.subscriptions.list_notices(Some(5), 1_000).unwrap();
        assert_eq!(notices.len(), subscribers, "{label}");
        assert!(notices.iter().all(|n| n.outbox_id.is_some()), "{label}");
        assert_eq!(
            engine.store.outbox(None, 1_000).unwrap().len(),
            confirmations + subscribers,
            "{label}: one e-mail per notice"
        );
    }
}

#[test]
fn concurrent_subscriptions_with_one_key_or_one_address_make_one_row() {
    let threads = 8;
    for engine in subscription_engines("subscribe_race") {
        let label = engine.label;
        let stores: Vec<Arc<dyn SubscriptionStore>> = (0..threads)
            .map(|_| engine.database.open_stores().unwrap().1)
            .collect();
        let barrier = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = stores
            .into_iter()
            .enumerate()
            .map(|(i, store)| {
                let barrier = barrier.clone();
                std::thread::spawn(move || {
                    barrier.wait();
                    // Half retry one key; the other half send the same address under their own key.
                    let key = if i % 2 == 0 {
                        "shared".to_string()
                    } else {
                        format!("own-{i}")
                    };
                    let request = SubscribeRequest {
                        new_id: format!("sub_t{i}"),
                        per_address_per_day: 100,
                        ..subscribe_request("race@prospect.example", &key, "fp", 40_000)
                    };
                    store.subscribe(&request, &confirmation_mail).unwrap()
                })
            })
            .collect();
        let outcomes: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let replays = outcomes
            .iter()
            .filter(|o| **o == SubscribeOutcome::Replayed)
            .count();
        assert_eq!(replays, threads / 2 - 1, "{label}: {outcomes:?}");
        assert_eq!(
            outcomes
                .iter()
                .filter(|o| **o == SubscribeOutcome::ConfirmationQueued)
                .count(),
            threads / 2 + 1,
            "{label}: {outcomes:?}"
        );
        assert_eq!(
            engine.subscriptions.list_subscriptions(100).unwrap().len(),
            1,
            "{label}"
        );
        assert_eq!(
            engine.store.outbox(None, 100).unwrap().len(),
            threads / 2 + 1,
            "{label}"
        );
    }
}

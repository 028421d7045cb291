//! Erasing a subscriber (GDPR Art. 17) in the store, on a real SQLite file and on a fresh database of
//! the PostgreSQL cluster of scripts/test.sh (TEST_POSTGRES_URL; required when CI=true): every place
//! the address, IPs and user agents lived is scrubbed (every table read back, and on SQLite the bytes
//! of the file and its log), the unsent e-mail is cancelled and never handed out again, the notice
//! records stay, the address subscribes again afresh, an unknown target finds nothing and a second
//! erasure changes nothing. Also: migration 0004 on a database of schema version 3 (old e-mails
//! linked to their subscribers, ids and references intact) and `trustctl db copy` of an erased
//! installation. The same over real HTTP and SMTP is in tests/subscriptions.rs.

#[path = "support/postgres.rs"]
mod pg;

use std::sync::Arc;

use trust_intake::store::migrations::MIGRATIONS;
use trust_intake::store::portable::{Exec, Param, Value};
use trust_intake::store::postgres::PostgresSettings;
use trust_intake::store::subscriptions::{
    ConfirmOutcome, ErasureReport, ErasureTarget, OldCopies, PlannedNotice, SubscribeOutcome,
    SubscribeRequest, SubscriberAction, Subscription, SubscriptionStatus,
};
use trust_intake::store::{copy, Channel, Database, NewMessage, Store, SubscriptionStore};
use trust_intake::subscriptions::input::{every_fingerprint, fingerprint};

/// The subscriber who asks to be erased: the address as typed, its key, and the IPs and user agents
/// of the request and of the confirmation (distinct from everyone else's, so a scan can find them).
const ANN: &str = "Ann.Erase@Prospect.example";
const ANN_KEY: &str = "ann.erase@prospect.example";
const ANN_IP: &str = "203.0.113.77";
const ANN_AGENT: &str = "ann-browser/7.1 (erasure test)";
const ANN_CONFIRM_IP: &str = "198.51.100.201";
const ANN_CONFIRM_AGENT: &str = "ann-mail-client/3";
/// A bystander who stays.
const BO: &str = "bo@prospect.example";
const BO_IP: &str = "192.0.2.8";

struct Engine {
    label: &'static str,
    database: Database,
    store: Arc<dyn Store>,
    subscriptions: Arc<dyn SubscriptionStore>,
    _dir: tempfile::TempDir,
}

fn settings() -> PostgresSettings {
    PostgresSettings {
        claim_lease_secs: 60,
        ..PostgresSettings::default()
    }
}

fn open(label: &'static str, database: Database, dir: tempfile::TempDir) -> Engine {
    let (store, subscriptions) = database.open_stores().unwrap();
    Engine {
        label,
        database,
        store,
        subscriptions,
        _dir: dir,
    }
}

/// A SQLite file in a new folder, and a fresh PostgreSQL database when the cluster is there.
fn engines(label: &str) -> Vec<Engine> {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![open(
        "sqlite",
        Database::Sqlite(dir.path().join("intake.sqlite3")),
        dir,
    )];
    if let Some(url) = pg::fresh_database(label) {
        let database = Database::Postgres {
            url,
            settings: settings(),
        };
        all.push(open("postgres", database, tempfile::tempdir().unwrap()));
    }
    all
}

fn request(
    email: &str,
    categories: &str,
    key: &str,
    ip: &str,
    agent: &str,
    at: i64,
) -> SubscribeRequest {
    let email_key = email.to_lowercase();
    SubscribeRequest {
        new_id: format!(
            "sub_{}",
            key.replace(|c: char| !c.is_ascii_alphanumeric(), "")
        ),
        email: email.into(),
        fingerprint: fingerprint(&email_key, categories),
        email_key,
        categories: categories.into(),
        idempotency_key: key.into(),
        client_ip: ip.into(),
        user_agent: Some(agent.into()),
        at,
        per_address_per_day: 3,
        per_ip_per_day: 50,
    }
}

/// Like the real confirmation: the address and a token link in the body.
fn confirmation(subscription: &Subscription) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: subscription.email.clone(),
        subject: Some("Please confirm your trust center updates".into()),
        body: format!(
            "{{\"template\":\"subscription_confirmation\",\"vars\":{{\"to\":\"{}\",\"confirm_url\":\"https://trust.example/v1/subscriptions/confirm?token={}\"}}}}",
            subscription.email, subscription.id
        ),
    }
}

fn notice(subscription: &Subscription) -> Option<PlannedNotice> {
    Some(PlannedNotice {
        message: NewMessage {
            channel: Channel::Email,
            recipient: subscription.email.clone(),
            subject: Some("Trust center version".into()),
            body: format!(
                "{{\"template\":\"change_notice\",\"vars\":{{\"to\":\"{}\"}}}}",
                subscription.email
            ),
        },
        change_ids: vec!["v-subprocessor-added".into()],
    })
}

fn action(ip: &str, agent: &str, at: i64) -> SubscriberAction {
    SubscriberAction {
        client_ip: ip.into(),
        user_agent: Some(agent.into()),
        at,
    }
}

/// The outbox id of the newest e-mail to `recipient`.
fn newest_mail_to(store: &dyn Store, recipient: &str) -> i64 {
    store
        .outbox(None, 1_000)
        .unwrap()
        .into_iter()
        .find(|m| m.recipient == recipient)
        .unwrap_or_else(|| panic!("no e-mail to {recipient}"))
        .id
}

/// Every row of every table of the database, as text ("table: values").
fn every_row(database: &Database) -> Vec<String> {
    match database {
        Database::Sqlite(path) => {
            let connection = rusqlite::Connection::open(path).unwrap();
            let tables: Vec<String> = connection
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
                .unwrap()
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let mut rows = Vec::new();
            for table in tables {
                let mut statement = connection
                    .prepare(&format!("SELECT * FROM \"{table}\""))
                    .unwrap();
                let columns = statement.column_count();
                let mut found = statement.query([]).unwrap();
                while let Some(row) = found.next().unwrap() {
                    let values: Vec<String> = (0..columns)
                        .map(|i| match row.get_ref(i).unwrap() {
                            rusqlite::types::ValueRef::Null => "NULL".to_string(),
                            rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                            rusqlite::types::ValueRef::Real(n) => n.to_string(),
                            rusqlite::types::ValueRef::Text(t)
                            | rusqlite::types::ValueRef::Blob(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                        })
                        .collect();
                    rows.push(format!("{table}: {}", values.join(" | ")));
                }
            }
            rows
        }
        Database::Postgres { url, .. } => {
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            let tables: Vec<String> = client
                .query(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
                    &[],
                )
                .unwrap()
                .iter()
                .map(|row| row.get(0))
                .collect();
            let mut rows = Vec::new();
            for table in tables {
                for row in client
                    .query(&format!("SELECT t::text FROM \"{table}\" t"), &[])
                    .unwrap()
                {
                    rows.push(format!("{table}: {}", row.get::<_, String>(0)));
                }
            }
            rows
        }
    }
}

/// Rows of any table that contain `needle` (ignoring case).
fn rows_containing(database: &Database, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    every_row(database)
        .into_iter()
        .filter(|row| row.to_lowercase().contains(&needle))
        .collect()
}

/// The bytes of the SQLite file and of its write-ahead log and journal, lowercased.
fn sqlite_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-journal"] {
        let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        if let Ok(content) = std::fs::read(&file) {
            bytes.extend(content.to_ascii_lowercase());
        }
    }
    bytes
}

fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.to_lowercase().into_bytes();
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

/// Ann's data as the erasure must leave none of it: address (any case), IPs, user agents, and the
/// fingerprints of her two requests.
fn ann_traces() -> Vec<String> {
    vec![
        ANN_KEY.into(),
        "ann.erase".into(),
        ANN_IP.into(),
        ANN_AGENT.into(),
        ANN_CONFIRM_IP.into(),
        ANN_CONFIRM_AGENT.into(),
        fingerprint(ANN_KEY, "subprocessors"),
        fingerprint(ANN_KEY, "subprocessors,policies"),
    ]
}

/// Outbox rows by id: (status, recipient, body, last_error, subscription_id).
fn outbox_row(
    database: &Database,
    id: i64,
) -> (String, String, String, Option<String>, Option<String>) {
    let engine = database.open_engine().unwrap();
    let row = engine
        .with(|db| {
            db.query_opt(
                "SELECT status, recipient, body, last_error, subscription_id FROM outbox WHERE id = ?1",
                &[id.into()],
            )
        })
        .unwrap()
        .expect("the outbox row");
    (
        row.text(0).unwrap(),
        row.text(1).unwrap(),
        row.text(2).unwrap(),
        row.opt_text(3).unwrap(),
        row.opt_text(4).unwrap(),
    )
}

#[test]
fn erasure_scrubs_every_copy_cancels_the_unsent_mail_and_keeps_the_notice_records_on_both_engines()
{
    for engine in engines("erase") {
        let label = engine.label;
        let store = engine.store.as_ref();
        let subs = engine.subscriptions.as_ref();

        // Ann asks twice (the second time for two categories), Bo once; both confirm.
        let first = request(ANN, "subprocessors", "k-ann-1", ANN_IP, ANN_AGENT, 1_000);
        let again = request(
            ANN,
            "subprocessors,policies",
            "k-ann-2",
            ANN_IP,
            ANN_AGENT,
            1_010,
        );
        let bo = request(BO, "subprocessors", "k-bo-1", BO_IP, "bo-browser/1", 1_020);
        for r in [&first, &again, &bo] {
            assert_eq!(
                subs.subscribe(r, &confirmation).unwrap(),
                SubscribeOutcome::ConfirmationQueued,
                "{label}"
            );
        }
        let ann_id = first.new_id.clone();
        let ann_confirmations: Vec<i64> = store
            .outbox(None, 100)
            .unwrap()
            .iter()
            .filter(|m| m.recipient == ANN)
            .map(|m| m.id)
            .collect();
        assert_eq!(ann_confirmations.len(), 2, "{label}");
        assert!(matches!(
            subs.confirm_subscription(
                &ann_id,
                "2026-12",
                &action(ANN_CONFIRM_IP, ANN_CONFIRM_AGENT, 1_100)
            )
            .unwrap(),
            ConfirmOutcome::Confirmed(_)
        ));
        assert!(matches!(
            subs.confirm_subscription(&bo.new_id, "2026-12", &action(BO_IP, "bo-mail/1", 1_100))
                .unwrap(),
            ConfirmOutcome::Confirmed(_)
        ));
        // One confirmation delivered, the other refused by the server with the address in its answer.
        store.mark_delivered(ann_confirmations[1], 1_050).unwrap();
        store
            .mark_attempt_failed(
                ann_confirmations[0],
                &format!("550 5.1.1 <{ANN_KEY}>: mailbox unavailable"),
                None,
            )
            .unwrap();
        // Version 2's notice delivered; version 3's still queued (unsent) when she asks to be erased.
        assert_eq!(
            subs.queue_notices(2, &"ab".repeat(32), 2_000, &notice)
                .unwrap()
                .queued
                .len(),
            2
        );
        let ann_v2 = newest_mail_to(store, ANN);
        store.mark_delivered(ann_v2, 2_010).unwrap();
        assert_eq!(
            subs.queue_notices(3, &"cd".repeat(32), 3_000, &notice)
                .unwrap()
                .queued
                .len(),
            2
        );
        let ann_v3 = newest_mail_to(store, ANN);
        let events_before = subs.subscription_events(&ann_id).unwrap().len();
        assert_eq!(
            events_before, 5,
            "{label}: requested, sent, requested, sent, confirmed"
        );
        for trace in [ANN_KEY, ANN_IP, ANN_CONFIRM_AGENT] {
            assert!(
                !rows_containing(&engine.database, trace).is_empty(),
                "{label}: the scan finds {trace} before the erasure"
            );
        }

        // Erase by address, typed in another case.
        let report: ErasureReport = subs
            .erase_subscription(
                &ErasureTarget::EmailKey(ANN_KEY.into()),
                9_000,
                &every_fingerprint,
            )
            .unwrap()
            .expect("Ann's subscription");
        assert_eq!(
            report,
            ErasureReport {
                subscription_id: ann_id.clone(),
                erased_now: true,
                erased_at: Some(9_000),
                events_scrubbed: 5,
                emails_cancelled: 1,
                emails_scrubbed: 4,
                notices_kept: 2,
                attempts_deleted: 2,
                idempotency_records_deleted: 2,
                old_copies: if label == "sqlite" {
                    OldCopies::Purged
                } else {
                    OldCopies::LeftToVacuum
                },
            },
            "{label}"
        );

        // Nothing of Ann in any row of any table; Bo is still there (the scan works).
        for trace in ann_traces() {
            let rows = rows_containing(&engine.database, &trace);
            assert!(rows.is_empty(), "{label}: {trace} is still in {rows:#?}");
        }
        assert!(!rows_containing(&engine.database, BO).is_empty());
        assert!(!rows_containing(&engine.database, BO_IP).is_empty());
        // Nor anywhere in the SQLite file or its log: free pages, unused page space, old log frames.
        if let Database::Sqlite(path) = &engine.database {
            let bytes = sqlite_bytes(path);
            for trace in ann_traces() {
                assert!(
                    !contains_bytes(&bytes, &trace),
                    "{trace} is still in the bytes of the SQLite file"
                );
            }
            assert!(contains_bytes(&bytes, BO), "the byte scan reads the file");
        }

        // The row keeps its id, categories, consent wording version and times.
        let erased = subs.get_subscription(&ann_id).unwrap().unwrap();
        assert_eq!(erased.status, SubscriptionStatus::Erased, "{label}");
        assert_eq!(
            (erased.email.as_str(), erased.request_ip.as_str()),
            ("", "")
        );
        assert_eq!(
            (
                &erased.request_user_agent,
                &erased.confirm_ip,
                &erased.confirm_user_agent
            ),
            (&None, &None, &None)
        );
        assert_eq!(erased.erased_at, Some(9_000));
        assert_eq!(erased.categories, "subprocessors,policies");
        assert_eq!(erased.consent_version.as_deref(), Some("2026-12"));
        assert_eq!(erased.confirmed_at, Some(1_100));
        assert_eq!(erased.created_at, 1_000);
        // The trail: every step kept with its time, none with an IP or user agent; `erased` last.
        let trail = subs.subscription_events(&ann_id).unwrap();
        assert_eq!(trail.len(), 6, "{label}");
        assert!(trail
            .iter()
            .all(|e| e.client_ip.is_none() && e.user_agent.is_none()));
        let last = trail.last().unwrap();
        assert_eq!(
            (last.event.as_str(), last.at, &last.detail),
            ("erased", 9_000, &None)
        );

        // Her e-mails: the unsent one cancelled, every one without recipient or body.
        let v3 = outbox_row(&engine.database, ann_v3);
        assert_eq!(
            (v3.0.as_str(), v3.1.as_str(), v3.2.as_str()),
            ("cancelled", "", ""),
            "{label}"
        );
        assert!(v3.3.as_deref().unwrap().contains("erased"));
        assert_eq!(v3.4.as_deref(), Some(ann_id.as_str()));
        let refused = outbox_row(&engine.database, ann_confirmations[0]);
        assert_eq!((refused.0.as_str(), refused.1.as_str()), ("failed", ""));
        assert!(!refused.3.as_deref().unwrap().contains('@'), "{refused:?}");
        for delivered in [ann_confirmations[1], ann_v2] {
            let row = outbox_row(&engine.database, delivered);
            assert_eq!(
                (row.0.as_str(), row.1.as_str(), row.2.as_str(), row.3),
                ("delivered", "", "", None)
            );
        }
        // The mail worker never gets it: the due messages are Bo's.
        let due: Vec<String> = store
            .due_messages(Channel::Email, i64::MAX / 2, 100)
            .unwrap()
            .into_iter()
            .map(|m| m.recipient)
            .collect();
        assert_eq!(
            due,
            [BO, BO, BO],
            "{label}: confirmation, v2 and v3 notices"
        );

        // A send that was under way when she was erased reports back: the row stays cancelled and
        // takes no server answer (which could quote the address).
        store
            .mark_attempt_failed(ann_v3, &format!("451 4.2.0 <{ANN_KEY}> try later"), Some(1))
            .unwrap();
        store
            .mark_attempt_failed(ann_v3, &format!("550 <{ANN_KEY}>"), None)
            .unwrap();
        assert_eq!(outbox_row(&engine.database, ann_v3), v3, "{label}");

        // The notice records stay (version, time, delivery state) without the address.
        let records: Vec<_> = subs
            .list_notices(None, 100)
            .unwrap()
            .into_iter()
            .filter(|n| n.subscription_id == ann_id)
            .collect();
        assert_eq!(records.len(), 2, "{label}");
        assert!(records.iter().all(|n| n.email.is_empty()));
        let deliveries: Vec<(u64, &str)> = records
            .iter()
            .map(|n| (n.manifest_version, n.delivery.as_str()))
            .collect();
        assert_eq!(deliveries, [(3, "cancelled"), (2, "delivered")], "{label}");

        // Nothing more reaches or changes the erased subscription.
        let run = subs
            .queue_notices(4, &"ef".repeat(32), 9_100, &notice)
            .unwrap();
        assert_eq!(run.queued, [(bo.new_id.clone(), BO.to_string())], "{label}");
        let late = action("203.0.113.99", "late-agent/1", 9_200);
        assert_eq!(subs.unsubscribe(&ann_id, "page", &late).unwrap(), None);
        assert_eq!(subs.set_categories(&ann_id, "other", &late).unwrap(), None);
        assert_eq!(
            subs.confirm_subscription(&ann_id, "2026-12", &late)
                .unwrap(),
            ConfirmOutcome::NotPending
        );
        assert_eq!(subs.subscription_events(&ann_id).unwrap(), trail);

        // Again: a no-op that says so. Unknown targets find nothing; nor does the erased address.
        let twice = subs
            .erase_subscription(
                &ErasureTarget::Id(ann_id.clone()),
                9_300,
                &every_fingerprint,
            )
            .unwrap()
            .unwrap();
        assert!(!twice.erased_now, "{label}");
        assert_eq!(twice.erased_at, Some(9_000));
        assert_eq!(
            (
                twice.events_scrubbed,
                twice.emails_cancelled,
                twice.emails_scrubbed
            ),
            (0, 0, 0)
        );
        assert_eq!(subs.subscription_events(&ann_id).unwrap(), trail);
        for target in [
            ErasureTarget::Id("sub_nobody".into()),
            ErasureTarget::EmailKey("nobody@prospect.example".into()),
            ErasureTarget::EmailKey(ANN_KEY.into()),
        ] {
            assert_eq!(
                subs.erase_subscription(&target, 9_400, &every_fingerprint)
                    .unwrap(),
                None,
                "{label}: {target:?}"
            );
        }

        // The address subscribes again afresh: the old idempotency key and body are not a replay,
        // the old requests no longer count towards the cap of 2, and it gets a new confirmation.
        let afresh = SubscribeRequest {
            new_id: "sub_annafresh".into(),
            per_address_per_day: 2,
            at: 9_500,
            ..first.clone()
        };
        assert_eq!(
            subs.subscribe(&afresh, &confirmation).unwrap(),
            SubscribeOutcome::ConfirmationQueued,
            "{label}"
        );
        let renewed = subs.get_subscription("sub_annafresh").unwrap().unwrap();
        assert_eq!(
            (renewed.status, renewed.email.as_str()),
            (SubscriptionStatus::Pending, ANN)
        );
        let mail = outbox_row(&engine.database, newest_mail_to(store, ANN));
        assert_eq!(
            (mail.0.as_str(), mail.4.as_deref()),
            ("pending", Some("sub_annafresh"))
        );
        assert!(mail.2.contains("sub_annafresh"));
        assert_eq!(
            subs.get_subscription(&ann_id).unwrap().unwrap().status,
            SubscriptionStatus::Erased
        );
        assert_eq!(subs.list_subscriptions(10).unwrap().len(), 3, "{label}");
    }
}

/// Creates the schema of version 3 (before this migration) in an empty database.
fn schema_version_3(database: &Database) {
    let older = &MIGRATIONS[..3];
    match database {
        Database::Sqlite(path) => {
            let connection = rusqlite::Connection::open(path).unwrap();
            connection
                .execute_batch("PRAGMA foreign_keys = ON")
                .unwrap();
            for migration in older {
                connection.execute_batch(migration.sqlite).unwrap();
            }
            connection.execute_batch("PRAGMA user_version = 3").unwrap();
        }
        Database::Postgres { url, .. } => {
            let mut statements = String::from(
                "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
                 applied_at BIGINT NOT NULL);\n",
            );
            for migration in older {
                statements.push_str(migration.postgres);
                statements.push_str(&format!(
                    "\nINSERT INTO schema_migrations VALUES ({}, '{}', 0);\n",
                    migration.version, migration.name
                ));
            }
            pg::sql(url, &statements);
        }
    }
}

fn run(db: &mut dyn Exec, sql: &str, params: &[Param<'_>]) {
    db.execute(sql, params).unwrap();
}

/// Rows as version 3 wrote them: an old subscriber with a delivered confirmation and a queued
/// notice, an unsubscribed one with a queued confirmation, an access request's e-mail, and an outbox
/// row deleted again (so the id sequence is ahead of the highest id).
fn version_3_rows(db: &mut dyn Exec) {
    for (id, email, status) in [
        ("sub_old", "old@prospect.example", "confirmed"),
        ("sub_gone", "gone@prospect.example", "unsubscribed"),
    ] {
        run(
            db,
            "INSERT INTO subscriptions (id, email, email_key, categories, status, requested_at, request_ip, \
             request_user_agent, requested_categories, created_at, updated_at) \
             VALUES (?1, ?2, ?2, 'subprocessors', ?3, 10, '203.0.113.5', 'old-agent', 'subprocessors', 10, 10)",
            &[id.into(), email.into(), status.into()],
        );
    }
    run(
        db,
        "INSERT INTO access_requests (id, idempotency_key, fingerprint, name, email, email_domain, company, \
         document_id, nda_version, nda_sha256, accepted_at, client_ip, status, created_at, updated_at) \
         VALUES ('req_old', 'key-old-request', 'fp', 'Jane', 'jane@prospect.example', 'prospect.example', \
         'Prospect', 'soc2', '1', 'ab', 10, '127.0.0.1', 'pending', 10, 10)",
        &[],
    );
    // Outbox ids 1..5 in this order (identity / AUTOINCREMENT on an empty table).
    for (request, recipient, status) in [
        (None, "old@prospect.example", "delivered"),
        (None, "gone@prospect.example", "pending"),
        (Some("req_old"), "jane@prospect.example", "pending"),
        (None, "old@prospect.example", "pending"),
        (None, "temp@prospect.example", "pending"),
    ] {
        run(
            db,
            "INSERT INTO outbox (request_id, channel, recipient, subject, body, status, next_attempt_at_ms, created_at) \
             VALUES (?1, 'email', ?2, 'subject', ?2, ?3, 0, 10)",
            &[request.into(), recipient.into(), status.into()],
        );
    }
    run(db, "DELETE FROM outbox WHERE id = 5", &[]);
    for (subscription, outbox) in [("sub_old", 1), ("sub_gone", 2)] {
        run(
            db,
            "INSERT INTO subscription_events (subscription_id, at, event, client_ip, user_agent, detail) \
             VALUES (?1, 10, 'confirmation_sent', '203.0.113.5', 'old-agent', ?2)",
            &[
                subscription.into(),
                format!("outbox message {outbox}").as_str().into(),
            ],
        );
    }
    run(
        db,
        "INSERT INTO change_notices (subscription_id, manifest_version, payload_sha256, change_ids, queued_at, outbox_id) \
         VALUES ('sub_old', 2, 'ab', 'c1', 20, 4)",
        &[],
    );
}

#[test]
fn migration_4_links_the_old_e_mails_to_their_subscribers_and_keeps_ids_and_references() {
    let dir = tempfile::tempdir().unwrap();
    let mut databases = vec![("sqlite", Database::Sqlite(dir.path().join("v3.sqlite3")))];
    if let Some(url) = pg::fresh_database("migrate_v3") {
        databases.push((
            "postgres",
            Database::Postgres {
                url,
                settings: settings(),
            },
        ));
    }
    for (label, database) in databases {
        schema_version_3(&database);
        database
            .open_engine()
            .unwrap()
            .transaction(|db| {
                version_3_rows(db);
                Ok(())
            })
            .unwrap();
        assert_eq!(copy::schema_version(&database).unwrap(), 3, "{label}");

        let (store, subs) = database.open_stores().unwrap();
        assert_eq!(copy::schema_version(&database).unwrap(), 4, "{label}");
        let linked: Vec<(i64, Option<String>)> = database
            .open_engine()
            .unwrap()
            .with(|db| db.query("SELECT id, subscription_id FROM outbox ORDER BY id", &[]))
            .unwrap()
            .iter()
            .map(|row| (row.int(0).unwrap(), row.opt_text(1).unwrap()))
            .collect();
        assert_eq!(
            linked,
            [
                (1, Some("sub_old".to_string())),
                (2, Some("sub_gone".to_string())),
                (3, None),
                (4, Some("sub_old".to_string())),
            ],
            "{label}"
        );
        // The rows are as they were.
        let old = subs.get_subscription("sub_old").unwrap().unwrap();
        assert_eq!(
            (
                old.status,
                old.email.as_str(),
                old.request_user_agent.as_deref(),
                old.erased_at
            ),
            (
                SubscriptionStatus::Confirmed,
                "old@prospect.example",
                Some("old-agent"),
                None
            ),
            "{label}"
        );
        assert_eq!(subs.list_notices(None, 10).unwrap()[0].outbox_id, Some(4));
        // No outbox id is handed out twice: the next one follows the deleted 5.
        let next = subs
            .subscribe(
                &request(
                    "new@prospect.example",
                    "other",
                    "k-new-1",
                    BO_IP,
                    "new/1",
                    30,
                ),
                &confirmation,
            )
            .unwrap();
        assert_eq!(next, SubscribeOutcome::ConfirmationQueued);
        assert_eq!(newest_mail_to(store.as_ref(), "new@prospect.example"), 6);
        // References still hold after the rebuilt tables (SQLite) and the changed ones (PostgreSQL).
        let dangling = database.open_engine().unwrap().with(|db| {
            db.execute(
                "INSERT INTO change_notices (subscription_id, manifest_version, payload_sha256, change_ids, queued_at, outbox_id) \
                 VALUES ('sub_old', 3, 'ab', 'c1', 20, 999)",
                &[],
            )
        });
        assert!(
            dangling.is_err(),
            "{label}: a notice pointing at no e-mail is refused"
        );
        let no_subscriber = database.open_engine().unwrap().with(|db| {
            db.execute(
                "INSERT INTO subscription_events (subscription_id, at, event) VALUES ('sub_none', 1, 'x')",
                &[],
            )
        });
        assert!(no_subscriber.is_err(), "{label}");
        // An erased row must have no key, and only an erased one.
        let keyed_erased = database.open_engine().unwrap().with(|db| {
            db.execute(
                "UPDATE subscriptions SET status = 'erased' WHERE id = 'sub_gone'",
                &[],
            )
        });
        assert!(keyed_erased.is_err(), "{label}");
        // An old subscriber's old e-mails are found by the erasure through the new link.
        let report = subs
            .erase_subscription(&ErasureTarget::Id("sub_old".into()), 40, &every_fingerprint)
            .unwrap()
            .unwrap();
        assert_eq!(
            (report.emails_cancelled, report.emails_scrubbed),
            (1, 2),
            "{label}"
        );
        assert!(rows_containing(&database, "old@prospect.example").is_empty());
        assert_eq!(outbox_row(&database, 3).1, "jane@prospect.example");
    }
}

#[test]
fn db_copy_moves_an_erased_subscription_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let source = open(
        "sqlite",
        Database::Sqlite(dir.path().join("source.sqlite3")),
        tempfile::tempdir().unwrap(),
    );
    let subs = source.subscriptions.as_ref();
    for r in [
        request(ANN, "subprocessors", "k-ann-1", ANN_IP, ANN_AGENT, 1_000),
        request(BO, "subprocessors", "k-bo-1", BO_IP, "bo/1", 1_001),
    ] {
        subs.subscribe(&r, &confirmation).unwrap();
        subs.confirm_subscription(&r.new_id, "2026-12", &action(BO_IP, "x/1", 1_100))
            .unwrap();
    }
    subs.queue_notices(2, &"ab".repeat(32), 2_000, &notice)
        .unwrap();
    subs.erase_subscription(
        &ErasureTarget::EmailKey(ANN_KEY.into()),
        3_000,
        &every_fingerprint,
    )
    .unwrap()
    .unwrap();
    let mut targets = vec![Database::Sqlite(dir.path().join("target.sqlite3"))];
    if let Some(url) = pg::fresh_database("copy_erased") {
        targets.push(Database::Postgres {
            url,
            settings: settings(),
        });
    }
    for target in targets {
        copy::copy(&source.database, &target, false).unwrap();
        let (store, copied) = target.open_stores().unwrap();
        assert_eq!(
            copied.list_subscriptions(10).unwrap(),
            subs.list_subscriptions(10).unwrap()
        );
        assert_eq!(
            copied.list_notices(None, 10).unwrap(),
            subs.list_notices(None, 10).unwrap()
        );
        assert_eq!(
            copied.subscription_events("sub_kann1").unwrap(),
            subs.subscription_events("sub_kann1").unwrap()
        );
        assert_eq!(
            store.outbox(None, 10).unwrap(),
            source.store.outbox(None, 10).unwrap()
        );
        let links = |database: &Database| -> Vec<Vec<Value>> {
            database
                .open_engine()
                .unwrap()
                .with(|db| {
                    db.query(
                        "SELECT id, subscription_id, status FROM outbox ORDER BY id",
                        &[],
                    )
                })
                .unwrap()
                .into_iter()
                .map(|row| row.0)
                .collect()
        };
        assert_eq!(links(&target), links(&source.database));
        assert!(rows_containing(&target, ANN_KEY).is_empty());
        // The erased address subscribes afresh in the copy too.
        assert_eq!(
            copied
                .subscribe(
                    &request(ANN, "other", "k-ann-9", ANN_IP, ANN_AGENT, 4_000),
                    &confirmation
                )
                .unwrap(),
            SubscribeOutcome::ConfirmationQueued
        );
    }
}

#[test]
fn an_erasure_during_notify_runs_never_leaves_a_notice_queued_for_the_address() {
    for engine in engines("erase_race") {
        let label = engine.label;
        let subs = engine.subscriptions.clone();
        // Fifteen subscribers, then Ann: a run reaches her last.
        for n in 0..15 {
            let r = request(
                &format!("reader{n}@prospect.example"),
                "subprocessors",
                &format!("k-reader-{n}"),
                BO_IP,
                "reader/1",
                100 + n,
            );
            subs.subscribe(&r, &confirmation).unwrap();
            subs.confirm_subscription(&r.new_id, "2026-12", &action(BO_IP, "r/1", 200))
                .unwrap();
        }
        let ann = request(ANN, "subprocessors", "k-ann-1", ANN_IP, ANN_AGENT, 300);
        subs.subscribe(&ann, &confirmation).unwrap();
        subs.confirm_subscription(
            &ann.new_id,
            "2026-12",
            &action(ANN_CONFIRM_IP, ANN_CONFIRM_AGENT, 400),
        )
        .unwrap();
        for version in 2..5 {
            let barrier = Arc::new(std::sync::Barrier::new(3));
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    let subs = subs.clone();
                    let barrier = barrier.clone();
                    std::thread::spawn(move || {
                        barrier.wait();
                        // A slow plan keeps the run's transaction open while the erasure comes in.
                        subs.queue_notices(version, &"ab".repeat(32), 500, &|s| {
                            std::thread::sleep(std::time::Duration::from_millis(2));
                            notice(s)
                        })
                        .unwrap()
                    })
                })
                .collect();
            let eraser = {
                let subs = subs.clone();
                let barrier = barrier.clone();
                let key = if version == 2 {
                    ErasureTarget::EmailKey(ANN_KEY.into())
                } else {
                    ErasureTarget::Id(ann.new_id.clone())
                };
                std::thread::spawn(move || {
                    barrier.wait();
                    std::thread::sleep(std::time::Duration::from_millis(10));
                    subs.erase_subscription(&key, 600, &every_fingerprint)
                        .unwrap()
                })
            };
            for run in runs {
                run.join().unwrap();
            }
            assert!(eraser.join().unwrap().is_some(), "{label}");
            let rows = rows_containing(&engine.database, ANN_KEY);
            assert!(rows.is_empty(), "{label} v{version}: {rows:#?}");
            let pending = engine
                .database
                .open_engine()
                .unwrap()
                .with(|db| {
                    db.query(
                        "SELECT id FROM outbox WHERE subscription_id = ?1 AND status = 'pending'",
                        &[ann.new_id.as_str().into()],
                    )
                })
                .unwrap();
            assert!(pending.is_empty(), "{label} v{version}: {pending:?}");
            // Each reader got this version's notice exactly once, whoever went first.
            let notices = subs.list_notices(Some(version), 100).unwrap();
            assert_eq!(
                notices
                    .iter()
                    .filter(|n| n.subscription_id != ann.new_id)
                    .count(),
                15,
                "{label} v{version}"
            );
        }
    }
}

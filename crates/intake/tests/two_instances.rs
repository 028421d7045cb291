//! Several instances on one PostgreSQL database (issue 20), with the real service binary (the same
//! `run_serve` as `trustctl serve`), a real SMTP server on loopback and real PostgreSQL:
//!
//! - two instances receive the same retries at the same time: one row per idempotency key;
//! - both drain the outbox: every message is delivered exactly once while both run, and both deliver;
//! - one instance is killed with SIGKILL mid-stream: no acknowledged request is lost, the survivor
//!   delivers everything (the dead instance's claims come back after the lease), and at most the one
//!   message that was in flight at the kill is sent twice (with the same Message-ID);
//! - PostgreSQL stopped for a few seconds under load: fast `503 database_unavailable` with
//!   `Retry-After`, never a hang and never a `201` that was not committed, then `201` again.

mod common;
#[path = "support/postgres.rs"]
mod pg;
#[path = "support/smtp.rs"]
mod smtp;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use common::*;
use smtp::{free_port, SmtpServer};
use trust_intake::store::postgres::PostgresSettings;
use trust_intake::store::{Channel, Database, OutboxMessage, Store};

/// A service configuration on `url`, with `[smtp]` when `smtp_port` is given.
fn env_on(url: &str, smtp_port: Option<u16>, postgres: &str) -> Env {
    let env = Env::new(&Options {
        notify_email: Some("security@vendor.example".into()),
        ..Options::default()
    });
    let mut text = format!("database_url = \"{url}\"\n");
    text.push_str(&std::fs::read_to_string(&env.config_path).unwrap());
    text.push_str(&format!("\n[postgres]\n{postgres}\n"));
    if let Some(port) = smtp_port {
        text.push_str(&format!(
            "\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\n\
             from = \"Acme Trust <trust@vendor.example>\"\nmax_per_minute = 60000\n\
             initial_backoff_ms = 100\nmax_attempts = 50\ntimeout_secs = 5\n"
        ));
    }
    std::fs::write(&env.config_path, text).unwrap();
    env
}

const DB_PASSWORD: &str = "db-password-that-must-never-be-logged";

/// A running instance; its log lines (stderr) go to `log`.
struct Instance {
    child: Child,
    base: String,
    log: PathBuf,
}

fn spawn(env: &Env, name: &str) -> Instance {
    let log = env.dir.path().join(format!("{name}.log"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_trust-intake-serve"))
        .arg("--config")
        .arg(&env.config_path)
        // The test cluster trusts loopback, so the password is not needed; it must never be logged.
        .env("TRUST_INTAKE_DATABASE_PASSWORD", DB_PASSWORD)
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let base = announced_base(&mut child);
    Instance { child, base, log }
}

impl Instance {
    fn url(&self) -> String {
        format!("{}/v1/access-requests", self.base)
    }

    /// How many e-mails this instance's log says it delivered.
    fn delivered(&self) -> usize {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("mail: message") && l.contains(" delivered ("))
            .count()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn store_on(url: &str) -> Arc<dyn Store> {
    Database::Postgres {
        url: url.into(),
        settings: PostgresSettings::default(),
    }
    .open_store()
    .unwrap()
}

fn email_rows(store: &dyn Store) -> Vec<OutboxMessage> {
    store
        .outbox(None, 100_000)
        .unwrap()
        .into_iter()
        .filter(|m| m.channel == Channel::Email)
        .collect()
}

fn wait_all_delivered(store: &dyn Store, within: Duration) -> Vec<OutboxMessage> {
    let deadline = Instant::now() + within;
    loop {
        let rows = email_rows(store);
        if rows.iter().all(|m| m.status == "delivered") {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "not all delivered: {:?}",
            rows.iter()
                .filter(|m| m.status != "delivered")
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Message-ID → copies that arrived.
fn arrivals(maildir: &Path) -> BTreeMap<String, usize> {
    let mut arrived = BTreeMap::new();
    for mail in smtp::messages(maildir) {
        *arrived.entry(mail.message_id).or_insert(0) += 1;
    }
    arrived
}

fn expected_ids(rows: &[OutboxMessage]) -> BTreeSet<String> {
    rows.iter()
        .map(|m| {
            format!(
                "outbox-{}.{}@vendor.example",
                m.id,
                m.request_id.as_deref().unwrap()
            )
        })
        .collect()
}

#[test]
fn two_instances_share_one_database_without_losing_or_repeating() {
    let Some(url) = pg::fresh_database("two") else {
        return;
    };
    let maildir = tempfile::tempdir().unwrap();
    let smtp_port = free_port();
    let _smtp = SmtpServer::start(smtp_port, maildir.path(), &["--delay", "0.01"]);
    // A short lease so the killed instance's claims come back within the test.
    let env = env_on(&url, Some(smtp_port), "claim_lease_secs = 3");
    let a = spawn(&env, "a");
    let mut b = spawn(&env, "b");
    let store = store_on(&url);

    // 1. The same retries reach both instances at the same moment: one row per key.
    let keys = 30;
    let barrier = Arc::new(Barrier::new(2));
    let send_all = |target: String, barrier: Arc<Barrier>| {
        std::thread::spawn(move || {
            barrier.wait();
            (0..keys)
                .map(|n| {
                    let reply = post(
                        &target,
                        &submission(
                            &format!("p{n}@prospect.example"),
                            &format!("shared-retry-{n:05}"),
                        ),
                    );
                    assert!(
                        reply.status == 201 || reply.status == 200,
                        "{} {}",
                        reply.status,
                        String::from_utf8_lossy(&reply.body)
                    );
                    (
                        reply.status,
                        reply.json()["request_id"].as_str().unwrap().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    let from_a = send_all(a.url(), barrier.clone());
    let from_b = send_all(b.url(), barrier);
    let (from_a, from_b) = (from_a.join().unwrap(), from_b.join().unwrap());
    for (n, ((status_a, id_a), (status_b, id_b))) in from_a.iter().zip(&from_b).enumerate() {
        assert_eq!(
            id_a, id_b,
            "key {n}: both instances must answer with the one request"
        );
        assert_eq!(
            [*status_a, *status_b].iter().filter(|s| **s == 201).count(),
            1,
            "key {n}: exactly one 201 (the other a 200 replay)"
        );
    }
    assert_eq!(store.list_requests(None, 1000).unwrap().len(), keys);

    // 2. Both drain the outbox; while both run every message arrives exactly once.
    let rows = wait_all_delivered(store.as_ref(), Duration::from_secs(60));
    assert_eq!(
        rows.len(),
        keys * 2,
        "a receipt and a vendor notice per request"
    );
    std::thread::sleep(Duration::from_millis(300));
    let arrived = arrivals(maildir.path());
    assert_eq!(
        arrived.keys().cloned().collect::<BTreeSet<_>>(),
        expected_ids(&rows)
    );
    assert!(
        arrived.values().all(|n| *n == 1),
        "a message was delivered twice: {arrived:?}"
    );
    let (by_a, by_b) = (a.delivered(), b.delivered());
    assert_eq!(by_a + by_b, keys * 2);
    assert!(
        by_a > 0 && by_b > 0,
        "both instances deliver (a {by_a}, b {by_b})"
    );

    // 3. SIGKILL of one instance mid-stream: submissions alternate between the two, then `a` dies.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let a_url = a.url();
    let b_url = b.url();
    let submitter = {
        let acknowledged = acknowledged.clone();
        std::thread::spawn(move || {
            let agent = agent();
            for n in 0..80 {
                let target = if n % 2 == 0 { &a_url } else { &b_url };
                let body = submission(
                    &format!("k{n}@prospect.example"),
                    &format!("kill-retry-{n:05}"),
                );
                let result = agent
                    .post(target)
                    .header("Origin", ALLOWED_ORIGIN)
                    .header("Content-Type", "application/json")
                    .send(serde_json::to_string(&body).unwrap());
                if let Ok(mut response) = result {
                    if response.status() == 201 {
                        let json: serde_json::Value =
                            serde_json::from_str(&response.body_mut().read_to_string().unwrap())
                                .unwrap();
                        acknowledged
                            .lock()
                            .unwrap()
                            .push(json["request_id"].as_str().unwrap().into());
                    }
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 20 {
        assert!(Instant::now() < deadline, "submissions stalled");
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut a = a;
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    submitter.join().unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 40,
        "the survivor kept acknowledging: {}",
        acknowledged.len()
    );
    for id in &acknowledged {
        assert!(
            store.get_request(id).unwrap().is_some(),
            "acknowledged request {id} was lost"
        );
    }

    // The survivor delivers everything, including the dead instance's claims after the lease.
    let rows = wait_all_delivered(store.as_ref(), Duration::from_secs(60));
    std::thread::sleep(Duration::from_millis(300));
    let arrived = arrivals(maildir.path());
    assert_eq!(
        arrived.keys().cloned().collect::<BTreeSet<_>>(),
        expected_ids(&rows)
    );
    let duplicates: usize = arrived.values().map(|n| n - 1).sum();
    assert!(
        duplicates <= 1,
        "only a message in flight at the kill may be sent twice: {duplicates}"
    );
    eprintln!(
        "two_instances: {} requests acknowledged around the kill, {} e-mails, {duplicates} sent twice",
        acknowledged.len(),
        rows.len()
    );
    b.child.kill().unwrap();
    b.child.wait().unwrap();
}

#[test]
fn postgres_restart_under_load_gives_fast_503_then_recovers() {
    let Some(cluster) = pg::PrivateCluster::start() else {
        return;
    };
    let url = cluster.url("trust");
    let env = env_on(
        &url,
        None,
        "pool_wait_ms = 1000\nconnect_timeout_ms = 1000\nstatement_timeout_ms = 2000",
    );
    let instance = spawn(&env, "restart");
    let target = instance.url();
    // (key, status, seconds, request id or error code, Retry-After)
    type Outcome = (String, u16, f64, String, Option<String>);
    let outcomes = Arc::new(Mutex::new(Vec::<Outcome>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load: Vec<_> = (0..3)
        .map(|worker| {
            let outcomes = outcomes.clone();
            let stop = stop.clone();
            let target = target.clone();
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    let key = format!("restart-{worker}-{n:06}");
                    n += 1;
                    let started = Instant::now();
                    let reply = post(
                        &target,
                        &submission(&format!("{key}@prospect.example"), &key),
                    );
                    let seconds = started.elapsed().as_secs_f64();
                    let detail = if reply.status == 201 {
                        reply.json()["request_id"]
                            .as_str()
                            .unwrap_or_default()
                            .to_string()
                    } else {
                        reply.error_code()
                    };
                    let retry_after = reply.header("retry-after");
                    outcomes.lock().unwrap().push((
                        key,
                        reply.status,
                        seconds,
                        detail,
                        retry_after,
                    ));
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    cluster.stop_server();
    let stopped_at = outcomes.lock().unwrap().len();
    std::thread::sleep(Duration::from_secs(4));
    cluster.start_server();
    let restarted_at = outcomes.lock().unwrap().len();
    // Load continues until a few requests after the restart have succeeded.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let after: usize = outcomes.lock().unwrap()[restarted_at..]
            .iter()
            .filter(|o| o.1 == 201)
            .count();
        if after >= 10 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no 201 after PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for worker in load {
        worker.join().unwrap();
    }
    let outcomes = outcomes.lock().unwrap().clone();
    let unavailable: Vec<&Outcome> = outcomes.iter().filter(|o| o.1 == 503).collect();
    assert!(
        !unavailable.is_empty(),
        "the outage must be visible as 503s"
    );
    for outcome in &outcomes {
        assert!(
            outcome.1 == 201 || outcome.1 == 503,
            "unexpected answer {outcome:?}"
        );
        assert!(
            outcome.2 < 5.0,
            "a request hung for {:.1} s: {outcome:?}",
            outcome.2
        );
    }
    for outcome in &unavailable {
        assert_eq!(outcome.3, "database_unavailable", "{outcome:?}");
        assert!(outcome.4.is_some(), "503 without Retry-After: {outcome:?}");
    }
    assert!(
        outcomes[..stopped_at].iter().any(|o| o.1 == 201),
        "requests succeeded before the stop"
    );
    // Every 201 is in the database; a 503's retry with the same key commits it exactly once.
    let store = store_on(&url);
    for (key, status, _, id, _) in &outcomes {
        if *status == 201 {
            assert!(
                store.get_request(id).unwrap().is_some(),
                "acknowledged {key} ({id}) was not committed"
            );
        }
    }
    let created = outcomes.iter().filter(|o| o.1 == 201).count();
    // Retrying each refused submission: 201 (nothing had been committed) or, if the server had
    // committed just as the connection died, a 200 replay of that one row; never a conflict.
    let mut replayed = 0;
    for (key, _, _, _, _) in &unavailable {
        let reply = post(
            &target,
            &submission(&format!("{key}@prospect.example"), key),
        );
        assert!(
            reply.status == 201 || reply.status == 200,
            "retry of {key}: {} {}",
            reply.status,
            String::from_utf8_lossy(&reply.body)
        );
        replayed += usize::from(reply.status == 200);
    }
    assert_eq!(
        store.list_requests(None, 100_000).unwrap().len(),
        created + unavailable.len(),
        "one row per submitted key"
    );
    let slowest_503 = unavailable.iter().map(|o| o.2).fold(0.0, f64::max);
    eprintln!(
        "postgres_restart: {} requests, {} answered 503 (slowest {slowest_503:.2} s, {replayed} of them committed after all), {created} committed",
        outcomes.len(),
        unavailable.len()
    );
    drop(instance);
}

/// Runs the service binary expecting it to refuse to start; its error output.
fn refused_start(env: &Env) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_trust-intake-serve"))
        .arg("--config")
        .arg(&env.config_path)
        .env_remove("TRUST_INTAKE_SIGNING_SECRET")
        .output()
        .unwrap();
    assert!(!output.status.success(), "the service must refuse to start");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn postgres_instances_need_a_shared_secret_and_a_long_enough_lease() {
    let Some(url) = pg::fresh_database("refuse") else {
        return;
    };
    // No configured secret: each machine would generate its own, so links would not verify elsewhere.
    let env = env_on(&url, None, "");
    let text = std::fs::read_to_string(&env.config_path).unwrap();
    let without_secret: String = text
        .lines()
        .filter(|l| !l.starts_with("signing_secret"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&env.config_path, without_secret).unwrap();
    let error = refused_start(&env);
    assert!(error.contains("same link signing secret"), "{error}");
    assert!(!env.dir.path().join("data/signing-secret").exists());
    // A lease shorter than a paced batch of e-mails.
    let env = env_on(&url, Some(free_port()), "claim_lease_secs = 30");
    let mut text = std::fs::read_to_string(&env.config_path).unwrap();
    text = text.replace("max_per_minute = 60000", "max_per_minute = 30");
    std::fs::write(&env.config_path, text).unwrap();
    let error = refused_start(&env);
    assert!(error.contains("claim_lease_secs"), "{error}");
}

#[test]
fn admin_commands_and_the_console_work_on_postgres() {
    let Some(url) = pg::fresh_database("admin") else {
        return;
    };
    let env = env_on(&url, None, "");
    let mut text = std::fs::read_to_string(&env.config_path).unwrap();
    text.push_str("\n[console]\nlisten = \"127.0.0.1:0\"\n");
    std::fs::write(&env.config_path, text).unwrap();
    let service = spawn(&env, "admin");
    let reply = post(
        &service.url(),
        &submission("jane@prospect.example", "admin-on-postgres-1"),
    );
    assert_eq!(reply.status, 201);
    let id = reply.json()["request_id"].as_str().unwrap().to_string();
    let log = std::fs::read_to_string(&service.log).unwrap();
    assert!(log.contains("database postgres://127.0.0.1:"), "{log}");
    assert!(
        !log.contains("trust@") && !log.contains(DB_PASSWORD),
        "credentials in the log: {log}"
    );
    // `trustctl requests …` reads database_url from the same configuration.
    let listed = env.list_json();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], id.as_str());
    let approved = env.admin(&["approve", &id, "--by", "alice"]).unwrap();
    assert!(approved.contains(&id), "{approved}");
    assert_eq!(env.show_json(&id)["request"]["status"], "approved");
    assert_eq!(env.audit_events(&id), ["submitted", "approved"]);
    let outbox = env.admin(&["outbox"]).unwrap();
    assert!(outbox.contains("email"), "{outbox}");
    // The service answers the status from the same database.
    let status = get(&format!("{}/v1/access-requests/{id}", service.base));
    assert_eq!(status.status, 200);
    assert_eq!(status.json()["status"], "approved");
    // `trustctl console …` too.
    let args: trust_intake::console::admin_cli::ConsoleArgs = clap::Parser::parse_from([
        "console",
        "add-reviewer",
        "bob",
        "--config",
        env.config_path.to_str().unwrap(),
    ]);
    let mut out = Vec::new();
    trust_intake::console::admin_cli::run_console_to(args, &mut out).unwrap();
    assert!(String::from_utf8(out).unwrap().contains("enrol"));
    let console =
        trust_intake::console::db::ConsoleDb::open_database(&Database::from_config(&env.config()))
            .unwrap();
    assert!(console.reviewer_by_name("bob").unwrap().is_some());
    assert_eq!(
        pg::number(&url, "SELECT COUNT(*) FROM console_enrolments"),
        1
    );
}

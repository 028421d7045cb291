//! At-least-once e-mail: a SIGKILL of the real service process while it is sending loses no message;
//! after a restart every e-mail row is delivered, and any message sent twice carries the same
//! Message-ID both times. Also: without `[smtp]` the service says at start-up that e-mails stay queued.

mod common;
#[path = "support/smtp.rs"]
mod smtp;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use smtp::{free_port, SmtpServer};
use trust_intake::store::{Channel, SqliteStore, Store};

/// Starts the real service binary (with the SMTP password in its environment only).
fn spawn(env: &Env) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trust-intake-serve"))
        .arg("--config")
        .arg(&env.config_path)
        .env(
            "TRUST_INTAKE_SMTP_PASSWORD",
            "password-from-the-environment",
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = announced_base(&mut child);
    (child, base)
}

fn email_rows(env: &Env) -> Vec<trust_intake::store::OutboxMessage> {
    let store = SqliteStore::open(&env.config().database_path()).unwrap();
    store
        .outbox(None, 1000)
        .unwrap()
        .into_iter()
        .filter(|m| m.channel == Channel::Email)
        .collect()
}

#[test]
fn sigkill_while_sending_loses_no_message() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    // A slowish server that wants a password: the service reads it from TRUST_INTAKE_SMTP_PASSWORD.
    let _server = SmtpServer::start(
        port,
        maildir.path(),
        &[
            "--delay",
            "0.15",
            "--auth",
            "mailer:password-from-the-environment",
        ],
    );
    let env = Env::new(&Options {
        notify_email: Some("security@vendor.example".into()),
        ..Options::default()
    });
    let mut text = std::fs::read_to_string(&env.config_path).unwrap();
    text.push_str(&format!(
        "\n[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\nusername = \"mailer\"\n\
         from = \"Acme Trust <trust@vendor.example>\"\nmax_per_minute = 60000\n\
         initial_backoff_ms = 100\nmax_attempts = 50\ntimeout_secs = 5\n"
    ));
    std::fs::write(&env.config_path, text).unwrap();

    let (mut child, base) = spawn(&env);
    let url = format!("{base}/v1/access-requests");
    for n in 0..12 {
        let reply = post(
            &url,
            &submission(
                &format!("p{n}@prospect.example"),
                &format!("key-mail-crash-{n:04}"),
            ),
        );
        assert_eq!(reply.status, 201);
    }
    let total = email_rows(&env).len();
    assert_eq!(total, 24, "a receipt and a vendor notice per request");

    // Kill -9 once some mail is out and the rest is still being sent.
    let deadline = Instant::now() + Duration::from_secs(30);
    while smtp::messages(maildir.path()).len() < 4 {
        assert!(Instant::now() < deadline, "no mail went out");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before_restart = smtp::messages(maildir.path()).len();
    let undelivered = email_rows(&env)
        .iter()
        .filter(|m| m.status != "delivered")
        .count();
    assert!(undelivered > 0, "the kill came while mail was still queued");

    let (mut child, _) = spawn(&env);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let rows = email_rows(&env);
        if rows.iter().all(|m| m.status == "delivered") {
            break;
        }
        assert!(Instant::now() < deadline, "not all delivered: {rows:#?}");
        std::thread::sleep(Duration::from_millis(25));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    // Every row arrived; nothing arrived that is not a row; repeats are the same message.
    let rows = email_rows(&env);
    let expected: BTreeSet<String> = rows
        .iter()
        .map(|m| {
            format!(
                "outbox-{}.{}@vendor.example",
                m.id,
                m.request_id.as_deref().unwrap()
            )
        })
        .collect();
    let mut arrived: BTreeMap<String, Vec<smtp::Mail>> = BTreeMap::new();
    for mail in smtp::messages(maildir.path()) {
        arrived
            .entry(mail.message_id.clone())
            .or_default()
            .push(mail);
    }
    assert_eq!(arrived.keys().cloned().collect::<BTreeSet<_>>(), expected);
    for copies in arrived.values() {
        for copy in copies {
            assert_eq!(copy.text, copies[0].text);
            assert_eq!(copy.envelope_to, copies[0].envelope_to);
        }
    }
    let duplicates: usize = arrived.values().map(|c| c.len() - 1).sum();
    eprintln!(
        "mail_crash: {total} e-mails, {before_restart} out before the kill, {duplicates} sent twice after it"
    );
}

#[test]
fn without_smtp_the_service_says_mail_stays_queued() {
    let env = Env::new(&Options::default());
    let mut child = Command::new(env!("CARGO_BIN_EXE_trust-intake-serve"))
        .arg("--config")
        .arg(&env.config_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let mut said = false;
    while stderr.read_line(&mut line).is_ok_and(|n| n > 0) {
        if line.contains("e-mails stay queued") {
            said = true;
            break;
        }
        line.clear();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(said, "start-up message about queued e-mail");
}

//! E-mail delivery against a real SMTP server (aiosmtpd) on 127.0.0.1: what arrives (headers, both
//! alternatives, the link, which downloads the document), retries, permanent failures, timeouts,
//! STARTTLS with a test CA, AUTH, `trustctl mail test`, and the checks of `[smtp]` at start-up.

mod common;
#[path = "support/smtp.rs"]
mod smtp;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use smtp::{free_port, link_in, make_certificates, wait_for_messages, Mail, SmtpServer};
use trust_intake::mail::cli::{run_mail_to, MailArgs};
use trust_intake::RunningServer;

const FROM: &str = "Acme Trust <trust@vendor.example>";
const VENDOR: &str = "security@vendor.example";

/// `[smtp]` for a loopback server on `port`, with some keys replaced or added.
fn smtp_section(port: u16, overrides: &[(&str, &str)]) -> String {
    let mut keys: BTreeMap<&str, String> = BTreeMap::from([
        ("host", "\"127.0.0.1\"".to_string()),
        ("port", port.to_string()),
        ("tls", "\"none\"".to_string()),
        ("from", format!("\"{FROM}\"")),
        ("reply_to", format!("\"{VENDOR}\"")),
        ("envelope_from", "\"bounces@vendor.example\"".to_string()),
        ("timeout_secs", "5".to_string()),
        ("max_per_minute", "6000".to_string()),
        ("max_attempts", "50".to_string()),
        ("initial_backoff_ms", "100".to_string()),
        ("vendor_name", "\"Acme\"".to_string()),
        (
            "logo_url",
            "\"https://vendor.example/logo.png\"".to_string(),
        ),
    ]);
    for (key, value) in overrides {
        keys.insert(key, value.to_string());
    }
    let mut text = String::from("\n[smtp]\n");
    for (key, value) in keys {
        text.push_str(&format!("{key} = {value}\n"));
    }
    text
}

/// The shared test environment plus an `[smtp]` section. It listens on a fixed free port so that the
/// links `trustctl requests approve` prints (from `listen`, as no `public_url` is set) point at it.
fn mail_env(notify_vendor: bool, smtp: &str) -> Env {
    let options = Options {
        notify_email: notify_vendor.then(|| VENDOR.to_string()),
        listen: format!("127.0.0.1:{}", free_port()),
        ..Options::default()
    };
    let env = Env::new(&options);
    let mut text = std::fs::read_to_string(&env.config_path).unwrap();
    text.push_str(smtp);
    std::fs::write(&env.config_path, text).unwrap();
    env
}

/// The service running in-process on `env`.
struct Running {
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<RunningServer>,
    base: String,
}

impl Running {
    fn start(env: &Env) -> Running {
        let (runtime, server) = start_server(env.config());
        let base = format!("http://{}", server.local_addr());
        Running {
            runtime: Some(runtime),
            server: Some(server),
            base,
        }
    }

    fn submit(&self, email: &str, key: &str) -> String {
        let reply = post(
            &format!("{}/v1/access-requests", self.base),
            &submission(email, key),
        );
        assert_eq!(
            reply.status,
            201,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.json()["request_id"].as_str().unwrap().to_string()
    }

    /// Stops the service; returns how long the shutdown took.
    fn stop(mut self) -> Duration {
        let started = Instant::now();
        if let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) {
            runtime.block_on(server.shutdown()).unwrap();
        }
        started.elapsed()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) {
            let _ = runtime.block_on(server.shutdown());
        }
    }
}

fn outbox(env: &Env) -> Vec<Value> {
    serde_json::from_str(&env.admin(&["outbox", "--json"]).unwrap()).unwrap()
}

fn email_rows(env: &Env) -> Vec<Value> {
    outbox(env)
        .into_iter()
        .filter(|m| m["channel"] == "email")
        .collect()
}

/// Waits until `check` holds for the e-mail rows; returns them.
fn wait_for_rows(env: &Env, what: &str, check: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let rows = email_rows(env);
        if check(&rows) {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {rows:#?}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The Message-ID the service must give outbox row `row` (without the angle brackets).
fn expected_message_id(row: &Value) -> String {
    format!(
        "outbox-{}.{}@vendor.example",
        row["id"],
        row["request_id"].as_str().unwrap()
    )
}

fn to(mails: &[Mail], address: &str) -> Mail {
    mails
        .iter()
        .find(|m| m.envelope_to == address)
        .unwrap_or_else(|| panic!("no mail to {address}: {mails:#?}"))
        .clone()
}

/// Opens a download link from an e-mail as a person would and returns the document's bytes.
/// (The one place that knows how a link turns into the file: the link opens the download page, and
/// only its Download button, a form POST, serves the file.)
fn download(link: &str) -> Vec<u8> {
    let page = get_html(link);
    assert_eq!(page.status, 200, "{}", String::from_utf8_lossy(&page.body));
    assert!(
        String::from_utf8_lossy(&page.body).contains("method=\"post\""),
        "the link opens a page with a Download form"
    );
    let reply = post_form(link);
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.body
}

#[test]
fn journey_receipt_notice_and_link_arrive_and_the_link_downloads() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(port, maildir.path(), &[]);
    let env = mail_env(true, &smtp_section(port, &[]));
    let service = Running::start(&env);

    let mut body = submission("jane.doe@prospect.example", "key-mail-journey-01");
    body["company"] = "<b>Prospect</b> & Co".into();
    let reply = post(&format!("{}/v1/access-requests", service.base), &body);
    assert_eq!(reply.status, 201);
    let id = reply.json()["request_id"].as_str().unwrap().to_string();

    // The requester's receipt and the vendor's notice arrive.
    let mails = wait_for_messages(maildir.path(), 2, Duration::from_secs(20));
    let rows = wait_for_rows(&env, "two delivered rows", |rows| {
        rows.len() == 2 && rows.iter().all(|r| r["status"] == "delivered")
    });
    for mail in &mails {
        assert_eq!(mail.from, FROM);
        assert_eq!(mail.reply_to.as_deref(), Some(VENDOR));
        assert_eq!(mail.envelope_from, "bounces@vendor.example");
        assert!(mail.has_date);
        assert_eq!(mail.auto_submitted.as_deref(), Some("auto-generated"));
        assert!(
            mail.content_type.starts_with("multipart/alternative"),
            "{}",
            mail.content_type
        );
        assert_eq!((mail.text_parts, mail.html_parts), (1, 1), "{}", mail.raw);
        // The logo is the only image: no tracking pixel.
        assert_eq!(mail.html.matches("<img").count(), 1);
        assert!(mail
            .html_decoded()
            .contains("src=\"https://vendor.example/logo.png\""));
        let row = rows
            .iter()
            .find(|r| r["recipient"] == mail.envelope_to)
            .unwrap();
        assert_eq!(mail.message_id, expected_message_id(row));
        assert_eq!(row["attempts"], 1);
    }
    let receipt = to(&mails, "jane.doe@prospect.example");
    assert_eq!(receipt.to, "jane.doe@prospect.example");
    assert!(
        receipt.subject.contains("soc2-type2-2026"),
        "{}",
        receipt.subject
    );
    for part in [&receipt.text, &receipt.html] {
        assert!(part.contains("2026-01"), "NDA version in {part}");
        assert!(part.contains("3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"));
        assert!(part.contains(&id));
    }
    assert!(receipt.text.contains("What happens next"));
    let notice = to(&mails, VENDOR);
    assert_eq!(
        notice.subject,
        "New document request from <b>Prospect</b> & Co (soc2-type2-2026)"
    );
    assert!(notice
        .text
        .contains(&format!("trustctl requests approve {id}")));
    assert!(notice.text.contains("Vendor due diligence"));
    assert!(notice.text.contains("<b>Prospect</b> & Co"));
    assert!(
        notice
            .html
            .contains("&lt;b&gt;Prospect&lt;&#x2f;b&gt; &amp; Co"),
        "{}",
        notice.html
    );
    assert!(!notice.html.contains("<b>Prospect</b>"));

    // Approval: the link e-mail arrives; the link in it downloads the document and is audited.
    env.admin(&["approve", &id, "--by", "tester"]).unwrap();
    let mails = wait_for_messages(maildir.path(), 3, Duration::from_secs(20));
    let approval = mails
        .iter()
        .find(|m| m.subject.starts_with("Your access to"))
        .expect("approval e-mail");
    assert_eq!(approval.envelope_to, "jane.doe@prospect.example");
    let link = link_in(&approval.text);
    assert!(link.starts_with(&service.base), "{link}");
    assert!(
        approval
            .html_decoded()
            .contains(&format!("href=\"{link}\"")),
        "{}",
        approval.html
    );
    let document = download(&link);
    assert!(document.starts_with(b"%PDF-"), "a PDF");
    let pdf_dir = tempfile::tempdir().unwrap();
    let pages = common::pdf::pdftotext_pages(&document, pdf_dir.path());
    assert!(
        pages.iter().all(|page| page.contains(&id)),
        "every page stamped with the request id: {pages:?}"
    );
    assert_eq!(
        env.audit_events(&id),
        ["submitted", "approved", "page_viewed", "downloaded"]
    );
    wait_for_rows(&env, "three delivered rows", |rows| {
        rows.len() == 3 && rows.iter().all(|r| r["status"] == "delivered")
    });
}

#[test]
fn server_down_then_up_delivers_later_with_the_rows_message_id() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port(); // nothing listens yet: connections are refused
    let env = mail_env(false, &smtp_section(port, &[]));
    let service = Running::start(&env);
    let id = service.submit("down@prospect.example", "key-mail-down-0001");

    let rows = wait_for_rows(&env, "two failed attempts", |rows| {
        rows.len() == 1 && rows[0]["attempts"].as_i64() >= Some(2)
    });
    assert_eq!(rows[0]["status"], "pending");
    let error = rows[0]["last_error"].as_str().unwrap();
    assert!(error.contains(&format!("127.0.0.1:{port}")), "{error}");
    let table = env.admin(&["outbox"]).unwrap();
    assert!(
        table.contains("NEXT TRY") && table.contains("last error:"),
        "{table}"
    );
    assert!(table.contains("pending"), "{table}");

    let _server = SmtpServer::start(port, maildir.path(), &[]);
    let mails = wait_for_messages(maildir.path(), 1, Duration::from_secs(20));
    let rows = wait_for_rows(&env, "delivery", |rows| rows[0]["status"] == "delivered");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].message_id, expected_message_id(&rows[0]));
    assert!(mails[0].message_id.contains(&id));
    assert!(rows[0]["attempts"].as_i64() >= Some(3));
    assert_eq!(rows[0]["last_error"], Value::Null);
}

#[test]
fn temporary_rejection_is_retried_with_the_same_message_id() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(
        port,
        maildir.path(),
        &[
            "--reply",
            "451 4.7.1 Greylisted, try again later",
            "--fail-first",
            "1",
        ],
    );
    let env = mail_env(false, &smtp_section(port, &[]));
    let _service = Running::start(&env);
    let post_reply = post(
        &format!("{}/v1/access-requests", _service.base),
        &submission("grey@prospect.example", "key-mail-grey-0001"),
    );
    assert_eq!(post_reply.status, 201);

    let delivered = wait_for_messages(maildir.path(), 1, Duration::from_secs(20));
    let refused = smtp::messages(&maildir.path().join("refused"));
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].message_id, delivered[0].message_id);
    assert_eq!(
        refused[0].text, delivered[0].text,
        "the same message both times"
    );
    let rows = wait_for_rows(&env, "delivery", |rows| rows[0]["status"] == "delivered");
    assert_eq!(rows[0]["attempts"], 2);
    assert_eq!(delivered[0].message_id, expected_message_id(&rows[0]));
}

#[test]
fn permanent_rejection_marks_the_row_failed_with_the_servers_answer() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(
        port,
        maildir.path(),
        &["--reply", "550 5.7.1 Message rejected by policy"],
    );
    let env = mail_env(false, &smtp_section(port, &[]));
    let service = Running::start(&env);
    service.submit("rejected@prospect.example", "key-mail-reject-01");

    let rows = wait_for_rows(&env, "failure", |rows| rows[0]["status"] == "failed");
    assert_eq!(rows[0]["attempts"], 1);
    let error = rows[0]["last_error"].as_str().unwrap();
    assert!(
        error.contains("550") && error.contains("Message rejected by policy"),
        "{error}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        smtp::messages(&maildir.path().join("refused")).len(),
        1,
        "not retried"
    );
    assert!(smtp::messages(maildir.path()).is_empty());
    let table = env.admin(&["outbox"]).unwrap();
    assert!(
        table.contains("failed") && table.contains("Message rejected by policy"),
        "{table}"
    );
}

#[test]
fn slow_server_times_out_and_the_row_stays_pending() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(port, maildir.path(), &["--delay", "4"]);
    let env = mail_env(false, &smtp_section(port, &[("timeout_secs", "1")]));
    let service = Running::start(&env);
    service.submit("slow@prospect.example", "key-mail-slow-0001");

    let rows = wait_for_rows(&env, "a timed-out attempt", |rows| {
        rows[0]["attempts"].as_i64() >= Some(1)
    });
    assert_eq!(rows[0]["status"], "pending");
    let error = rows[0]["last_error"].as_str().unwrap();
    assert!(
        error.contains("within 1 s") || error.contains("timed out"),
        "{error}"
    );
    // Stopping does not wait for the slow server beyond the per-message timeout.
    assert!(service.stop() < Duration::from_secs(3));
}

#[test]
fn starttls_with_a_test_ca_and_auth() {
    let certs = tempfile::tempdir().unwrap();
    let (ca, cert, key) = make_certificates(certs.path());
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(
        port,
        maildir.path(),
        &[
            "--tls-cert",
            cert.to_str().unwrap(),
            "--tls-key",
            key.to_str().unwrap(),
            "--auth",
            "mailer:correct-horse-battery",
        ],
    );
    let secured = |password: &str, with_ca: bool| {
        let mut overrides = vec![
            ("tls", "\"starttls\"".to_string()),
            ("username", "\"mailer\"".to_string()),
            ("password", format!("\"{password}\"")),
        ];
        if with_ca {
            overrides.push(("ca_file", format!("\"{}\"", ca.display())));
        }
        let overrides: Vec<(&str, &str)> =
            overrides.iter().map(|(k, v)| (*k, v.as_str())).collect();
        smtp_section(port, &overrides)
    };

    // Through the service.
    let env = mail_env(false, &secured("correct-horse-battery", true));
    let service = Running::start(&env);
    service.submit("tls@prospect.example", "key-mail-tls-00001");
    let mails = wait_for_messages(maildir.path(), 1, Duration::from_secs(20));
    assert_eq!(mails[0].envelope_to, "tls@prospect.example");
    wait_for_rows(&env, "delivery", |rows| rows[0]["status"] == "delivered");
    drop(service);

    // `trustctl mail test` reports each outcome.
    let mail_test = |env: &Env| {
        let args = <MailArgs as clap::Parser>::try_parse_from([
            "mail",
            "test",
            "--to",
            "ops@vendor.example",
            "--config",
            env.config_path.to_str().unwrap(),
        ])
        .unwrap();
        let mut out = Vec::new();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let code = runtime.block_on(run_mail_to(args, &mut out)).unwrap();
        (code, String::from_utf8(out).unwrap())
    };
    let (code, out) = mail_test(&env);
    assert_eq!(code, std::process::ExitCode::SUCCESS, "{out}");
    assert!(
        out.contains("Sent         the server answered: 250"),
        "{out}"
    );
    assert!(
        !out.contains("correct-horse-battery"),
        "the password is never printed"
    );
    let mails = wait_for_messages(maildir.path(), 2, Duration::from_secs(10));
    let test_mail = to(&mails, "ops@vendor.example");
    assert!(
        test_mail.subject.starts_with("Test message"),
        "{}",
        test_mail.subject
    );

    let wrong_password = mail_env(false, &secured("wrong-password", true));
    let (code, out) = mail_test(&wrong_password);
    assert_ne!(code, std::process::ExitCode::SUCCESS);
    assert!(out.contains("NOT SENT") && out.contains("535"), "{out}");

    let untrusted = mail_env(false, &secured("correct-horse-battery", false));
    let (code, out) = mail_test(&untrusted);
    assert_ne!(code, std::process::ExitCode::SUCCESS);
    assert!(
        out.contains("NOT SENT") && out.to_lowercase().contains("certificate"),
        "{out}"
    );
}

#[test]
fn unusable_smtp_settings_are_refused_naming_the_key() {
    let port = free_port();
    let load = |section: String| {
        let env = mail_env(false, &section);
        let result = trust_intake::Config::load(&env.config_path);
        (env, result)
    };
    let (_, bad_tls) = load(smtp_section(port, &[("tls", "\"ssl\"")]));
    assert!(bad_tls.unwrap_err().to_string().contains("smtp.tls"));
    let (_, plain_remote) = load(smtp_section(port, &[("host", "\"smtp.example.com\"")]));
    let message = plain_remote.unwrap_err().to_string();
    assert!(
        message.contains("smtp.tls") && message.contains("smtp.example.com"),
        "{message}"
    );
    let (_, bad_from) = load(smtp_section(port, &[("from", "\"no address\"")]));
    assert!(bad_from.unwrap_err().to_string().contains("smtp.from"));

    // A user name without any password passes the file check but stops `serve`.
    let (env, loaded) = load(smtp_section(port, &[("username", "\"mailer\"")]));
    let config = loaded.unwrap();
    assert!(std::env::var("TRUST_INTAKE_SMTP_PASSWORD").is_err());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let error = runtime
        .block_on(trust_intake::start(config))
        .err()
        .expect("refused")
        .to_string();
    assert!(
        error.contains("TRUST_INTAKE_SMTP_PASSWORD") && error.contains("smtp.username"),
        "{error}"
    );
    drop(env);
}

#[test]
fn sends_are_spaced_by_max_per_minute() {
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(port, maildir.path(), &[]);
    // 120 per minute: one message every 500 ms at most, however many are due.
    let env = mail_env(true, &smtp_section(port, &[("max_per_minute", "120")]));
    let service = Running::start(&env);
    service.submit("pace1@prospect.example", "key-mail-pace-0001");
    service.submit("pace2@prospect.example", "key-mail-pace-0002");

    let mails = wait_for_messages(maildir.path(), 4, Duration::from_secs(20));
    // The server names each file after the nanosecond it stored it.
    let stored_at: Vec<u128> = mails
        .iter()
        .map(|m| {
            let name = m.file.file_name().unwrap().to_str().unwrap();
            name.split('-').next().unwrap().parse().unwrap()
        })
        .collect();
    for pair in stored_at.windows(2) {
        let gap_ms = (pair[1] - pair[0]) / 1_000_000;
        assert!(gap_ms >= 450, "messages {gap_ms} ms apart: {stored_at:?}");
    }
}

#[test]
fn dkim_signature_verifies_with_an_independent_verifier() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, public_key) = smtp::make_dkim_key(keys.path());
    let maildir = tempfile::tempdir().unwrap();
    let port = free_port();
    let _server = SmtpServer::start(port, maildir.path(), &[]);
    let key_path = format!("\"{}\"", key_file.display());
    let env = mail_env(
        true,
        &smtp_section(
            port,
            &[
                ("dkim_selector", "\"tc2026\""),
                ("dkim_key_file", &key_path),
            ],
        ),
    );
    let service = Running::start(&env);
    let mut body = submission("dkim@prospect.example", "key-mail-dkim-0001");
    body["company"] = "Prösp€ct <GmbH> & Co".into();
    let reply = post(&format!("{}/v1/access-requests", service.base), &body);
    assert_eq!(reply.status, 201);

    let mails = wait_for_messages(maildir.path(), 2, Duration::from_secs(20));
    let record = format!("v=DKIM1; k=rsa; p={public_key}");
    for mail in &mails {
        assert!(mail.raw.contains("DKIM-Signature:"), "{}", mail.raw);
        assert!(
            smtp::dkim_verifies(&mail.file, "tc2026._domainkey.vendor.example", &record),
            "DKIM does not verify: {}",
            mail.raw
        );
    }
    // The check can fail: a changed byte in the body breaks the signature.
    let tampered = maildir.path().join("tampered.eml");
    let changed = mails[0].raw.replacen("Jane Doe", "Jane Dough", 1);
    assert_ne!(changed, mails[0].raw);
    std::fs::write(&tampered, changed).unwrap();
    assert!(!smtp::dkim_verifies(
        &tampered,
        "tc2026._domainkey.vendor.example",
        &record
    ));
}

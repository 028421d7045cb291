//! Update subscriptions and change notices against the real service on 127.0.0.1, a real SQLite file
//! and the real SMTP test server (aiosmtpd): double opt-in (the GET page never confirms, the POST
//! does), signed links (forged or altered refused), RFC 8058 headers and one-click unsubscribe, the
//! preferences page, caps per address and per IP, and notices queued once per (subscriber, version)
//! in the categories each subscriber chose, never to unconfirmed addresses. The journey also runs on
//! PostgreSQL (TEST_POSTGRES_URL) with two instances and two concurrent `trustctl notify` runs.

mod common;
#[path = "support/postgres.rs"]
mod pg;
#[path = "support/smtp.rs"]
mod smtp;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use smtp::{free_port, wait_for_messages, Mail, SmtpServer};
use trust_intake::notices::cli::{run_notices_to, run_notify_to, NoticesArgs};
use trust_intake::notices::{ChangeNotice, SubprocessorFacts, VersionNotice};
use trust_intake::subscriptions::Category;
use trust_intake::RunningServer;

/// The environment of the shared harness plus `[smtp]` for the loopback server and `[subscriptions]`.
fn env_with(smtp_port: u16, subscriptions: &str, extra_smtp: &str) -> Env {
    let env = Env::new(&Options::default());
    let mut text = std::fs::read_to_string(&env.config_path).unwrap();
    text.push_str(&format!(
        "\n[smtp]\nhost = \"127.0.0.1\"\nport = {smtp_port}\ntls = \"none\"\nfrom = \"Acme Trust <trust@vendor.example>\"\n\
         timeout_secs = 5\nmax_per_minute = 6000\ninitial_backoff_ms = 100\nvendor_name = \"Acme\"\n{extra_smtp}\
         \n[subscriptions]\n{subscriptions}\n"
    ));
    std::fs::write(&env.config_path, text).unwrap();
    env
}

struct Running {
    env: Env,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<RunningServer>,
    base: String,
    smtp: Option<SmtpServer>,
    smtp_port: u16,
    maildir: tempfile::TempDir,
}

impl Running {
    fn start(subscriptions: &str) -> Running {
        Running::start_with(subscriptions, "")
    }

    fn start_with(subscriptions: &str, extra_smtp: &str) -> Running {
        let maildir = tempfile::tempdir().unwrap();
        let port = free_port();
        let smtp = SmtpServer::start(port, maildir.path(), &[]);
        let env = env_with(port, subscriptions, extra_smtp);
        let (runtime, server) = start_server(env.config());
        let base = format!("http://{}", server.local_addr());
        Running {
            env,
            runtime: Some(runtime),
            server: Some(server),
            base,
            smtp: Some(smtp),
            smtp_port: port,
            maildir,
        }
    }

    /// The service on the PostgreSQL database at `url` (`database_url` in the configuration).
    fn start_on_postgres(url: &str, subscriptions: &str) -> Running {
        let maildir = tempfile::tempdir().unwrap();
        let port = free_port();
        let smtp = SmtpServer::start(port, maildir.path(), &[]);
        let env = env_with(port, subscriptions, "");
        let text = std::fs::read_to_string(&env.config_path).unwrap();
        std::fs::write(
            &env.config_path,
            format!("database_url = \"{url}\"\n{text}"),
        )
        .unwrap();
        let (runtime, server) = start_server(env.config());
        let base = format!("http://{}", server.local_addr());
        Running {
            env,
            runtime: Some(runtime),
            server: Some(server),
            base,
            smtp: Some(smtp),
            smtp_port: port,
            maildir,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the SMTP server: deliveries fail (and are retried) until [`Running::start_smtp`].
    fn stop_smtp(&mut self) {
        if let Some(server) = self.smtp.take() {
            server.stop();
        }
    }

    /// Starts the SMTP server again on its port.
    fn start_smtp(&mut self) {
        self.smtp = Some(SmtpServer::start(self.smtp_port, self.maildir.path(), &[]));
    }

    fn notices(&self, args: NoticesArgs) -> Result<String, trust_intake::IntakeError> {
        let mut out = Vec::new();
        run_notices_to(args, &mut out).map(|_| String::from_utf8(out).unwrap())
    }

    fn notices_args(&self) -> NoticesArgs {
        NoticesArgs {
            config: self.env.config_path.clone(),
            version: None,
            subscribers: false,
            subscriber: None,
            erase_subscriber: None,
            limit: 100,
            json: false,
        }
    }

    /// `trustctl notices --erase-subscriber TARGET`.
    fn erase(&self, target: &str) -> Result<String, trust_intake::IntakeError> {
        self.notices(NoticesArgs {
            erase_subscriber: Some(target.into()),
            ..self.notices_args()
        })
    }

    fn subscribe(&self, email: &str, categories: &[&str], key: &str) -> Reply {
        post_raw(
            &self.url("/v1/subscriptions"),
            &json!({"email": email, "categories": categories, "idempotency_key": key}).to_string(),
            Some(ALLOWED_ORIGIN),
        )
    }

    fn mails(&self, count: usize) -> Vec<Mail> {
        wait_for_messages(self.maildir.path(), count, Duration::from_secs(20))
    }

    fn subscribers(&self) -> Vec<Value> {
        let args = NoticesArgs {
            config: self.env.config_path.clone(),
            version: None,
            subscribers: true,
            subscriber: None,
            erase_subscriber: None,
            limit: 100,
            json: true,
        };
        let mut out = Vec::new();
        run_notices_to(args, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    fn status_of(&self, email: &str) -> String {
        self.subscribers()
            .iter()
            .find(|s| s["email"] == email)
            .map(|s| s["status"].as_str().unwrap().to_string())
            .unwrap_or_else(|| "none".into())
    }

    fn notify(&self, notice: &VersionNotice) -> String {
        let mut out = Vec::new();
        run_notify_to(&self.env.config_path, notice, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn notices_json(&self) -> Vec<Value> {
        let args = NoticesArgs {
            config: self.env.config_path.clone(),
            version: None,
            subscribers: false,
            subscriber: None,
            erase_subscriber: None,
            limit: 100,
            json: true,
        };
        let mut out = Vec::new();
        run_notices_to(args, &mut out).unwrap();
        serde_json::from_slice(&out).unwrap()
    }

    /// Subscribes, waits for the confirmation mail and confirms through its page: returns the mail.
    fn subscribe_and_confirm(&self, email: &str, categories: &[&str], key: &str) -> Mail {
        let before = smtp::messages(self.maildir.path()).len();
        assert_eq!(self.subscribe(email, categories, key).status, 202);
        let mail = self
            .mails(before + 1)
            .into_iter()
            .rev()
            .find(|m| m.envelope_to == email)
            .expect("confirmation mail");
        let link = link_with(&mail.text, "/v1/subscriptions/confirm?token=");
        let reply = post_form_body(&link, &format!("token={}", token_of(&link)), Some("null"));
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        assert_eq!(self.status_of(email), "confirmed");
        mail
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) {
            let _ = runtime.block_on(server.shutdown());
        }
    }
}

/// The first link in `text` containing `marker`.
fn link_with(text: &str, marker: &str) -> String {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"));
    let start = text[..at].rfind("http").unwrap();
    text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '<' | '>'))
        .collect()
}

fn token_of(link: &str) -> String {
    link.split_once("token=").unwrap().1.to_string()
}

/// A form POST with `body`, as a browser (or a mail provider) sends it.
fn post_form_body(url: &str, body: &str, origin: Option<&str>) -> Reply {
    let mut request = agent()
        .post(url)
        .header("User-Agent", "intake-tests/1")
        .content_type("application/x-www-form-urlencoded");
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    reply(request.send(body))
}

/// A raw header of a stored message, read by the independent MIME parser.
fn header(mail: &Mail, name: &str) -> Option<String> {
    let bytes = std::fs::read(&mail.file).unwrap();
    let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
    message.header_raw(name).map(|v| v.trim().to_string())
}

fn body_text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).to_string()
}

fn subprocessor_notice(version: u64) -> VersionNotice {
    VersionNotice {
        version,
        payload_sha256: "ab".repeat(32),
        object_contact: "security@vendor.example".into(),
        history_url: Some("https://vendor.example/changes.atom".into()),
        changes: vec![ChangeNotice {
            id: format!("v{version}-subprocessor-added-acme-analytics"),
            category: Category::Subprocessors,
            date: "2026-12-02".into(),
            summary: "Acme Analytics added for product analytics".into(),
            effective_date: Some("2027-01-01".into()),
            subprocessors: vec![SubprocessorFacts {
                name: "Acme Analytics".into(),
                purpose: "Product analytics".into(),
                locations: vec!["EU".into(), "US".into()],
            }],
        }],
    }
}

#[test]
fn double_opt_in_confirms_only_on_post_and_notices_go_once_per_version() {
    let service = Running::start("");
    // Subscribe: 202, CORS answered for the widget's origin.
    let reply = service.subscribe(
        "ana@customer.example",
        &["subprocessors", "certifications"],
        "sub-journey-key-0001",
    );
    assert_eq!(reply.status, 202, "{}", body_text(&reply));
    assert_eq!(reply.json(), json!({"status": "confirmation_sent"}));
    assert_eq!(
        reply.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED_ORIGIN)
    );
    assert_eq!(service.status_of("ana@customer.example"), "pending");

    // The confirmation arrives with the RFC 8058 headers and an unsubscribe link.
    let mails = service.mails(1);
    let confirmation = &mails[0];
    assert_eq!(confirmation.envelope_to, "ana@customer.example");
    assert!(
        confirmation.subject.contains("confirm"),
        "{}",
        confirmation.subject
    );
    let list_unsubscribe = header(confirmation, "List-Unsubscribe").expect("List-Unsubscribe");
    assert!(
        list_unsubscribe.starts_with(&format!(
            "<{}/v1/subscriptions/unsubscribe?token=",
            service.base
        )),
        "{list_unsubscribe}"
    );
    assert_eq!(
        header(confirmation, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    let link = link_with(&confirmation.text, "/v1/subscriptions/confirm?token=");
    assert!(confirmation.html_decoded().contains(&link));

    // GET (a link scanner, a preview, the person) shows the page and changes nothing.
    for _ in 0..2 {
        let page = get_html(&link);
        assert_eq!(page.status, 200);
        let html = body_text(&page);
        assert!(
            html.contains("method=\"post\"") && html.contains("Confirm subscription"),
            "{html}"
        );
        assert!(html.contains("ana@customer.example"));
        assert!(page
            .header("content-security-policy")
            .unwrap()
            .contains("default-src 'none'"));
        assert_eq!(
            page.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
    }
    assert_eq!(service.status_of("ana@customer.example"), "pending");

    // Nothing reaches a pending subscriber.
    let out = service.notify(&subprocessor_notice(6));
    assert!(out.contains("Queued 0 notice(s)"), "{out}");

    // A POST from another site is refused; the page's own POST confirms.
    let cross = post_form_body(
        &link,
        &format!("token={}", token_of(&link)),
        Some("https://evil.example"),
    );
    assert_eq!(cross.status, 403);
    assert_eq!(service.status_of("ana@customer.example"), "pending");
    let confirmed = post_form_body(&link, &format!("token={}", token_of(&link)), Some("null"));
    assert_eq!(confirmed.status, 200, "{}", body_text(&confirmed));
    assert!(body_text(&confirmed).contains("Subscription confirmed"));
    let subscriber = service
        .subscribers()
        .into_iter()
        .find(|s| s["email"] == "ana@customer.example")
        .unwrap();
    assert_eq!(subscriber["status"], "confirmed");
    assert_eq!(subscriber["confirm_ip"], "127.0.0.1");
    assert_eq!(subscriber["confirm_user_agent"], "intake-tests/1");
    assert_eq!(subscriber["consent_version"], "builtin-2026-12");
    assert_eq!(
        subscriber["requested_categories"],
        "subprocessors,certifications"
    );
    assert_eq!(subscriber["request_ip"], "127.0.0.1");
    let mut out = Vec::new();
    run_notices_to(
        NoticesArgs {
            config: service.env.config_path.clone(),
            version: None,
            subscribers: false,
            subscriber: Some(subscriber["id"].as_str().unwrap().to_string()),
            erase_subscriber: None,
            limit: 10,
            json: true,
        },
        &mut out,
    )
    .unwrap();
    let trail: Value = serde_json::from_slice(&out).unwrap();
    let events: Vec<&str> = trail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(events, ["requested", "confirmation_sent", "confirmed"]);
    assert_eq!(trail["events"][2]["user_agent"], "intake-tests/1");
    assert!(trail["events"][2]["detail"]
        .as_str()
        .unwrap()
        .contains("builtin-2026-12"));

    // Subscribing a confirmed address again answers the same and sends nothing.
    let again = service.subscribe("ana@customer.example", &["other"], "sub-journey-key-0002");
    assert_eq!(
        (again.status, again.json()),
        (202, json!({"status": "confirmation_sent"}))
    );

    // Notify: one notice, naming the subprocessor, purpose, location, effective date, how to object.
    let out = service.notify(&subprocessor_notice(7));
    assert!(
        out.contains("Queued 1 notice(s)") && out.contains("ana@customer.example"),
        "{out}"
    );
    let mails = service.mails(2);
    assert_eq!(
        mails.len(),
        2,
        "no mail for the pending run or the confirmed re-request"
    );
    let notice = mails
        .iter()
        .find(|m| m.subject.contains("version 7"))
        .expect("the notice");
    for part in [&notice.text, &notice.html_decoded()] {
        for fact in [
            "Acme Analytics",
            "Product analytics",
            "EU, US",
            "2027-01-01",
            "security@vendor.example",
        ] {
            assert!(part.contains(fact), "{fact} in {part}");
        }
    }
    assert!(header(notice, "List-Unsubscribe")
        .unwrap()
        .contains("/v1/subscriptions/unsubscribe?token="));
    assert_eq!(
        header(notice, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert!(notice.text.contains("/v1/subscriptions/preferences?token="));
    assert!(notice.text.contains("https://vendor.example/changes.atom"));
    assert!(notice
        .html_decoded()
        .contains("href=\"https://vendor.example/changes.atom\""));

    // Again: nothing queued, nothing sent; the record shows the delivery.
    let out = service.notify(&subprocessor_notice(7));
    assert!(
        out.contains("Queued 0 notice(s)") && out.contains("Already notified for this version: 1"),
        "{out}"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let records = service.notices_json();
        assert_eq!(records.len(), 1, "{records:#?}");
        if records[0]["delivery"] == "delivered" {
            assert_eq!(records[0]["manifest_version"], 7);
            assert_eq!(records[0]["email"], "ana@customer.example");
            assert_eq!(
                records[0]["change_ids"],
                "v7-subprocessor-added-acme-analytics"
            );
            break;
        }
        assert!(Instant::now() < deadline, "{records:#?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(smtp::messages(service.maildir.path()).len(), 2);
}

#[test]
fn notices_follow_categories_and_skip_unconfirmed_and_unsubscribed() {
    let service = Running::start("");
    service.subscribe_and_confirm(
        "sub@customer.example",
        &["subprocessors"],
        "sub-categories-0001",
    );
    service.subscribe_and_confirm(
        "cert@customer.example",
        &["certifications"],
        "sub-categories-0002",
    );
    let gone = service.subscribe_and_confirm(
        "gone@customer.example",
        &["subprocessors"],
        "sub-categories-0003",
    );
    assert_eq!(
        service
            .subscribe(
                "pending@customer.example",
                &["subprocessors"],
                "sub-categories-0004"
            )
            .status,
        202
    );
    let before = service.mails(4).len();
    // One-click unsubscribe of "gone" before the notice.
    let unsubscribe = header(&gone, "List-Unsubscribe").unwrap();
    let unsubscribe = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let one_click = post_form_body(unsubscribe, "List-Unsubscribe=One-Click", None);
    assert_eq!(one_click.status, 200);
    assert_eq!(service.status_of("gone@customer.example"), "unsubscribed");

    let mut notice = subprocessor_notice(8);
    notice.changes.push(ChangeNotice {
        id: "v8-soc2-renewed".into(),
        category: Category::Certifications,
        date: "2026-12-02".into(),
        summary: "SOC 2 Type 2 report 2026 published".into(),
        effective_date: None,
        subprocessors: Vec::new(),
    });
    notice.changes.push(ChangeNotice {
        id: "v8-policy".into(),
        category: Category::Policies,
        date: "2026-12-02".into(),
        summary: "Incident response policy updated".into(),
        effective_date: None,
        subprocessors: Vec::new(),
    });
    let out = service.notify(&notice);
    assert!(out.contains("Queued 2 notice(s)"), "{out}");
    let mails = service.mails(before + 2);
    let new: Vec<&Mail> = mails
        .iter()
        .filter(|m| m.subject.contains("version 8"))
        .collect();
    assert_eq!(new.len(), 2);
    let sub = new
        .iter()
        .find(|m| m.envelope_to == "sub@customer.example")
        .unwrap();
    assert!(
        sub.text.contains("Acme Analytics")
            && !sub.text.contains("SOC 2")
            && !sub.text.contains("Incident")
    );
    let cert = new
        .iter()
        .find(|m| m.envelope_to == "cert@customer.example")
        .unwrap();
    assert!(cert.text.contains("SOC 2") && !cert.text.contains("Acme Analytics"));
    assert!(
        !cert.text.contains("How to object"),
        "no objection paragraph without subprocessor changes"
    );
    // A version nobody follows queues nothing.
    let mut policies_only = notice.clone();
    policies_only.version = 9;
    policies_only
        .changes
        .retain(|c| c.category == Category::Policies);
    let out = service.notify(&policies_only);
    assert!(
        out.contains("Queued 0 notice(s)") && out.contains("no matching category: 2"),
        "{out}"
    );
}

#[test]
fn unsubscribe_page_link_and_preferences_work_and_get_changes_nothing() {
    let service = Running::start("");
    let mail = service.subscribe_and_confirm(
        "ana@customer.example",
        &["subprocessors"],
        "sub-unsubscribe-0001",
    );
    let unsubscribe = header(&mail, "List-Unsubscribe").unwrap();
    let unsubscribe = unsubscribe
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    let token = token_of(&unsubscribe);
    let preferences = format!(
        "{}/v1/subscriptions/preferences?token={token}",
        service.base
    );

    // Preferences: GET shows the checkboxes; POST saves; an empty choice keeps the page with an error.
    let page = get_html(&preferences);
    assert_eq!(page.status, 200);
    assert!(
        body_text(&page).contains("value=\"subprocessors\" checked"),
        "{}",
        body_text(&page)
    );
    let saved = post_form_body(
        &preferences,
        &format!("token={token}&category=policies&category=documents"),
        Some(&service.base),
    );
    assert_eq!(saved.status, 200, "{}", body_text(&saved));
    let subscriber = service.subscribers().into_iter().next().unwrap();
    assert_eq!(subscriber["categories"], "documents,policies");
    let empty = post_form_body(&preferences, &format!("token={token}"), Some("null"));
    assert_eq!(empty.status, 400);
    assert!(body_text(&empty).contains("Choose at least one category"));
    assert_eq!(service.subscribers()[0]["categories"], "documents,policies");
    let cross = post_form_body(
        &preferences,
        &format!("token={token}&category=other"),
        Some("https://evil.example"),
    );
    assert_eq!(cross.status, 403);

    // The unsubscribe link: GET shows a button and changes nothing; the button's POST unsubscribes.
    let page = get_html(&unsubscribe);
    assert_eq!(page.status, 200);
    assert!(body_text(&page).contains("method=\"post\""));
    assert_eq!(service.status_of("ana@customer.example"), "confirmed");
    let done = post_form_body(&unsubscribe, &format!("token={token}"), Some("null"));
    assert_eq!(done.status, 200);
    assert!(body_text(&done).contains("You are unsubscribed"));
    assert_eq!(service.status_of("ana@customer.example"), "unsubscribed");
    // Again (idempotent), and one-click too.
    assert_eq!(
        post_form_body(&unsubscribe, "List-Unsubscribe=One-Click", None).status,
        200
    );
    let out = service.notify(&VersionNotice {
        changes: vec![ChangeNotice {
            category: Category::Documents,
            ..subprocessor_notice(3).changes[0].clone()
        }],
        ..subprocessor_notice(3)
    });
    assert!(out.contains("Queued 0 notice(s)"), "{out}");

    // Subscribing again after unsubscribing needs a new confirmation.
    assert_eq!(
        service
            .subscribe("ana@customer.example", &["other"], "sub-unsubscribe-0002")
            .status,
        202
    );
    assert_eq!(service.status_of("ana@customer.example"), "pending");
    let mails = service.mails(2);
    assert!(mails[1].text.contains("/v1/subscriptions/confirm?token="));
}

#[test]
fn forged_altered_and_misused_tokens_are_refused() {
    let service = Running::start("");
    let mail = service.subscribe_and_confirm(
        "ana@customer.example",
        &["subprocessors"],
        "sub-forgery-key-0001",
    );
    let confirm_link = link_with(&mail.text, "/v1/subscriptions/confirm?token=");
    let confirm_token = token_of(&confirm_link);
    let manage_token = token_of(
        header(&mail, "List-Unsubscribe")
            .unwrap()
            .trim_end_matches('>'),
    );

    // Altered: one character of the MAC changed; forged: a payload for another id with the old MAC;
    // misused: a confirm token where a manage token is needed and the other way round.
    let (payload, mac) = manage_token.split_once('.').unwrap();
    let flipped = if mac.ends_with('A') { "B" } else { "A" };
    let altered = format!("{payload}.{}{flipped}", &mac[..mac.len() - 1]);
    use base64::Engine;
    let forged_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("sub1\nmanage\nsub_{}\n0", "0".repeat(32)));
    let forged = format!("{forged_payload}.{mac}");
    for (path, token) in [
        ("unsubscribe", altered.as_str()),
        ("unsubscribe", forged.as_str()),
        ("unsubscribe", confirm_token.as_str()),
        ("preferences", altered.as_str()),
        ("preferences", confirm_token.as_str()),
        ("confirm", manage_token.as_str()),
        ("confirm", "garbage"),
    ] {
        let url = format!("{}/v1/subscriptions/{path}?token={token}", service.base);
        let page = get_html(&url);
        assert_eq!(page.status, 403, "GET {path} with {token}");
        assert!(body_text(&page).contains("This link cannot be used"));
        let posted = post_form_body(&url, &format!("token={token}"), Some("null"));
        assert_eq!(posted.status, 403, "POST {path} with {token}");
        let one_click = post_form_body(&url, "List-Unsubscribe=One-Click", None);
        assert_eq!(one_click.status, 403, "one-click {path} with {token}");
    }
    assert_eq!(service.status_of("ana@customer.example"), "confirmed");
    assert_eq!(service.subscribers()[0]["categories"], "subprocessors");
    // No token at all.
    assert_eq!(
        get_html(&service.url("/v1/subscriptions/unsubscribe")).status,
        403
    );
}

#[test]
fn caps_per_address_and_per_ip_answer_429_with_retry_after() {
    let service = Running::start("per_address_per_day = 2\nper_ip_per_day = 4\n");
    for key in ["sub-cap-address-0001", "sub-cap-address-0002"] {
        assert_eq!(
            service
                .subscribe("ana@customer.example", &["other"], key)
                .status,
            202
        );
    }
    // The two confirmations (a resend) arrived; the third request is refused and sends nothing.
    assert_eq!(service.mails(2).len(), 2);
    let capped = service.subscribe("ANA@customer.example", &["other"], "sub-cap-address-0003");
    assert_eq!(capped.status, 429);
    assert_eq!(capped.error_code(), "rate_limited");
    let wait: u64 = capped.header("retry-after").unwrap().parse().unwrap();
    assert!(wait > 86_000 && wait <= 86_400, "{wait}");
    // A replayed key is answered as before and does not count.
    assert_eq!(
        service
            .subscribe("ana@customer.example", &["other"], "sub-cap-address-0001")
            .status,
        202
    );
    // Per IP: two more addresses fill the IP's four, the next is refused.
    assert_eq!(
        service
            .subscribe("bo@customer.example", &["other"], "sub-cap-ip-00000001")
            .status,
        202
    );
    assert_eq!(
        service
            .subscribe("cy@customer.example", &["other"], "sub-cap-ip-00000002")
            .status,
        202
    );
    let capped = service.subscribe("di@customer.example", &["other"], "sub-cap-ip-00000003");
    assert_eq!(capped.status, 429);
    assert!(capped.header("retry-after").is_some());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(smtp::messages(service.maildir.path()).len(), 4);
    assert_eq!(service.status_of("di@customer.example"), "none");
}

#[test]
fn the_endpoint_validates_limits_and_keys_like_the_access_requests() {
    let service = Running::start("");
    let url = service.url("/v1/subscriptions");
    // 400 with the fields.
    let bad = post_raw(
        &url,
        r#"{"email":"nope","categories":["marketing"],"idempotency_key":"x"}"#,
        Some(ALLOWED_ORIGIN),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.error_code(), "validation_failed");
    assert_eq!(
        bad.error_fields(),
        ["email", "categories", "idempotency_key"]
    );
    let empty = post_raw(
        &url,
        r#"{"email":"a@b.example","categories":[],"idempotency_key":"sub-validation-0001"}"#,
        None,
    );
    assert_eq!(empty.error_fields(), ["categories"]);
    // 415, 413.
    let text = reply(agent().post(&url).content_type("text/plain").send("{}"));
    assert_eq!(text.status, 415);
    let huge = post_raw(
        &url,
        &format!("{{\"email\":\"{}@b.example\"}}", "a".repeat(5000)),
        None,
    );
    assert_eq!(huge.status, 413);
    // CORS: an unknown origin is refused, the preflight of the allowed one answered.
    let foreign = post_raw(&url, r#"{}"#, Some("https://evil.example"));
    assert_eq!(
        (foreign.status, foreign.error_code().as_str()),
        (403, "origin_not_allowed")
    );
    let preflight = options(&url, ALLOWED_ORIGIN);
    assert_eq!(preflight.status, 204);
    assert_eq!(
        preflight.header("access-control-allow-origin").as_deref(),
        Some(ALLOWED_ORIGIN)
    );
    // Idempotency: same body → the same answer, one mail; another body → 409.
    let first = service.subscribe(
        "ana@customer.example",
        &["other", "policies"],
        "sub-idempotent-0001",
    );
    let replay = service.subscribe(
        "ana@customer.example",
        &["policies", "other"],
        "sub-idempotent-0001",
    );
    assert_eq!((first.status, replay.status), (202, 202));
    assert_eq!(first.json(), replay.json());
    let conflict = service.subscribe("bo@customer.example", &["other"], "sub-idempotent-0001");
    assert_eq!(
        (conflict.status, conflict.error_code().as_str()),
        (409, "idempotency_conflict")
    );
    assert_eq!(service.mails(1).len(), 1);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(smtp::messages(service.maildir.path()).len(), 1);
}

#[test]
fn a_typed_address_is_inert_in_the_terminal_and_on_the_pages() {
    let service = Running::start("");
    let email = "ana\u{202e}lmth.exe@customer.example";
    assert_eq!(
        service
            .subscribe(email, &["other"], "sub-inert-key-00001")
            .status,
        202
    );
    let mut out = Vec::new();
    run_notices_to(
        NoticesArgs {
            config: service.env.config_path.clone(),
            version: None,
            subscribers: true,
            subscriber: None,
            erase_subscriber: None,
            limit: 10,
            json: false,
        },
        &mut out,
    )
    .unwrap();
    let table = String::from_utf8(out).unwrap();
    assert!(
        table.contains("ana\\u{202e}lmth.exe@customer.example"),
        "{table}"
    );
    assert!(!table.contains('\u{202e}'));
    let id = service.subscribers()[0]["id"].as_str().unwrap().to_string();
    let mut out = Vec::new();
    run_notices_to(
        NoticesArgs {
            config: service.env.config_path.clone(),
            version: None,
            subscribers: false,
            subscriber: Some(id),
            erase_subscriber: None,
            limit: 10,
            json: false,
        },
        &mut out,
    )
    .unwrap();
    let detail = String::from_utf8(out).unwrap();
    assert!(
        detail.contains("ana\\u{202e}lmth.exe@customer.example"),
        "{detail}"
    );
    assert!(
        !detail.contains('\u{202e}') && detail.contains("confirmation_sent"),
        "{detail}"
    );
    let mails = service.mails(1);
    let link = link_with(&mails[0].text, "/v1/subscriptions/confirm?token=");
    let page = body_text(&get_html(&link));
    assert!(
        !page.contains('\u{202e}') && page.contains("ana\\u{202e}lmth.exe"),
        "{page}"
    );
}

#[test]
fn a_notify_run_that_dies_half_way_leaves_nothing_and_the_rerun_sends_each_once() {
    use trust_intake::store::subscriptions::{ConfirmOutcome, SubscribeRequest, SubscriberAction};
    use trust_intake::store::{NewMessage, SqliteStore, SubscriptionStore};
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("intake.sqlite3")).unwrap();
    let action = SubscriberAction {
        client_ip: "192.0.2.1".into(),
        user_agent: None,
        at: 1_800_000_000,
    };
    for n in 0..3 {
        let id = format!("sub_{:032x}", n + 1);
        let request = SubscribeRequest {
            new_id: id.clone(),
            email: format!("s{n}@customer.example"),
            email_key: format!("s{n}@customer.example"),
            categories: "subprocessors".into(),
            idempotency_key: format!("crash-test-key-{n:04}"),
            fingerprint: format!("{n}"),
            client_ip: "192.0.2.1".into(),
            user_agent: None,
            at: action.at,
            per_address_per_day: 3,
            per_ip_per_day: 20,
        };
        let confirmation = |s: &trust_intake::store::subscriptions::Subscription| NewMessage {
            channel: trust_intake::store::Channel::Email,
            recipient: s.email.clone(),
            subject: None,
            body: "confirm".into(),
        };
        store.subscribe(&request, &confirmation).unwrap();
        assert!(matches!(
            store.confirm_subscription(&id, "v1", &action).unwrap(),
            ConfirmOutcome::Confirmed(_)
        ));
    }
    let notice = subprocessor_notice(4);
    let secret = b"crash-test-secret-crash-test-secret-0123".to_vec();
    // The run dies (a panic) while planning the third subscriber's notice: the transaction rolls back.
    let seen = std::cell::Cell::new(0);
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.queue_notices(4, &notice.payload_sha256, action.at, &|s| {
            seen.set(seen.get() + 1);
            assert!(seen.get() < 3, "simulated crash");
            trust_intake::notices::plan(&notice, s, &secret, "https://trust.example")
        })
    }));
    assert!(died.is_err());
    assert_eq!(seen.get(), 3);
    assert!(store.list_notices(None, 100).unwrap().is_empty());
    use trust_intake::store::Store;
    assert_eq!(
        store.outbox(None, 100).unwrap().len(),
        3,
        "only the three confirmations"
    );
    // The re-run queues all three, once; a third run none.
    let run =
        trust_intake::notices::queue(&store, &secret, "https://trust.example", &notice, action.at)
            .unwrap();
    assert_eq!(run.queued.len(), 3);
    let again =
        trust_intake::notices::queue(&store, &secret, "https://trust.example", &notice, action.at)
            .unwrap();
    assert_eq!((again.queued.len(), again.already_notified), (0, 3));
    let records = store.list_notices(Some(4), 100).unwrap();
    assert_eq!(records.len(), 3);
    assert!(records
        .iter()
        .all(|r| r.outbox_id.is_some() && r.delivery == "pending"));
    assert_eq!(store.outbox(None, 100).unwrap().len(), 6);
}

#[test]
fn dkim_covers_the_unsubscribe_headers() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, public_key) = smtp::make_dkim_key(keys.path());
    let service = Running::start_with(
        "",
        &format!(
            "dkim_selector = \"tc2026\"\ndkim_key_file = \"{}\"\n",
            key_file.display()
        ),
    );
    assert_eq!(
        service
            .subscribe("ana@customer.example", &["other"], "sub-dkim-key-000001")
            .status,
        202
    );
    let mail = service.mails(1).remove(0);
    let signature = header(&mail, "DKIM-Signature")
        .unwrap()
        .replace(['\r', '\n', ' ', '\t'], "");
    assert!(
        signature.contains("list-unsubscribe:list-unsubscribe-post"),
        "{signature}"
    );
    let record = format!("v=DKIM1; k=rsa; p={public_key}");
    assert!(smtp::dkim_verifies(
        &mail.file,
        "tc2026._domainkey.vendor.example",
        &record
    ));
    // A changed unsubscribe target breaks the signature.
    let raw = std::fs::read_to_string(&mail.file).unwrap();
    let changed = raw.replacen(
        "List-Unsubscribe: <http://",
        "List-Unsubscribe: <https://",
        1,
    );
    assert_ne!(changed, raw);
    let tampered = keys.path().join("tampered.eml");
    std::fs::write(&tampered, changed).unwrap();
    assert!(!smtp::dkim_verifies(
        &tampered,
        "tc2026._domainkey.vendor.example",
        &record
    ));
}

#[test]
fn on_postgresql_two_instances_and_two_concurrent_notify_runs_send_one_notice_each() {
    let Some(url) = pg::fresh_database("subs_journey") else {
        return;
    };
    let service = Running::start_on_postgres(&url, "");
    // A second instance on the same database and configuration (shared link-signing secret).
    let (second_runtime, second_server) = start_server(service.env.config());
    let second_base = format!("http://{}", second_server.local_addr());
    let readers = [
        "ana@customer.example",
        "bo@customer.example",
        "cy@customer.example",
    ];
    // Subscribe through either instance; confirm through the link in the mail (on the other one).
    for (i, email) in readers.iter().enumerate() {
        let base = if i % 2 == 0 {
            &second_base
        } else {
            &service.base
        };
        let key = format!("pg-journey-key-{i:04}");
        let body = json!({"email": email, "categories": ["subprocessors"], "idempotency_key": key})
            .to_string();
        for _ in 0..2 {
            // The retry with the same key answers the same and queues nothing more.
            let reply = post_raw(
                &format!("{base}/v1/subscriptions"),
                &body,
                Some(ALLOWED_ORIGIN),
            );
            assert_eq!(reply.status, 202, "{}", body_text(&reply));
        }
        let mail = service
            .mails(i + 1)
            .into_iter()
            .find(|m| m.envelope_to == *email)
            .expect("confirmation mail");
        assert!(mail.subject.contains("confirm"), "{}", mail.subject);
        let link = link_with(&mail.text, "/v1/subscriptions/confirm?token=");
        let token = token_of(&link);
        let other = if i % 2 == 0 {
            &service.base
        } else {
            &second_base
        };
        let reply = post_form_body(
            &format!("{other}/v1/subscriptions/confirm?token={token}"),
            &format!("token={token}"),
            Some("null"),
        );
        assert_eq!(reply.status, 200, "{}", body_text(&reply));
        assert!(body_text(&reply).contains("Subscription confirmed"));
        assert_eq!(service.status_of(email), "confirmed");
    }
    assert_eq!(
        pg::number(&url, "SELECT COUNT(*) FROM outbox"),
        3,
        "one confirmation each, retries included"
    );

    // Two `trustctl notify` runs at once (each its own connections): one notice per subscriber.
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let config = service.env.config_path.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                let mut out = Vec::new();
                run_notify_to(&config, &subprocessor_notice(8), &mut out).unwrap();
                String::from_utf8(out).unwrap()
            })
        })
        .collect();
    let outputs: Vec<String> = runs.into_iter().map(|r| r.join().unwrap()).collect();
    let queued: usize = outputs
        .iter()
        .map(|out| {
            let at = out.find("Queued ").expect("a summary");
            out[at + 7..]
                .split_whitespace()
                .next()
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(queued, 3, "{outputs:#?}");
    // And once more afterwards: nothing.
    let again = service.notify(&subprocessor_notice(8));
    assert!(
        again.contains("Queued 0 notice(s)")
            && again.contains("Already notified for this version: 3"),
        "{again}"
    );
    assert_eq!(
        pg::number(
            &url,
            "SELECT COUNT(*) FROM change_notices WHERE manifest_version = 8"
        ),
        3
    );

    // Both instances drain the outbox: every notice is delivered exactly once.
    let mails = service.mails(6);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let records = service.notices_json();
        assert_eq!(records.len(), 3, "{records:#?}");
        if records.iter().all(|r| r["delivery"] == "delivered") {
            break;
        }
        assert!(Instant::now() < deadline, "{records:#?}");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    let all = smtp::messages(service.maildir.path());
    assert_eq!(all.len(), 6, "3 confirmations + 3 notices, none twice");
    for email in readers {
        let notices: Vec<_> = mails
            .iter()
            .chain(all.iter())
            .filter(|m| m.envelope_to == email && m.subject.contains("version 8"))
            .map(|m| m.file.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(notices.len(), 1, "{email}: {notices:?}");
        let notice = all
            .iter()
            .find(|m| m.envelope_to == email && m.subject.contains("version 8"))
            .unwrap();
        assert!(notice.text.contains("Acme Analytics"), "{}", notice.text);
        assert!(notice.text.contains("/v1/subscriptions/unsubscribe?token="));
    }
    // One-click unsubscribe through the second instance; the next version skips that reader.
    let notice = all
        .iter()
        .find(|m| m.envelope_to == readers[0] && m.subject.contains("version 8"))
        .unwrap();
    let unsubscribe = link_with(&notice.text, "/v1/subscriptions/unsubscribe?token=");
    let token = token_of(&unsubscribe);
    let reply = post_form_body(
        &format!("{second_base}/v1/subscriptions/unsubscribe?token={token}"),
        "List-Unsubscribe=One-Click",
        None,
    );
    assert!(
        reply.status < 300,
        "{}: {}",
        reply.status,
        body_text(&reply)
    );
    assert_eq!(service.status_of(readers[0]), "unsubscribed");
    let next = service.notify(&subprocessor_notice(9));
    assert!(next.contains("Queued 2 notice(s)"), "{next}");
    assert!(!next.contains(readers[0]), "{next}");
    let _ = second_runtime.block_on(second_server.shutdown());
}

/// Waits (up to 20 s) until `check` holds.
fn wait_until(what: &str, check: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `trustctl requests outbox --json` parsed.
fn outbox_rows(service: &Running) -> Vec<Value> {
    serde_json::from_str(&service.env.admin(&["outbox", "--json"]).unwrap()).unwrap()
}

/// The erasure of a subscriber on a running service: her queued notice is cancelled and never
/// delivered once the mail server is back, her links lead to the "no longer valid" page, the
/// listing shows her erased without personal data, notify skips her, and the address subscribes
/// again with a new confirmation e-mail. A second erasure changes nothing; unknown targets are
/// errors. On SQLite the address is in no byte of the database file while the service runs.
fn erasure_journey(mut service: Running) {
    let ana = "ana@customer.example";
    let confirmation =
        service.subscribe_and_confirm(ana, &["subprocessors"], "sub-erase-key-00001");
    let confirm_link = link_with(&confirmation.text, "/v1/subscriptions/confirm?token=");
    let out = service.notify(&subprocessor_notice(7));
    assert!(out.contains("Queued 1 notice(s)"), "{out}");
    let notice = service
        .mails(2)
        .into_iter()
        .find(|m| m.subject.contains("version 7"))
        .expect("the version 7 notice");
    // (`notify` ran without the service's address, so its links name port 0: keep the token.)
    let manage = token_of(&link_with(
        &notice.text,
        "/v1/subscriptions/unsubscribe?token=",
    ));
    let unsubscribe = service.url(&format!("/v1/subscriptions/unsubscribe?token={manage}"));
    let preferences = service.url(&format!("/v1/subscriptions/preferences?token={manage}"));
    wait_until("the version 7 notice delivered", || {
        service
            .notices_json()
            .iter()
            .all(|r| r["delivery"] == "delivered")
    });
    let id = service
        .subscribers()
        .into_iter()
        .find(|s| s["email"] == ana)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // The mail server goes away: Bo's confirmation and Ana's version 8 notice stay queued.
    service.stop_smtp();
    assert_eq!(
        service
            .subscribe(
                "bo@customer.example",
                &["subprocessors"],
                "sub-erase-key-00002"
            )
            .status,
        202
    );
    let out = service.notify(&subprocessor_notice(8));
    assert!(out.contains("Queued 1 notice(s)"), "{out}");

    // Erased by address, typed in another case: counts, never the address.
    let out = service.erase("Ana@Customer.EXAMPLE").unwrap();
    for line in [
        format!("Erased subscription {id}"),
        "3 evidence event(s)".into(),
        "1 queued e-mail(s) cancelled".into(),
        "3 e-mail(s) in the outbox: recipient, body and server answer removed".into(),
        "1 cap record(s) and 1 idempotency record(s)".into(),
        "Kept: 2 change-notice record(s)".into(),
    ] {
        assert!(out.contains(&line), "{line} in {out}");
    }
    assert!(!out.to_lowercase().contains(ana), "{out}");
    if let trust_intake::store::Database::Sqlite(path) =
        trust_intake::store::Database::from_config(&service.env.config())
    {
        assert!(out.contains("rebuilt (VACUUM)"), "{out}");
        let mut bytes = Vec::new();
        for suffix in ["", "-wal"] {
            if let Ok(content) = std::fs::read(format!("{}{suffix}", path.display())) {
                bytes.extend(content.to_ascii_lowercase());
            }
        }
        assert!(
            !bytes.windows(ana.len()).any(|w| w == ana.as_bytes()),
            "the address is still in the bytes of {}",
            path.display()
        );
        assert!(bytes.windows(3).any(|w| w == b"bo@"), "the scan reads data");
    }

    // The mail server is back: Bo's confirmation goes out, Ana's notice never does.
    service.start_smtp();
    wait_until("an empty queue", || {
        outbox_rows(&service)
            .iter()
            .all(|row| row["status"] != "pending")
    });
    std::thread::sleep(Duration::from_millis(300));
    let all = smtp::messages(service.maildir.path());
    assert!(all.iter().any(|m| m.envelope_to == "bo@customer.example"));
    let to_ana: Vec<&str> = all
        .iter()
        .filter(|m| m.envelope_to == ana)
        .map(|m| m.subject.as_str())
        .collect();
    assert_eq!(
        to_ana.len(),
        2,
        "the confirmation and version 7 only: {to_ana:?}"
    );
    assert!(!to_ana.iter().any(|s| s.contains("version 8")));
    // The notice records stay, without the address.
    let records: Vec<(u64, String, String)> = service
        .notices_json()
        .iter()
        .map(|r| {
            (
                r["manifest_version"].as_u64().unwrap(),
                r["delivery"].as_str().unwrap().to_string(),
                r["email"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        records,
        [
            (8, "cancelled".to_string(), String::new()),
            (7, "delivered".to_string(), String::new())
        ]
    );

    // Every link of hers: the "no longer valid" page, nothing of her on it, nothing changed.
    for (what, answer) in [
        ("confirm page", get_html(&confirm_link)),
        (
            "confirm button",
            post_form_body(
                &confirm_link,
                &format!("token={}", token_of(&confirm_link)),
                Some("null"),
            ),
        ),
        ("unsubscribe page", get_html(&unsubscribe)),
        (
            "unsubscribe button",
            post_form_body(&unsubscribe, &format!("token={manage}"), Some("null")),
        ),
        (
            "one-click unsubscribe",
            post_form_body(&unsubscribe, "List-Unsubscribe=One-Click", None),
        ),
        ("preferences page", get_html(&preferences)),
        (
            "preferences save",
            post_form_body(
                &preferences,
                &format!("token={manage}&category=other"),
                Some("null"),
            ),
        ),
    ] {
        let html = body_text(&answer);
        assert_eq!(answer.status, 410, "{what}: {html}");
        assert!(
            html.contains("This link is no longer valid"),
            "{what}: {html}"
        );
        assert!(
            !html.contains("ana@") && !html.contains("<form"),
            "{what}: {html}"
        );
    }

    // The listing: erased, without personal data; the trail keeps its steps and times only.
    let row = service
        .subscribers()
        .into_iter()
        .find(|s| s["id"] == id.as_str())
        .unwrap();
    assert_eq!(row["status"], "erased");
    for field in ["email", "request_ip"] {
        assert_eq!(row[field], "", "{field}");
    }
    for field in ["request_user_agent", "confirm_ip", "confirm_user_agent"] {
        assert_eq!(row[field], Value::Null, "{field}");
    }
    assert!(row["erased_at"].is_i64() && row["confirmed_at"].is_i64());
    assert_eq!(row["categories"], "subprocessors");
    let table = service
        .notices(NoticesArgs {
            subscribers: true,
            ..service.notices_args()
        })
        .unwrap();
    let line = table.lines().find(|l| l.contains(&id)).unwrap();
    assert!(
        line.contains("erased") && line.contains("(erased)"),
        "{table}"
    );
    assert!(!table.contains(ana), "{table}");
    let trail: Value = serde_json::from_str(
        &service
            .notices(NoticesArgs {
                subscriber: Some(id.clone()),
                json: true,
                ..service.notices_args()
            })
            .unwrap(),
    )
    .unwrap();
    let events = trail["events"].as_array().unwrap();
    let names: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["requested", "confirmation_sent", "confirmed", "erased"]
    );
    assert!(events
        .iter()
        .all(|e| e["client_ip"].is_null() && e["user_agent"].is_null()));
    let detail = service
        .notices(NoticesArgs {
            subscriber: Some(id.clone()),
            ..service.notices_args()
        })
        .unwrap();
    assert!(
        detail.contains("(erased)") && !detail.contains("127.0.0.1"),
        "{detail}"
    );

    // Notify skips her (Bo is not confirmed).
    let out = service.notify(&subprocessor_notice(9));
    assert!(out.contains("Queued 0 notice(s)"), "{out}");

    // The same address subscribes again afresh, even with the old idempotency key.
    let before: Vec<std::path::PathBuf> = smtp::messages(service.maildir.path())
        .into_iter()
        .map(|m| m.file)
        .collect();
    assert_eq!(
        service
            .subscribe(ana, &["certifications"], "sub-erase-key-00001")
            .status,
        202
    );
    let fresh = service
        .mails(before.len() + 1)
        .into_iter()
        .find(|m| !before.contains(&m.file))
        .unwrap();
    assert_eq!(fresh.envelope_to, ana);
    let link = link_with(&fresh.text, "/v1/subscriptions/confirm?token=");
    assert_ne!(token_of(&link), token_of(&confirm_link));
    let confirmed = post_form_body(&link, &format!("token={}", token_of(&link)), Some("null"));
    assert_eq!(confirmed.status, 200, "{}", body_text(&confirmed));
    assert_eq!(service.status_of(ana), "confirmed");
    let renewed = service
        .subscribers()
        .into_iter()
        .find(|s| s["email"] == ana)
        .unwrap();
    assert_ne!(renewed["id"], id.as_str());
    assert_eq!(renewed["categories"], "certifications");

    // Again by id: nothing to do. Unknown targets: errors, the typed text made inert.
    let again = service.erase(&id).unwrap();
    assert!(
        again.contains("already erased") && again.contains("nothing to do"),
        "{again}"
    );
    let unknown = service
        .erase("nobody\u{202e}@customer.example")
        .unwrap_err();
    assert!(
        matches!(unknown, trust_intake::IntakeError::NotFound(_)),
        "{unknown:?}"
    );
    let message = unknown.to_string();
    assert!(
        message.contains("nobody\\u{202e}@customer.example") && !message.contains('\u{202e}'),
        "{message}"
    );
    assert!(matches!(
        service.erase("sub_00000000000000000000000000000000"),
        Err(trust_intake::IntakeError::NotFound(_))
    ));
}

#[test]
fn an_erased_subscriber_gets_nothing_more_and_the_address_can_subscribe_again() {
    erasure_journey(Running::start(""));
}

#[test]
fn on_postgresql_an_erased_subscriber_gets_nothing_more_and_the_address_can_subscribe_again() {
    let Some(url) = pg::fresh_database("subs_erasure") else {
        return;
    };
    erasure_journey(Running::start_on_postgres(&url, ""));
}

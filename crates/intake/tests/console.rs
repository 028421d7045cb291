//! Security and behaviour of the review console against a real service (both listeners on 127.0.0.1)
//! and a real SQLite file: anonymous callers refused on every route, CSRF, expiry, sign-out from the
//! command line, the two listeners kept apart, headers, rate limits, sign-in answers that do not tell
//! whether a reviewer exists, and decisions taken through the
//! same workflow as `trustctl requests`.
//!
//! Sessions here are opened straight in the database (the passkey ceremony itself is exercised in
//! real Chromium with a virtual authenticator: tests/e2e/console.test.mjs).

mod common;

use std::net::SocketAddr;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use serde_json::Value;
use trust_intake::clock::now_secs;
use trust_intake::console::admin_cli::{run_console_to, ConsoleArgs};
use trust_intake::console::db::ConsoleDb;
use trust_intake::console::session::{random_token, token_hash};
use trust_intake::RunningServer;

/// The service with a `[console]` section, both listeners on ephemeral loopback ports.
struct Console {
    env: Env,
    public: String,
    console: String,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<RunningServer>,
}

impl Console {
    fn start() -> Console {
        Console::start_with(Options::default(), "")
    }

    /// `extra` is appended to the `[console]` section.
    fn start_with(options: Options, extra: &str) -> Console {
        let env = Env::new(&options);
        let mut text = std::fs::read_to_string(&env.config_path).unwrap();
        text.push_str("\n[console]\nlisten = \"127.0.0.1:0\"\nidle_timeout_minutes = 30\nsession_hours = 12\n");
        text.push_str(extra);
        std::fs::write(&env.config_path, text).unwrap();
        let (runtime, server) = start_server(env.config());
        let public = format!("http://{}", server.local_addr());
        let (addr, _origin): (SocketAddr, &str) = server.console().expect("console started");
        Console {
            env,
            public,
            console: format!("http://{addr}"),
            runtime: Some(runtime),
            server: Some(server),
        }
    }

    fn origin(&self) -> String {
        self.console.replace("127.0.0.1", "localhost")
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.console)
    }

    fn cli(&self, args: &[&str]) -> Result<String, String> {
        let mut argv = vec!["console".to_string()];
        argv.extend(args.iter().map(|a| a.to_string()));
        argv.push("--config".into());
        argv.push(self.env.config_path.display().to_string());
        let parsed =
            <ConsoleArgs as clap::Parser>::try_parse_from(argv).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        run_console_to(parsed, &mut out).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out).unwrap())
    }

    fn db(&self) -> ConsoleDb {
        ConsoleDb::open(&self.env.config().database_path()).unwrap()
    }

    /// Adds a reviewer through the CLI and opens a session for them in the database.
    fn signed_in(&self, name: &str) -> Session {
        let output = self.cli(&["add-reviewer", name]).unwrap();
        assert!(output.contains("/enrol/"), "{output}");
        self.session_for(name)
    }

    fn session_for(&self, name: &str) -> Session {
        let db = self.db();
        let reviewer = db.reviewer_by_name(name).unwrap().unwrap();
        let id = random_token().unwrap();
        let csrf = random_token().unwrap();
        db.create_session(
            &token_hash(&id),
            &reviewer.id,
            &csrf,
            now_secs(),
            "127.0.0.1",
        )
        .unwrap();
        Session {
            cookie: format!("tc_console={id}"),
            id_hash: token_hash(&id),
            csrf,
        }
    }

    fn submit(&self, email: &str, company: &str, key: &str) -> String {
        let mut body = submission(email, &format!("console-test-key-{key}"));
        body["company"] = Value::String(company.to_string());
        let reply = post(&format!("{}/v1/access-requests", self.public), &body);
        assert_eq!(
            reply.status,
            201,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        reply.json()["request_id"].as_str().unwrap().to_string()
    }

    /// Runs SQL on the database file through a second, independent connection (to age a session).
    fn sql(&self, statement: &str, id_hash: &str) {
        let connection = rusqlite::Connection::open(self.env.config().database_path()).unwrap();
        connection
            .busy_timeout(std::time::Duration::from_secs(5))
            .unwrap();
        assert_eq!(connection.execute(statement, [id_hash]).unwrap(), 1);
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) {
            let _ = runtime.block_on(server.shutdown());
        }
    }
}

struct Session {
    cookie: String,
    id_hash: String,
    csrf: String,
}

fn get_with(url: &str, cookie: Option<&str>) -> Reply {
    let mut request = agent().get(url).header("User-Agent", "console-tests/1");
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    reply(request.call())
}

fn post_form(
    url: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
    form: &[(&str, &str)],
) -> Reply {
    let body: Vec<String> = form
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let mut request = agent()
        .post(url)
        .header("User-Agent", "console-tests/1")
        .content_type("application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    reply(request.send(body.join("&")))
}

fn post_json(url: &str, cookie: Option<&str>, csrf: Option<&str>, body: &str) -> Reply {
    let mut request = agent()
        .post(url)
        .header("User-Agent", "console-tests/1")
        .content_type("application/json");
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    if let Some(csrf) = csrf {
        request = request.header("X-CSRF-Token", csrf);
    }
    reply(request.send(body))
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&reply.body).into_owned()
}

fn status_of(console: &Console, id: &str) -> String {
    console.env.show_json(id)["request"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The routes that need a session, with a method each.
fn protected_routes(id: &str) -> Vec<(&'static str, String)> {
    vec![
        ("GET", "/".into()),
        ("GET", "/inbox".into()),
        ("GET", "/inbox?status=pending&q=Prospect".into()),
        ("GET", format!("/requests/{id}")),
        ("GET", "/overview".into()),
        ("GET", "/export?format=csv".into()),
        ("GET", "/export?format=json&from=2020-01-01".into()),
        ("POST", format!("/requests/{id}/approve")),
        ("POST", format!("/requests/{id}/deny")),
        ("POST", format!("/requests/{id}/revoke")),
        ("POST", format!("/requests/{id}/resend")),
        ("POST", format!("/requests/{id}/extend")),
        ("POST", "/sign-out".into()),
    ]
}

#[test]
fn every_console_route_refuses_an_anonymous_caller() {
    let console = Console::start();
    let id = console.submit("jane@prospect.example", "Secret Prospect Ltd", "anon-1");
    // A session of a reviewer who exists, to prove the forged cookies below are not merely "no cookie".
    let real = console.signed_in("alice");
    let forged = [None, Some("tc_console=forged-session-id".to_string())];
    for cookie in &forged {
        for (method, path) in protected_routes(&id) {
            let reply = if method == "GET" {
                get_with(&console.url(&path), cookie.as_deref())
            } else {
                post_form(
                    &console.url(&path),
                    cookie.as_deref(),
                    None,
                    &[("csrf", &real.csrf), ("days", "5")],
                )
            };
            let body = text(&reply);
            assert!(
                !body.contains("Secret Prospect"),
                "{method} {path} leaked data"
            );
            if method == "GET" {
                assert_eq!(reply.status, 303, "{method} {path}: {body}");
                let location = reply.header("location").unwrap();
                assert!(location.starts_with("/sign-in?next="), "{location}");
            } else {
                assert_eq!(reply.status, 401, "{method} {path}: {body}");
            }
        }
    }
    assert_eq!(status_of(&console, &id), "pending");
    // The same routes answer the real session (so the refusals above are about the session).
    let inbox = get_with(&console.url("/inbox"), Some(&real.cookie));
    assert_eq!(inbox.status, 200);
    assert!(text(&inbox).contains("Secret Prospect Ltd"));
    // The anonymous pages are only the sign-in and enrolment pages and the static files.
    assert_eq!(get_with(&console.url("/sign-in"), None).status, 200);
    assert_eq!(
        get_with(&console.url("/static/console.js"), None).status,
        200
    );
    assert_eq!(
        get_with(&console.url("/enrol/not-a-token"), None).status,
        404
    );
}

#[test]
fn a_request_page_link_survives_sign_in_as_next() {
    let console = Console::start();
    let id = console.submit("jane@prospect.example", "Prospect Ltd", "next-1");
    let reply = get_with(&console.url(&format!("/requests/{id}")), None);
    assert_eq!(reply.status, 303);
    let location = reply.header("location").unwrap();
    assert_eq!(location, format!("/sign-in?next=/requests/{id}"));
    let page = text(&get_with(&console.url(&location), None));
    assert!(
        page.contains(&format!("data-next=\"/requests/{id}\"")),
        "{page}"
    );
}

#[test]
fn missing_forged_or_cross_origin_csrf_is_refused_and_changes_nothing() {
    let console = Console::start();
    let id = console.submit("jane@prospect.example", "Prospect Ltd", "csrf-1");
    let session = console.signed_in("alice");
    let approve = console.url(&format!("/requests/{id}/approve"));
    let missing = post_form(&approve, Some(&session.cookie), None, &[("days", "5")]);
    assert_eq!(missing.status, 403, "{}", text(&missing));
    let forged = post_form(
        &approve,
        Some(&session.cookie),
        None,
        &[("csrf", "forged-token"), ("days", "5")],
    );
    assert_eq!(forged.status, 403);
    let other = console.signed_in("bob");
    let someone_elses = post_form(
        &approve,
        Some(&session.cookie),
        None,
        &[("csrf", &other.csrf), ("days", "5")],
    );
    assert_eq!(
        someone_elses.status, 403,
        "another session's token is not this one's"
    );
    let cross_origin = post_form(
        &approve,
        Some(&session.cookie),
        Some("http://evil.example"),
        &[("csrf", &session.csrf), ("days", "5")],
    );
    assert_eq!(cross_origin.status, 403);
    let cross_site = reply(
        agent()
            .post(&approve)
            .header("Cookie", &session.cookie)
            .header("Sec-Fetch-Site", "cross-site")
            .content_type("application/x-www-form-urlencoded")
            .send(format!("csrf={}&days=5", session.csrf)),
    );
    assert_eq!(
        cross_site.status, 403,
        "a post the browser marks cross-site is refused"
    );
    assert_eq!(status_of(&console, &id), "pending");
    let sign_out = post_form(&console.url("/sign-out"), Some(&session.cookie), None, &[]);
    assert_eq!(sign_out.status, 403, "sign-out needs the token too");

    let ok = post_form(
        &approve,
        Some(&session.cookie),
        Some(&console.origin()),
        &[
            ("csrf", &session.csrf),
            ("days", "5"),
            ("note", "NDA on file"),
        ],
    );
    assert_eq!(ok.status, 303, "{}", text(&ok));
    assert_eq!(
        ok.header("location").unwrap(),
        format!("/requests/{id}?done=approved")
    );
    let shown = console.env.show_json(&id);
    assert_eq!(shown["request"]["status"], "approved");
    assert_eq!(shown["request"]["decided_by"], "reviewer:alice");
    assert_eq!(shown["request"]["decision_note"], "NDA on file");
    // Never a state change on GET.
    let get = get_with(
        &console.url(&format!("/requests/{id}/revoke")),
        Some(&session.cookie),
    );
    assert_eq!(get.status, 405);
    assert_eq!(status_of(&console, &id), "approved");
}

#[test]
fn passkey_calls_need_the_pre_sign_in_session_and_its_token() {
    let console = Console::start();
    console.cli(&["add-reviewer", "alice"]).unwrap();
    let options = console.url("/sign-in/options");
    let body = r#"{"name":"alice"}"#;
    assert_eq!(post_json(&options, None, None, body).status, 403);
    let page = get_with(&console.url("/sign-in"), None);
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_string();
    assert_eq!(post_json(&options, Some(&pair), None, body).status, 403);
    assert_eq!(
        post_json(&options, Some(&pair), Some("forged"), body).status,
        403
    );
    let html = text(&page);
    let csrf = html
        .split("data-csrf=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    // With the token: a challenge (alice has no passkey yet, so it is a decoy: see below).
    let reply = post_json(&options, Some(&pair), Some(csrf), body);
    assert_eq!(reply.status, 200, "{}", text(&reply));
    assert!(reply.json()["publicKey"]["challenge"].is_string());
    // The pre-sign-in id is not a session: it opens nothing.
    let inbox = get_with(&console.url("/inbox"), Some(&pair));
    assert_eq!(inbox.status, 303);
}

/// A fresh pre-sign-in session: its cookie pair and CSRF token.
fn pre_sign_in(console: &Console) -> (String, String) {
    let page = get_with(&console.url("/sign-in"), None);
    let pair = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = text(&page)
        .split("data-csrf=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    (pair, csrf)
}

/// The names and types of every field of a JSON value, recursively (array items: the first one).
fn shape(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Object(fields) => {
            let inner: Vec<String> = fields
                .iter()
                .map(|(key, field)| format!("{key}:{}", shape(field)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        serde_json::Value::Array(items) => {
            format!(
                "[{}x{}]",
                items.len(),
                items.first().map(shape).unwrap_or_default()
            )
        }
        serde_json::Value::String(_) => "s".into(),
        serde_json::Value::Number(_) => "n".into(),
        serde_json::Value::Bool(_) => "b".into(),
        serde_json::Value::Null => "null".into(),
    }
}

#[test]
fn sign_in_does_not_reveal_whether_a_reviewer_exists() {
    let console = Console::start();
    console.cli(&["add-reviewer", "alice"]).unwrap();
    let options = console.url("/sign-in/options");
    let ask = |name: &str| {
        let (pair, csrf) = pre_sign_in(&console);
        let reply = post_json(
            &options,
            Some(&pair),
            Some(&csrf),
            &serde_json::json!({ "name": name }).to_string(),
        );
        assert_eq!(reply.status, 200, "{name}: {}", text(&reply));
        (reply.json(), pair, csrf)
    };
    // A reviewer without a passkey and a name nobody has: the same answer, field for field, with
    // one credential id each, stable per name, different between names, and a fresh challenge.
    let (alice, _, _) = ask("alice");
    let (nobody, pair, csrf) = ask("mallory");
    let (nobody_again, _, _) = ask("Mallory");
    assert_eq!(shape(&alice), shape(&nobody));
    let credential = |answer: &serde_json::Value| {
        let allowed = answer["publicKey"]["allowCredentials"].as_array().unwrap();
        assert_eq!(allowed.len(), 1, "{answer}");
        allowed[0]["id"].as_str().unwrap().to_string()
    };
    assert_eq!(credential(&nobody), credential(&nobody_again));
    assert_ne!(credential(&nobody), credential(&alice));
    assert_eq!(
        URL_SAFE_NO_PAD.decode(credential(&nobody)).unwrap().len(),
        32
    );
    assert_ne!(
        nobody["publicKey"]["challenge"],
        nobody_again["publicKey"]["challenge"]
    );
    // An answer for the decoy ceremony is refused like a wrong passkey, and opens no session.
    let fake_credential = serde_json::json!({
        "credential": {
            "id": credential(&nobody),
            "rawId": credential(&nobody),
            "type": "public-key",
            "extensions": {},
            "response": {
                "authenticatorData": "AAAA",
                "clientDataJSON": "AAAA",
                "signature": "AAAA",
                "userHandle": null,
            },
        },
    });
    let reply = post_json(
        &console.url("/sign-in/verify"),
        Some(&pair),
        Some(&csrf),
        &fake_credential.to_string(),
    );
    assert_eq!(reply.status, 400, "{}", text(&reply));
    assert_eq!(
        reply.json()["error"],
        "The passkey could not be verified. Check the reviewer name and try again."
    );
    assert!(reply.header("set-cookie").is_none());
}

#[test]
fn sign_in_attempts_are_rate_limited() {
    let console = Console::start();
    let page = get_with(&console.url("/sign-in"), None);
    let pair = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let mut statuses = Vec::new();
    for _ in 0..15 {
        statuses.push(
            post_json(
                &console.url("/sign-in/options"),
                Some(&pair),
                Some("x"),
                r#"{"name":"nobody"}"#,
            )
            .status,
        );
    }
    assert!(statuses[..10].iter().all(|s| *s == 403), "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "{statuses:?}");
}

#[test]
fn expired_sessions_are_refused() {
    let console = Console::start();
    let idle = console.signed_in("alice");
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&idle.cookie)).status,
        200
    );
    // 31 minutes without a request (idle timeout 30).
    console.sql(
        &format!(
            "UPDATE console_sessions SET last_seen_at = {} WHERE id_sha256 = ?1",
            now_secs() - 31 * 60
        ),
        &idle.id_hash,
    );
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&idle.cookie)).status,
        303
    );
    assert!(
        console.db().session(&idle.id_hash).unwrap().is_none(),
        "expired rows are deleted"
    );

    let old = console.session_for("alice");
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&old.cookie)).status,
        200
    );
    // Active all along but signed in 13 hours ago (absolute limit 12 h).
    console.sql(
        &format!(
            "UPDATE console_sessions SET created_at = {} WHERE id_sha256 = ?1",
            now_secs() - 13 * 3600
        ),
        &old.id_hash,
    );
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&old.cookie)).status,
        303
    );
}

#[test]
fn removed_reviewers_and_sign_out_everywhere_end_sessions_at_once() {
    let console = Console::start();
    let alice = console.signed_in("alice");
    let bob = console.signed_in("bob");
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&alice.cookie)).status,
        200
    );
    let output = console.cli(&["remove-reviewer", "alice"]).unwrap();
    assert!(output.contains("Removed reviewer alice"), "{output}");
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&alice.cookie)).status,
        303
    );
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&bob.cookie)).status,
        200
    );

    let bob2 = console.session_for("bob");
    let output = console.cli(&["sign-out-everywhere"]).unwrap();
    assert!(output.contains("Ended 2 console session(s)"), "{output}");
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&bob.cookie)).status,
        303
    );
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&bob2.cookie)).status,
        303
    );
    assert!(console.cli(&["remove-reviewer", "alice"]).is_err());
    assert!(console
        .cli(&["add-reviewer", "bob"])
        .unwrap_err()
        .contains("already"));
    assert!(console.cli(&["add-reviewer", "no spaces"]).is_err());
}

#[test]
fn sign_out_ends_the_session() {
    let console = Console::start();
    let session = console.signed_in("alice");
    let reply = post_form(
        &console.url("/sign-out"),
        Some(&session.cookie),
        None,
        &[("csrf", &session.csrf)],
    );
    assert_eq!(reply.status, 303);
    assert!(reply.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(
        get_with(&console.url("/inbox"), Some(&session.cookie)).status,
        303
    );
}

#[test]
fn the_console_and_the_public_api_never_share_a_listener() {
    let console = Console::start();
    let id = console.submit("jane@prospect.example", "Prospect Ltd", "split-1");
    let session = console.signed_in("alice");
    for path in [
        "/healthz".to_string(),
        format!("/v1/access-requests/{id}"),
        "/v1/downloads/anything".to_string(),
    ] {
        let reply = get_with(&console.url(&path), Some(&session.cookie));
        assert_eq!(reply.status, 404, "console served {path}");
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'"),
            "404s get the policy too"
        );
    }
    let mut body = submission("x@prospect.example", "split-2");
    body["company"] = Value::String("Via console".into());
    let reply = post_form(
        &console.url("/v1/access-requests"),
        Some(&session.cookie),
        None,
        &[],
    );
    assert_eq!(reply.status, 404);
    for path in [
        "/inbox",
        "/sign-in",
        "/static/console.js",
        &format!("/requests/{id}"),
        "/export",
    ] {
        let reply = get_with(&format!("{}{path}", console.public), Some(&session.cookie));
        assert_eq!(reply.status, 404, "public listener served {path}");
    }
}

#[test]
fn pages_send_a_strict_policy_and_escape_what_requesters_typed() {
    let console = Console::start();
    let id = console.submit(
        "jane@prospect.example",
        "<script>alert(1)</script> Ltd",
        "xss-1",
    );
    let session = console.signed_in("alice");
    for path in [
        "/inbox".to_string(),
        format!("/requests/{id}"),
        "/overview".into(),
        "/sign-in".into(),
    ] {
        // The sign-in page is seen signed out (a signed-in reviewer is sent on to the inbox).
        let cookie = (path != "/sign-in").then_some(session.cookie.as_str());
        let reply = get_with(&console.url(&path), cookie);
        assert_eq!(reply.status, 200, "{path}");
        let csp = reply.header("content-security-policy").unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"),
            "{csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{csp}"
        );
        assert_eq!(reply.header("referrer-policy").unwrap(), "no-referrer");
        assert_eq!(reply.header("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(reply.header("cache-control").unwrap(), "no-store");
        let html = text(&reply);
        assert!(!html.contains("<script>alert"), "{path} did not escape");
        assert!(!html.contains("style=\""), "{path} has an inline style");
        assert!(
            !html.contains("<script>") && !html.contains("onclick"),
            "{path} has inline script"
        );
    }
    let inbox = text(&get_with(&console.url("/inbox"), Some(&session.cookie)));
    assert!(inbox.contains("&lt;script&gt;alert(1)&lt;/script&gt; Ltd"));
}

#[test]
fn inbox_lists_pending_first_with_filters_and_the_rule() {
    let console = Console::start();
    let approved = console.submit("a@partner.example", "Partner Co", "inbox-1");
    let pending = console.submit("b@prospect.example", "Prospect Ltd", "inbox-2");
    let other = console.submit("c@sub.acme.example", "Acme 100% Corp", "inbox-3");
    let session = console.signed_in("alice");
    let page = |query: &str| {
        text(&get_with(
            &console.url(&format!("/inbox{query}")),
            Some(&session.cookie),
        ))
    };
    let all = page("");
    let order: Vec<usize> = [&pending, &other, &approved]
        .iter()
        .map(|id| all.find(id.as_str()).unwrap())
        .collect();
    assert!(order[0] < order[2] && order[1] < order[2], "pending first");
    assert!(
        all.contains("auto-approve list"),
        "the rule that applied is shown"
    );
    assert!(all.contains("no rule matched: manual review"));
    let only_approved = page("?status=approved");
    assert!(only_approved.contains(&approved) && !only_approved.contains(&pending));
    let by_domain = page("?domain=acme.example");
    assert!(by_domain.contains(&other) && !by_domain.contains(&pending));
    let search = page("?q=100%25");
    assert!(
        search.contains(&other) && !search.contains(&pending),
        "LIKE wildcards are literal"
    );
    let by_document = page("?document=iso27001-cert");
    assert!(by_document.contains("No request matches these filters."));
}

#[test]
fn every_action_goes_through_the_workflow_and_is_audited_with_the_reviewer() {
    let console = Console::start();
    let session = console.signed_in("alice");
    let post = |id: &str, action: &str, form: &[(&str, &str)]| {
        let mut fields = vec![("csrf", session.csrf.as_str())];
        fields.extend_from_slice(form);
        post_form(
            &console.url(&format!("/requests/{id}/{action}")),
            Some(&session.cookie),
            None,
            &fields,
        )
    };
    // Bad days: the form comes back with the error and what was typed.
    let id = console.submit("jane@prospect.example", "Prospect Ltd", "act-1");
    let bad = post(&id, "approve", &[("days", "0"), ("note", "kept note")]);
    assert_eq!(bad.status, 422);
    let html = text(&bad);
    assert!(
        html.contains("between 1 and 3650") && html.contains("kept note"),
        "{html}"
    );
    assert_eq!(status_of(&console, &id), "pending");

    assert_eq!(post(&id, "approve", &[("days", "3")]).status, 303);
    assert_eq!(post(&id, "resend", &[]).status, 303);
    assert_eq!(
        post(&id, "extend", &[("days", "10"), ("note", "audit season")]).status,
        303
    );
    let again = post(&id, "approve", &[("days", "3")]);
    assert_eq!(
        again.status, 409,
        "approving twice is refused by the workflow"
    );
    let approval_mail: Vec<Value> = serde_json::from_str(
        &console
            .env
            .admin(&["outbox", "--request", &id, "--json"])
            .unwrap(),
    )
    .unwrap();
    let link_token = token_from(approval_mail[0]["body"].as_str().unwrap());
    // The download page's button (a form POST) is what serves the file and counts as a download.
    let downloads =
        |token: &str| common::post_form(&format!("{}/v1/downloads/{token}", console.public));
    assert_eq!(downloads(&link_token).status, 200);
    assert_eq!(
        post(&id, "revoke", &[("note", "left the company")]).status,
        303
    );
    assert_eq!(downloads(&link_token).status, 403);

    let shown = console.env.show_json(&id);
    let trail: Vec<(String, String)> = shown["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["event"].as_str().unwrap().into(),
                e["actor"].as_str().unwrap().into(),
            )
        })
        .collect();
    let by_alice = |event: &str| trail.contains(&(event.to_string(), "reviewer:alice".to_string()));
    for event in ["approved", "link_resent", "access_extended", "revoked"] {
        assert!(by_alice(event), "{event} missing from {trail:?}");
    }
    let outbox: Vec<Value> = serde_json::from_str(
        &console
            .env
            .admin(&["outbox", "--request", &id, "--json"])
            .unwrap(),
    )
    .unwrap();
    // Besides the receipt queued with the request, approval, re-send and extension each e-mail the link.
    let to_requester: Vec<&str> = outbox
        .iter()
        .filter(|m| m["recipient"] == "jane@prospect.example")
        .filter_map(|m| m["subject"].as_str())
        .collect();
    let receipts = to_requester
        .iter()
        .filter(|subject| subject.starts_with("Receipt"))
        .count();
    assert_eq!(receipts, 1, "{to_requester:?}");
    assert_eq!(
        to_requester.len() - receipts,
        3,
        "approval, re-send and extension each e-mail the link: {to_requester:?}"
    );

    // Deny with a message: the message reaches the requester's e-mail, the note stays internal.
    let denied = console.submit("joe@prospect.example", "Prospect Ltd", "act-2");
    let reply = post(
        &denied,
        "deny",
        &[
            ("note", "internal: competitor"),
            ("message", "Please ask your account manager."),
        ],
    );
    assert_eq!(reply.status, 303);
    let outbox: Vec<Value> = serde_json::from_str(
        &console
            .env
            .admin(&["outbox", "--request", &denied, "--json"])
            .unwrap(),
    )
    .unwrap();
    let body = outbox[0]["body"].as_str().unwrap();
    assert!(body.contains("Please ask your account manager.") && !body.contains("competitor"));
    // The request page's timeline shows all of it, with who did it.
    let page = text(&get_with(
        &console.url(&format!("/requests/{id}")),
        Some(&session.cookie),
    ));
    for line in [
        "Request created, NDA accepted",
        "Approved",
        "Download link re-sent",
        "Access extended",
        "Revoked",
        "Downloaded</strong> by the requester",
        "Download refused</strong> by the requester",
        "access revoked",
        "by reviewer:alice",
        "E-mail to jane@prospect.example",
    ] {
        assert!(page.contains(line), "timeline lacks {line}");
    }
}

#[test]
fn audit_export_filters_by_date_and_neutralises_formulas() {
    let console = Console::start();
    let id = console.submit("jane@prospect.example", "=HYPERLINK(\"http://x\")", "exp-1");
    let session = console.signed_in("alice");
    let today = &trust_intake::clock::format_utc(now_secs())[..10];
    let csv = get_with(
        &console.url(&format!("/export?format=csv&from={today}&to={today}")),
        Some(&session.cookie),
    );
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    let body = text(&csv);
    assert!(body.contains(&id));
    assert!(body.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{body}");
    let json = get_with(
        &console.url(&format!("/export?format=json&from={today}")),
        Some(&session.cookie),
    );
    let rows: Vec<Value> = serde_json::from_slice(&json.body).unwrap();
    assert_eq!(rows[0]["event"], "submitted");
    assert_eq!(
        rows[0]["company"], "=HYPERLINK(\"http://x\")",
        "JSON keeps the exact text"
    );
    let past = get_with(
        &console.url("/export?format=json&from=2001-01-01&to=2001-12-31"),
        Some(&session.cookie),
    );
    assert_eq!(
        serde_json::from_slice::<Vec<Value>>(&past.body)
            .unwrap()
            .len(),
        0
    );
    let bad = get_with(
        &console.url("/export?from=2001-02-30"),
        Some(&session.cookie),
    );
    assert_eq!(bad.status, 400);
    let overview = text(&get_with(&console.url("/overview"), Some(&session.cookie)));
    assert!(overview.contains("Requests per week") && overview.contains("Waiting for a decision"));
}

#[test]
fn the_vendors_new_request_email_links_to_the_request_page() {
    let options = Options {
        notify_email: Some("security@vendor.example".into()),
        ..Options::default()
    };
    let console = Console::start_with(options, "public_url = \"https://console.vendor.example\"\n");
    let id = console.submit("jane@prospect.example", "Prospect Ltd", "mail-1");
    let outbox: Vec<Value> = serde_json::from_str(
        &console
            .env
            .admin(&["outbox", "--request", &id, "--json"])
            .unwrap(),
    )
    .unwrap();
    let notice = outbox
        .iter()
        .find(|m| m["recipient"] == "security@vendor.example")
        .unwrap();
    let body = notice["body"].as_str().unwrap();
    assert!(
        body.contains(&format!("https://console.vendor.example/requests/{id}")),
        "{body}"
    );
    // Over https the cookie is Secure with the __Host- prefix.
    let page = get_with(&console.url("/sign-in"), None);
    let cookie = page.header("set-cookie").unwrap();
    assert!(
        cookie.starts_with("__Host-tc_console=") && cookie.contains("; Secure"),
        "{cookie}"
    );
    // The link itself needs a session.
    let reply = get_with(&console.url(&format!("/requests/{id}")), None);
    assert_eq!(reply.status, 303);
}

#[test]
fn the_cli_and_the_console_share_one_workflow_and_one_timeline() {
    let console = Console::start();
    let session = console.signed_in("alice");
    let id = console.submit("jane@prospect.example", "Prospect Ltd", "cli-1");
    let approve = post_form(
        &console.url(&format!("/requests/{id}/approve")),
        Some(&session.cookie),
        None,
        &[("csrf", &session.csrf), ("days", "2")],
    );
    assert_eq!(approve.status, 303);
    let extended = console
        .env
        .admin(&["extend", &id, "--days", "5", "--by", "carol"])
        .unwrap();
    assert!(extended.contains("extended until"), "{extended}");
    let resent = console
        .env
        .admin(&["resend", &id, "--by", "carol"])
        .unwrap();
    assert!(resent.contains("queued as an e-mail"), "{resent}");
    let page = text(&get_with(
        &console.url(&format!("/requests/{id}")),
        Some(&session.cookie),
    ));
    assert!(
        page.contains("Approved</strong> by reviewer:alice"),
        "{page}"
    );
    assert!(page.contains("Access extended</strong> by admin:carol"));
    assert!(page.contains("Download link re-sent</strong> by admin:carol"));
    let end = console.env.show_json(&id)["request"]["access_expires_at"]
        .as_i64()
        .unwrap();
    let expected = now_secs() + 7 * 86_400;
    assert!((end - expected).abs() < 60, "2 days + 5 days from now");

    let other = console.submit("joe@prospect.example", "Prospect Ltd", "cli-2");
    console
        .env
        .admin(&[
            "deny",
            &other,
            "--note",
            "internal",
            "--message",
            "Ask sales.",
        ])
        .unwrap();
    let outbox: Vec<Value> = serde_json::from_str(
        &console
            .env
            .admin(&["outbox", "--request", &other, "--json"])
            .unwrap(),
    )
    .unwrap();
    assert!(outbox[0]["body"].as_str().unwrap().contains("Ask sales."));
}

#[test]
fn an_erased_request_renders_without_personal_data_in_every_console_view() {
    let console = Console::start();
    let id = console.submit(
        "quentin.erased@tinyerase.example",
        "Tinyerase Quentin Ltd",
        "erase-1",
    );
    console.env.admin(&["deny", &id]).unwrap();
    let output = console.env.admin(&["erase", &id]).unwrap();
    assert!(output.contains("Erased"), "{output}");
    let session = console.signed_in("alice");
    for path in [
        format!("/requests/{id}"),
        "/inbox".to_string(),
        "/inbox?status=denied".to_string(),
        "/overview".to_string(),
        "/export?format=csv".to_string(),
        "/export?format=json&from=2020-01-01".to_string(),
    ] {
        let page = get_with(&console.url(&path), Some(&session.cookie));
        assert_eq!(page.status, 200, "{path}: {}", text(&page));
        let body = text(&page).to_lowercase();
        for trace in ["quentin", "tinyerase"] {
            assert!(!body.contains(trace), "{path} names {trace}: {body}");
        }
    }
    let page = text(&get_with(
        &console.url(&format!("/requests/{id}")),
        Some(&session.cookie),
    ));
    assert!(page.contains("Request (requester erased)"), "{page}");
    assert!(page.contains("2026-01"), "the NDA evidence stays: {page}");
    let inbox = text(&get_with(
        &console.url("/inbox?status=denied"),
        Some(&session.cookie),
    ));
    assert!(inbox.contains(&id) && inbox.contains("(erased)"), "{inbox}");
}

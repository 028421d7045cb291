//! Shared test harness: a real service on 127.0.0.1 (ephemeral port) over a real SQLite file in a temp dir.
#![allow(dead_code)]

pub mod pdf;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Child;

use serde_json::{json, Value};
use trust_intake::cli::{run_requests_to, RequestsArgs};
use trust_intake::{Config, RunningServer};

pub const SECRET: &str = "integration-test-secret-0123456789abcdef";
pub const ALLOWED_ORIGIN: &str = "http://127.0.0.1:8080";
/// Text on each page of the test SOC 2 report (a real two-page PDF, watermarked on download).
pub const SOC2_PAGE_TEXT: &str = "Original text of page";
/// The ISO certificate is configured with `watermark = "off"` and served byte for byte.
pub const ISO_BYTES: &[u8] = b"%PDF-1.7 fake ISO certificate for tests\n";

/// The stored SOC 2 report (`docs/soc2.pdf`).
pub fn soc2_pdf() -> Vec<u8> {
    pdf::simple(2)
}

/// Starts the service in-process on its own two-thread runtime (kept alive by the caller).
pub fn start_server(config: Config) -> (tokio::runtime::Runtime, RunningServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(trust_intake::start(config)).unwrap();
    (runtime, server)
}

/// Knobs that differ between tests.
pub struct Options {
    pub burst: u32,
    pub per_minute: u32,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<String>,
    pub notify_email: Option<String>,
    pub listen: String,
    /// Lines of a `[listener]` table (limits), empty for the defaults.
    pub listener: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            burst: 1000,
            per_minute: 1000,
            webhook_url: None,
            webhook_secret: None,
            notify_email: None,
            listen: "127.0.0.1:0".into(),
            listener: String::new(),
        }
    }
}

/// A temp directory with a config file, the documents folder and a secret file outside it.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub config_path: PathBuf,
}

impl Env {
    pub fn new(options: &Options) -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("docs")).unwrap();
        std::fs::write(dir.path().join("docs/soc2.pdf"), soc2_pdf()).unwrap();
        std::fs::write(dir.path().join("docs/iso.pdf"), ISO_BYTES).unwrap();
        std::fs::write(
            dir.path().join("outside-secret.txt"),
            b"must never be served",
        )
        .unwrap();
        let mut notifications = String::from(
            "poll_interval_ms = 20\nwebhook_initial_backoff_ms = 50\nwebhook_max_attempts = 4\n",
        );
        if let Some(url) = &options.webhook_url {
            notifications.push_str(&format!("webhook_url = \"{url}\"\n"));
        }
        if let Some(secret) = &options.webhook_secret {
            notifications.push_str(&format!("webhook_secret = \"{secret}\"\n"));
        }
        if let Some(address) = &options.notify_email {
            notifications.push_str(&format!("notify_email = \"{address}\"\n"));
        }
        let text = format!(
            r#"listen = "{listen}"
data_dir = "data"
signing_secret = "{SECRET}"
allowed_origins = ["{ALLOWED_ORIGIN}"]
max_body_bytes = 4096

[rules]
auto_approve_domains = ["partner.example"]
deny_domains = ["rival.example"]
block_free_mail = true
access_days = 30

[rate_limit]
burst = {burst}
per_minute = {per_minute}

[documents]
folder = "docs"

[documents.files]
soc2-type2-2026 = "soc2.pdf"
iso27001-cert = "iso.pdf"

[documents.settings.soc2-type2-2026]
title = "SOC 2 Type 2 report 2026"

[documents.settings.iso27001-cert]
watermark = "off"

[notifications]
{notifications}
[listener]
{listener}"#,
            listen = options.listen,
            burst = options.burst,
            per_minute = options.per_minute,
            listener = options.listener,
        );
        let config_path = dir.path().join("intake.toml");
        std::fs::write(&config_path, text).unwrap();
        Env { dir, config_path }
    }

    pub fn config(&self) -> Config {
        Config::load(&self.config_path).unwrap()
    }

    /// Runs `trustctl requests <args…> --config <this config>` in-process and returns its output.
    pub fn admin(&self, args: &[&str]) -> Result<String, String> {
        let mut argv = vec!["requests".to_string()];
        argv.extend(args.iter().map(|a| a.to_string()));
        argv.push("--config".into());
        argv.push(self.config_path.display().to_string());
        let parsed =
            <RequestsArgs as clap::Parser>::try_parse_from(argv).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        run_requests_to(parsed, &mut out).map_err(|e| e.to_string())?;
        Ok(String::from_utf8(out).unwrap())
    }

    /// `requests show ID --json` parsed.
    pub fn show_json(&self, id: &str) -> Value {
        serde_json::from_str(&self.admin(&["show", id, "--json"]).unwrap()).unwrap()
    }

    /// The names of the request's audit events, oldest first (from `requests show --json`).
    pub fn audit_events(&self, id: &str) -> Vec<String> {
        self.show_json(id)["audit"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["event"].as_str().unwrap().to_string())
            .collect()
    }

    /// `requests list --json` parsed.
    pub fn list_json(&self) -> Vec<Value> {
        serde_json::from_str(&self.admin(&["list", "--json"]).unwrap()).unwrap()
    }
}

/// A running service plus the runtime that drives it.
pub struct Service {
    pub env: Env,
    pub base: String,
    runtime: Option<tokio::runtime::Runtime>,
    server: Option<RunningServer>,
}

impl Service {
    pub fn start(options: Options) -> Service {
        let env = Env::new(&options);
        let (runtime, server) = start_server(env.config());
        let base = format!("http://{}", server.local_addr());
        Service {
            env,
            base,
            runtime: Some(runtime),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Approves via the admin command and returns the token from the printed link.
    pub fn approve(&self, id: &str) -> String {
        let output = self.env.admin(&["approve", id, "--by", "tester"]).unwrap();
        token_from(&output)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let (Some(runtime), Some(server)) = (self.runtime.take(), self.server.take()) {
            let _ = runtime.block_on(server.shutdown());
        }
    }
}

/// Extracts the token from text containing `/v1/downloads/<token>`.
pub fn token_from(text: &str) -> String {
    let start = text.find("/v1/downloads/").expect("a download link") + "/v1/downloads/".len();
    // A token is base64url with one '.': it ends at the first other character (space, quote of the
    // outbox row's JSON, end of an e-mail line).
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect()
}

/// A form submission as the widget would send it.
pub fn submission(email: &str, key: &str) -> Value {
    json!({
        "name": "Jane Doe",
        "email": email,
        "company": "Prospect Ltd",
        "reason": "Vendor due diligence",
        "document_id": "soc2-type2-2026",
        "nda_version": "2026-01",
        "nda_sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
        "nda_accepted": true,
        "idempotency_key": key,
    })
}

/// Response status, headers and body.
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
    /// The `code` of a JSON error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
    /// Field names listed in a validation error.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["error"]["fields"]
            .as_array()
            .map(|f| {
                f.iter()
                    .map(|e| e["field"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// The status, headers and body of a finished call (any status; transport errors panic).
pub fn reply(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.body_mut().read_to_vec().unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

pub fn post_raw(url: &str, body: &str, origin: Option<&str>) -> Reply {
    let mut request = agent()
        .post(url)
        .header("User-Agent", "intake-tests/1")
        .content_type("application/json");
    if let Some(origin) = origin {
        request = request.header("Origin", origin);
    }
    reply(request.send(body))
}

pub fn post(url: &str, body: &Value) -> Reply {
    post_raw(url, &body.to_string(), None)
}

/// The download page's button: an empty form POST, as a browser sends it.
pub fn post_form(url: &str) -> Reply {
    reply(
        agent()
            .post(url)
            .header("User-Agent", "intake-tests/1")
            .content_type("application/x-www-form-urlencoded")
            .send(""),
    )
}

/// A GET as a browser sends it (asks for HTML).
pub fn get_html(url: &str) -> Reply {
    reply(
        agent()
            .get(url)
            .header("User-Agent", "intake-tests/1")
            .header("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
            .call(),
    )
}

pub fn get(url: &str) -> Reply {
    reply(
        agent()
            .get(url)
            .header("User-Agent", "intake-tests/1")
            .call(),
    )
}

pub fn options(url: &str, origin: &str) -> Reply {
    reply(
        agent()
            .options(url)
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header("Access-Control-Request-Headers", "content-type")
            .call(),
    )
}

/// Reads the service binary's first stdout line and returns the base URL it announces
/// (`http://127.0.0.1:PORT`).
pub fn announced_base(child: &mut Child) -> String {
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim()
        .strip_prefix("trust-intake listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_string()
}

//! The TOML configuration file: listen address, storage, rules, documents, CORS, limits, notifications.
//!
//! Relative paths in the file are resolved against the directory that contains the file. Unknown keys are
//! rejected so that a typo does not silently fall back to a default.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::IntakeError;

/// Default listen address: loopback only. Exposing the service is an explicit vendor decision.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8787";

/// A signing secret must carry at least this many characters (a generated one has 43).
pub const MIN_SECRET_CHARS: usize = 32;

/// Refuses signing secrets that are too short to resist guessing (from the file or the environment).
pub fn check_secret_strength(secret: &str) -> Result<(), String> {
    if secret.trim().chars().count() < MIN_SECRET_CHARS {
        return Err(format!(
            "the signing secret must be at least {MIN_SECRET_CHARS} characters long (leave it unset to have one generated)"
        ));
    }
    Ok(())
}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Socket address to listen on (default `127.0.0.1:8787`).
    #[serde(default = "default_listen")]
    pub listen: String,
    /// Public base URL used in status URLs and download links (default `http://<listen>`).
    #[serde(default)]
    pub public_url: Option<String>,
    /// Folder for the database and the generated signing secret (default `./intake-data`).
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// SQLite file (default `<data_dir>/intake.sqlite3`).
    #[serde(default)]
    pub database: Option<PathBuf>,
    /// `postgres://USER@HOST:PORT/DATABASE` to share one PostgreSQL database between instances (the
    /// password preferably from `TRUST_INTAKE_DATABASE_PASSWORD`); unset: the SQLite file above.
    #[serde(default)]
    pub database_url: Option<String>,
    /// PostgreSQL pool, timeouts and outbox claim lease (`[postgres]`; only with a `postgres://` URL).
    #[serde(default)]
    pub postgres: crate::store::postgres::PostgresSettings,
    /// Secret for download-link signatures. Prefer the `TRUST_INTAKE_SIGNING_SECRET` environment variable;
    /// when neither is set a random secret is generated into `<data_dir>/signing-secret` (mode 0600).
    #[serde(default)]
    pub signing_secret: Option<String>,
    /// Browser origins allowed to call the API (exact match, e.g. `https://www.example.com`).
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Largest accepted request body in bytes (default 16 KiB).
    #[serde(default = "default_max_body_bytes")]
    pub max_body_bytes: usize,
    /// Take the client IP from the last `X-Forwarded-For` entry (only behind a reverse proxy you control).
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// Approval rules.
    #[serde(default)]
    pub rules: RulesConfig,
    /// Per-IP rate limit.
    #[serde(default)]
    pub rate_limit: RateLimitConfig,
    /// Documents that may be requested.
    #[serde(default)]
    pub documents: DocumentsConfig,
    /// Notifications (outbox e-mails and webhook).
    #[serde(default)]
    pub notifications: NotificationsConfig,
    /// Per-connection limits of the HTTP listener (timeouts, connection caps, header size).
    #[serde(default)]
    pub listener: crate::listener::ListenerLimits,
    /// SMTP delivery of the outbox's e-mails (`[smtp]`, see `mail::config`); none: e-mails stay queued.
    #[serde(default)]
    pub smtp: Option<crate::mail::SmtpConfig>,
    /// The review console (`[console]`, see docs/intake.md); off when the section is absent.
    #[serde(default)]
    pub console: Option<crate::console::settings::ConsoleConfig>,
    /// Update subscriptions (`[subscriptions]`: caps, link lifetime, consent wording).
    #[serde(default)]
    pub subscriptions: crate::subscriptions::SubscriptionSettings,
    /// Directory of the configuration file; relative paths are resolved against it.
    #[serde(skip)]
    pub base_dir: PathBuf,
}

/// Vendor rules applied to each new request, by the e-mail domain.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Requests from these domains (or their subdomains) are approved at once.
    #[serde(default)]
    pub auto_approve_domains: Vec<String>,
    /// Requests from these domains (or their subdomains) are recorded as denied.
    #[serde(default)]
    pub deny_domains: Vec<String>,
    /// Refuse free-mail addresses (gmail.com, …) with a validation error (default true).
    #[serde(default = "default_true")]
    pub block_free_mail: bool,
    /// Extra domains treated as free-mail, added to the built-in list.
    #[serde(default)]
    pub extra_free_mail_domains: Vec<String>,
    /// How long an approval grants access, in days (default 30).
    #[serde(default = "default_access_days")]
    pub access_days: u32,
}

/// Token bucket per client IP.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    /// Requests allowed in a burst (bucket size, default 10).
    #[serde(default = "default_burst")]
    pub burst: u32,
    /// Tokens added per minute (default 20).
    #[serde(default = "default_per_minute")]
    pub per_minute: u32,
}

/// Folder and mapping of document ids to file names inside it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentsConfig {
    /// Folder with the documents (default `./documents`).
    #[serde(default)]
    pub folder: Option<PathBuf>,
    /// `document_id = "file name inside folder"`.
    #[serde(default)]
    pub files: BTreeMap<String, String>,
    /// Optional per-document settings (`watermark`, `title`): `[documents.settings.<id>]`.
    #[serde(default)]
    pub settings: BTreeMap<String, crate::watermark::DocumentSettings>,
}

/// Outbox and webhook settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotificationsConfig {
    /// Vendor address that receives a "new request" e-mail in the outbox.
    #[serde(default)]
    pub notify_email: Option<String>,
    /// URL that receives a JSON POST for every new request.
    #[serde(default)]
    pub webhook_url: Option<String>,
    /// When set, each webhook POST carries `X-Trust-Intake-Signature: sha256=<hex HMAC-SHA256 of the body>`.
    #[serde(default)]
    pub webhook_secret: Option<String>,
    /// Delivery attempts before a webhook message is marked failed (default 8).
    #[serde(default = "default_max_attempts")]
    pub webhook_max_attempts: u32,
    /// First retry delay in milliseconds; doubles on each attempt up to one hour (default 2000).
    #[serde(default = "default_backoff_ms")]
    pub webhook_initial_backoff_ms: u64,
    /// How often the background task looks for due messages, in milliseconds (default 1000).
    #[serde(default = "default_poll_ms")]
    pub poll_interval_ms: u64,
}

fn default_listen() -> String {
    DEFAULT_LISTEN.to_string()
}
fn default_data_dir() -> PathBuf {
    PathBuf::from("intake-data")
}
fn default_max_body_bytes() -> usize {
    16 * 1024
}
fn default_true() -> bool {
    true
}
fn default_access_days() -> u32 {
    30
}
fn default_burst() -> u32 {
    10
}
fn default_per_minute() -> u32 {
    20
}
fn default_max_attempts() -> u32 {
    8
}
fn default_backoff_ms() -> u64 {
    2000
}
fn default_poll_ms() -> u64 {
    1000
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            auto_approve_domains: Vec::new(),
            deny_domains: Vec::new(),
            block_free_mail: true,
            extra_free_mail_domains: Vec::new(),
            access_days: default_access_days(),
        }
    }
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        RateLimitConfig {
            burst: default_burst(),
            per_minute: default_per_minute(),
        }
    }
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        NotificationsConfig {
            notify_email: None,
            webhook_url: None,
            webhook_secret: None,
            webhook_max_attempts: default_max_attempts(),
            webhook_initial_backoff_ms: default_backoff_ms(),
            poll_interval_ms: default_poll_ms(),
        }
    }
}

impl Config {
    /// Reads, parses and checks the file at `path`.
    pub fn load(path: &Path) -> Result<Config, IntakeError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            IntakeError::Config(format!(
                "cannot read configuration file {}: {e}",
                path.display()
            ))
        })?;
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Config::from_toml(&text, &base_dir)
            .map_err(|e| IntakeError::Config(format!("{} ({})", e, path.display())))
    }

    /// Parses TOML text; relative paths will be resolved against `base_dir`.
    pub fn from_toml(text: &str, base_dir: &Path) -> Result<Config, String> {
        let mut config: Config = toml::from_str(text).map_err(|e| format!("invalid TOML: {e}"))?;
        config.base_dir = base_dir.to_path_buf();
        config.normalise();
        config.check()?;
        Ok(config)
    }

    fn normalise(&mut self) {
        let lower = |list: &mut Vec<String>| {
            for item in list.iter_mut() {
                *item = item.trim().trim_start_matches('@').to_ascii_lowercase();
            }
        };
        lower(&mut self.rules.auto_approve_domains);
        lower(&mut self.rules.deny_domains);
        lower(&mut self.rules.extra_free_mail_domains);
        for origin in self.allowed_origins.iter_mut() {
            *origin = origin.trim().trim_end_matches('/').to_string();
        }
        if let Some(url) = self.public_url.as_mut() {
            *url = url.trim().trim_end_matches('/').to_string();
        }
        if self
            .notifications
            .webhook_url
            .as_deref()
            .is_some_and(|u| u.trim().is_empty())
        {
            self.notifications.webhook_url = None;
        }
        if self.signing_secret.as_deref().is_some_and(|s| s.is_empty()) {
            self.signing_secret = None;
        }
    }

    fn check(&self) -> Result<(), String> {
        self.listen_addr()?;
        if let Some(url) = &self.database_url {
            if !crate::store::database::is_postgres_url(url) {
                return Err(
                    "database_url must be a postgres:// URL (leave it unset for SQLite)".into(),
                );
            }
        }
        if self.max_body_bytes < 512 {
            return Err("max_body_bytes must be at least 512".into());
        }
        if self.rate_limit.burst == 0 || self.rate_limit.per_minute == 0 {
            return Err("rate_limit.burst and rate_limit.per_minute must be at least 1".into());
        }
        if self.rules.access_days == 0 || self.rules.access_days > 3650 {
            return Err("rules.access_days must be between 1 and 3650".into());
        }
        for (id, file) in &self.documents.files {
            if !crate::validate::is_document_id(id) {
                return Err(format!(
                    "document id \"{id}\" is not allowed: use 1-128 letters, digits, '-', '_' or '.', starting with a letter or digit"
                ));
            }
            if !is_plain_file_name(file) {
                return Err(format!(
                    "documents.files.{id} = \"{file}\" must be a plain file name inside the documents folder (no '/', '\\' or '..')"
                ));
            }
        }
        crate::watermark::policy::check_settings(&self.documents)?;
        for origin in &self.allowed_origins {
            if !(origin.starts_with("https://") || origin.starts_with("http://"))
                || origin.matches('/').count() != 2
            {
                return Err(format!(
                    "allowed_origins entry \"{origin}\" must look like https://www.example.com (scheme and host, optional port, no path)"
                ));
            }
        }
        if let Some(url) = &self.notifications.webhook_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err("notifications.webhook_url must start with https:// or http://".into());
            }
        }
        self.listener.check("listener")?;
        if let Some(secret) = &self.signing_secret {
            check_secret_strength(secret)?;
        }
        if let Some(smtp) = &self.smtp {
            smtp.check()?;
        }
        if let Some(console) = &self.console {
            console.check()?;
        }
        self.subscriptions.check()?;
        Ok(())
    }

    /// The parsed listen address.
    pub fn listen_addr(&self) -> Result<SocketAddr, String> {
        self.listen.parse().map_err(|_| {
            format!(
                "listen = \"{}\" is not an address like 127.0.0.1:8787",
                self.listen
            )
        })
    }

    /// Resolves a configured path against the configuration file's directory.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.base_dir.join(path)
        }
    }

    /// Absolute-or-config-relative data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.resolve(&self.data_dir)
    }

    /// Path of the SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        match &self.database {
            Some(path) => self.resolve(path),
            None => self.data_dir().join("intake.sqlite3"),
        }
    }

    /// Folder holding the downloadable documents.
    pub fn documents_folder(&self) -> PathBuf {
        match &self.documents.folder {
            Some(path) => self.resolve(path),
            None => self.resolve(Path::new("documents")),
        }
    }

    /// Base URL for links, without a trailing slash; `actual` is the bound address when known.
    pub fn public_base(&self, actual: Option<SocketAddr>) -> String {
        match &self.public_url {
            Some(url) => url.clone(),
            None => format!(
                "http://{}",
                actual
                    .map(|a| a.to_string())
                    .unwrap_or_else(|| self.listen.clone())
            ),
        }
    }
}

/// A file name with no directory parts and no parent references.
pub fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && !name.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_listen_on_loopback() {
        let config = Config::from_toml("", Path::new("/etc/x")).unwrap();
        assert_eq!(config.listen, "127.0.0.1:8787");
        assert!(config.listen_addr().unwrap().ip().is_loopback());
        assert_eq!(
            config.database_path(),
            PathBuf::from("/etc/x/intake-data/intake.sqlite3")
        );
    }

    #[test]
    fn shipped_example_is_valid() {
        let text = include_str!("../../../config/intake.example.toml");
        let config = Config::from_toml(text, Path::new("/srv/intake")).unwrap();
        assert!(config.listen_addr().unwrap().ip().is_loopback());
        assert_eq!(
            config.documents_folder(),
            PathBuf::from("/srv/intake/documents")
        );
        assert_eq!(config.documents.files.len(), 2);
    }

    #[test]
    fn rejects_unknown_keys_and_traversal() {
        assert!(Config::from_toml("lisen = \"x\"", Path::new(".")).is_err());
        let bad = "[documents.files]\nsoc2 = \"../secret.pdf\"\n";
        assert!(Config::from_toml(bad, Path::new("."))
            .unwrap_err()
            .contains("plain file name"));
        let bad_id = "[documents.files]\n\"../x\" = \"a.pdf\"\n";
        assert!(Config::from_toml(bad_id, Path::new(".")).is_err());
    }
}

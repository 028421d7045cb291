//! The `[smtp]` table of the configuration file: where and how e-mails are delivered, and how they look.
//!
//! Checked when the file is loaded (keys that cannot work are named in the error); the password is
//! resolved only when the mailer starts, so admin commands do not need it.

use std::path::PathBuf;

use serde::Deserialize;

/// Environment variable that holds the SMTP password (wins over `smtp.password`).
pub const PASSWORD_ENV: &str = "TRUST_INTAKE_SMTP_PASSWORD";

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Plain connection upgraded with `STARTTLS`, which is required (port 587).
    Starttls,
    /// TLS from the first byte (implicit TLS, port 465).
    Tls,
    /// No encryption at all: only accepted for a server on the loopback interface.
    None,
}

impl TlsMode {
    /// Parses the configuration spelling.
    pub fn parse(text: &str) -> Option<TlsMode> {
        match text {
            "starttls" => Some(TlsMode::Starttls),
            "tls" => Some(TlsMode::Tls),
            "none" => Some(TlsMode::None),
            _ => None,
        }
    }

    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Starttls => "starttls",
            TlsMode::Tls => "tls",
            TlsMode::None => "none",
        }
    }

    fn default_port(self) -> u16 {
        match self {
            TlsMode::Starttls => 587,
            TlsMode::Tls => 465,
            TlsMode::None => 25,
        }
    }
}

/// A password that never appears in `Debug` output (the configuration is debug-printed in places).
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Password(pub String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// `[smtp]`: the server, the sender identity, delivery pacing and the look of the messages.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    /// Host name of the SMTP server (also the name its TLS certificate must carry).
    pub host: String,
    /// Port (default 587 for `starttls`, 465 for `tls`, 25 for `none`).
    #[serde(default)]
    pub port: Option<u16>,
    /// `starttls` (default), `tls` (implicit TLS) or `none` (loopback servers only).
    #[serde(default = "default_tls")]
    pub tls: String,
    /// Extra root certificate (PEM file) to trust, e.g. a company CA in front of an internal relay.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// User name for SMTP AUTH; needs a password (`TRUST_INTAKE_SMTP_PASSWORD` or `password`).
    #[serde(default)]
    pub username: Option<String>,
    /// SMTP password; prefer the `TRUST_INTAKE_SMTP_PASSWORD` environment variable.
    #[serde(default)]
    pub password: Option<Password>,
    /// `From:` header, e.g. `"Acme Trust <trust@acme.example>"`.
    pub from: String,
    /// `Reply-To:` header (default: none, replies go to `from`).
    #[serde(default)]
    pub reply_to: Option<String>,
    /// Envelope sender (`MAIL FROM`, where bounces go; default: the `from` address).
    #[serde(default)]
    pub envelope_from: Option<String>,
    /// Longest time one message may take, connection to final answer, in seconds (default 30).
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// At most this many messages per minute, spread evenly (default 60).
    #[serde(default = "default_per_minute")]
    pub max_per_minute: u32,
    /// Attempts before a temporarily failing message is marked failed (default 10).
    #[serde(default = "default_max_attempts")]
    pub max_attempts: u32,
    /// First retry delay in milliseconds, doubling per attempt up to one hour (default 30000).
    #[serde(default = "default_backoff_ms")]
    pub initial_backoff_ms: u64,
    /// Vendor name shown in the messages (default: the display name of `from`, else "Trust Center").
    #[serde(default)]
    pub vendor_name: Option<String>,
    /// Absolute https:// URL of the logo shown at the top of the HTML part (default: none).
    #[serde(default)]
    pub logo_url: Option<String>,
    /// Folder with template files that replace the built-in ones (same file names, see docs/intake.md).
    #[serde(default)]
    pub template_dir: Option<PathBuf>,
    /// DKIM selector: the public key is published at `<selector>._domainkey.<dkim_domain>`.
    #[serde(default)]
    pub dkim_selector: Option<String>,
    /// DKIM private key: an RSA key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), mode 0600.
    #[serde(default)]
    pub dkim_key_file: Option<PathBuf>,
    /// DKIM signing domain (default: the domain of `from`).
    #[serde(default)]
    pub dkim_domain: Option<String>,
}

fn default_tls() -> String {
    "starttls".into()
}
fn default_timeout_secs() -> u64 {
    30
}
fn default_per_minute() -> u32 {
    60
}
fn default_max_attempts() -> u32 {
    10
}
fn default_backoff_ms() -> u64 {
    30_000
}

impl SmtpConfig {
    /// The TLS mode (checked by [`SmtpConfig::check`], so `Starttls` is only a fallback).
    pub fn tls_mode(&self) -> TlsMode {
        TlsMode::parse(&self.tls).unwrap_or(TlsMode::Starttls)
    }

    /// The port to connect to.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or_else(|| self.tls_mode().default_port())
    }

    /// Whether `host` names this machine's loopback interface.
    pub fn host_is_loopback(&self) -> bool {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// Checks every key that can be checked without the environment; the error names the key.
    pub fn check(&self) -> Result<(), String> {
        if self.host.trim().is_empty() {
            return Err("smtp.host must name the SMTP server, e.g. \"smtp.example.com\"".into());
        }
        let Some(mode) = TlsMode::parse(&self.tls) else {
            return Err(format!(
                "smtp.tls = \"{}\" is not a TLS mode: use \"starttls\", \"tls\" (implicit TLS) or \"none\" (loopback only)",
                self.tls
            ));
        };
        if mode == TlsMode::None && !self.host_is_loopback() {
            return Err(format!(
                "smtp.tls = \"none\" would send mail (and any password) unencrypted to {}: use \"starttls\" or \"tls\"; \"none\" is only allowed for a server on 127.0.0.1, ::1 or localhost",
                self.host
            ));
        }
        if self.port == Some(0) {
            return Err("smtp.port must be between 1 and 65535".into());
        }
        for (key, value) in [
            ("smtp.from", Some(&self.from)),
            ("smtp.reply_to", self.reply_to.as_ref()),
            ("smtp.envelope_from", self.envelope_from.as_ref()),
        ] {
            if let Some(value) = value {
                value.parse::<lettre::message::Mailbox>().map_err(|e| {
                    format!("{key} = \"{value}\" is not an e-mail address like \"Acme Trust <trust@acme.example>\" ({e})")
                })?;
            }
        }
        if self.password.is_some() && self.username.is_none() {
            return Err("smtp.password is set but smtp.username is missing".into());
        }
        if self.timeout_secs == 0 || self.timeout_secs > 600 {
            return Err("smtp.timeout_secs must be between 1 and 600".into());
        }
        if self.max_per_minute == 0 {
            return Err("smtp.max_per_minute must be at least 1".into());
        }
        if self.max_attempts == 0 {
            return Err("smtp.max_attempts must be at least 1".into());
        }
        if self.dkim_selector.is_some() != self.dkim_key_file.is_some() {
            return Err(
                "smtp.dkim_selector and smtp.dkim_key_file go together: set both to sign with DKIM, or neither"
                    .into(),
            );
        }
        if let Some(url) = &self.logo_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err("smtp.logo_url must be an absolute https:// URL".into());
            }
        }
        Ok(())
    }

    /// The SMTP password: `TRUST_INTAKE_SMTP_PASSWORD` first, then `smtp.password`. `Ok(None)` without
    /// a user name; an error naming the keys when a user name has no password.
    pub fn resolve_password(&self) -> Result<Option<String>, String> {
        let Some(_) = &self.username else {
            return Ok(None);
        };
        let from_env = std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty());
        match from_env.or_else(|| self.password.as_ref().map(|p| p.0.clone())) {
            Some(password) if !password.is_empty() => Ok(Some(password)),
            _ => Err(format!(
                "smtp.username is set but there is no password: set the {PASSWORD_ENV} environment variable (preferred) or smtp.password"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> SmtpConfig {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn names_the_wrong_key() {
        let base = "host = \"smtp.example.com\"\nfrom = \"Acme <trust@acme.example>\"\n";
        assert!(parse(base).check().is_ok());
        assert_eq!(parse(base).port(), 587);
        let bad_tls = parse(&format!("{base}tls = \"ssl\"\n"))
            .check()
            .unwrap_err();
        assert!(bad_tls.contains("smtp.tls"), "{bad_tls}");
        let plain = parse(&format!("{base}tls = \"none\"\n"))
            .check()
            .unwrap_err();
        assert!(plain.contains("smtp.tls"), "{plain}");
        assert!(
            parse("host = \"127.0.0.1\"\nfrom = \"a@b.example\"\ntls = \"none\"\n")
                .check()
                .is_ok()
        );
        let from = parse("host = \"h\"\nfrom = \"not an address\"\n")
            .check()
            .unwrap_err();
        assert!(from.contains("smtp.from"), "{from}");
    }

    #[test]
    fn password_never_in_debug_output() {
        let config = parse(
            "host = \"h\"\nfrom = \"a@b.example\"\nusername = \"u\"\npassword = \"hunter2-secret\"\n",
        );
        assert!(!format!("{config:?}").contains("hunter2-secret"));
    }
}

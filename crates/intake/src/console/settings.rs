//! The `[console]` section of the intake configuration: where the review console listens, the origin
//! browsers use for it (the WebAuthn relying party), and how long sessions and enrolment links live.
//!
//! The console is off unless the section is present; with an empty section it listens on
//! `127.0.0.1:8788` and is reached as `http://localhost:8788`.

use std::net::SocketAddr;

use serde::Deserialize;

/// Default console listen address: loopback only, next to the public API's 8787.
pub const DEFAULT_CONSOLE_LISTEN: &str = "127.0.0.1:8788";

/// `[console]` in the intake configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleConfig {
    /// Socket address of the console's own listener (default `127.0.0.1:8788`).
    #[serde(default = "default_listen")]
    pub listen: String,
    /// The origin reviewers type into the browser, e.g. `https://trust-console.example.com`
    /// (default `http://localhost:<port of listen>`). Passkeys are bound to its host name, which must
    /// be a domain name, not an IP address.
    #[serde(default)]
    pub public_url: Option<String>,
    /// A session ends after this many minutes without a request (default 30).
    #[serde(default = "default_idle_minutes")]
    pub idle_timeout_minutes: u32,
    /// A session ends this many hours after sign-in whatever happens (default 12).
    #[serde(default = "default_session_hours")]
    pub session_hours: u32,
    /// An enrolment link printed by `trustctl console add-reviewer` works for this many hours (default 24).
    #[serde(default = "default_enrolment_hours")]
    pub enrolment_hours: u32,
}

fn default_listen() -> String {
    DEFAULT_CONSOLE_LISTEN.to_string()
}
fn default_idle_minutes() -> u32 {
    30
}
fn default_session_hours() -> u32 {
    12
}
fn default_enrolment_hours() -> u32 {
    24
}

impl ConsoleConfig {
    /// Checks the values; the message names the key to fix.
    pub fn check(&self) -> Result<(), String> {
        self.listen_addr()?;
        if let Some(url) = &self.public_url {
            let host = origin_host(url).ok_or_else(|| {
                format!("console.public_url = \"{url}\" must look like https://console.example.com (scheme, host, optional port, no path)")
            })?;
            if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
                return Err(format!(
                    "console.public_url = \"{url}\" must use a host name (passkeys cannot be bound to an IP address); use localhost for a local console"
                ));
            }
        }
        if !(1..=24 * 60).contains(&self.idle_timeout_minutes) {
            return Err("console.idle_timeout_minutes must be between 1 and 1440".into());
        }
        if !(1..=24 * 7).contains(&self.session_hours) {
            return Err("console.session_hours must be between 1 and 168".into());
        }
        if !(1..=24 * 14).contains(&self.enrolment_hours) {
            return Err("console.enrolment_hours must be between 1 and 336".into());
        }
        Ok(())
    }

    /// The parsed listen address.
    pub fn listen_addr(&self) -> Result<SocketAddr, String> {
        self.listen.parse().map_err(|_| {
            format!(
                "console.listen = \"{}\" is not an address like 127.0.0.1:8788",
                self.listen
            )
        })
    }

    /// The console's origin without a trailing slash; `bound` is the actual listen address when known.
    pub fn origin(&self, bound: Option<SocketAddr>) -> String {
        match &self.public_url {
            Some(url) => url.trim().trim_end_matches('/').to_string(),
            None => {
                let port = bound
                    .map(|a| a.port())
                    .or_else(|| self.listen_addr().ok().map(|a| a.port()))
                    .unwrap_or(8788);
                format!("http://localhost:{port}")
            }
        }
    }

    /// Idle timeout in seconds.
    pub fn idle_seconds(&self) -> i64 {
        i64::from(self.idle_timeout_minutes) * 60
    }

    /// Absolute session lifetime in seconds.
    pub fn absolute_seconds(&self) -> i64 {
        i64::from(self.session_hours) * 3600
    }

    /// Enrolment link lifetime in seconds.
    pub fn enrolment_seconds(&self) -> i64 {
        i64::from(self.enrolment_hours) * 3600
    }
}

/// The host of an origin like `https://host:port`, or None if it is not shaped like one.
pub fn origin_host(origin: &str) -> Option<&str> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))?;
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains('/') || rest.contains('?') || rest.contains('#') {
        return None;
    }
    if rest.starts_with('[') {
        return Some(rest);
    }
    Some(rest.split(':').next().unwrap_or(rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ConsoleConfig, String> {
        let config: ConsoleConfig = toml::from_str(text).map_err(|e| e.to_string())?;
        config.check().map(|()| config)
    }

    #[test]
    fn defaults_to_loopback_and_localhost_origin() {
        let config = parse("").unwrap();
        assert_eq!(config.listen, "127.0.0.1:8788");
        assert_eq!(config.origin(None), "http://localhost:8788");
        assert_eq!(
            config.origin(Some("127.0.0.1:9999".parse().unwrap())),
            "http://localhost:9999"
        );
    }

    #[test]
    fn refuses_ip_origins_and_paths() {
        assert!(parse("public_url = \"http://127.0.0.1:8788\"")
            .unwrap_err()
            .contains("host name"));
        assert!(parse("public_url = \"https://x.example.com/console\"").is_err());
        assert!(parse("public_url = \"https://console.example.com\"").is_ok());
        assert!(parse("idle_timeout_minutes = 0").is_err());
    }
}

//! The per-connection limits every listener of the service applies (`[listener]` in the TOML file).
//!
//! One type for all listeners (the public API today, a review console or any later one tomorrow), so
//! each gets the same safe defaults and the same checks.

use std::time::Duration;

use serde::Deserialize;

/// Smallest header buffer hyper accepts (its `MINIMUM_MAX_BUFFER_SIZE`).
pub const MIN_HEADER_BYTES: usize = 8192;

/// Timeouts, connection caps and the header bound of one listener.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListenerLimits {
    /// Time a client has to send the complete request line and headers, from the moment the
    /// connection starts waiting for a request (default 10,000 ms).
    #[serde(default = "default_header_read_timeout_ms")]
    pub header_read_timeout_ms: u64,
    /// Time a client has to send the whole request body once the headers have arrived; a slower
    /// body gets `408` and the connection is closed (default 10,000 ms).
    #[serde(default = "default_body_read_timeout_ms")]
    pub body_read_timeout_ms: u64,
    /// A kept-alive connection with no request in progress is closed after this long (default
    /// 5,000 ms).
    #[serde(default = "default_idle_timeout_ms")]
    pub idle_timeout_ms: u64,
    /// Connections open at the same time, all clients together (default 1,024; lowered at start-up
    /// when the open-file limit is smaller). Further connections are refused with `503`.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
    /// Connections open at the same time from one client address (IPv6: one /64 network; default 64).
    #[serde(default = "default_max_connections_per_ip")]
    pub max_connections_per_ip: usize,
    /// Largest request head (request line plus headers) in bytes; also the connection's read buffer,
    /// so it bounds memory per connection (default 16,384, at least 8,192). Larger heads get `431`.
    #[serde(default = "default_max_header_bytes")]
    pub max_header_bytes: usize,
    /// Most header lines in one request (default 64).
    #[serde(default = "default_max_headers")]
    pub max_headers: usize,
    /// On shutdown, in-flight requests get this long to finish before their connections are closed
    /// (default 10,000 ms).
    #[serde(default = "default_shutdown_grace_ms")]
    pub shutdown_grace_ms: u64,
}

fn default_header_read_timeout_ms() -> u64 {
    10_000
}
fn default_body_read_timeout_ms() -> u64 {
    10_000
}
fn default_idle_timeout_ms() -> u64 {
    5_000
}
fn default_max_connections() -> usize {
    1024
}
fn default_max_connections_per_ip() -> usize {
    64
}
fn default_max_header_bytes() -> usize {
    16 * 1024
}
fn default_max_headers() -> usize {
    64
}
fn default_shutdown_grace_ms() -> u64 {
    10_000
}

impl Default for ListenerLimits {
    fn default() -> Self {
        ListenerLimits {
            header_read_timeout_ms: default_header_read_timeout_ms(),
            body_read_timeout_ms: default_body_read_timeout_ms(),
            idle_timeout_ms: default_idle_timeout_ms(),
            max_connections: default_max_connections(),
            max_connections_per_ip: default_max_connections_per_ip(),
            max_header_bytes: default_max_header_bytes(),
            max_headers: default_max_headers(),
            shutdown_grace_ms: default_shutdown_grace_ms(),
        }
    }
}

impl ListenerLimits {
    /// Refuses values that would switch a protection off or make the service unusable; `section`
    /// names the TOML table in the message (e.g. `listener`).
    pub fn check(&self, section: &str) -> Result<(), String> {
        let positive = [
            ("header_read_timeout_ms", self.header_read_timeout_ms),
            ("body_read_timeout_ms", self.body_read_timeout_ms),
            ("idle_timeout_ms", self.idle_timeout_ms),
            ("max_connections", self.max_connections as u64),
            ("max_connections_per_ip", self.max_connections_per_ip as u64),
            ("max_headers", self.max_headers as u64),
        ];
        for (key, value) in positive {
            if value == 0 {
                return Err(format!("{section}.{key} must be at least 1"));
            }
        }
        if self.max_header_bytes < MIN_HEADER_BYTES {
            return Err(format!(
                "{section}.max_header_bytes must be at least {MIN_HEADER_BYTES}"
            ));
        }
        if self.max_connections_per_ip > self.max_connections {
            return Err(format!(
                "{section}.max_connections_per_ip ({}) cannot be larger than {section}.max_connections ({})",
                self.max_connections_per_ip, self.max_connections
            ));
        }
        Ok(())
    }

    /// [`ListenerLimits::header_read_timeout_ms`] as a duration.
    pub fn header_read_timeout(&self) -> Duration {
        Duration::from_millis(self.header_read_timeout_ms)
    }

    /// [`ListenerLimits::body_read_timeout_ms`] as a duration.
    pub fn body_read_timeout(&self) -> Duration {
        Duration::from_millis(self.body_read_timeout_ms)
    }

    /// [`ListenerLimits::idle_timeout_ms`] as a duration.
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_millis(self.idle_timeout_ms)
    }

    /// [`ListenerLimits::shutdown_grace_ms`] as a duration.
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_millis(self.shutdown_grace_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::ListenerLimits;

    #[test]
    fn defaults_are_valid_and_zero_is_refused() {
        assert_eq!(ListenerLimits::default().check("listener"), Ok(()));
        let off = ListenerLimits {
            idle_timeout_ms: 0,
            ..ListenerLimits::default()
        };
        assert!(off
            .check("listener")
            .unwrap_err()
            .contains("idle_timeout_ms"));
        let tiny = ListenerLimits {
            max_header_bytes: 100,
            ..ListenerLimits::default()
        };
        assert!(tiny.check("listener").is_err());
        let inverted = ListenerLimits {
            max_connections: 4,
            max_connections_per_ip: 8,
            ..ListenerLimits::default()
        };
        assert!(inverted.check("listener").is_err());
    }
}

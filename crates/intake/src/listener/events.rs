//! The events a listener reports, each kind through its own [`ThrottledLog`] so that a flood of
//! refusals or errors costs one log line per interval.

use std::time::Duration;

use super::throttled_log::ThrottledLog;

/// How often each kind of listener event may reach the log.
pub const LOG_INTERVAL: Duration = Duration::from_secs(10);

/// The rate-limited logs of one listener.
pub struct ListenerLogs {
    name: &'static str,
    /// `accept()` failed (e.g. too many open files).
    pub accept_error: ThrottledLog,
    /// A connection was refused: `max_connections` reached.
    pub refused_total: ThrottledLog,
    /// A connection was refused: `max_connections_per_ip` reached.
    pub refused_client: ThrottledLog,
    /// A connection was closed because its request head did not arrive in time.
    pub slow_header: ThrottledLog,
}

impl ListenerLogs {
    /// The logs of the listener called `name` (e.g. `api`).
    pub fn new(name: &'static str) -> ListenerLogs {
        ListenerLogs {
            name,
            accept_error: ThrottledLog::new(LOG_INTERVAL),
            refused_total: ThrottledLog::new(LOG_INTERVAL),
            refused_client: ThrottledLog::new(LOG_INTERVAL),
            slow_header: ThrottledLog::new(LOG_INTERVAL),
        }
    }

    /// The listener's name, for log lines.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

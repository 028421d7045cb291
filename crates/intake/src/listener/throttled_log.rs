//! Log lines that an attacker cannot turn into a flood: at most one line per interval per kind of
//! event, with the number of events folded into it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One kind of event (say, "refused: per-client cap"), logged at most once per `interval`.
pub struct ThrottledLog {
    interval: Duration,
    last: Mutex<Option<Instant>>,
    suppressed: AtomicU64,
}

impl ThrottledLog {
    /// A log that writes at most one line every `interval`.
    pub fn new(interval: Duration) -> ThrottledLog {
        ThrottledLog {
            interval,
            last: Mutex::new(None),
            suppressed: AtomicU64::new(0),
        }
    }

    /// Records one event at `now`; returns the line to write (with the count of events not logged
    /// since the previous line) when one is due, `None` when it is folded into the next line.
    pub fn event(&self, now: Instant, message: impl FnOnce() -> String) -> Option<String> {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        let due = last.is_none_or(|at| now.duration_since(at) >= self.interval);
        if !due {
            self.suppressed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        *last = Some(now);
        let folded = self.suppressed.swap(0, Ordering::Relaxed);
        let text = message();
        Some(if folded == 0 {
            text
        } else {
            format!("{text} (and {folded} more since the last such line)")
        })
    }

    /// [`ThrottledLog::event`], writing the line through [`crate::redact::log`].
    pub fn log(&self, message: impl FnOnce() -> String) {
        if let Some(line) = self.event(Instant::now(), message) {
            crate::redact::log(&line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_per_interval_with_the_count_folded_in() {
        let log = ThrottledLog::new(Duration::from_secs(10));
        let start = Instant::now();
        assert_eq!(
            log.event(start, || "refused".into()).as_deref(),
            Some("refused")
        );
        for i in 1..=1000 {
            assert_eq!(
                log.event(start + Duration::from_millis(i), || "refused".into()),
                None
            );
        }
        assert_eq!(
            log.event(start + Duration::from_secs(10), || "refused".into())
                .as_deref(),
            Some("refused (and 1000 more since the last such line)")
        );
    }
}

//! Background delivery of outbox webhooks: JSON POST, retries with exponential backoff, then `failed`.
//!
//! E-mail rows of the same outbox are delivered by the mail worker ([`crate::mail::worker`]) when
//! `[smtp]` is configured, and otherwise stay `pending`; `trustctl requests outbox` lists both kinds.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::clock::{now_millis, now_secs};
use crate::config::NotificationsConfig;
use crate::redact;
use crate::store::{Channel, OutboxMessage, Store};

/// Header carrying the body's HMAC when `notifications.webhook_secret` is set.
pub const SIGNATURE_HEADER: &str = "X-Trust-Intake-Signature";

/// `sha256=` followed by the lowercase hex HMAC-SHA256 of `body` under `secret`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let hex = match Hmac::<sha2::Sha256>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(body);
            mac.finalize()
                .into_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        }
        Err(_) => String::new(),
    };
    format!("sha256={hex}")
}

/// Longest wait between two attempts.
pub const MAX_BACKOFF_MS: u64 = 3_600_000;

/// Delay before retry number `attempt` (1-based): `initial * 2^(attempt-1)`, capped at one hour.
pub fn backoff_ms(initial_ms: u64, attempt: u32) -> u64 {
    let factor = 1u64
        .checked_shl(attempt.saturating_sub(1).min(32))
        .unwrap_or(u64::MAX);
    initial_ms.saturating_mul(factor).min(MAX_BACKOFF_MS)
}

/// Runs until `stop` becomes true, delivering due webhook messages every `poll_interval_ms`.
pub async fn run(
    store: Arc<dyn Store>,
    settings: NotificationsConfig,
    mut stop: watch::Receiver<bool>,
) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let poll = Duration::from_millis(settings.poll_interval_ms.max(10));
    loop {
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
            }
        }
        let due_store = store.clone();
        let due = tokio::task::spawn_blocking(move || {
            due_store.due_messages(Channel::Webhook, now_millis(), 20)
        })
        .await;
        let messages = match due {
            Ok(Ok(messages)) => messages,
            Ok(Err(error)) => {
                redact::log(&format!("outbox: cannot read pending messages: {error}"));
                continue;
            }
            Err(_) => continue,
        };
        for message in messages {
            let agent = agent.clone();
            let store = store.clone();
            let settings = settings.clone();
            let _ = tokio::task::spawn_blocking(move || {
                deliver(&agent, store.as_ref(), &settings, &message)
            })
            .await;
        }
    }
}

/// One delivery attempt, with the outcome written back to the outbox.
fn deliver(
    agent: &ureq::Agent,
    store: &dyn Store,
    settings: &NotificationsConfig,
    message: &OutboxMessage,
) {
    let mut request = agent
        .post(&message.recipient)
        .header("User-Agent", "trust-intake-webhook/1")
        .content_type("application/json");
    if let Some(secret) = settings.webhook_secret.as_deref() {
        request = request.header(
            SIGNATURE_HEADER,
            signature(secret.as_bytes(), message.body.as_bytes()),
        );
    }
    let result = request.send(message.body.as_str());
    let failure = match result {
        Ok(response) if response.status().is_success() => None,
        Ok(response) => Some(format!(
            "the webhook answered HTTP {}",
            response.status().as_u16()
        )),
        Err(error) => Some(format!("the webhook could not be reached: {error}")),
    };
    let outcome = match failure {
        None => store.mark_delivered(message.id, now_secs()),
        Some(error) => {
            let attempt = u32::try_from(message.attempts)
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            let next = (attempt < settings.webhook_max_attempts).then(|| {
                let delay = backoff_ms(settings.webhook_initial_backoff_ms, attempt);
                now_millis().saturating_add(i64::try_from(delay).unwrap_or(i64::MAX))
            });
            redact::log(&format!(
                "outbox: webhook message {} attempt {attempt} failed ({error}){}",
                message.id,
                if next.is_some() {
                    "; will retry"
                } else {
                    "; giving up"
                }
            ));
            store.mark_attempt_failed(message.id, &error, next)
        }
    };
    if let Err(error) = outcome {
        redact::log(&format!(
            "outbox: cannot record delivery result of message {}: {error}",
            message.id
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signature_matches_rfc4231_case_2() {
        assert_eq!(
            super::signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(super::backoff_ms(1000, 1), 1000);
        assert_eq!(super::backoff_ms(1000, 2), 2000);
        assert_eq!(super::backoff_ms(1000, 4), 8000);
        assert_eq!(super::backoff_ms(1000, 40), super::MAX_BACKOFF_MS);
    }
}

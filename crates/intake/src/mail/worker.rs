//! The delivery loop for the outbox's `email` rows.
//!
//! Each due row is rendered, sent, and then marked: `delivered` after the server's `250`, `failed` with
//! the server's answer after a 5xx (or an unusable address), otherwise retried after
//! `initial_backoff_ms × 2^(attempt-1)` (at most one hour) until `max_attempts`. Sends are spaced so
//! that no more than `max_per_minute` leave per minute. The loop checks the stop signal before each
//! message, so it stops between messages (a message in flight finishes within `timeout_secs`).

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::message::BuildError;
use super::transport::Attempt;
use super::Mailer;
use crate::clock::{now_millis, now_secs};
use crate::outbox::backoff_ms;
use crate::redact;
use crate::store::{Channel, OutboxMessage, Store};

/// Rows fetched per poll.
const BATCH: u32 = 20;

/// Starts the mail worker when `[smtp]` is configured, or says at start-up that e-mails stay queued.
pub fn spawn(
    config: &crate::config::Config,
    store: Arc<dyn Store>,
    stop: watch::Receiver<bool>,
) -> Result<Option<tokio::task::JoinHandle<()>>, crate::error::IntakeError> {
    let Some(smtp) = &config.smtp else {
        redact::log(
            "no [smtp] section in the configuration: e-mails stay queued in the outbox (see `trustctl requests outbox`) until SMTP is configured",
        );
        return Ok(None);
    };
    let mailer = Mailer::from_config(config, smtp).map_err(crate::error::IntakeError::Config)?;
    redact::log(&format!(
        "e-mail delivery through {} as {}",
        mailer.client.describe,
        redact::email(mailer.sender.from.email.as_ref())
    ));
    let poll = Duration::from_millis(config.notifications.poll_interval_ms.max(10));
    Ok(Some(tokio::spawn(run(Arc::new(mailer), store, poll, stop))))
}

/// Runs until `stop` becomes true.
pub async fn run(
    mailer: Arc<Mailer>,
    store: Arc<dyn Store>,
    poll: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let spacing = Duration::from_millis(60_000 / u64::from(mailer.settings.max_per_minute.max(1)));
    let mut next_slot = Instant::now();
    loop {
        if *stop.borrow() {
            return;
        }
        let due_store = store.clone();
        let due = tokio::task::spawn_blocking(move || {
            due_store.due_messages(Channel::Email, now_millis(), BATCH)
        })
        .await;
        let messages = match due {
            Ok(Ok(messages)) => messages,
            Ok(Err(error)) => {
                redact::log(&format!("mail: cannot read pending e-mails: {error}"));
                Vec::new()
            }
            Err(_) => Vec::new(),
        };
        let idle = messages.is_empty();
        for message in messages {
            // Pace the sends; stop at once if asked while waiting.
            tokio::select! {
                _ = tokio::time::sleep_until(next_slot) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
            if *stop.borrow() {
                return;
            }
            next_slot = Instant::now() + spacing;
            let outcome = attempt(&mailer, &message).await;
            let store = store.clone();
            let max_attempts = mailer.settings.max_attempts;
            let initial = mailer.settings.initial_backoff_ms;
            let _ = tokio::task::spawn_blocking(move || {
                record(store.as_ref(), &message, outcome, max_attempts, initial)
            })
            .await;
        }
        if idle {
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = stop.wait_for(|s| *s) => return,
            }
        }
    }
}

/// One delivery attempt of one row.
pub async fn attempt(mailer: &Mailer, message: &OutboxMessage) -> Attempt {
    match mailer.prepare(
        message.id,
        message.request_id.as_deref(),
        &message.recipient,
        message.subject.as_deref(),
        &message.body,
    ) {
        Ok(outgoing) => mailer.client.send(outgoing.message).await,
        Err(BuildError::BadRecipient(error)) => Attempt::Permanent(error),
        Err(BuildError::Render(error)) => Attempt::Temporary(error),
    }
}

/// `text` with every word that looks like an e-mail address masked (server answers often quote it).
pub fn mask_addresses(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let bare = word.trim_matches(|c: char| "<>()[],;:\"'".contains(c));
            if bare.contains('@') {
                word.replace(bare, &redact::email(bare))
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the outcome back to the outbox.
fn record(
    store: &dyn Store,
    message: &OutboxMessage,
    outcome: Attempt,
    max_attempts: u32,
    initial_backoff_ms: u64,
) {
    let to = redact::email(&message.recipient);
    let attempt_no = u32::try_from(message.attempts)
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let result = match outcome {
        Attempt::Accepted(reply) => {
            redact::log(&format!(
                "mail: message {} to {to} delivered ({})",
                message.id,
                mask_addresses(&reply)
            ));
            store.mark_delivered(message.id, now_secs())
        }
        Attempt::Permanent(error) => {
            redact::log(&format!(
                "mail: message {} to {to} failed for good: {}",
                message.id,
                mask_addresses(&error)
            ));
            store.mark_attempt_failed(message.id, &error, None)
        }
        Attempt::Temporary(error) => {
            let next = (attempt_no < max_attempts).then(|| {
                let delay = backoff_ms(initial_backoff_ms, attempt_no);
                now_millis().saturating_add(i64::try_from(delay).unwrap_or(i64::MAX))
            });
            redact::log(&format!(
                "mail: message {} to {to} attempt {attempt_no} failed ({}){}",
                message.id,
                mask_addresses(&error),
                if next.is_some() {
                    "; will retry"
                } else {
                    "; giving up"
                }
            ));
            store.mark_attempt_failed(message.id, &error, next)
        }
    };
    if let Err(error) = result {
        redact::log(&format!(
            "mail: cannot record the delivery result of message {}: {error}",
            message.id
        ));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_addresses_in_server_answers() {
        assert_eq!(
            super::mask_addresses("550 5.1.1 <jane.doe@prospect.example>: Recipient rejected"),
            "550 5.1.1 <j***@prospect.example>: Recipient rejected"
        );
    }
}

//! The table `trustctl requests outbox` prints: each message's state, attempts, next try and last error.
//!
//! Every text field passes through [`crate::neutralise::inline`], since subjects and server answers can
//! carry what a requester typed and the table goes to a terminal: control characters and bidi overrides
//! are shown as escapes, so a reviewer sees that something odd was typed.

use std::io::Write;

use crate::clock::{format_utc, now_millis};
use crate::neutralise::inline as line;
use crate::store::{Channel, OutboxMessage};

/// "now", a UTC time, or "-" once the message is settled.
fn next_try(message: &OutboxMessage, now_ms: i64) -> String {
    if message.status != "pending" {
        "-".into()
    } else if message.next_attempt_at_ms <= now_ms {
        "now".into()
    } else {
        format_utc(message.next_attempt_at_ms.div_euclid(1000))
    }
}

/// Prints one row per message, plus an indented `last error` line where there is one.
pub fn print(out: &mut dyn Write, messages: &[OutboxMessage]) -> std::io::Result<()> {
    let now_ms = now_millis();
    writeln!(
        out,
        "{:<6}  {:<7}  {:<9}  {:>8}  {:<20}  {:<32}  SUBJECT",
        "ID", "CHANNEL", "STATE", "ATTEMPTS", "NEXT TRY", "TO"
    )?;
    for m in messages {
        writeln!(
            out,
            "#{:<5}  {:<7}  {:<9}  {:>8}  {:<20}  {:<32}  {}",
            m.id,
            match m.channel {
                Channel::Webhook => "webhook",
                Channel::Email => "email",
            },
            line(&m.status),
            m.attempts,
            next_try(m, now_ms),
            line(&m.recipient),
            line(m.subject.as_deref().unwrap_or("-")),
        )?;
        if let Some(error) = &m.last_error {
            writeln!(out, "        last error: {}", line(error))?;
        }
    }
    Ok(())
}

//! [`SubscriptionStore`] for [`SqliteStore`]: every subscription and notice query, in standard SQL
//! (`INSERT … ON CONFLICT DO NOTHING`, `RETURNING`, no SQLite-only functions) so the PostgreSQL store
//! can run the same statements.

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use super::SqliteStore;
use crate::error::IntakeError;
use crate::store::subscriptions::{
    ConfirmOutcome, NoticeRecord, NoticeRun, PlannedNotice, SubscribeOutcome, SubscribeRequest,
    SubscriberAction, Subscription, SubscriptionEvent, SubscriptionStatus, SubscriptionStore,
};
use crate::store::NewMessage;

/// Length of the cap window in seconds.
const DAY: i64 = 86_400;

const COLUMNS: &str = "id, email, categories, status, requested_at, request_ip, request_user_agent, \
    requested_categories, confirmed_at, confirm_ip, confirm_user_agent, consent_version, unsubscribed_at, \
    created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Subscription> {
    let status: String = row.get(3)?;
    Ok(Subscription {
        id: row.get(0)?,
        email: row.get(1)?,
        categories: row.get(2)?,
        status: SubscriptionStatus::parse(&status).unwrap_or(SubscriptionStatus::Pending),
        requested_at: row.get(4)?,
        request_ip: row.get(5)?,
        request_user_agent: row.get(6)?,
        requested_categories: row.get(7)?,
        confirmed_at: row.get(8)?,
        confirm_ip: row.get(9)?,
        confirm_user_agent: row.get(10)?,
        consent_version: row.get(11)?,
        unsubscribed_at: row.get(12)?,
        created_at: row.get(13)?,
        updated_at: row.get(14)?,
    })
}

fn get_in(connection: &Connection, id: &str) -> rusqlite::Result<Option<Subscription>> {
    connection
        .query_row(
            &format!("SELECT {COLUMNS} FROM subscriptions WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()
}

fn event(
    connection: &Connection,
    subscription_id: &str,
    name: &str,
    action: &SubscriberAction,
    detail: Option<&str>,
) -> rusqlite::Result<()> {
    connection.execute(
        "INSERT INTO subscription_events (subscription_id, at, event, client_ip, user_agent, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![subscription_id, action.at, name, action.client_ip, action.user_agent, detail],
    )?;
    Ok(())
}

/// Queues an e-mail (no access request) and returns its outbox id.
fn queue_message(connection: &Connection, message: &NewMessage, at: i64) -> rusqlite::Result<i64> {
    connection.query_row(
        "INSERT INTO outbox (request_id, channel, recipient, subject, body, next_attempt_at_ms, created_at) \
         VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![
            match message.channel {
                crate::store::Channel::Email => "email",
                crate::store::Channel::Webhook => "webhook",
            },
            message.recipient,
            message.subject,
            message.body,
            at * 1000,
            at
        ],
        |row| row.get(0),
    )
}

/// Seconds until a cap over `(column = value)` frees a slot, or None while under `cap`.
fn cap_wait(
    connection: &Connection,
    column: &str,
    value: &str,
    cap: u32,
    now: i64,
) -> rusqlite::Result<Option<i64>> {
    let (count, oldest): (i64, Option<i64>) = connection.query_row(
        &format!(
            "SELECT COUNT(*), MIN(at) FROM subscription_attempts WHERE {column} = ?1 AND at > ?2"
        ),
        params![value, now - DAY],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    if count < i64::from(cap) {
        return Ok(None);
    }
    Ok(Some(oldest.map_or(DAY, |at| (at + DAY - now).max(1))))
}

impl SubscriptionStore for SqliteStore {
    fn subscribe(
        &self,
        request: &SubscribeRequest,
        confirmation: &dyn Fn(&Subscription) -> NewMessage,
    ) -> Result<SubscribeOutcome, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known: Option<String> = transaction
            .query_row(
                "SELECT fingerprint FROM subscription_requests WHERE idempotency_key = ?1",
                [&request.idempotency_key],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(fingerprint) = known {
            return Ok(if fingerprint == request.fingerprint {
                SubscribeOutcome::Replayed
            } else {
                SubscribeOutcome::KeyConflict
            });
        }
        let waits = [
            cap_wait(
                &transaction,
                "email_key",
                &request.email_key,
                request.per_address_per_day,
                request.at,
            )?,
            cap_wait(
                &transaction,
                "client_ip",
                &request.client_ip,
                request.per_ip_per_day,
                request.at,
            )?,
        ];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Ok(SubscribeOutcome::Capped {
                retry_after_secs: wait,
            });
        }
        transaction.execute(
            "INSERT INTO subscription_requests (idempotency_key, fingerprint, created_at) VALUES (?1, ?2, ?3)",
            params![request.idempotency_key, request.fingerprint, request.at],
        )?;
        // Attempts older than the window no longer count: forget them.
        transaction.execute(
            "DELETE FROM subscription_attempts WHERE at <= ?1",
            params![request.at - DAY],
        )?;
        transaction.execute(
            "INSERT INTO subscription_attempts (email_key, client_ip, at) VALUES (?1, ?2, ?3)",
            params![request.email_key, request.client_ip, request.at],
        )?;
        let action = SubscriberAction {
            client_ip: request.client_ip.clone(),
            user_agent: request.user_agent.clone(),
            at: request.at,
        };
        let existing = transaction
            .query_row(
                &format!("SELECT {COLUMNS} FROM subscriptions WHERE email_key = ?1"),
                [&request.email_key],
                from_row,
            )
            .optional()?;
        let id = match existing {
            Some(current) if current.status == SubscriptionStatus::Confirmed => {
                event(
                    &transaction,
                    &current.id,
                    "requested_again",
                    &action,
                    Some(&format!(
                        "already confirmed; nothing sent (asked for {})",
                        request.categories
                    )),
                )?;
                transaction.commit()?;
                return Ok(SubscribeOutcome::AlreadyConfirmed);
            }
            Some(current) => {
                // Pending (a resend) or unsubscribed (asking again): pending with the new request's
                // evidence; categories become the ones asked for, effective once confirmed.
                transaction.execute(
                    "UPDATE subscriptions SET status = 'pending', categories = ?2, requested_categories = ?2, \
                     requested_at = ?3, request_ip = ?4, request_user_agent = ?5, updated_at = ?3 WHERE id = ?1",
                    params![current.id, request.categories, request.at, request.client_ip, request.user_agent],
                )?;
                current.id
            }
            None => {
                transaction.execute(
                    "INSERT INTO subscriptions (id, email, email_key, categories, status, requested_at, request_ip, \
                     request_user_agent, requested_categories, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?4, ?5, ?5)",
                    params![
                        request.new_id,
                        request.email,
                        request.email_key,
                        request.categories,
                        request.at,
                        request.client_ip,
                        request.user_agent
                    ],
                )?;
                request.new_id.clone()
            }
        };
        event(
            &transaction,
            &id,
            "requested",
            &action,
            Some(&format!("asked for {}", request.categories)),
        )?;
        let stored = get_in(&transaction, &id)?
            .ok_or_else(|| IntakeError::Database("the subscription vanished".into()))?;
        let outbox_id = queue_message(&transaction, &confirmation(&stored), request.at)?;
        event(
            &transaction,
            &id,
            "confirmation_sent",
            &action,
            Some(&format!("outbox message {outbox_id}")),
        )?;
        transaction.commit()?;
        Ok(SubscribeOutcome::ConfirmationQueued)
    }

    fn get_subscription(&self, id: &str) -> Result<Option<Subscription>, IntakeError> {
        Ok(get_in(&self.lock(), id)?)
    }

    fn list_subscriptions(&self, limit: u32) -> Result<Vec<Subscription>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(&format!(
            "SELECT {COLUMNS} FROM subscriptions ORDER BY created_at DESC, id DESC LIMIT ?1"
        ))?;
        let rows = statement.query_map([limit], from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn subscription_events(&self, id: &str) -> Result<Vec<SubscriptionEvent>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT at, event, client_ip, user_agent, detail FROM subscription_events \
             WHERE subscription_id = ?1 ORDER BY id",
        )?;
        let rows = statement.query_map([id], |row| {
            Ok(SubscriptionEvent {
                at: row.get(0)?,
                event: row.get(1)?,
                client_ip: row.get(2)?,
                user_agent: row.get(3)?,
                detail: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn confirm_subscription(
        &self,
        id: &str,
        consent_version: &str,
        action: &SubscriberAction,
    ) -> Result<ConfirmOutcome, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(current) = get_in(&transaction, id)? else {
            return Ok(ConfirmOutcome::NotPending);
        };
        match current.status {
            SubscriptionStatus::Confirmed => return Ok(ConfirmOutcome::AlreadyConfirmed(current)),
            SubscriptionStatus::Unsubscribed => return Ok(ConfirmOutcome::NotPending),
            SubscriptionStatus::Pending => {}
        }
        transaction.execute(
            "UPDATE subscriptions SET status = 'confirmed', confirmed_at = ?2, confirm_ip = ?3, \
             confirm_user_agent = ?4, consent_version = ?5, unsubscribed_at = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, action.at, action.client_ip, action.user_agent, consent_version],
        )?;
        event(
            &transaction,
            id,
            "confirmed",
            action,
            Some(&format!(
                "confirmed {} under consent wording {consent_version}",
                current.categories
            )),
        )?;
        let updated = get_in(&transaction, id)?
            .ok_or_else(|| IntakeError::Database("the subscription vanished".into()))?;
        transaction.commit()?;
        Ok(ConfirmOutcome::Confirmed(updated))
    }

    fn set_categories(
        &self,
        id: &str,
        categories: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(current) = get_in(&transaction, id)? else {
            return Ok(None);
        };
        if current.status == SubscriptionStatus::Unsubscribed {
            return Ok(Some(current));
        }
        transaction.execute(
            "UPDATE subscriptions SET categories = ?2, updated_at = ?3 WHERE id = ?1",
            params![id, categories, action.at],
        )?;
        event(
            &transaction,
            id,
            "preferences_changed",
            action,
            Some(&format!("{} -> {categories}", current.categories)),
        )?;
        let updated = get_in(&transaction, id)?;
        transaction.commit()?;
        Ok(updated)
    }

    fn unsubscribe(
        &self,
        id: &str,
        how: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(current) = get_in(&transaction, id)? else {
            return Ok(None);
        };
        if current.status == SubscriptionStatus::Unsubscribed {
            return Ok(Some(current));
        }
        transaction.execute(
            "UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = ?2, updated_at = ?2 WHERE id = ?1",
            params![id, action.at],
        )?;
        event(&transaction, id, "unsubscribed", action, Some(how))?;
        let updated = get_in(&transaction, id)?;
        transaction.commit()?;
        Ok(updated)
    }

    fn queue_notices(
        &self,
        version: u64,
        payload_sha256: &str,
        at: i64,
        plan: &dyn Fn(&Subscription) -> Option<PlannedNotice>,
    ) -> Result<NoticeRun, IntakeError> {
        let version = i64::try_from(version)
            .map_err(|_| IntakeError::InvalidAction("the manifest version is too large".into()))?;
        let mut connection = self.lock();
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let subscribers = {
            let mut statement = transaction.prepare(&format!(
                "SELECT {COLUMNS} FROM subscriptions WHERE status = 'confirmed' ORDER BY created_at, id"
            ))?;
            let rows = statement.query_map([], from_row)?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let mut run = NoticeRun::default();
        for subscriber in subscribers {
            let Some(notice) = plan(&subscriber) else {
                run.not_interested += 1;
                continue;
            };
            let inserted = transaction.execute(
                "INSERT INTO change_notices (subscription_id, manifest_version, payload_sha256, change_ids, queued_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subscription_id, manifest_version) DO NOTHING",
                params![subscriber.id, version, payload_sha256, notice.change_ids.join(","), at],
            )?;
            if inserted == 0 {
                run.already_notified += 1;
                continue;
            }
            let outbox_id = queue_message(&transaction, &notice.message, at)?;
            transaction.execute(
                "UPDATE change_notices SET outbox_id = ?3 WHERE subscription_id = ?1 AND manifest_version = ?2",
                params![subscriber.id, version, outbox_id],
            )?;
            run.queued.push((subscriber.id, subscriber.email));
        }
        transaction.commit()?;
        Ok(run)
    }

    fn list_notices(
        &self,
        version: Option<u64>,
        limit: u32,
    ) -> Result<Vec<NoticeRecord>, IntakeError> {
        let version = version.and_then(|v| i64::try_from(v).ok());
        let connection = self.lock();
        let mut statement = connection.prepare(
            "SELECT n.id, n.subscription_id, s.email, n.manifest_version, n.payload_sha256, n.change_ids, \
             n.queued_at, n.outbox_id, o.status, o.attempts, o.delivered_at, o.last_error \
             FROM change_notices n JOIN subscriptions s ON s.id = n.subscription_id \
             LEFT JOIN outbox o ON o.id = n.outbox_id \
             WHERE (?1 IS NULL OR n.manifest_version = ?1) ORDER BY n.id DESC LIMIT ?2",
        )?;
        let rows = statement.query_map(params![version, limit], |row| {
            let manifest_version: i64 = row.get(3)?;
            Ok(NoticeRecord {
                id: row.get(0)?,
                subscription_id: row.get(1)?,
                email: row.get(2)?,
                manifest_version: u64::try_from(manifest_version).unwrap_or(0),
                payload_sha256: row.get(4)?,
                change_ids: row.get(5)?,
                queued_at: row.get(6)?,
                outbox_id: row.get(7)?,
                delivery: row
                    .get::<_, Option<String>>(8)?
                    .unwrap_or_else(|| "missing".into()),
                attempts: row.get::<_, Option<i64>>(9)?.unwrap_or(0),
                delivered_at: row.get(10)?,
                last_error: row.get(11)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

//! [`SubscriptionStore`] for [`PgStore`]: the subscription and notice statements of
//! `sqlite/subscriptions.rs`, run through the portable [`Exec`] layer, plus what several instances
//! on one database need:
//!
//! - `subscribe` takes a transaction-scoped advisory lock first, so the idempotency-key check, the
//!   per-address and per-IP caps and the one-row-per-address rule are decided one request at a time
//!   across every instance (as SQLite's `BEGIN IMMEDIATE` does for one file); subscription requests
//!   are rare, so the serialisation costs nothing measurable.
//! - confirmation, preference and unsubscribe actions lock their row (`FOR UPDATE`).
//! - `queue_notices` relies on the unique (subscription_id, manifest_version) constraint: when two
//!   `trustctl notify` runs overlap, the second one's insert for a subscriber waits for the first
//!   transaction and then inserts nothing (`ON CONFLICT DO NOTHING`), so each subscriber gets one
//!   notice per version. The e-mails go through the outbox, claimed with `FOR UPDATE SKIP LOCKED`.

use super::PgStore;
use crate::error::IntakeError;
use crate::store::portable::{Exec, Row};
use crate::store::subscriptions::{
    ConfirmOutcome, NoticeRecord, NoticeRun, PlannedNotice, SubscribeOutcome, SubscribeRequest,
    SubscriberAction, Subscription, SubscriptionEvent, SubscriptionStatus, SubscriptionStore,
};
use crate::store::NewMessage;

/// Length of the cap window in seconds.
const DAY: i64 = 86_400;

/// Key of the advisory lock held by `subscribe` ("tc-subsc" in ASCII; distinct from the migration lock).
const SUBSCRIBE_LOCK: i64 = 0x7463_2d73_7562_7363;

const COLUMNS: &str = "id, email, categories, status, requested_at, request_ip, request_user_agent, \
    requested_categories, confirmed_at, confirm_ip, confirm_user_agent, consent_version, unsubscribed_at, \
    created_at, updated_at";

fn from_row(row: &Row) -> Result<Subscription, IntakeError> {
    Ok(Subscription {
        id: row.text(0)?,
        email: row.text(1)?,
        categories: row.text(2)?,
        status: SubscriptionStatus::parse(&row.text(3)?).unwrap_or(SubscriptionStatus::Pending),
        requested_at: row.int(4)?,
        request_ip: row.text(5)?,
        request_user_agent: row.opt_text(6)?,
        requested_categories: row.text(7)?,
        confirmed_at: row.opt_int(8)?,
        confirm_ip: row.opt_text(9)?,
        confirm_user_agent: row.opt_text(10)?,
        consent_version: row.opt_text(11)?,
        unsubscribed_at: row.opt_int(12)?,
        created_at: row.int(13)?,
        updated_at: row.int(14)?,
    })
}

/// One subscription; `FOR UPDATE` when `lock` (inside a transaction that changes it).
fn get_in(db: &mut dyn Exec, id: &str, lock: bool) -> Result<Option<Subscription>, IntakeError> {
    db.query_opt(
        &format!(
            "SELECT {COLUMNS} FROM subscriptions WHERE id = ?1{}",
            if lock { " FOR UPDATE" } else { "" }
        ),
        &[id.into()],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

fn vanished() -> IntakeError {
    IntakeError::Database("the subscription vanished".into())
}

fn event(
    db: &mut dyn Exec,
    subscription_id: &str,
    name: &str,
    action: &SubscriberAction,
    detail: Option<&str>,
) -> Result<(), IntakeError> {
    db.execute(
        "INSERT INTO subscription_events (subscription_id, at, event, client_ip, user_agent, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[
            subscription_id.into(),
            action.at.into(),
            name.into(),
            (&action.client_ip).into(),
            (&action.user_agent).into(),
            detail.into(),
        ],
    )?;
    Ok(())
}

/// Queues an e-mail (no access request) and returns its outbox id.
fn queue_message(db: &mut dyn Exec, message: &NewMessage, at: i64) -> Result<i64, IntakeError> {
    db.query_opt(
        "INSERT INTO outbox (request_id, channel, recipient, subject, body, next_attempt_at_ms, created_at) \
         VALUES (NULL, ?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        &[
            message.channel.as_str().into(),
            (&message.recipient).into(),
            (&message.subject).into(),
            (&message.body).into(),
            at.saturating_mul(1000).into(),
            at.into(),
        ],
    )?
    .ok_or_else(|| IntakeError::Database("the outbox insert returned no id".into()))?
    .int(0)
}

/// Seconds until a cap over `(column = value)` frees a slot, or None while under `cap`.
fn cap_wait(
    db: &mut dyn Exec,
    column: &str,
    value: &str,
    cap: u32,
    now: i64,
) -> Result<Option<i64>, IntakeError> {
    let row = db
        .query_opt(
            &format!(
                "SELECT COUNT(*), MIN(at) FROM subscription_attempts WHERE {column} = ?1 AND at > ?2"
            ),
            &[value.into(), (now - DAY).into()],
        )?
        .ok_or_else(|| IntakeError::Database("COUNT returned no row".into()))?;
    if row.int(0)? < i64::from(cap) {
        return Ok(None);
    }
    Ok(Some(
        row.opt_int(1)?.map_or(DAY, |at| (at + DAY - now).max(1)),
    ))
}

fn subscribe_in(
    db: &mut dyn Exec,
    request: &SubscribeRequest,
    confirmation: &dyn Fn(&Subscription) -> NewMessage,
) -> Result<SubscribeOutcome, IntakeError> {
    // Held until the transaction ends: one subscription request at a time across all instances.
    db.execute("SELECT pg_advisory_xact_lock(?1)", &[SUBSCRIBE_LOCK.into()])?;
    let known = db.query_opt(
        "SELECT fingerprint FROM subscription_requests WHERE idempotency_key = ?1",
        &[(&request.idempotency_key).into()],
    )?;
    if let Some(row) = known {
        return Ok(if row.text(0)? == request.fingerprint {
            SubscribeOutcome::Replayed
        } else {
            SubscribeOutcome::KeyConflict
        });
    }
    let waits = [
        cap_wait(
            db,
            "email_key",
            &request.email_key,
            request.per_address_per_day,
            request.at,
        )?,
        cap_wait(
            db,
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
    db.execute(
        "INSERT INTO subscription_requests (idempotency_key, fingerprint, created_at) VALUES (?1, ?2, ?3)",
        &[
            (&request.idempotency_key).into(),
            (&request.fingerprint).into(),
            request.at.into(),
        ],
    )?;
    // Attempts older than the window no longer count: forget them.
    db.execute(
        "DELETE FROM subscription_attempts WHERE at <= ?1",
        &[(request.at - DAY).into()],
    )?;
    db.execute(
        "INSERT INTO subscription_attempts (email_key, client_ip, at) VALUES (?1, ?2, ?3)",
        &[
            (&request.email_key).into(),
            (&request.client_ip).into(),
            request.at.into(),
        ],
    )?;
    let action = SubscriberAction {
        client_ip: request.client_ip.clone(),
        user_agent: request.user_agent.clone(),
        at: request.at,
    };
    let existing = db
        .query_opt(
            &format!("SELECT {COLUMNS} FROM subscriptions WHERE email_key = ?1 FOR UPDATE"),
            &[(&request.email_key).into()],
        )?
        .as_ref()
        .map(from_row)
        .transpose()?;
    let id = match existing {
        Some(current) if current.status == SubscriptionStatus::Confirmed => {
            event(
                db,
                &current.id,
                "requested_again",
                &action,
                Some(&format!(
                    "already confirmed; nothing sent (asked for {})",
                    request.categories
                )),
            )?;
            return Ok(SubscribeOutcome::AlreadyConfirmed);
        }
        Some(current) => {
            // Pending (a resend) or unsubscribed (asking again): pending with the new request's
            // evidence; categories become the ones asked for, effective once confirmed.
            db.execute(
                "UPDATE subscriptions SET status = 'pending', categories = ?2, requested_categories = ?2, \
                 requested_at = ?3, request_ip = ?4, request_user_agent = ?5, updated_at = ?3 WHERE id = ?1",
                &[
                    (&current.id).into(),
                    (&request.categories).into(),
                    request.at.into(),
                    (&request.client_ip).into(),
                    (&request.user_agent).into(),
                ],
            )?;
            current.id
        }
        None => {
            db.execute(
                "INSERT INTO subscriptions (id, email, email_key, categories, status, requested_at, request_ip, \
                 request_user_agent, requested_categories, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?4, ?5, ?5)",
                &[
                    (&request.new_id).into(),
                    (&request.email).into(),
                    (&request.email_key).into(),
                    (&request.categories).into(),
                    request.at.into(),
                    (&request.client_ip).into(),
                    (&request.user_agent).into(),
                ],
            )?;
            request.new_id.clone()
        }
    };
    event(
        db,
        &id,
        "requested",
        &action,
        Some(&format!("asked for {}", request.categories)),
    )?;
    let stored = get_in(db, &id, false)?.ok_or_else(vanished)?;
    let outbox_id = queue_message(db, &confirmation(&stored), request.at)?;
    event(
        db,
        &id,
        "confirmation_sent",
        &action,
        Some(&format!("outbox message {outbox_id}")),
    )?;
    Ok(SubscribeOutcome::ConfirmationQueued)
}

fn queue_notices_in(
    db: &mut dyn Exec,
    version: i64,
    payload_sha256: &str,
    at: i64,
    plan: &dyn Fn(&Subscription) -> Option<PlannedNotice>,
) -> Result<NoticeRun, IntakeError> {
    let subscribers = db
        .query(
            &format!(
                "SELECT {COLUMNS} FROM subscriptions WHERE status = 'confirmed' ORDER BY created_at, id"
            ),
            &[],
        )?
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let mut run = NoticeRun::default();
    for subscriber in subscribers {
        let Some(notice) = plan(&subscriber) else {
            run.not_interested += 1;
            continue;
        };
        // Another run's uncommitted row for this pair makes this insert wait; once that run commits,
        // it inserts nothing, and the subscriber counts as already notified.
        let inserted = db.execute(
            "INSERT INTO change_notices (subscription_id, manifest_version, payload_sha256, change_ids, queued_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (subscription_id, manifest_version) DO NOTHING",
            &[
                (&subscriber.id).into(),
                version.into(),
                payload_sha256.into(),
                notice.change_ids.join(",").as_str().into(),
                at.into(),
            ],
        )?;
        if inserted == 0 {
            run.already_notified += 1;
            continue;
        }
        let outbox_id = queue_message(db, &notice.message, at)?;
        db.execute(
            "UPDATE change_notices SET outbox_id = ?3 WHERE subscription_id = ?1 AND manifest_version = ?2",
            &[(&subscriber.id).into(), version.into(), outbox_id.into()],
        )?;
        run.queued.push((subscriber.id, subscriber.email));
    }
    Ok(run)
}

impl SubscriptionStore for PgStore {
    fn subscribe(
        &self,
        request: &SubscribeRequest,
        confirmation: &dyn Fn(&Subscription) -> NewMessage,
    ) -> Result<SubscribeOutcome, IntakeError> {
        // The early answers (replay, key conflict, cap) have written nothing, so committing them is
        // the same as rolling back.
        self.engine
            .transaction(|db| subscribe_in(db, request, confirmation))
    }

    fn get_subscription(&self, id: &str) -> Result<Option<Subscription>, IntakeError> {
        self.engine.with(|db| get_in(db, id, false))
    }

    fn list_subscriptions(&self, limit: u32) -> Result<Vec<Subscription>, IntakeError> {
        self.engine.with(|db| {
            db.query(
                &format!(
                    "SELECT {COLUMNS} FROM subscriptions ORDER BY created_at DESC, id DESC LIMIT ?1"
                ),
                &[i64::from(limit).into()],
            )?
            .iter()
            .map(from_row)
            .collect()
        })
    }

    fn subscription_events(&self, id: &str) -> Result<Vec<SubscriptionEvent>, IntakeError> {
        self.engine.with(|db| {
            db.query(
                "SELECT at, event, client_ip, user_agent, detail FROM subscription_events \
                 WHERE subscription_id = ?1 ORDER BY id",
                &[id.into()],
            )?
            .iter()
            .map(|row| {
                Ok(SubscriptionEvent {
                    at: row.int(0)?,
                    event: row.text(1)?,
                    client_ip: row.opt_text(2)?,
                    user_agent: row.opt_text(3)?,
                    detail: row.opt_text(4)?,
                })
            })
            .collect()
        })
    }

    fn confirm_subscription(
        &self,
        id: &str,
        consent_version: &str,
        action: &SubscriberAction,
    ) -> Result<ConfirmOutcome, IntakeError> {
        self.engine.transaction(|db| {
            let Some(current) = get_in(db, id, true)? else {
                return Ok(ConfirmOutcome::NotPending);
            };
            match current.status {
                SubscriptionStatus::Confirmed => {
                    return Ok(ConfirmOutcome::AlreadyConfirmed(current))
                }
                SubscriptionStatus::Unsubscribed => return Ok(ConfirmOutcome::NotPending),
                SubscriptionStatus::Pending => {}
            }
            db.execute(
                "UPDATE subscriptions SET status = 'confirmed', confirmed_at = ?2, confirm_ip = ?3, \
                 confirm_user_agent = ?4, consent_version = ?5, unsubscribed_at = NULL, updated_at = ?2 WHERE id = ?1",
                &[
                    id.into(),
                    action.at.into(),
                    (&action.client_ip).into(),
                    (&action.user_agent).into(),
                    consent_version.into(),
                ],
            )?;
            event(
                db,
                id,
                "confirmed",
                action,
                Some(&format!(
                    "confirmed {} under consent wording {consent_version}",
                    current.categories
                )),
            )?;
            let updated = get_in(db, id, false)?.ok_or_else(vanished)?;
            Ok(ConfirmOutcome::Confirmed(updated))
        })
    }

    fn set_categories(
        &self,
        id: &str,
        categories: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError> {
        self.engine.transaction(|db| {
            let Some(current) = get_in(db, id, true)? else {
                return Ok(None);
            };
            if current.status == SubscriptionStatus::Unsubscribed {
                return Ok(Some(current));
            }
            db.execute(
                "UPDATE subscriptions SET categories = ?2, updated_at = ?3 WHERE id = ?1",
                &[id.into(), categories.into(), action.at.into()],
            )?;
            event(
                db,
                id,
                "preferences_changed",
                action,
                Some(&format!("{} -> {categories}", current.categories)),
            )?;
            get_in(db, id, false)
        })
    }

    fn unsubscribe(
        &self,
        id: &str,
        how: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError> {
        self.engine.transaction(|db| {
            let Some(current) = get_in(db, id, true)? else {
                return Ok(None);
            };
            if current.status == SubscriptionStatus::Unsubscribed {
                return Ok(Some(current));
            }
            db.execute(
                "UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = ?2, updated_at = ?2 WHERE id = ?1",
                &[id.into(), action.at.into()],
            )?;
            event(db, id, "unsubscribed", action, Some(how))?;
            get_in(db, id, false)
        })
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
        self.engine
            .transaction(|db| queue_notices_in(db, version, payload_sha256, at, plan))
    }

    fn list_notices(
        &self,
        version: Option<u64>,
        limit: u32,
    ) -> Result<Vec<NoticeRecord>, IntakeError> {
        let version = version.and_then(|v| i64::try_from(v).ok());
        self.engine.with(|db| {
            db.query(
                "SELECT n.id, n.subscription_id, s.email, n.manifest_version, n.payload_sha256, n.change_ids, \
                 n.queued_at, n.outbox_id, o.status, o.attempts, o.delivered_at, o.last_error \
                 FROM change_notices n JOIN subscriptions s ON s.id = n.subscription_id \
                 LEFT JOIN outbox o ON o.id = n.outbox_id \
                 WHERE (CAST(?1 AS BIGINT) IS NULL OR n.manifest_version = ?1) ORDER BY n.id DESC LIMIT ?2",
                &[version.into(), i64::from(limit).into()],
            )?
            .iter()
            .map(|row| {
                Ok(NoticeRecord {
                    id: row.int(0)?,
                    subscription_id: row.text(1)?,
                    email: row.text(2)?,
                    manifest_version: u64::try_from(row.int(3)?).unwrap_or(0),
                    payload_sha256: row.text(4)?,
                    change_ids: row.text(5)?,
                    queued_at: row.int(6)?,
                    outbox_id: row.opt_int(7)?,
                    delivery: row.opt_text(8)?.unwrap_or_else(|| "missing".into()),
                    attempts: row.opt_int(9)?.unwrap_or(0),
                    delivered_at: row.opt_int(10)?,
                    last_error: row.opt_text(11)?,
                })
            })
            .collect()
        })
    }
}

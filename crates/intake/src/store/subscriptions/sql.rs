//! The subscription store written once: every subscription and notice statement, run through the
//! portable [`Exec`] layer, so SQLite and PostgreSQL execute the same SQL. An engine supplies only what
//! differs ([`SubscriptionEngine`]): how it opens a connection or a transaction, how a transaction locks
//! the subscription row it is about to change, and how `subscribe` is decided one request at a time
//! (`store/sqlite/subscriptions.rs`, `store/postgres/subscriptions.rs`).
//!
//! `queue_notices` runs in one transaction and inserts each notice with
//! `INSERT … ON CONFLICT (subscription_id, manifest_version) DO NOTHING` (the same statement on both
//! engines): with the table's unique constraint, a subscriber gets one notice per version however
//! many runs overlap; a run that inserts nothing for a subscriber counts them as already notified.
//! It reads the confirmed subscribers with [`SubscriptionEngine::SHARE_LOCK`], so an erasure or an
//! unsubscribe (which lock the row for update) either waits for the run or goes first and is seen by
//! it: a notice is never queued to an address erased meanwhile.
//!
//! `erase_subscription` ([`erase_in`]) runs in one transaction too; afterwards the engine purges what
//! it can of the old row versions ([`Connections::purge_old_copies`]).

use super::{
    ConfirmOutcome, ErasureReport, ErasureTarget, NoticeRecord, NoticeRun, OldCopies,
    PlannedNotice, SubscribeOutcome, SubscribeRequest, SubscriberAction, Subscription,
    SubscriptionEvent, SubscriptionStatus, SubscriptionStore,
};
use crate::error::IntakeError;
use crate::store::portable::{Connections, Exec, Param, Row};
use crate::store::NewMessage;

/// What an engine supplies to run the portable subscription statements; every type implementing it
/// is a [`SubscriptionStore`].
pub trait SubscriptionEngine: Connections {
    /// Appended to the `SELECT` of a subscription that the transaction is about to change, so it stays
    /// locked until the transaction ends (empty where the transaction already holds the database's
    /// write lock).
    const ROW_LOCK: &'static str;

    /// Appended to the `SELECT` of the subscribers a transaction queues e-mails for, so a concurrent
    /// change of one of them (which takes [`SubscriptionEngine::ROW_LOCK`]) waits for it, or it for
    /// that change (empty where the transaction already holds the database's write lock).
    const SHARE_LOCK: &'static str;

    /// Run first in `subscribe`'s transaction: from here until it ends, no other subscription request
    /// (on any instance) can check the idempotency key, the caps or the address.
    fn serialise_subscribe(db: &mut dyn Exec) -> Result<(), IntakeError>;
}

/// Length of the cap window in seconds.
const DAY: i64 = 86_400;

/// How long an idempotency key of `POST /v1/subscriptions` is remembered: far longer than any retry
/// of the form, and then forgotten, because its fingerprint is a hash of the address.
const IDEMPOTENCY_WINDOW: i64 = 7 * DAY;

/// [`SubscriptionEngine::ROW_LOCK`]'s counterpart for a plain read.
const NO_LOCK: &str = "";

const COLUMNS: &str = "id, email, categories, status, requested_at, request_ip, request_user_agent, \
    requested_categories, confirmed_at, confirm_ip, confirm_user_agent, consent_version, unsubscribed_at, \
    created_at, updated_at, erased_at";

/// The `last_error` of an e-mail cancelled by an erasure.
const CANCELLED_BY_ERASURE: &str = "cancelled before it was sent: the subscriber's data was erased";

/// The `last_error` of an erased subscriber's e-mail whose server answer was removed (it could quote
/// the address).
const ANSWER_ERASED: &str = "the server's answer was removed with the subscriber's data";

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
        erased_at: row.opt_int(15)?,
    })
}

/// The subscription whose `column` is `value`, its row locked with `lock` ([`NO_LOCK`] or
/// [`SubscriptionEngine::ROW_LOCK`]).
fn find_by(
    db: &mut dyn Exec,
    column: &str,
    value: &str,
    lock: &str,
) -> Result<Option<Subscription>, IntakeError> {
    db.query_opt(
        &format!("SELECT {COLUMNS} FROM subscriptions WHERE {column} = ?1{lock}"),
        &[value.into()],
    )?
    .as_ref()
    .map(from_row)
    .transpose()
}

/// The subscription `id` as stored now (after a change in the same transaction).
fn reload(db: &mut dyn Exec, id: &str) -> Result<Subscription, IntakeError> {
    find_by(db, "id", id, NO_LOCK)?
        .ok_or_else(|| IntakeError::Database("the subscription vanished".into()))
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

/// Queues an e-mail for subscription `subscription_id` (no access request) and returns its outbox id.
fn queue_message(
    db: &mut dyn Exec,
    subscription_id: &str,
    message: &NewMessage,
    at: i64,
) -> Result<i64, IntakeError> {
    db.query_opt(
        "INSERT INTO outbox (request_id, subscription_id, channel, recipient, subject, body, next_attempt_at_ms, \
         created_at) VALUES (NULL, ?7, ?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        &[
            message.channel.as_str().into(),
            (&message.recipient).into(),
            (&message.subject).into(),
            (&message.body).into(),
            at.saturating_mul(1000).into(),
            at.into(),
            subscription_id.into(),
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

/// `subscribe` inside its transaction.
fn subscribe_in<E: SubscriptionEngine>(
    db: &mut dyn Exec,
    request: &SubscribeRequest,
    confirmation: &dyn Fn(&Subscription) -> NewMessage,
) -> Result<SubscribeOutcome, IntakeError> {
    E::serialise_subscribe(db)?;
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
    // Attempts older than the cap window no longer count, and keys older than theirs can no longer
    // be retried: forget both.
    db.execute(
        "DELETE FROM subscription_attempts WHERE at <= ?1",
        &[(request.at - DAY).into()],
    )?;
    db.execute(
        "DELETE FROM subscription_requests WHERE created_at <= ?1",
        &[(request.at - IDEMPOTENCY_WINDOW).into()],
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
    let id = match find_by(db, "email_key", &request.email_key, E::ROW_LOCK)? {
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
    let stored = reload(db, &id)?;
    let outbox_id = queue_message(db, &id, &confirmation(&stored), request.at)?;
    event(
        db,
        &id,
        "confirmation_sent",
        &action,
        Some(&format!("outbox message {outbox_id}")),
    )?;
    Ok(SubscribeOutcome::ConfirmationQueued)
}

/// A subscriber's change (preferences, unsubscribe) inside its transaction: unless the subscription
/// is unknown or erased (None) or already unsubscribed (returned unchanged), runs `update` (`?1` is
/// the id, then `params`), records `name` with `detail` of the subscription as it was, and returns it
/// as stored now.
fn change_unless_unsubscribed<E: SubscriptionEngine>(
    db: &mut dyn Exec,
    id: &str,
    update: &str,
    params: &[Param<'_>],
    name: &str,
    action: &SubscriberAction,
    detail: &dyn Fn(&Subscription) -> String,
) -> Result<Option<Subscription>, IntakeError> {
    let Some(current) = find_by(db, "id", id, E::ROW_LOCK)? else {
        return Ok(None);
    };
    match current.status {
        SubscriptionStatus::Unsubscribed => return Ok(Some(current)),
        SubscriptionStatus::Erased => return Ok(None),
        SubscriptionStatus::Pending | SubscriptionStatus::Confirmed => {}
    }
    let mut bound = vec![Param::from(id)];
    bound.extend_from_slice(params);
    db.execute(update, &bound)?;
    event(db, id, name, action, Some(&detail(&current)))?;
    find_by(db, "id", id, NO_LOCK)
}

/// `queue_notices` inside its one transaction.
fn queue_notices_in<E: SubscriptionEngine>(
    db: &mut dyn Exec,
    version: i64,
    payload_sha256: &str,
    at: i64,
    plan: &dyn Fn(&Subscription) -> Option<PlannedNotice>,
) -> Result<NoticeRun, IntakeError> {
    let subscribers = db
        .query(
            &format!(
                "SELECT {COLUMNS} FROM subscriptions WHERE status = 'confirmed' ORDER BY created_at, id{}",
                E::SHARE_LOCK
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
        // On PostgreSQL another run's uncommitted row for this pair makes this insert wait; once that
        // run commits, it inserts nothing, and the subscriber counts as already notified.
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
        let outbox_id = queue_message(db, &subscriber.id, &notice.message, at)?;
        db.execute(
            "UPDATE change_notices SET outbox_id = ?3 WHERE subscription_id = ?1 AND manifest_version = ?2",
            &[(&subscriber.id).into(), version.into(), outbox_id.into()],
        )?;
        run.queued.push((subscriber.id, subscriber.email));
    }
    Ok(run)
}

/// How many rows `sql` counts (`SELECT COUNT(*) …`).
fn count(db: &mut dyn Exec, sql: &str, params: &[Param<'_>]) -> Result<u64, IntakeError> {
    let number = db
        .query_opt(sql, params)?
        .ok_or_else(|| IntakeError::Database("COUNT returned no row".into()))?
        .int(0)?;
    Ok(u64::try_from(number).unwrap_or(0))
}

/// `erase_subscription` inside its one transaction (see the trait); the report's `old_copies` is
/// filled in by the caller once it has committed.
fn erase_in<E: SubscriptionEngine>(
    db: &mut dyn Exec,
    target: &ErasureTarget,
    at: i64,
    fingerprints: &dyn Fn(&str) -> Vec<String>,
) -> Result<Option<ErasureReport>, IntakeError> {
    let found = match target {
        ErasureTarget::Id(id) => find_by(db, "id", id, E::ROW_LOCK)?,
        ErasureTarget::EmailKey(key) => find_by(db, "email_key", key, E::ROW_LOCK)?,
    };
    let Some(current) = found else {
        return Ok(None);
    };
    let id = current.id.as_str();
    let mut report = ErasureReport {
        subscription_id: current.id.clone(),
        erased_now: false,
        erased_at: current.erased_at,
        events_scrubbed: 0,
        emails_cancelled: 0,
        emails_scrubbed: 0,
        notices_kept: 0,
        attempts_deleted: 0,
        idempotency_records_deleted: 0,
        old_copies: OldCopies::LeftToVacuum,
    };
    if current.status == SubscriptionStatus::Erased {
        return Ok(Some(report));
    }
    let email_key = db
        .query_opt(
            "SELECT email_key FROM subscriptions WHERE id = ?1",
            &[id.into()],
        )?
        .map(|row| row.opt_text(0))
        .transpose()?
        .flatten();
    report.events_scrubbed = db.execute(
        "UPDATE subscription_events SET client_ip = NULL, user_agent = NULL WHERE subscription_id = ?1",
        &[id.into()],
    )?;
    // Queued e-mails are cancelled first, so the scrub below keeps their reason.
    report.emails_cancelled = db.execute(
        "UPDATE outbox SET status = 'cancelled', last_error = ?2 WHERE subscription_id = ?1 AND status = 'pending'",
        &[id.into(), CANCELLED_BY_ERASURE.into()],
    )?;
    report.emails_scrubbed = db.execute(
        "UPDATE outbox SET recipient = '', body = '', \
         last_error = CASE WHEN last_error IS NULL OR status = 'cancelled' THEN last_error ELSE ?2 END \
         WHERE subscription_id = ?1",
        &[id.into(), ANSWER_ERASED.into()],
    )?;
    report.notices_kept = count(
        db,
        "SELECT COUNT(*) FROM change_notices WHERE subscription_id = ?1",
        &[id.into()],
    )?;
    if let Some(key) = email_key.as_deref() {
        report.attempts_deleted = db.execute(
            "DELETE FROM subscription_attempts WHERE email_key = ?1",
            &[key.into()],
        )?;
        let derived = fingerprints(key);
        if !derived.is_empty() {
            let placeholders = (1..=derived.len())
                .map(|n| format!("?{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let params: Vec<Param<'_>> = derived.iter().map(Param::from).collect();
            report.idempotency_records_deleted = db.execute(
                &format!("DELETE FROM subscription_requests WHERE fingerprint IN ({placeholders})"),
                &params,
            )?;
        }
    }
    db.execute(
        "UPDATE subscriptions SET status = 'erased', email = '', email_key = NULL, request_ip = '', \
         request_user_agent = NULL, confirm_ip = NULL, confirm_user_agent = NULL, erased_at = ?2, updated_at = ?2 \
         WHERE id = ?1",
        &[id.into(), at.into()],
    )?;
    db.execute(
        "INSERT INTO subscription_events (subscription_id, at, event, client_ip, user_agent, detail) \
         VALUES (?1, ?2, 'erased', NULL, NULL, NULL)",
        &[id.into(), at.into()],
    )?;
    report.erased_now = true;
    report.erased_at = Some(at);
    Ok(Some(report))
}

fn notice_from_row(row: &Row) -> Result<NoticeRecord, IntakeError> {
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
}

impl<E: SubscriptionEngine> SubscriptionStore for E {
    fn subscribe(
        &self,
        request: &SubscribeRequest,
        confirmation: &dyn Fn(&Subscription) -> NewMessage,
    ) -> Result<SubscribeOutcome, IntakeError> {
        // The early answers (replay, key conflict, cap) have written nothing, so committing them is
        // the same as rolling back.
        self.transaction(|db| subscribe_in::<E>(db, request, confirmation))
    }

    fn get_subscription(&self, id: &str) -> Result<Option<Subscription>, IntakeError> {
        self.with(|db| find_by(db, "id", id, NO_LOCK))
    }

    fn list_subscriptions(&self, limit: u32) -> Result<Vec<Subscription>, IntakeError> {
        self.with(|db| {
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
        self.with(|db| {
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
        self.transaction(|db| {
            let Some(current) = find_by(db, "id", id, E::ROW_LOCK)? else {
                return Ok(ConfirmOutcome::NotPending);
            };
            match current.status {
                SubscriptionStatus::Confirmed => {
                    return Ok(ConfirmOutcome::AlreadyConfirmed(current))
                }
                SubscriptionStatus::Unsubscribed | SubscriptionStatus::Erased => {
                    return Ok(ConfirmOutcome::NotPending)
                }
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
            reload(db, id).map(ConfirmOutcome::Confirmed)
        })
    }

    fn set_categories(
        &self,
        id: &str,
        categories: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError> {
        self.transaction(|db| {
            change_unless_unsubscribed::<E>(
                db,
                id,
                "UPDATE subscriptions SET categories = ?2, updated_at = ?3 WHERE id = ?1",
                &[categories.into(), action.at.into()],
                "preferences_changed",
                action,
                &|current| format!("{} -> {categories}", current.categories),
            )
        })
    }

    fn unsubscribe(
        &self,
        id: &str,
        how: &str,
        action: &SubscriberAction,
    ) -> Result<Option<Subscription>, IntakeError> {
        self.transaction(|db| {
            change_unless_unsubscribed::<E>(
                db,
                id,
                "UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = ?2, updated_at = ?2 \
                 WHERE id = ?1",
                &[action.at.into()],
                "unsubscribed",
                action,
                &|_| how.to_string(),
            )
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
        self.transaction(|db| queue_notices_in::<E>(db, version, payload_sha256, at, plan))
    }

    fn list_notices(
        &self,
        version: Option<u64>,
        limit: u32,
    ) -> Result<Vec<NoticeRecord>, IntakeError> {
        let version = version.and_then(|v| i64::try_from(v).ok());
        self.with(|db| {
            db.query(
                "SELECT n.id, n.subscription_id, s.email, n.manifest_version, n.payload_sha256, n.change_ids, \
                 n.queued_at, n.outbox_id, o.status, o.attempts, o.delivered_at, o.last_error \
                 FROM change_notices n JOIN subscriptions s ON s.id = n.subscription_id \
                 LEFT JOIN outbox o ON o.id = n.outbox_id \
                 WHERE (CAST(?1 AS BIGINT) IS NULL OR n.manifest_version = ?1) ORDER BY n.id DESC LIMIT ?2",
                &[version.into(), i64::from(limit).into()],
            )?
            .iter()
            .map(notice_from_row)
            .collect()
        })
    }

    fn erase_subscription(
        &self,
        target: &ErasureTarget,
        at: i64,
        fingerprints: &dyn Fn(&str) -> Vec<String>,
    ) -> Result<Option<ErasureReport>, IntakeError> {
        let Some(mut report) =
            self.transaction(|db| erase_in::<E>(db, target, at, fingerprints))?
        else {
            return Ok(None);
        };
        report.old_copies = self.purge_old_copies();
        Ok(Some(report))
    }
}

//! PostgreSQL's part of the subscription store: [`SubscriptionEngine`] for [`PgStore`] (the
//! statements are in `store/subscriptions/sql.rs`), with what several instances on one database need:
//!
//! - `subscribe` takes a transaction-scoped advisory lock first, so the idempotency-key check, the
//!   per-address and per-IP caps and the one-row-per-address rule are decided one request at a time
//!   across every instance (as SQLite's `BEGIN IMMEDIATE` does for one file); subscription requests
//!   are rare, so the serialisation costs nothing measurable.
//! - confirmation, preference, unsubscribe and erasure lock their row (`FOR UPDATE`); `queue_notices`
//!   reads the confirmed subscribers `FOR SHARE`, so an erasure waits for a notify run in progress
//!   (and then cancels what it queued) or the run waits for the erasure (and then skips the row).
//! - after an erasure the old row versions are left to (auto)vacuum (`purge_old_copies` in
//!   `store/postgres.rs`): see docs/intake.md.
//! - `queue_notices` relies on the unique (subscription_id, manifest_version) constraint: when two
//!   `trustctl notify` runs overlap, the second one's insert for a subscriber waits for the first
//!   transaction and then inserts nothing (`ON CONFLICT DO NOTHING`), so each subscriber gets one
//!   notice per version. The e-mails go through the outbox, claimed with `FOR UPDATE SKIP LOCKED`.

use super::PgStore;
use crate::error::IntakeError;
use crate::store::portable::Exec;
use crate::store::subscriptions::sql::SubscriptionEngine;

/// Key of the advisory lock held by `subscribe` ("tc-subsc" in ASCII; distinct from the migration lock).
const SUBSCRIBE_LOCK: i64 = 0x7463_2d73_7562_7363;

impl SubscriptionEngine for PgStore {
    const ROW_LOCK: &'static str = " FOR UPDATE";
    const SHARE_LOCK: &'static str = " FOR SHARE";

    fn serialise_subscribe(db: &mut dyn Exec) -> Result<(), IntakeError> {
        // Held until the transaction ends: one subscription request at a time across all instances.
        db.execute("SELECT pg_advisory_xact_lock(?1)", &[SUBSCRIBE_LOCK.into()])?;
        Ok(())
    }
}

//! SQLite's part of the subscription store: [`SubscriptionEngine`] for [`SqliteStore`] (the
//! statements are in `store/subscriptions/sql.rs`). One connection behind the store's mutex and
//! `BEGIN IMMEDIATE` transactions, which hold the file's write lock from their first statement, decide
//! every change one at a time, so neither a row nor `subscribe` needs a lock of its own.
//!
//! After an erasure the file is rebuilt (`purge_old_copies` in `store/sqlite.rs`).

use super::SqliteStore;
use crate::error::IntakeError;
use crate::store::portable::Exec;
use crate::store::subscriptions::sql::SubscriptionEngine;

impl SubscriptionEngine for SqliteStore {
    const ROW_LOCK: &'static str = "";
    const SHARE_LOCK: &'static str = "";

    fn serialise_subscribe(_db: &mut dyn Exec) -> Result<(), IntakeError> {
        // The IMMEDIATE transaction already excludes every other writer.
        Ok(())
    }
}

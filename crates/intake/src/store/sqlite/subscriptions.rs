//! SQLite's part of the subscription store: [`SubscriptionEngine`] for [`SqliteStore`] (the
//! statements are in `store/subscriptions/sql.rs`). One connection behind the store's mutex and
//! `BEGIN IMMEDIATE` transactions, which hold the file's write lock from their first statement, decide
//! every change one at a time, so neither a row nor `subscribe` needs a lock of its own.

use super::SqliteStore;
use crate::error::IntakeError;
use crate::store::portable::{self, Exec, SqliteExec};
use crate::store::subscriptions::sql::SubscriptionEngine;

impl SubscriptionEngine for SqliteStore {
    const ROW_LOCK: &'static str = "";

    fn with<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        work(&mut SqliteExec(&self.lock()))
    }

    fn transaction<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        portable::sqlite_transaction(&mut self.lock(), work)
    }

    fn serialise_subscribe(_db: &mut dyn Exec) -> Result<(), IntakeError> {
        // The IMMEDIATE transaction already excludes every other writer.
        Ok(())
    }
}

//! SQLite's part of the subscription store: [`SubscriptionEngine`] for [`SqliteStore`] (the
//! statements are in `store/subscriptions/sql.rs`). One connection behind the store's mutex and
//! `BEGIN IMMEDIATE` transactions, which hold the file's write lock from their first statement, decide
//! every change one at a time, so neither a row nor `subscribe` needs a lock of its own.
//!
//! After an erasure the file is rebuilt (`VACUUM`) and its write-ahead log checkpointed and truncated,
//! so no old copy of an erased row stays in free pages, in the unused space of a page or in the log
//! (the store also runs with `secure_delete`, which zeroes deleted content as it goes).

use super::SqliteStore;
use crate::error::IntakeError;
use crate::store::portable::Exec;
use crate::store::subscriptions::sql::SubscriptionEngine;
use crate::store::subscriptions::OldCopies;

impl SubscriptionEngine for SqliteStore {
    const ROW_LOCK: &'static str = "";
    const SHARE_LOCK: &'static str = "";

    fn serialise_subscribe(_db: &mut dyn Exec) -> Result<(), IntakeError> {
        // The IMMEDIATE transaction already excludes every other writer.
        Ok(())
    }

    fn purge_old_copies(&self) -> OldCopies {
        let connection = self.lock();
        let purged = connection.execute_batch("VACUUM").and_then(|()| {
            // (busy, frames in the log, frames checkpointed); busy: a reader kept the log in use.
            connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
                row.get::<_, i64>(0)
            })
        });
        match purged {
            Ok(0) => OldCopies::Purged,
            Ok(_) => OldCopies::NotPurged {
                reason:
                    "another connection was reading, so the write-ahead log could not be emptied"
                        .into(),
            },
            Err(error) => OldCopies::NotPurged {
                reason: format!("the file could not be rebuilt: {error}"),
            },
        }
    }
}

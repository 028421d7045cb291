//! SQLite's part of the request store: [`RequestEngine`] for [`SqliteStore`] (the statements are in
//! `store/requests/sql.rs`). One connection behind the store's mutex and `BEGIN IMMEDIATE`
//! transactions (`store/sqlite.rs`), which hold the file's write lock from their first statement,
//! decide every change one at a time, so a decision needs no row lock; and one service instance per
//! file sends the outbox, so `due_messages` only selects the due rows (no claim to take or release).

use super::SqliteStore;
use crate::error::IntakeError;
use crate::store::portable::{Exec, Row};
use crate::store::requests::sql::{RequestEngine, MESSAGE_COLUMNS};
use crate::store::Channel;

impl RequestEngine for SqliteStore {
    const ROW_LOCK: &'static str = "";
    const RELEASE_CLAIM: &'static str = "";

    fn due_rows(
        &self,
        db: &mut dyn Exec,
        channel: Channel,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<Row>, IntakeError> {
        db.query(
            &format!(
                "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE status = 'pending' AND channel = ?1 \
                 AND next_attempt_at_ms <= ?2 ORDER BY next_attempt_at_ms, id LIMIT ?3"
            ),
            &[
                channel.as_str().into(),
                now_ms.into(),
                i64::from(limit).into(),
            ],
        )
    }
}

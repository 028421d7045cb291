//! PostgreSQL's part of the request store: [`RequestEngine`] for [`PgStore`] (the statements are in
//! `store/requests/sql.rs`), with what several instances on one database need:
//!
//! - a decision or an access extension locks its request row (`FOR UPDATE`), so two reviewers
//!   deciding on two instances at once are serialised and the state machine holds.
//! - `due_messages` claims the rows it returns: `FOR UPDATE SKIP LOCKED` skips rows another instance
//!   is claiming, and `claimed_until_ms` (now + `claim_lease_secs`) hides a claimed row from everyone
//!   else until the claimer records the outcome (which releases the claim) or the lease ends, so a
//!   crashed instance's messages are retried by another.
//!
//! Idempotency needs nothing here: the unique key decides (see `store/requests/sql.rs`).

use super::PgStore;
use crate::error::IntakeError;
use crate::store::portable::{Exec, Row};
use crate::store::requests::sql::{RequestEngine, MESSAGE_COLUMNS};
use crate::store::Channel;

impl RequestEngine for PgStore {
    const ROW_LOCK: &'static str = " FOR UPDATE";
    const RELEASE_CLAIM: &'static str = ", claimed_until_ms = NULL";

    fn due_rows(
        &self,
        db: &mut dyn Exec,
        channel: Channel,
        now_ms: i64,
        limit: u32,
    ) -> Result<Vec<Row>, IntakeError> {
        db.query(
            &format!(
                "UPDATE outbox SET claimed_until_ms = ?4 WHERE id IN ( \
                     SELECT id FROM outbox WHERE status = 'pending' AND channel = ?1 \
                     AND next_attempt_at_ms <= ?2 \
                     AND (claimed_until_ms IS NULL OR claimed_until_ms <= ?2) \
                     ORDER BY next_attempt_at_ms, id LIMIT ?3 FOR UPDATE SKIP LOCKED) \
                 RETURNING {MESSAGE_COLUMNS}"
            ),
            &[
                channel.as_str().into(),
                now_ms.into(),
                i64::from(limit).into(),
                now_ms.saturating_add(self.lease_ms).into(),
            ],
        )
    }
}

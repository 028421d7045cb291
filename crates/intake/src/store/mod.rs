//! Data access: the [`Store`] trait the service and the admin commands use, and its records.
//!
//! Two implementations: SQLite ([`SqliteStore`], the embedded default) and PostgreSQL ([`PgStore`],
//! several instances on one database), chosen by [`Database::from_config`] (see docs/intake.md,
//! "Scale path"). [`Store`] and its records are in `requests.rs` (re-exported here), the subscription
//! store in [`subscriptions`]. [`migrations`] is the one ordered schema list of both, [`portable`]
//! runs the same SQL on either (the console, the subscription store and `trustctl db` use it),
//! [`copy`] moves an installation between them.

pub mod copy;
pub mod database;
pub mod migrations;
pub mod portable;
pub mod postgres;
mod requests;
mod sqlite;
pub mod subscriptions;

pub use database::Database;
pub use postgres::PgStore;
pub use requests::{
    allowed_from, no_such_request, AccessRequest, AuditEvent, Channel, CreateOutcome, Decision,
    NewMessage, OutboxMessage, RequestErasure, RequestStatus, Store,
};
pub use sqlite::SqliteStore;
pub use subscriptions::SubscriptionStore;

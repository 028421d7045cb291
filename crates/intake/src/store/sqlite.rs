//! The SQLite engine: [`SqliteStore`] opens one file (WAL journal, `synchronous=FULL`) and applies
//! the versioned migrations. Its [`Store`](super::Store) and
//! [`SubscriptionStore`](super::SubscriptionStore) are written once for both engines
//! (`store/requests/sql.rs`, `store/subscriptions/sql.rs`); this module gives the request store its
//! connection and `BEGIN IMMEDIATE` transactions ([`Connections`]), `sqlite/requests.rs` and
//! `sqlite/subscriptions.rs` the rest of what each store needs from SQLite.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, TransactionBehavior};

use crate::error::IntakeError;
use crate::store::subscriptions::OldCopies;

use super::migrations::{self, MIGRATIONS};
use super::portable::{self, Connections, Exec, SqliteExec};

// Access requests, audit trail and outbox: the queries are in requests/sql.rs, the due-message select here.
mod requests;
// Subscriptions and change notices (issue 17): the queries are in subscriptions/sql.rs, the transactions here.
mod subscriptions;

/// A single SQLite database file shared by the service and the admin commands.
pub struct SqliteStore {
    connection: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and applies pending migrations.
    pub fn open(path: &Path) -> Result<SqliteStore, IntakeError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_fs::create_dir(dir).map_err(|e| {
                IntakeError::system(
                    format!("cannot create database folder {}", dir.display()),
                    e,
                )
            })?;
        }
        // SQLite gives the -wal and -shm files the database file's mode, so 0600 here covers all three.
        crate::private_fs::touch_file(path).map_err(|e| {
            IntakeError::system(format!("cannot create database file {}", path.display()), e)
        })?;
        let connection = Connection::open(path)
            .map_err(|e| IntakeError::sqlite(format!("cannot open {}", path.display()), e))?;
        // WAL lets the admin commands read while the service writes; FULL syncs the WAL on every commit so
        // an acknowledged request survives a power cut, not only a process crash (docs/intake.md).
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String =
            connection.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(IntakeError::Database(format!(
                "{} cannot use write-ahead logging (journal mode is {mode}); put it on a local disk",
                path.display()
            )));
        }
        // secure_delete zeroes the content of deleted and overwritten rows, so an erased subscriber's
        // data does not linger in the unused space of a page (docs/intake.md, "Erasing a subscriber").
        connection.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;",
        )?;
        let store = SqliteStore {
            connection: Mutex::new(connection),
        };
        store.migrate()?;
        Ok(store)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions roll back), so a
        // poisoned mutex is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn migrate(&self) -> Result<(), IntakeError> {
        let mut connection = self.lock();
        // A migration may rebuild a table that other tables reference (the only way SQLite changes a
        // constraint), which needs foreign key enforcement off; it can only be switched outside a
        // transaction. `migrate_in` checks every reference before it commits.
        connection.execute_batch("PRAGMA foreign_keys = OFF")?;
        let migrated = migrate_in(&mut connection);
        let restored = connection.execute_batch("PRAGMA foreign_keys = ON");
        migrated?;
        restored?;
        Ok(())
    }

    /// Schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64, IntakeError> {
        Ok(self
            .lock()
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

impl Connections for SqliteStore {
    fn with<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        work(&mut SqliteExec(&self.lock()))
    }

    /// A `BEGIN IMMEDIATE` transaction: it holds the file's write lock from its first statement.
    fn transaction<R>(
        &self,
        work: impl FnOnce(&mut dyn Exec) -> Result<R, IntakeError>,
    ) -> Result<R, IntakeError> {
        portable::sqlite_transaction(&mut self.lock(), work)
    }

    /// Rebuilds the file (`VACUUM`) and checkpoints and truncates its write-ahead log, so no old copy
    /// of an erased row stays in free pages, in the unused space of a page or in the log (the store
    /// also runs with `secure_delete`, which zeroes deleted content as it goes).
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

/// Applies the pending migrations in one transaction; with any applied, `PRAGMA foreign_key_check`
/// must find no dangling reference before it commits.
fn migrate_in(connection: &mut Connection) -> Result<(), IntakeError> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let current: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if current > migrations::latest() {
        return Err(migrations::too_new(current));
    }
    // `PRAGMA user_version` records how many migrations have been applied.
    let pending: Vec<_> = MIGRATIONS.iter().filter(|m| m.version > current).collect();
    for migration in &pending {
        transaction.execute_batch(migration.sqlite).map_err(|e| {
            IntakeError::sqlite(format!("migration {:04} failed", migration.version), e)
        })?;
        transaction.execute_batch(&format!("PRAGMA user_version = {}", migration.version))?;
    }
    if !pending.is_empty() {
        let dangling = transaction
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |_| Ok(()))?
            .count();
        if dangling > 0 {
            return Err(IntakeError::Database(format!(
                "the migrations would leave {dangling} row(s) referring to rows that do not exist; nothing was changed"
            )));
        }
    }
    transaction.commit()?;
    Ok(())
}

//! `trustctl db copy`: every table of one database into another (SQLite → PostgreSQL, or back), in one
//! transaction on the target, with each table's row count compared before it commits.
//!
//! The source must be at this binary's schema version (run `trustctl db migrate` on it first); the
//! target is migrated, must be empty unless `replace` is set (then its rows are deleted in the same
//! transaction), and keeps the source's ids, so download links and audit trails stay valid. Identity
//! sequences on PostgreSQL are moved past the copied ids.

use super::database::Database;
use super::portable::{Exec, Param, Row, Value};
use crate::error::IntakeError;

/// A table copied by `trustctl db copy`, with the columns both engines have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    /// Columns copied, in order; the first is the sort key.
    pub columns: &'static [&'static str],
    /// The integer identity column whose PostgreSQL sequence must follow the copied values.
    pub identity: Option<&'static str>,
}

/// Every table, parents before children. A new table (a new migration) gets an entry here.
pub const TABLES: &[Table] = &[
    Table {
        name: "access_requests",
        // `rowid` is SQLite's implicit insertion order and a real column on PostgreSQL.
        columns: &[
            "rowid",
            "id",
            "idempotency_key",
            "fingerprint",
            "name",
            "email",
            "email_domain",
            "company",
            "reason",
            "document_id",
            "nda_version",
            "nda_sha256",
            "accepted_at",
            "client_ip",
            "user_agent",
            "status",
            "decided_by",
            "decision_note",
            "decided_at",
            "access_expires_at",
            "created_at",
            "updated_at",
        ],
        identity: Some("rowid"),
    },
    Table {
        name: "audit_events",
        columns: &[
            "id",
            "request_id",
            "at",
            "event",
            "actor",
            "client_ip",
            "detail",
        ],
        identity: Some("id"),
    },
    Table {
        name: "console_reviewers",
        columns: &["id", "name", "created_at"],
        identity: None,
    },
    Table {
        name: "console_passkeys",
        columns: &[
            "id",
            "reviewer_id",
            "credential_id",
            "passkey_json",
            "created_at",
            "last_used_at",
        ],
        identity: Some("id"),
    },
    Table {
        name: "console_enrolments",
        columns: &[
            "token_sha256",
            "reviewer_id",
            "created_at",
            "expires_at",
            "used_at",
        ],
        identity: None,
    },
    Table {
        name: "console_sessions",
        columns: &[
            "id_sha256",
            "reviewer_id",
            "csrf_token",
            "created_at",
            "last_seen_at",
            "client_ip",
        ],
        identity: None,
    },
    // Subscriptions and change notices (migrations 0003 and 0004).
    Table {
        name: "subscriptions",
        columns: &[
            "id",
            "email",
            "email_key",
            "categories",
            "status",
            "requested_at",
            "request_ip",
            "request_user_agent",
            "requested_categories",
            "confirmed_at",
            "confirm_ip",
            "confirm_user_agent",
            "consent_version",
            "unsubscribed_at",
            "created_at",
            "updated_at",
            "erased_at",
        ],
        identity: None,
    },
    Table {
        name: "subscription_events",
        columns: &[
            "id",
            "subscription_id",
            "at",
            "event",
            "client_ip",
            "user_agent",
            "detail",
        ],
        identity: Some("id"),
    },
    Table {
        name: "subscription_attempts",
        columns: &["id", "email_key", "client_ip", "at"],
        identity: Some("id"),
    },
    Table {
        name: "subscription_requests",
        columns: &["idempotency_key", "fingerprint", "created_at"],
        identity: None,
    },
    // After the subscriptions its e-mails may belong to (0004), before the notices that point at it.
    Table {
        name: "outbox",
        columns: &[
            "id",
            "request_id",
            "channel",
            "recipient",
            "subject",
            "body",
            "status",
            "attempts",
            "next_attempt_at_ms",
            "last_error",
            "created_at",
            "delivered_at",
            "subscription_id",
        ],
        identity: Some("id"),
    },
    Table {
        name: "change_notices",
        columns: &[
            "id",
            "subscription_id",
            "manifest_version",
            "payload_sha256",
            "change_ids",
            "queued_at",
            "outbox_id",
        ],
        identity: Some("id"),
    },
];

/// Rows copied per table, in [`TABLES`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

/// Copies every table of `from` into `to`; see the module documentation.
pub fn copy(from: &Database, to: &Database, replace: bool) -> Result<CopyReport, IntakeError> {
    if from == to {
        return Err(IntakeError::InvalidAction(
            "the source and the target are the same database".into(),
        ));
    }
    let source_version = schema_version(from)?;
    if source_version != super::migrations::latest() {
        return Err(IntakeError::InvalidAction(format!(
            "the source is at schema version {source_version}, this program at {}; run `trustctl db migrate` on the source first",
            super::migrations::latest()
        )));
    }
    // Migrates the target (creates its tables on first use).
    drop(to.open_store()?);
    let source = from.open_engine()?;
    let target = to.open_engine()?;
    let target_is_postgres = target.is_postgres();
    source.transaction(|src| {
        target.transaction(|dst| {
            let non_empty = counts(dst)?
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .collect::<Vec<_>>();
            if !non_empty.is_empty() && !replace {
                let list = non_empty
                    .iter()
                    .map(|(name, count)| format!("{name} ({count} rows)"))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(IntakeError::InvalidAction(format!(
                    "the target is not empty: {list}; pass --replace to delete its rows and copy over them"
                )));
            }
            if replace {
                for table in TABLES.iter().rev() {
                    dst.execute(&format!("DELETE FROM {}", table.name), &[])?;
                }
            }
            let mut report = Vec::new();
            for table in TABLES {
                let columns = table.columns.join(", ");
                let rows = src.query(
                    &format!(
                        "SELECT {columns} FROM {} ORDER BY {}",
                        table.name,
                        table.columns.first().copied().unwrap_or("1")
                    ),
                    &[],
                )?;
                let placeholders = (1..=table.columns.len())
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let insert = format!(
                    "INSERT INTO {} ({columns}) VALUES ({placeholders})",
                    table.name
                );
                for row in &rows {
                    dst.execute(&insert, &params_of(row))?;
                }
                let copied = u64::try_from(rows.len()).unwrap_or(u64::MAX);
                let in_target = count(dst, table.name)?;
                let in_source = count(src, table.name)?;
                if in_target != copied || in_source != copied {
                    return Err(IntakeError::Database(format!(
                        "{}: {in_source} rows in the source, {copied} copied, {in_target} in the target; nothing was committed",
                        table.name
                    )));
                }
                if let (true, Some(column)) = (target_is_postgres, table.identity) {
                    dst.query(
                        &format!(
                            "SELECT setval(pg_get_serial_sequence('{0}', '{column}'), \
                             COALESCE(MAX({column}), 0) + 1, false) FROM {0}",
                            table.name
                        ),
                        &[],
                    )?;
                }
                report.push((table.name, copied));
            }
            Ok(CopyReport { tables: report })
        })
    })
}

fn params_of(row: &Row) -> Vec<Param<'_>> {
    row.0
        .iter()
        .map(|value| match value {
            Value::Null => Param::Text(None),
            Value::Int(number) => Param::Int(Some(*number)),
            Value::Text(text) => Param::Text(Some(text.as_str())),
        })
        .collect()
}

fn count(db: &mut dyn Exec, table: &str) -> Result<u64, IntakeError> {
    let row = db.query_opt(&format!("SELECT COUNT(*) FROM {table}"), &[])?;
    let number = row.map_or(Ok(0), |row| row.int(0))?;
    Ok(u64::try_from(number).unwrap_or(0))
}

/// Rows per table of [`TABLES`].
pub fn counts(db: &mut dyn Exec) -> Result<Vec<(&'static str, u64)>, IntakeError> {
    TABLES
        .iter()
        .map(|table| Ok((table.name, count(db, table.name)?)))
        .collect()
}

/// The schema version of a database, without migrating it (0 for a new one).
pub fn schema_version(database: &Database) -> Result<i64, IntakeError> {
    match database {
        Database::Sqlite(path) => {
            if !path.exists() {
                return Err(IntakeError::NotFound(format!(
                    "there is no SQLite database at {}",
                    path.display()
                )));
            }
            let connection = rusqlite::Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .map_err(|e| IntakeError::sqlite(format!("cannot open {}", path.display()), e))?;
            Ok(connection.query_row("PRAGMA user_version", [], |row| row.get(0))?)
        }
        Database::Postgres { url, settings } => {
            super::postgres::schema_version(&super::postgres::PgPool::connect(url, settings)?)
        }
    }
}

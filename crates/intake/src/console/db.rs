//! The console's own SQLite access: reviewers, passkeys, enrolment links and sessions (migration
//! `0002_console.sql`), plus the read-only queries behind the inbox, the timeline, the overview and the
//! audit export. Every change to a request itself goes through [`crate::workflow`] and [`crate::Store`].
//!
//! It opens its own connection to the service's database file (WAL lets it read while the service
//! writes); open the file with [`crate::SqliteStore::open`] first so the migrations have run.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::IntakeError;
use crate::store::RequestStatus;

/// A reviewer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewer {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// A reviewer with the counts `trustctl console reviewers` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewerSummary {
    pub reviewer: Reviewer,
    pub passkeys: i64,
    pub sessions: i64,
}

/// A stored signed-in session joined with its reviewer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub reviewer_id: String,
    pub reviewer_name: String,
    pub csrf_token: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

/// Inbox filters (all optional, combined with AND).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxFilter {
    pub status: Option<RequestStatus>,
    pub document_id: Option<String>,
    /// Matches the e-mail domain or any of its subdomains.
    pub email_domain: Option<String>,
    /// Substring of the name, company or e-mail (case-insensitive for ASCII).
    pub search: Option<String>,
}

/// One inbox row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboxRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub company: String,
    pub email_domain: String,
    pub document_id: String,
    pub status: RequestStatus,
    pub created_at: i64,
    /// The note of the rule that decided at submission, if one did.
    pub rule: Option<String>,
}

/// An outbox message as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    pub channel: String,
    pub recipient: String,
    pub subject: Option<String>,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
}

/// One audit event with the request fields an auditor needs, for the export.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportRow {
    pub at: i64,
    pub request_id: String,
    pub event: String,
    pub actor: String,
    pub client_ip: Option<String>,
    pub detail: Option<String>,
    pub document_id: String,
    pub company: String,
    pub email: String,
}

/// The figures of the overview page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    /// (start of the week as Unix seconds, requests created that week), oldest first.
    pub per_week: Vec<(i64, i64)>,
    /// Requests approved (including later revoked) and denied.
    pub approved: i64,
    pub denied: i64,
    pub pending: i64,
    /// Seconds from submission to the first decision by a person, one entry per decided request.
    pub decision_seconds: Vec<i64>,
    /// (document id, downloads), most downloaded first.
    pub downloads: Vec<(String, i64)>,
}

/// The console's connection to the service database.
pub struct ConsoleDb {
    connection: Mutex<Connection>,
}

impl ConsoleDb {
    /// Opens the (already migrated) database file.
    pub fn open(path: &Path) -> Result<ConsoleDb, IntakeError> {
        let connection = Connection::open(path)
            .map_err(|e| IntakeError::Database(format!("cannot open {}: {e}", path.display())))?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        Ok(ConsoleDb {
            connection: Mutex::new(connection),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // Transactions roll back on panic, so a poisoned lock still guards a consistent database.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs one `SELECT` and turns every row into a `T` with `map`.
    fn all_rows<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, IntakeError> {
        let connection = self.lock();
        let mut statement = connection.prepare(sql)?;
        let rows = statement.query_map(params, map)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Creates a reviewer; refuses a name already taken.
    pub fn add_reviewer(&self, id: &str, name: &str, now: i64) -> Result<Reviewer, IntakeError> {
        let connection = self.lock();
        let taken: Option<String> = connection
            .query_row(
                "SELECT id FROM console_reviewers WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(IntakeError::InvalidAction(format!(
                "there is already a reviewer called {name}; use `trustctl console enrol-link {name}` for a new enrolment link"
            )));
        }
        connection.execute(
            "INSERT INTO console_reviewers (id, name, created_at) VALUES (?1, ?2, ?3)",
            params![id, name, now],
        )?;
        Ok(Reviewer {
            id: id.to_string(),
            name: name.to_string(),
            created_at: now,
        })
    }

    /// The reviewer called `name`.
    pub fn reviewer_by_name(&self, name: &str) -> Result<Option<Reviewer>, IntakeError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT id, name, created_at FROM console_reviewers WHERE name = ?1",
                [name],
                |row| {
                    Ok(Reviewer {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        created_at: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Every reviewer with passkey and session counts, by name.
    pub fn reviewers(&self) -> Result<Vec<ReviewerSummary>, IntakeError> {
        self.all_rows(
            "SELECT r.id, r.name, r.created_at, \
             (SELECT COUNT(*) FROM console_passkeys p WHERE p.reviewer_id = r.id), \
             (SELECT COUNT(*) FROM console_sessions s WHERE s.reviewer_id = r.id) \
             FROM console_reviewers r ORDER BY r.name",
            [],
            |row| {
                Ok(ReviewerSummary {
                    reviewer: Reviewer {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        created_at: row.get(2)?,
                    },
                    passkeys: row.get(3)?,
                    sessions: row.get(4)?,
                })
            },
        )
    }

    /// Deletes a reviewer with their passkeys, enrolment links and sessions (signed out at once).
    pub fn remove_reviewer(&self, name: &str) -> Result<bool, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let id: Option<String> = transaction
            .query_row(
                "SELECT id FROM console_reviewers WHERE name = ?1",
                [name],
                |row| row.get(0),
            )
            .optional()?;
        let Some(id) = id else {
            return Ok(false);
        };
        // Explicit deletes, not only ON DELETE CASCADE: they hold even if foreign keys were off.
        transaction.execute("DELETE FROM console_sessions WHERE reviewer_id = ?1", [&id])?;
        transaction.execute("DELETE FROM console_passkeys WHERE reviewer_id = ?1", [&id])?;
        transaction.execute(
            "DELETE FROM console_enrolments WHERE reviewer_id = ?1",
            [&id],
        )?;
        transaction.execute("DELETE FROM console_reviewers WHERE id = ?1", [&id])?;
        transaction.commit()?;
        Ok(true)
    }

    /// Stores a new enrolment link (its token's SHA-256) for a reviewer.
    pub fn create_enrolment(
        &self,
        reviewer_id: &str,
        token_sha256: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), IntakeError> {
        self.lock().execute(
            "INSERT INTO console_enrolments (token_sha256, reviewer_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_sha256, reviewer_id, now, expires_at],
        )?;
        Ok(())
    }

    /// The reviewer of an unused, unexpired enrolment link.
    pub fn enrolment_reviewer(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> Result<Option<Reviewer>, IntakeError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT r.id, r.name, r.created_at FROM console_enrolments e JOIN console_reviewers r ON r.id = e.reviewer_id \
                 WHERE e.token_sha256 = ?1 AND e.used_at IS NULL AND e.expires_at > ?2",
                params![token_sha256, now],
                |row| {
                    Ok(Reviewer {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        created_at: row.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Uses up an enrolment link and stores the passkey it registered, atomically; false if the link was
    /// used, expired or removed meanwhile.
    pub fn complete_enrolment(
        &self,
        token_sha256: &str,
        reviewer_id: &str,
        credential_id: &str,
        passkey_json: &str,
        now: i64,
    ) -> Result<bool, IntakeError> {
        let mut connection = self.lock();
        let transaction = connection.transaction()?;
        let used = transaction.execute(
            "UPDATE console_enrolments SET used_at = ?3 WHERE token_sha256 = ?1 AND reviewer_id = ?2 \
             AND used_at IS NULL AND expires_at > ?3",
            params![token_sha256, reviewer_id, now],
        )?;
        if used != 1 {
            return Ok(false);
        }
        transaction.execute(
            "INSERT INTO console_passkeys (reviewer_id, credential_id, passkey_json, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![reviewer_id, credential_id, passkey_json, now],
        )?;
        transaction.commit()?;
        Ok(true)
    }

    /// The stored passkeys (webauthn-rs JSON) of a reviewer.
    pub fn passkeys(&self, reviewer_id: &str) -> Result<Vec<String>, IntakeError> {
        self.all_rows(
            "SELECT passkey_json FROM console_passkeys WHERE reviewer_id = ?1 ORDER BY id",
            [reviewer_id],
            |row| row.get(0),
        )
    }

    /// Saves a passkey's updated counter after a sign-in.
    pub fn update_passkey(
        &self,
        credential_id: &str,
        passkey_json: &str,
        now: i64,
    ) -> Result<(), IntakeError> {
        self.lock().execute(
            "UPDATE console_passkeys SET passkey_json = ?2, last_used_at = ?3 WHERE credential_id = ?1",
            params![credential_id, passkey_json, now],
        )?;
        Ok(())
    }

    /// Stores a new signed-in session (its id's SHA-256).
    pub fn create_session(
        &self,
        id_sha256: &str,
        reviewer_id: &str,
        csrf_token: &str,
        now: i64,
        client_ip: &str,
    ) -> Result<(), IntakeError> {
        self.lock().execute(
            "INSERT INTO console_sessions (id_sha256, reviewer_id, csrf_token, created_at, last_seen_at, client_ip) \
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            params![id_sha256, reviewer_id, csrf_token, now, client_ip],
        )?;
        Ok(())
    }

    /// A stored session whose reviewer still exists.
    pub fn session(&self, id_sha256: &str) -> Result<Option<SessionRecord>, IntakeError> {
        Ok(self
            .lock()
            .query_row(
                "SELECT s.reviewer_id, r.name, s.csrf_token, s.created_at, s.last_seen_at \
                 FROM console_sessions s JOIN console_reviewers r ON r.id = s.reviewer_id WHERE s.id_sha256 = ?1",
                [id_sha256],
                |row| {
                    Ok(SessionRecord {
                        reviewer_id: row.get(0)?,
                        reviewer_name: row.get(1)?,
                        csrf_token: row.get(2)?,
                        created_at: row.get(3)?,
                        last_seen_at: row.get(4)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records activity on a session (for the idle timeout).
    pub fn touch_session(&self, id_sha256: &str, now: i64) -> Result<(), IntakeError> {
        self.lock().execute(
            "UPDATE console_sessions SET last_seen_at = ?2 WHERE id_sha256 = ?1",
            params![id_sha256, now],
        )?;
        Ok(())
    }

    /// Ends one session.
    pub fn delete_session(&self, id_sha256: &str) -> Result<(), IntakeError> {
        self.lock().execute(
            "DELETE FROM console_sessions WHERE id_sha256 = ?1",
            [id_sha256],
        )?;
        Ok(())
    }

    /// Ends every session, or every session of one reviewer; returns how many ended.
    pub fn delete_sessions(&self, reviewer_id: Option<&str>) -> Result<usize, IntakeError> {
        Ok(self.lock().execute(
            "DELETE FROM console_sessions WHERE ?1 IS NULL OR reviewer_id = ?1",
            [reviewer_id],
        )?)
    }

    /// Removes sessions idle since before `idle_before` or created before `created_before`.
    pub fn prune_sessions(&self, idle_before: i64, created_before: i64) -> Result<(), IntakeError> {
        self.lock().execute(
            "DELETE FROM console_sessions WHERE last_seen_at < ?1 OR created_at < ?2",
            params![idle_before, created_before],
        )?;
        Ok(())
    }

    /// Inbox rows: pending first, then newest first; at most `limit`.
    pub fn inbox(&self, filter: &InboxFilter, limit: u32) -> Result<Vec<InboxRow>, IntakeError> {
        let domain = filter.email_domain.as_deref().map(str::to_ascii_lowercase);
        let search = filter
            .search
            .as_deref()
            .map(|text| format!("%{}%", like_escape(text)));
        self.all_rows(
            "SELECT r.id, r.name, r.email, r.company, r.email_domain, r.document_id, r.status, r.created_at, \
             (SELECT a.detail FROM audit_events a WHERE a.request_id = r.id AND a.actor = 'rules' ORDER BY a.id LIMIT 1) \
             FROM access_requests r \
             WHERE (?1 IS NULL OR r.status = ?1) \
             AND (?2 IS NULL OR r.document_id = ?2) \
             AND (?3 IS NULL OR r.email_domain = ?3 OR r.email_domain LIKE '%.' || ?4 ESCAPE '\\') \
             AND (?5 IS NULL OR r.name LIKE ?5 ESCAPE '\\' OR r.company LIKE ?5 ESCAPE '\\' OR r.email LIKE ?5 ESCAPE '\\') \
             ORDER BY CASE r.status WHEN 'pending' THEN 0 ELSE 1 END, r.created_at DESC, r.rowid DESC LIMIT ?6",
            params![
                filter.status.map(RequestStatus::as_str),
                filter.document_id,
                domain,
                domain.as_deref().map(like_escape),
                search,
                limit
            ],
            |row| {
                let status: String = row.get(6)?;
                Ok(InboxRow {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    email: row.get(2)?,
                    company: row.get(3)?,
                    email_domain: row.get(4)?,
                    document_id: row.get(5)?,
                    status: RequestStatus::parse(&status).unwrap_or(RequestStatus::Pending),
                    created_at: row.get(7)?,
                    rule: row.get(8)?,
                })
            },
        )
    }

    /// Document ids that appear in requests (for the inbox filter), sorted.
    pub fn requested_documents(&self) -> Result<Vec<String>, IntakeError> {
        self.all_rows(
            "SELECT DISTINCT document_id FROM access_requests ORDER BY document_id",
            [],
            |row| row.get(0),
        )
    }

    /// The outbox messages of a request, oldest first.
    pub fn outbox_for(&self, request_id: &str) -> Result<Vec<OutboxEntry>, IntakeError> {
        self.all_rows(
            "SELECT channel, recipient, subject, status, attempts, last_error, created_at, delivered_at \
             FROM outbox WHERE request_id = ?1 ORDER BY id",
            [request_id],
            |row| {
                Ok(OutboxEntry {
                    channel: row.get(0)?,
                    recipient: row.get(1)?,
                    subject: row.get(2)?,
                    status: row.get(3)?,
                    attempts: row.get(4)?,
                    last_error: row.get(5)?,
                    created_at: row.get(6)?,
                    delivered_at: row.get(7)?,
                })
            },
        )
    }

    /// Audit events with `from <= at < to`, oldest first.
    pub fn audit_export(&self, from: i64, to: i64) -> Result<Vec<ExportRow>, IntakeError> {
        self.all_rows(
            "SELECT a.at, a.request_id, a.event, a.actor, a.client_ip, a.detail, r.document_id, r.company, r.email \
             FROM audit_events a JOIN access_requests r ON r.id = a.request_id \
             WHERE a.at >= ?1 AND a.at < ?2 ORDER BY a.at, a.id",
            params![from, to],
            |row| {
                Ok(ExportRow {
                    at: row.get(0)?,
                    request_id: row.get(1)?,
                    event: row.get(2)?,
                    actor: row.get(3)?,
                    client_ip: row.get(4)?,
                    detail: row.get(5)?,
                    document_id: row.get(6)?,
                    company: row.get(7)?,
                    email: row.get(8)?,
                })
            },
        )
    }

    /// The overview figures; weeks start on Monday 00:00 UTC and `weeks` of them end with `now`'s.
    pub fn overview(&self, now: i64, weeks: i64) -> Result<Overview, IntakeError> {
        const WEEK: i64 = 7 * 86_400;
        // 1970-01-01 was a Thursday: shift by four days so weeks start on Monday.
        const MONDAY_SHIFT: i64 = 4 * 86_400;
        let this_week = (now - MONDAY_SHIFT).div_euclid(WEEK) * WEEK + MONDAY_SHIFT;
        let first_week = this_week - (weeks - 1) * WEEK;
        let connection = self.lock();
        let mut per_week: Vec<(i64, i64)> =
            (0..weeks).map(|i| (first_week + i * WEEK, 0)).collect();
        {
            let mut statement = connection.prepare(
                "SELECT (created_at - ?2) / ?3, COUNT(*) FROM access_requests WHERE created_at >= ?1 GROUP BY 1",
            )?;
            let rows = statement.query_map(params![first_week, first_week, WEEK], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
            })?;
            for row in rows {
                let (index, count) = row?;
                if let Some(slot) = usize::try_from(index)
                    .ok()
                    .and_then(|i| per_week.get_mut(i))
                {
                    slot.1 = count;
                }
            }
        }
        let count = |status: &str| -> Result<i64, IntakeError> {
            Ok(connection.query_row(
                "SELECT COUNT(*) FROM access_requests WHERE status = ?1",
                [status],
                |row| row.get(0),
            )?)
        };
        let approved = count("approved")? + count("revoked")?;
        let denied = count("denied")?;
        let pending = count("pending")?;
        let mut statement = connection.prepare(
            "SELECT MIN(a.at) - r.created_at FROM audit_events a JOIN access_requests r ON r.id = a.request_id \
             WHERE a.event IN ('approved', 'denied') AND a.actor <> 'rules' GROUP BY a.request_id",
        )?;
        let decision_seconds = statement
            .query_map([], |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut statement = connection.prepare(
            "SELECT r.document_id, COUNT(*) FROM audit_events a JOIN access_requests r ON r.id = a.request_id \
             WHERE a.event = 'downloaded' GROUP BY r.document_id ORDER BY 2 DESC, 1",
        )?;
        let downloads = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Overview {
            per_week,
            approved,
            denied,
            pending,
            decision_seconds,
            downloads,
        })
    }
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The median of `values` (the mean of the middle two for an even count), or None if empty.
pub fn median(values: &[i64]) -> Option<i64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => sorted.get(n / 2).copied(),
        _ => Some((sorted.get(n / 2 - 1)? + sorted.get(n / 2)?) / 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[5, 1, 3]), Some(3));
        assert_eq!(median(&[4, 1, 3, 2]), Some(2));
    }

    #[test]
    fn like_patterns_are_literal() {
        assert_eq!(like_escape("50%_a\\"), "50\\%\\_a\\\\");
    }
}

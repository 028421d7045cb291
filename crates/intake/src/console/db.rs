//! The console's own database access on either engine: reviewers, passkeys, enrolment links and
//! sessions (migration `0002_console.sql`), plus the read-only queries behind the inbox, the timeline,
//! the overview and the audit export. Every change to a request itself goes through
//! [`crate::workflow`] and [`crate::Store`].
//!
//! The SQL is written once for SQLite and PostgreSQL ([`crate::store::portable`]). It opens its own
//! connection (SQLite: WAL lets it read while the service writes) or pool; open the store first
//! ([`Database::open_store`]) so the migrations have run.

use std::path::Path;

use crate::error::IntakeError;
use crate::store::portable::{Engine, Param, Row};
use crate::store::{Database, RequestStatus};

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
    engine: Engine,
}

fn reviewer_from(row: &Row) -> Result<Reviewer, IntakeError> {
    Ok(Reviewer {
        id: row.text(0)?,
        name: row.text(1)?,
        created_at: row.int(2)?,
    })
}

impl ConsoleDb {
    /// Opens the (already migrated) SQLite database file.
    pub fn open(path: &Path) -> Result<ConsoleDb, IntakeError> {
        ConsoleDb::open_database(&Database::Sqlite(path.to_path_buf()))
    }

    /// Opens the (already migrated) database of either engine, with its own connection(s).
    pub fn open_database(database: &Database) -> Result<ConsoleDb, IntakeError> {
        Ok(ConsoleDb {
            engine: database.open_engine()?,
        })
    }

    /// Runs one `SELECT` and turns every row into a `T` with `map`.
    fn all_rows<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        map: impl FnMut(&Row) -> Result<T, IntakeError>,
    ) -> Result<Vec<T>, IntakeError> {
        self.engine
            .with(|db| db.query(sql, params)?.iter().map(map).collect())
    }

    /// Runs one `SELECT` and maps its first row, if any.
    fn one_row<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        map: impl FnOnce(&Row) -> Result<T, IntakeError>,
    ) -> Result<Option<T>, IntakeError> {
        self.engine
            .with(|db| db.query_opt(sql, params)?.as_ref().map(map).transpose())
    }

    /// Runs one statement; returns how many rows it changed.
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<u64, IntakeError> {
        self.engine.with(|db| db.execute(sql, params))
    }

    /// Creates a reviewer; refuses a name already taken.
    pub fn add_reviewer(&self, id: &str, name: &str, now: i64) -> Result<Reviewer, IntakeError> {
        let taken = self.one_row(
            "SELECT id FROM console_reviewers WHERE name = ?1",
            &[name.into()],
            |row| row.text(0),
        )?;
        if taken.is_some() {
            return Err(IntakeError::InvalidAction(format!(
                "there is already a reviewer called {name}; use `trustctl console enrol-link {name}` for a new enrolment link"
            )));
        }
        self.execute(
            "INSERT INTO console_reviewers (id, name, created_at) VALUES (?1, ?2, ?3)",
            &[id.into(), name.into(), now.into()],
        )?;
        Ok(Reviewer {
            id: id.to_string(),
            name: name.to_string(),
            created_at: now,
        })
    }

    /// The reviewer called `name`.
    pub fn reviewer_by_name(&self, name: &str) -> Result<Option<Reviewer>, IntakeError> {
        self.one_row(
            "SELECT id, name, created_at FROM console_reviewers WHERE name = ?1",
            &[name.into()],
            reviewer_from,
        )
    }

    /// Every reviewer with passkey and session counts, by name.
    pub fn reviewers(&self) -> Result<Vec<ReviewerSummary>, IntakeError> {
        self.all_rows(
            "SELECT r.id, r.name, r.created_at, \
             (SELECT COUNT(*) FROM console_passkeys p WHERE p.reviewer_id = r.id), \
             (SELECT COUNT(*) FROM console_sessions s WHERE s.reviewer_id = r.id) \
             FROM console_reviewers r ORDER BY r.name",
            &[],
            |row| {
                Ok(ReviewerSummary {
                    reviewer: reviewer_from(row)?,
                    passkeys: row.int(3)?,
                    sessions: row.int(4)?,
                })
            },
        )
    }

    /// Deletes a reviewer with their passkeys, enrolment links and sessions (signed out at once).
    pub fn remove_reviewer(&self, name: &str) -> Result<bool, IntakeError> {
        self.engine.transaction(|db| {
            let Some(row) = db.query_opt(
                "SELECT id FROM console_reviewers WHERE name = ?1",
                &[name.into()],
            )?
            else {
                return Ok(false);
            };
            let id = row.text(0)?;
            // Explicit deletes, not only ON DELETE CASCADE: they hold even if foreign keys were off.
            db.execute(
                "DELETE FROM console_sessions WHERE reviewer_id = ?1",
                &[(&id).into()],
            )?;
            db.execute(
                "DELETE FROM console_passkeys WHERE reviewer_id = ?1",
                &[(&id).into()],
            )?;
            db.execute(
                "DELETE FROM console_enrolments WHERE reviewer_id = ?1",
                &[(&id).into()],
            )?;
            db.execute(
                "DELETE FROM console_reviewers WHERE id = ?1",
                &[(&id).into()],
            )?;
            Ok(true)
        })
    }

    /// Stores a new enrolment link (its token's SHA-256) for a reviewer.
    pub fn create_enrolment(
        &self,
        reviewer_id: &str,
        token_sha256: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<(), IntakeError> {
        self.execute(
            "INSERT INTO console_enrolments (token_sha256, reviewer_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            &[token_sha256.into(), reviewer_id.into(), now.into(), expires_at.into()],
        )?;
        Ok(())
    }

    /// The reviewer of an unused, unexpired enrolment link.
    pub fn enrolment_reviewer(
        &self,
        token_sha256: &str,
        now: i64,
    ) -> Result<Option<Reviewer>, IntakeError> {
        self.one_row(
            "SELECT r.id, r.name, r.created_at FROM console_enrolments e JOIN console_reviewers r ON r.id = e.reviewer_id \
             WHERE e.token_sha256 = ?1 AND e.used_at IS NULL AND e.expires_at > ?2",
            &[token_sha256.into(), now.into()],
            reviewer_from,
        )
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
        self.engine.transaction(|db| {
            let used = db.execute(
                "UPDATE console_enrolments SET used_at = ?3 WHERE token_sha256 = ?1 AND reviewer_id = ?2 \
                 AND used_at IS NULL AND expires_at > ?3",
                &[token_sha256.into(), reviewer_id.into(), now.into()],
            )?;
            if used != 1 {
                return Ok(false);
            }
            db.execute(
                "INSERT INTO console_passkeys (reviewer_id, credential_id, passkey_json, created_at) VALUES (?1, ?2, ?3, ?4)",
                &[reviewer_id.into(), credential_id.into(), passkey_json.into(), now.into()],
            )?;
            Ok(true)
        })
    }

    /// The stored passkeys (webauthn-rs JSON) of a reviewer.
    pub fn passkeys(&self, reviewer_id: &str) -> Result<Vec<String>, IntakeError> {
        self.all_rows(
            "SELECT passkey_json FROM console_passkeys WHERE reviewer_id = ?1 ORDER BY id",
            &[reviewer_id.into()],
            |row| row.text(0),
        )
    }

    /// Saves a passkey's updated counter after a sign-in.
    pub fn update_passkey(
        &self,
        credential_id: &str,
        passkey_json: &str,
        now: i64,
    ) -> Result<(), IntakeError> {
        self.execute(
            "UPDATE console_passkeys SET passkey_json = ?2, last_used_at = ?3 WHERE credential_id = ?1",
            &[credential_id.into(), passkey_json.into(), now.into()],
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
        self.execute(
            "INSERT INTO console_sessions (id_sha256, reviewer_id, csrf_token, created_at, last_seen_at, client_ip) \
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
            &[id_sha256.into(), reviewer_id.into(), csrf_token.into(), now.into(), client_ip.into()],
        )?;
        Ok(())
    }

    /// A stored session whose reviewer still exists.
    pub fn session(&self, id_sha256: &str) -> Result<Option<SessionRecord>, IntakeError> {
        self.one_row(
            "SELECT s.reviewer_id, r.name, s.csrf_token, s.created_at, s.last_seen_at \
             FROM console_sessions s JOIN console_reviewers r ON r.id = s.reviewer_id WHERE s.id_sha256 = ?1",
            &[id_sha256.into()],
            |row| {
                Ok(SessionRecord {
                    reviewer_id: row.text(0)?,
                    reviewer_name: row.text(1)?,
                    csrf_token: row.text(2)?,
                    created_at: row.int(3)?,
                    last_seen_at: row.int(4)?,
                })
            },
        )
    }

    /// Records activity on a session (for the idle timeout).
    pub fn touch_session(&self, id_sha256: &str, now: i64) -> Result<(), IntakeError> {
        self.execute(
            "UPDATE console_sessions SET last_seen_at = ?2 WHERE id_sha256 = ?1",
            &[id_sha256.into(), now.into()],
        )?;
        Ok(())
    }

    /// Ends one session.
    pub fn delete_session(&self, id_sha256: &str) -> Result<(), IntakeError> {
        self.execute(
            "DELETE FROM console_sessions WHERE id_sha256 = ?1",
            &[id_sha256.into()],
        )?;
        Ok(())
    }

    /// Ends every session, or every session of one reviewer; returns how many ended.
    pub fn delete_sessions(&self, reviewer_id: Option<&str>) -> Result<usize, IntakeError> {
        let ended = self.execute(
            "DELETE FROM console_sessions WHERE CAST(?1 AS TEXT) IS NULL OR reviewer_id = ?1",
            &[reviewer_id.into()],
        )?;
        Ok(usize::try_from(ended).unwrap_or(usize::MAX))
    }

    /// Removes sessions idle since before `idle_before` or created before `created_before`.
    pub fn prune_sessions(&self, idle_before: i64, created_before: i64) -> Result<(), IntakeError> {
        self.execute(
            "DELETE FROM console_sessions WHERE last_seen_at < ?1 OR created_at < ?2",
            &[idle_before.into(), created_before.into()],
        )?;
        Ok(())
    }

    /// Inbox rows: pending first, then newest first; at most `limit`.
    pub fn inbox(&self, filter: &InboxFilter, limit: u32) -> Result<Vec<InboxRow>, IntakeError> {
        let domain = filter.email_domain.as_deref().map(str::to_ascii_lowercase);
        let domain_pattern = domain.as_deref().map(like_escape);
        let search = filter
            .search
            .as_deref()
            .map(|text| format!("%{}%", like_escape(text)));
        // `rowid` is SQLite's implicit insertion order; the PostgreSQL table has a column of that name.
        // LIKE is case-insensitive for ASCII in SQLite; ILIKE does the same on PostgreSQL.
        let like = if self.engine.is_postgres() {
            "ILIKE"
        } else {
            "LIKE"
        };
        self.all_rows(
            &format!(
                "SELECT r.id, r.name, r.email, r.company, r.email_domain, r.document_id, r.status, r.created_at, \
                 (SELECT a.detail FROM audit_events a WHERE a.request_id = r.id AND a.actor = 'rules' ORDER BY a.id LIMIT 1) \
                 FROM access_requests r \
                 WHERE (CAST(?1 AS TEXT) IS NULL OR r.status = ?1) \
                 AND (CAST(?2 AS TEXT) IS NULL OR r.document_id = ?2) \
                 AND (CAST(?3 AS TEXT) IS NULL OR r.email_domain = ?3 OR r.email_domain LIKE '%.' || ?4 ESCAPE '\\') \
                 AND (CAST(?5 AS TEXT) IS NULL OR r.name {like} ?5 ESCAPE '\\' OR r.company {like} ?5 ESCAPE '\\' OR r.email {like} ?5 ESCAPE '\\') \
                 ORDER BY CASE r.status WHEN 'pending' THEN 0 ELSE 1 END, r.created_at DESC, r.rowid DESC LIMIT ?6"
            ),
            &[
                filter.status.map(RequestStatus::as_str).into(),
                filter.document_id.as_deref().into(),
                domain.as_deref().into(),
                domain_pattern.as_deref().into(),
                search.as_deref().into(),
                i64::from(limit).into(),
            ],
            |row| {
                Ok(InboxRow {
                    id: row.text(0)?,
                    name: row.text(1)?,
                    email: row.text(2)?,
                    company: row.text(3)?,
                    email_domain: row.text(4)?,
                    document_id: row.text(5)?,
                    status: RequestStatus::parse(&row.text(6)?).unwrap_or(RequestStatus::Pending),
                    created_at: row.int(7)?,
                    rule: row.opt_text(8)?,
                })
            },
        )
    }

    /// Document ids that appear in requests (for the inbox filter), sorted.
    pub fn requested_documents(&self) -> Result<Vec<String>, IntakeError> {
        self.all_rows(
            "SELECT DISTINCT document_id FROM access_requests ORDER BY document_id",
            &[],
            |row| row.text(0),
        )
    }

    /// The outbox messages of a request, oldest first.
    pub fn outbox_for(&self, request_id: &str) -> Result<Vec<OutboxEntry>, IntakeError> {
        self.all_rows(
            "SELECT channel, recipient, subject, status, attempts, last_error, created_at, delivered_at \
             FROM outbox WHERE request_id = ?1 ORDER BY id",
            &[request_id.into()],
            |row| {
                Ok(OutboxEntry {
                    channel: row.text(0)?,
                    recipient: row.text(1)?,
                    subject: row.opt_text(2)?,
                    status: row.text(3)?,
                    attempts: row.int(4)?,
                    last_error: row.opt_text(5)?,
                    created_at: row.int(6)?,
                    delivered_at: row.opt_int(7)?,
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
            &[from.into(), to.into()],
            |row| {
                Ok(ExportRow {
                    at: row.int(0)?,
                    request_id: row.text(1)?,
                    event: row.text(2)?,
                    actor: row.text(3)?,
                    client_ip: row.opt_text(4)?,
                    detail: row.opt_text(5)?,
                    document_id: row.text(6)?,
                    company: row.text(7)?,
                    email: row.text(8)?,
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
        self.engine.with(|db| {
            let mut per_week: Vec<(i64, i64)> =
                (0..weeks).map(|i| (first_week + i * WEEK, 0)).collect();
            let rows = db.query(
                "SELECT (created_at - ?2) / ?3, COUNT(*) FROM access_requests WHERE created_at >= ?1 \
                 GROUP BY (created_at - ?2) / ?3",
                &[first_week.into(), first_week.into(), WEEK.into()],
            )?;
            for row in rows {
                let (index, count) = (row.int(0)?, row.int(1)?);
                if let Some(slot) = usize::try_from(index)
                    .ok()
                    .and_then(|i| per_week.get_mut(i))
                {
                    slot.1 = count;
                }
            }
            let mut count = |status: &str| -> Result<i64, IntakeError> {
                db.query_opt(
                    "SELECT COUNT(*) FROM access_requests WHERE status = ?1",
                    &[status.into()],
                )?
                .map_or(Ok(0), |row| row.int(0))
            };
            let approved = count("approved")? + count("revoked")?;
            let denied = count("denied")?;
            let pending = count("pending")?;
            let decision_seconds = db
                .query(
                    "SELECT MIN(a.at) - r.created_at FROM audit_events a JOIN access_requests r ON r.id = a.request_id \
                     WHERE a.event IN ('approved', 'denied') AND a.actor <> 'rules' GROUP BY r.id, r.created_at",
                    &[],
                )?
                .iter()
                .map(|row| row.int(0))
                .collect::<Result<Vec<_>, _>>()?;
            let downloads = db
                .query(
                    "SELECT r.document_id, COUNT(*) FROM audit_events a JOIN access_requests r ON r.id = a.request_id \
                     WHERE a.event = 'downloaded' GROUP BY r.document_id ORDER BY 2 DESC, 1",
                    &[],
                )?
                .iter()
                .map(|row| Ok((row.text(0)?, row.int(1)?)))
                .collect::<Result<Vec<_>, IntakeError>>()?;
            Ok(Overview {
                per_week,
                approved,
                denied,
                pending,
                decision_seconds,
                downloads,
            })
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

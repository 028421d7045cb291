//! `GET /export`: the audit trail between two dates (UTC, both included) as CSV or JSON, for auditors.
//! CSV cells that a spreadsheet would run as a formula are neutralised with a leading apostrophe.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::db::ExportRow;
use super::respond::ConsoleError;
use super::session::SignedIn;
use super::{blocking, ConsoleState};
use crate::clock::{format_utc, now_secs};
use crate::neutralise::csv_record;

const DAY: i64 = 86_400;

/// The export form's fields.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    pub format: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// `GET /export?format=csv|json&from=YYYY-MM-DD&to=YYYY-MM-DD` (empty `from`: the beginning; empty
/// `to`: today).
pub async fn download(
    State(state): State<Arc<ConsoleState>>,
    reviewer: SignedIn,
    Query(query): Query<ExportQuery>,
) -> Result<Response, ConsoleError> {
    let from = match query.from.trim() {
        "" => 0,
        text => parse_date(text).ok_or_else(|| bad_date("from", text))?,
    };
    let to_day = match query.to.trim() {
        "" => now_secs().div_euclid(DAY) * DAY,
        text => parse_date(text).ok_or_else(|| bad_date("to", text))?,
    };
    if to_day < from {
        return Err(ConsoleError::BadRequest(
            "The end date is before the start date.".into(),
        ));
    }
    let csv = match query.format.as_str() {
        "" | "csv" => true,
        "json" => false,
        other => {
            return Err(ConsoleError::BadRequest(format!(
                "Unknown export format \"{other}\": choose csv or json."
            )))
        }
    };
    let db = state.db.clone();
    let rows = blocking(move || db.audit_export(from, to_day + DAY)).await?;
    crate::redact::log(&format!(
        "console: reviewer {} exported {} audit events",
        reviewer.name,
        rows.len()
    ));
    let stem = format!("audit-{}-{}", utc_date(from), utc_date(to_day));
    let (body, content_type, extension) = if csv {
        (to_csv(&rows), "text/csv; charset=utf-8", "csv")
    } else {
        (to_json(&rows)?, "application/json", "json")
    };
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition)
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response())
}

/// `YYYY-MM-DD` (UTC) of Unix seconds.
pub fn utc_date(secs: i64) -> String {
    let stamp = format_utc(secs);
    stamp.split('T').next().unwrap_or_default().to_string()
}

fn bad_date(field: &str, text: &str) -> ConsoleError {
    ConsoleError::BadRequest(format!(
        "The {field} date \"{text}\" is not a date like 2026-01-31."
    ))
}

/// `YYYY-MM-DD` → Unix seconds at 00:00 UTC.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if text.len() != 10 || !(1970..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max_day = *month_days.get(usize::try_from(month - 1).ok()?)?;
    if !(1..=max_day).contains(&day) {
        return None;
    }
    // Days from civil (H. Hinnant), the inverse of clock::format_utc's calendar.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * DAY)
}

/// The rows as CSV with a header line (CRLF line ends). Every cell goes through
/// [`crate::neutralise::csv_field`], so a spreadsheet shows what a requester typed as text.
pub fn to_csv(rows: &[ExportRow]) -> String {
    let mut out = csv_record([
        "time_utc",
        "request_id",
        "event",
        "actor",
        "client_ip",
        "detail",
        "document_id",
        "company",
        "email",
    ]);
    for row in rows {
        let at = format_utc(row.at);
        let fields = [
            at.as_str(),
            row.request_id.as_str(),
            row.event.as_str(),
            row.actor.as_str(),
            row.client_ip.as_deref().unwrap_or(""),
            row.detail.as_deref().unwrap_or(""),
            row.document_id.as_str(),
            row.company.as_str(),
            row.email.as_str(),
        ];
        out.push_str(&csv_record(fields));
    }
    out
}

/// The rows as a JSON array; times as RFC 3339 UTC.
fn to_json(rows: &[ExportRow]) -> Result<String, ConsoleError> {
    let values: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "time_utc": format_utc(row.at),
                "request_id": row.request_id,
                "event": row.event,
                "actor": row.actor,
                "client_ip": row.client_ip,
                "detail": row.detail,
                "document_id": row.document_id,
                "company": row.company,
                "email": row.email,
            })
        })
        .collect();
    serde_json::to_string_pretty(&values)
        .map_err(|e| ConsoleError::internal(&format!("cannot render the export: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_with_the_clock() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2000-02-29"), Some(951_782_400));
        assert_eq!(
            format_utc(parse_date("2026-11-28").unwrap()),
            "2026-11-28T00:00:00Z"
        );
        assert_eq!(parse_date("2026-02-29"), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-1-1"), None);
    }

    #[test]
    fn formula_cells_are_neutralised_and_quotes_doubled() {
        let row = ExportRow {
            at: 0,
            request_id: "req_1".into(),
            event: "submitted".into(),
            actor: "requester".into(),
            client_ip: None,
            detail: None,
            document_id: "soc2".into(),
            company: "=cmd|' /C calc'!A0".into(),
            email: "a@b.example".into(),
        };
        let csv = to_csv(&[row]);
        assert!(csv.contains(",'=cmd|' /C calc'!A0,"), "{csv}");
    }
}

//! `trustctl requests trace FILE`: which request a (leaked) copy was downloaded under.
//!
//! Three kinds of evidence, read in this order and all reported:
//! 1. the request id in the PDF's information dictionary ([`super::metadata`]);
//! 2. the request id in the stamp text on the pages (survives a metadata scrub);
//! 3. the file's SHA-256 against the `sha256 …` recorded with every download in the audit trail (an
//!    exact copy; works for unstamped documents too).
//!
//! A request id is only believed when this database knows it; a file that names none, or an unknown one,
//! and whose hash matches no download, is reported as "cannot tell".

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::Object;

use super::{metadata, sha256_hex, stamp};
use crate::clock::format_utc;
use crate::error::IntakeError;
use crate::http::access::is_request_id;
use crate::store::{AccessRequest, AuditEvent, Store};

/// How many requests the hash search looks through (all of them for any realistic trust center).
const HASH_SEARCH_LIMIT: u32 = 1_000_000;

/// Everything found about a file.
#[derive(Debug, Clone)]
pub struct TraceReport {
    pub sha256: String,
    /// The request id in the metadata, if any.
    pub metadata_id: Option<String>,
    /// Request ids found in page text, with the number of pages naming each.
    pub stamp_ids: BTreeMap<String, usize>,
    pub page_count: usize,
    /// The download whose recorded SHA-256 equals the file's.
    pub hash_match: Option<AuditEvent>,
    /// The request the evidence points to, when this database has it.
    pub request: Option<AccessRequest>,
    /// That request's downloads.
    pub downloads: Vec<AuditEvent>,
}

impl TraceReport {
    /// True when the file was traced to a known request.
    pub fn traced(&self) -> bool {
        self.request.is_some()
    }
}

/// Examines `bytes` against the audit trail in `store`.
pub fn trace(bytes: &[u8], store: &dyn Store) -> Result<TraceReport, IntakeError> {
    let sha256 = sha256_hex(bytes);
    let mut metadata_id = None;
    let mut stamp_ids = BTreeMap::new();
    let mut page_count = 0;
    if let Ok(document) = stamp::load(bytes) {
        metadata_id = metadata::read(&document)
            .map(|m| m.request_id)
            .filter(|id| is_request_id(id));
        let pages = document.get_pages();
        page_count = pages.len();
        for page in pages.into_values() {
            let Ok(content) = document.get_page_content(page) else {
                continue;
            };
            let mut on_page: Vec<String> = Vec::new();
            for id in request_ids_in(&page_text(&content)) {
                if !on_page.contains(&id) {
                    on_page.push(id);
                }
            }
            for id in on_page {
                *stamp_ids.entry(id).or_insert(0) += 1;
            }
        }
    }

    let hash_match = find_download_with_hash(store, &sha256)?;
    let mut candidates: Vec<String> = Vec::new();
    if let Some(event) = &hash_match {
        candidates.push(event.request_id.clone());
    }
    candidates.extend(metadata_id.iter().cloned());
    let mut by_pages: Vec<(&String, &usize)> = stamp_ids.iter().collect();
    by_pages.sort_by(|a, b| b.1.cmp(a.1));
    candidates.extend(by_pages.into_iter().map(|(id, _)| id.clone()));

    let mut request = None;
    for id in &candidates {
        if let Some(found) = store.get_request(id)? {
            request = Some(found);
            break;
        }
    }
    let downloads = match &request {
        Some(r) => store
            .audit_trail(&r.id)?
            .into_iter()
            .filter(|e| e.event == "downloaded")
            .collect(),
        None => Vec::new(),
    };
    Ok(TraceReport {
        sha256,
        metadata_id,
        stamp_ids,
        page_count,
        hash_match,
        request,
        downloads,
    })
}

/// The text shown by a page's string operands (`Tj`, `TJ`, `'`, `"`), bytes read as Latin-1.
fn page_text(content: &[u8]) -> String {
    let Ok(content) = Content::decode(content) else {
        return String::from_utf8_lossy(content).into_owned();
    };
    let mut text = String::new();
    let mut push = |object: &Object| {
        if let Object::String(bytes, _) = object {
            text.extend(bytes.iter().map(|b| char::from(*b)));
            text.push(' ');
        }
    };
    for operation in &content.operations {
        if matches!(operation.operator.as_str(), "Tj" | "'" | "\"" | "TJ") {
            for operand in &operation.operands {
                match operand {
                    Object::Array(items) => items.iter().for_each(&mut push),
                    other => push(other),
                }
            }
        }
    }
    text
}

/// Every `req_` + 32 lowercase hex characters in `text`.
fn request_ids_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("req_") {
        let candidate: String = rest[at..].chars().take(36).collect();
        if is_request_id(&candidate) {
            found.push(candidate);
        }
        rest = &rest[at + 4..];
    }
    found
}

fn find_download_with_hash(
    store: &dyn Store,
    sha256: &str,
) -> Result<Option<AuditEvent>, IntakeError> {
    let needle = format!("sha256 {sha256}");
    for request in store.list_requests(None, HASH_SEARCH_LIMIT)? {
        let found = store.audit_trail(&request.id)?.into_iter().find(|e| {
            e.event == "downloaded" && e.detail.as_deref().is_some_and(|d| d.contains(&needle))
        });
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// `trustctl requests trace FILE`: prints the report; exit status 0 when traced, 1 when it cannot tell.
pub fn run(
    store: &dyn Store,
    file: &std::path::Path,
    out: &mut dyn std::io::Write,
) -> Result<std::process::ExitCode, IntakeError> {
    let bytes = std::fs::read(file)
        .map_err(|e| IntakeError::Io(format!("cannot read {}: {e}", file.display())))?;
    let report = trace(&bytes, store)?;
    out.write_all(render(&report, &file.display().to_string()).as_bytes())
        .map_err(|e| IntakeError::Io(format!("cannot write output: {e}")))?;
    Ok(if report.traced() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    })
}

/// The human-readable report printed by `trustctl requests trace`.
pub fn render(report: &TraceReport, file_label: &str) -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(format!("File         {}", inert(file_label)));
    line(format!("SHA-256      {}", report.sha256));
    match &report.request {
        Some(r) => {
            line(format!("Traced to    {}", r.id));
            line(format!(
                "Recipient    {} <{}>, {}",
                r.name, r.email, r.company
            ));
            line(format!(
                "Document     {} (NDA {})",
                r.document_id, r.nda_version
            ));
        }
        None => {
            line("Result       CANNOT TELL: not ours, or not traceable.".to_string());
        }
    }
    line("Evidence:".to_string());
    match &report.metadata_id {
        Some(id) => line(format!("  metadata     names {id}")),
        None => line("  metadata     no request id".to_string()),
    }
    if report.stamp_ids.is_empty() {
        line(format!(
            "  stamp text   no request id on any of {} page(s)",
            report.page_count
        ));
    }
    for (id, pages) in &report.stamp_ids {
        line(format!(
            "  stamp text   names {id} on {pages} of {} page(s)",
            report.page_count
        ));
    }
    match &report.hash_match {
        Some(event) => line(format!(
            "  SHA-256      identical to the copy downloaded under {} at {}",
            event.request_id,
            format_utc(event.at)
        )),
        None => line(
            "  SHA-256      matches no recorded download (the copy was changed or re-saved after download, or is not ours)"
                .to_string(),
        ),
    }
    let named: Vec<&String> = report
        .metadata_id
        .iter()
        .chain(report.stamp_ids.keys())
        .collect();
    if let Some(first) = named.first() {
        if named.iter().any(|id| id != first) {
            line(
                "WARNING      the file names more than one request: it was edited or combined"
                    .to_string(),
            );
        }
    }
    if report.request.is_none() && !named.is_empty() {
        line(
            "             the request it names is not in this database (another installation, or a forged stamp)"
                .to_string(),
        );
    }
    if report.request.is_some() {
        if report.downloads.is_empty() {
            line("Downloads    none recorded for this request".to_string());
        }
        for event in &report.downloads {
            let exact = report
                .hash_match
                .as_ref()
                .is_some_and(|m| m.at == event.at && m.detail == event.detail);
            line(format!(
                "Downloaded   {} from {}{}",
                format_utc(event.at),
                inert(event.client_ip.as_deref().unwrap_or("-")),
                if exact { "  <- this copy" } else { "" }
            ));
        }
    }
    out
}

/// Text safe to print on a terminal: control characters (escape sequences) and bidirectional overrides
/// become `?`.
fn inert(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_text_cannot_drive_the_terminal() {
        assert_eq!(inert("a\u{1b}[31mb\u{202e}c"), "a?[31mb?c");
    }

    #[test]
    fn request_ids_are_found_only_when_well_formed() {
        let id = "req_0123456789abcdef0123456789abcdef";
        assert_eq!(request_ids_in(&format!("x {id}. y")), vec![id.to_string()]);
        assert!(request_ids_in("req_0123 req_XYZ").is_empty());
    }
}

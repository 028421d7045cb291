//! Validation of a manifest's content: safe links, required-when rules, identifiers, hashes and
//! date order. Every problem names the JSON path of the field it is about.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::ids::is_document_id;
use crate::model::{
    ChangeCategory, DocumentAccess, IsoStatus, Manifest, Soc2ReportKind, Soc2Status,
    TrustServicesCriterion, SCHEMA_VERSION,
};

/// How strict validation is about links.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidationOptions {
    /// Development mode: also accept `http://127.0.0.1`, `http://localhost` and `http://[::1]`
    /// (any port). Off by default; never use it for a published manifest.
    pub allow_loopback_http: bool,
}

/// One thing wrong with a manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// JSON path of the field, e.g. `soc2.report.auditor` or `documents[2].url`.
    pub path: String,
    /// What is wrong, in plain language.
    pub message: String,
}

/// Checks everything that the JSON types alone cannot express. An empty list means the manifest
/// is valid. Problems come in document order.
pub fn validate(manifest: &Manifest, options: &ValidationOptions) -> Vec<Problem> {
    let mut check = Checker {
        problems: Vec::new(),
        dev: options.allow_loopback_http,
    };
    check.manifest(manifest);
    check.problems
}

/// Whether `url` may be used as a link target: `https:` with a host, `mailto:` with an address,
/// or (only when `allow_loopback_http`) `http:` to `127.0.0.1`, `localhost` or `[::1]`.
///
/// Anything else is refused, including `javascript:`, `data:`, plain `http:`, relative links,
/// links with a user name before the host (`https://user@host`), and any whitespace or control
/// character. The widget calls this for every `href` it renders.
pub fn is_safe_link(url: &str, allow_loopback_http: bool) -> bool {
    if url.is_empty()
        || url
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'))
    {
        return false;
    }
    if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
        let host = host_of(rest);
        return host.is_some_and(|host| !host.is_empty());
    }
    if let Some(address) = strip_prefix_ignore_case(url, "mailto:") {
        let (address, _query) = split_at_first(address, b"?");
        return match split_at_first(address, b"@") {
            (local, Some(domain)) => !local.is_empty() && !domain.is_empty(),
            (_, None) => false,
        };
    }
    if allow_loopback_http {
        if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
            return host_of(rest).is_some_and(|host| {
                host == "127.0.0.1" || host == "[::1]" || host.eq_ignore_ascii_case("localhost")
            });
        }
    }
    false
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// `text` before the first of the ASCII `separators`, and after it if there is one. Searched
/// byte by byte (an ASCII byte never occurs inside another character's UTF-8), without the
/// library's generic `char` pattern searchers.
fn split_at_first<'t>(text: &'t str, separators: &[u8]) -> (&'t str, Option<&'t str>) {
    for (at, byte) in text.bytes().enumerate() {
        if separators.contains(&byte) {
            return (&text[..at], Some(&text[at + 1..]));
        }
    }
    (text, None)
}

/// The host of `authority[/path…]`, without the port; `None` when the authority holds a user
/// name (`@`) or a port that is not a number.
fn host_of(after_scheme: &str) -> Option<&str> {
    let (authority, _path) = split_at_first(after_scheme, b"/?#");
    if authority.as_bytes().contains(&b'@') {
        return None;
    }
    let (host, port) = if authority.starts_with('[') {
        let (inside, after) = split_at_first(authority, b"]");
        let after = after?;
        // The host keeps its brackets: `[::1]`.
        (&authority[..=inside.len()], after)
    } else {
        match split_at_first(authority, b":") {
            (host, Some(_)) => (host, &authority[host.len()..]),
            (host, None) => (host, ""),
        }
    };
    match port.strip_prefix(':') {
        None if port.is_empty() => Some(host),
        Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some(host)
        }
        _ => None,
    }
}

/// Whether `id` is 1 to 64 characters of letters, digits, `.`, `_` and `-`: the rule for FAQ
/// ids, which only ever become `#faq-<id>` anchors. Document ids follow the stricter shared rule,
/// [`crate::ids::is_document_id`].
pub fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// Whether `text` is a SHA-256 written as 64 lowercase hexadecimal characters.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The longest change summary accepted, in characters: a summary is a line in a list, a feed
/// entry's title and an e-mail subject line's neighbour, not an article.
pub const MAX_CHANGE_SUMMARY_CHARS: usize = 500;

/// The longest notice period accepted, in days (a larger number is almost surely a typo).
pub const MAX_NOTICE_DAYS: u32 = 365;

struct Checker {
    problems: Vec<Problem>,
    dev: bool,
}

impl Checker {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn required_text(&mut self, path: &str, value: &str, what: &str) {
        if value.trim().is_empty() {
            self.problem(path, format!("{what} must not be empty."));
        }
    }

    fn https(&mut self, path: &str, url: &str) {
        if !is_safe_link(url, self.dev) || is_mailto(url) {
            let allowed = if self.dev {
                "an https:// address (or, in development mode, http://127.0.0.1 or http://localhost)"
            } else {
                "an https:// address"
            };
            self.problem(
                path,
                format!("\"{url}\" is not allowed here: use {allowed}."),
            );
        }
    }

    fn optional_https(&mut self, path: &str, url: Option<&str>) {
        if let Some(url) = url {
            self.https(path, url);
        }
    }

    fn document_ref(&mut self, path: &str, id: Option<&str>, ids: &BTreeSet<&str>) {
        if let Some(id) = id {
            if !ids.contains(id) {
                self.problem(
                    path,
                    format!("There is no document with the id \"{id}\" in documents."),
                );
            }
        }
    }

    fn manifest(&mut self, m: &Manifest) {
        if m.schema_version != SCHEMA_VERSION {
            self.problem(
                "schema_version",
                format!(
                    "The format version is {}, but only version {SCHEMA_VERSION} is supported.",
                    m.schema_version
                ),
            );
        }
        if m.issued_at > m.expires_at {
            self.problem(
                "expires_at",
                format!(
                    "The manifest expires ({}) before it is issued ({}).",
                    m.expires_at, m.issued_at
                ),
            );
        }

        let org = &m.organization;
        self.required_text("organization.name", &org.name, "The organisation name");
        self.https("organization.website", &org.website);
        self.optional_https("organization.logo_url", org.logo_url.as_deref());
        // A mailto: contact or an https: page (loopback http in development mode).
        if !is_safe_link(
            &org.security_contact,
            self.dev && !is_mailto(&org.security_contact),
        ) {
            self.problem(
                "organization.security_contact",
                format!(
                    "\"{}\" is not a usable security contact: use a mailto: address or an https:// page.",
                    org.security_contact
                ),
            );
        }
        self.optional_https(
            "organization.security_txt_url",
            org.security_txt_url.as_deref(),
        );

        let ids = self.documents(m);
        self.soc2(m, &ids);
        self.iso(m, &ids);
        self.subprocessors(m);
        self.faq(m);
        self.access_requests(m);
        for (i, text) in m.not_claimed.iter().enumerate() {
            self.required_text(&format!("not_claimed[{i}]"), text, "This statement");
        }
        self.changes(m);
        self.updates(m);
    }

    fn changes(&mut self, m: &Manifest) {
        let mut seen = BTreeSet::new();
        for (i, entry) in m.changes.iter().enumerate() {
            let path = format!("changes[{i}]");
            if !is_document_id(&entry.id) {
                self.problem(
                    format!("{path}.id"),
                    format!(
                        "The change id \"{}\" must be 1 to 64 letters, digits, dots, dashes or underscores, start with a letter or digit and not contain \"..\".",
                        entry.id
                    ),
                );
            }
            if !seen.insert(entry.id.as_str()) {
                self.problem(
                    format!("{path}.id"),
                    format!("The change id \"{}\" is used more than once.", entry.id),
                );
            }
            if entry.version == 0 || entry.version > m.version {
                self.problem(
                    format!("{path}.version"),
                    format!(
                        "The change names version {}, but it must be from 1 to this manifest's version ({}).",
                        entry.version, m.version
                    ),
                );
            }
            if entry.date > m.issued_at {
                self.problem(
                    format!("{path}.date"),
                    format!(
                        "The change is dated {}, after this manifest was issued ({}).",
                        entry.date, m.issued_at
                    ),
                );
            }
            self.required_text(&format!("{path}.summary"), &entry.summary, "The summary");
            if entry.summary.chars().count() > MAX_CHANGE_SUMMARY_CHARS {
                self.problem(
                    format!("{path}.summary"),
                    format!(
                        "The summary is longer than {MAX_CHANGE_SUMMARY_CHARS} characters; keep it short and link to details elsewhere."
                    ),
                );
            }
            if let Some(effective) = entry.effective_date {
                if entry.category != ChangeCategory::Subprocessors && effective < entry.date {
                    // Subprocessor removals may take effect before they are announced; for
                    // additions the notice period is `trustctl lint`'s warning.
                    self.problem(
                        format!("{path}.effective_date"),
                        format!(
                            "The change takes effect ({effective}) before it is announced ({}).",
                            entry.date
                        ),
                    );
                }
            }
        }
    }

    fn updates(&mut self, m: &Manifest) {
        let Some(updates) = &m.updates else { return };
        self.optional_https("updates.subscribe_url", updates.subscribe_url.as_deref());
        self.optional_https("updates.feed_url", updates.feed_url.as_deref());
        if let Some(days) = updates.subprocessor_notice_days {
            if days > MAX_NOTICE_DAYS {
                self.problem(
                    "updates.subprocessor_notice_days",
                    format!("A notice period of {days} days is more than {MAX_NOTICE_DAYS}; give it in days."),
                );
            }
        }
    }

    fn documents<'m>(&mut self, m: &'m Manifest) -> BTreeSet<&'m str> {
        let mut ids = BTreeSet::new();
        for (i, doc) in m.documents.iter().enumerate() {
            let path = format!("documents[{i}]");
            if !is_document_id(&doc.id) {
                self.problem(
                    format!("{path}.id"),
                    format!(
                        "The document id \"{}\" must be 1 to 64 letters, digits, dots, dashes or underscores, start with a letter or digit and not contain \"..\".",
                        doc.id
                    ),
                );
            }
            if !ids.insert(doc.id.as_str()) {
                self.problem(
                    format!("{path}.id"),
                    format!("The document id \"{}\" is used more than once.", doc.id),
                );
            }
            self.required_text(&format!("{path}.title"), &doc.title, "The document title");
            match (doc.access, doc.url.as_deref()) {
                (DocumentAccess::Public, Some(url)) => self.https(&format!("{path}.url"), url),
                (DocumentAccess::Public, None) => self.problem(
                    format!("{path}.url"),
                    "A public document needs a download address (url).",
                ),
                (DocumentAccess::Nda, Some(_)) => self.problem(
                    format!("{path}.url"),
                    "A document shared under NDA must not have a public url; it is released through access requests.",
                ),
                (DocumentAccess::Nda, None) => {}
            }
            if let Some(hash) = doc.sha256.as_deref() {
                if !is_sha256_hex(hash) {
                    self.problem(
                        format!("{path}.sha256"),
                        "The SHA-256 must be 64 lowercase hexadecimal characters.",
                    );
                }
            }
        }
        ids
    }

    fn soc2(&mut self, m: &Manifest, ids: &BTreeSet<&str>) {
        let Some(soc2) = &m.soc2 else { return };
        if soc2.status == Soc2Status::ReportAvailable && soc2.report.is_none() {
            self.problem(
                "soc2.report",
                "The SOC 2 status says a report is available, but the report details are missing.",
            );
        }
        if let Some(report) = &soc2.report {
            if !report.criteria.contains(&TrustServicesCriterion::Security) {
                self.problem(
                    "soc2.report.criteria",
                    "Security is part of every SOC 2 report and must be listed in the criteria.",
                );
            }
            let distinct: BTreeSet<_> = report.criteria.iter().collect();
            if distinct.len() != report.criteria.len() {
                self.problem(
                    "soc2.report.criteria",
                    "A criterion is listed more than once.",
                );
            }
            self.required_text(
                "soc2.report.auditor",
                &report.auditor,
                "The CPA firm that issued the report",
            );
            if let Soc2ReportKind::Type2 {
                period_start,
                period_end,
            } = report.kind
            {
                if period_start > period_end {
                    self.problem(
                        "soc2.report.period_end",
                        format!(
                            "The observation period ends ({period_end}) before it starts ({period_start})."
                        ),
                    );
                }
            }
            let coverage_end = report.kind.coverage_end();
            if report.report_date < coverage_end {
                self.problem(
                    "soc2.report.report_date",
                    format!(
                        "The report is dated {} — before the date it reports on ({coverage_end}).",
                        report.report_date
                    ),
                );
            }
        }
        if let Some(bridge) = &soc2.bridge_letter {
            if soc2.report.is_none() {
                self.problem(
                    "soc2.bridge_letter",
                    "A bridge letter extends a report, but no SOC 2 report is given.",
                );
            }
            if let Some(report) = &soc2.report {
                if bridge.covers_through <= report.kind.coverage_end() {
                    self.problem(
                        "soc2.bridge_letter.covers_through",
                        format!(
                            "The bridge letter covers through {}, which is not after the end of the report's period ({}).",
                            bridge.covers_through,
                            report.kind.coverage_end()
                        ),
                    );
                }
            }
            self.document_ref(
                "soc2.bridge_letter.document_id",
                bridge.document_id.as_deref(),
                ids,
            );
        }
        self.optional_https("soc2.soc3_url", soc2.soc3_url.as_deref());
        self.document_ref(
            "soc2.report_document_id",
            soc2.report_document_id.as_deref(),
            ids,
        );
    }

    fn iso(&mut self, m: &Manifest, ids: &BTreeSet<&str>) {
        let Some(iso) = &m.iso27001 else { return };
        let needs_certificate = matches!(
            iso.status,
            IsoStatus::Active | IsoStatus::Suspended | IsoStatus::Withdrawn
        );
        if needs_certificate && iso.certificate.is_none() {
            self.problem(
                "iso27001.certificate",
                "The ISO/IEC 27001 status refers to a certificate, but the certificate details are missing.",
            );
        }
        let Some(cert) = &iso.certificate else { return };
        let p = "iso27001.certificate";
        self.required_text(
            &format!("{p}.number"),
            &cert.number,
            "The certificate number",
        );
        self.required_text(
            &format!("{p}.certified_entity"),
            &cert.certified_entity,
            "The certified entity",
        );
        self.required_text(&format!("{p}.scope"), &cert.scope, "The certificate scope");
        self.required_text(
            &format!("{p}.certification_body"),
            &cert.certification_body,
            "The certification body",
        );
        if cert.accredited
            && cert
                .accreditation_body
                .as_deref()
                .is_none_or(|body| body.trim().is_empty())
        {
            self.problem(
                format!("{p}.accreditation_body"),
                "An accredited certificate must name its accreditation body (for example UKAS or ANAB).",
            );
        }
        if cert.original_issue_date > cert.issue_date {
            self.problem(
                format!("{p}.original_issue_date"),
                format!(
                    "The original issue date ({}) is after the current issue date ({}).",
                    cert.original_issue_date, cert.issue_date
                ),
            );
        }
        if cert.issue_date > cert.expiry_date {
            self.problem(
                format!("{p}.expiry_date"),
                format!(
                    "The certificate expires ({}) before it was issued ({}).",
                    cert.expiry_date, cert.issue_date
                ),
            );
        }
        self.optional_https(&format!("{p}.registry_url"), cert.registry_url.as_deref());
        self.document_ref(
            &format!("{p}.certificate_document_id"),
            cert.certificate_document_id.as_deref(),
            ids,
        );
    }

    fn subprocessors(&mut self, m: &Manifest) {
        for (i, sub) in m.subprocessors.iter().enumerate() {
            let path = format!("subprocessors[{i}]");
            self.required_text(&format!("{path}.name"), &sub.name, "The subprocessor name");
            self.required_text(
                &format!("{path}.purpose"),
                &sub.purpose,
                "The subprocessor's purpose",
            );
            self.optional_https(&format!("{path}.url"), sub.url.as_deref());
        }
    }

    fn faq(&mut self, m: &Manifest) {
        let mut seen = BTreeSet::new();
        for (i, entry) in m.faq.iter().enumerate() {
            let path = format!("faq[{i}]");
            if !is_valid_id(&entry.id) {
                self.problem(
                    format!("{path}.id"),
                    format!(
                        "The question id \"{}\" must be 1 to 64 letters, digits, dots, dashes or underscores.",
                        entry.id
                    ),
                );
            }
            if !seen.insert(entry.id.as_str()) {
                self.problem(
                    format!("{path}.id"),
                    format!("The question id \"{}\" is used more than once.", entry.id),
                );
            }
            self.required_text(&format!("{path}.question"), &entry.question, "The question");
            self.required_text(&format!("{path}.answer"), &entry.answer, "The answer");
        }
    }

    fn access_requests(&mut self, m: &Manifest) {
        let has_nda_document = m
            .documents
            .iter()
            .any(|doc| doc.access == DocumentAccess::Nda);
        let Some(settings) = &m.access_requests else {
            if has_nda_document {
                self.problem(
                    "access_requests",
                    "Some documents are shared under NDA, but there is no access request setup (intake_url and nda) for visitors to ask for them.",
                );
            }
            return;
        };
        self.https("access_requests.intake_url", &settings.intake_url);
        let nda = &settings.nda;
        self.required_text(
            "access_requests.nda.version",
            &nda.version,
            "The NDA version",
        );
        let has_text = nda.text.as_deref().is_some_and(|t| !t.trim().is_empty());
        if !has_text && nda.text_url.is_none() {
            self.problem(
                "access_requests.nda",
                "The NDA needs either its text or a text_url where visitors can read it.",
            );
        }
        self.optional_https("access_requests.nda.text_url", nda.text_url.as_deref());
        if !is_sha256_hex(&nda.sha256) {
            self.problem(
                "access_requests.nda.sha256",
                "The SHA-256 must be 64 lowercase hexadecimal characters.",
            );
        }
    }
}

fn is_mailto(url: &str) -> bool {
    strip_prefix_ignore_case(url, "mailto:").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous `is_safe_link`, on the library's `char` pattern searches: the reference for
    /// the byte searching version.
    fn is_safe_link_reference(url: &str, allow_loopback_http: bool) -> bool {
        fn host_of(after_scheme: &str) -> Option<&str> {
            let end = after_scheme
                .find(['/', '?', '#'])
                .unwrap_or(after_scheme.len());
            let authority = &after_scheme[..end];
            if authority.contains('@') {
                return None;
            }
            let (host, port) = if authority.starts_with('[') {
                let close = authority.find(']')?;
                (&authority[..=close], &authority[close + 1..])
            } else {
                match authority.find(':') {
                    Some(colon) => (&authority[..colon], &authority[colon..]),
                    None => (authority, ""),
                }
            };
            match port.strip_prefix(':') {
                None if port.is_empty() => Some(host),
                Some(digits)
                    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    Some(host)
                }
                _ => None,
            }
        }
        if url.is_empty()
            || url
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'))
        {
            return false;
        }
        if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
            let host = host_of(rest);
            return host.is_some_and(|host| !host.is_empty());
        }
        if let Some(address) = strip_prefix_ignore_case(url, "mailto:") {
            let address = address.split('?').next().unwrap_or_default();
            return match address.split_once('@') {
                Some((local, domain)) => !local.is_empty() && !domain.is_empty(),
                None => false,
            };
        }
        if allow_loopback_http {
            if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
                return host_of(rest).is_some_and(|host| {
                    host == "127.0.0.1" || host == "[::1]" || host.eq_ignore_ascii_case("localhost")
                });
            }
        }
        false
    }

    #[test]
    fn safe_links_match_the_reference_on_every_short_link() {
        // Every string of up to 4 pieces after each scheme, over pieces that reach each rule:
        // the separators, brackets, port digits, loopback hosts and a non-ASCII character.
        const PIECES: [&str; 14] = [
            "a",
            "@",
            ":",
            "[",
            "]",
            "8",
            "/",
            "?",
            "#",
            "é",
            "::1",
            "127.0.0.1",
            "localhost",
            "",
        ];
        const SCHEMES: [&str; 7] = [
            "https://", "HTTPS://", "http://", "HtTp://", "mailto:", "MAILTO:", "ftp://",
        ];
        let mut tails = vec![String::new()];
        let mut checked = 0;
        for _ in 0..4 {
            let mut longer = Vec::new();
            for tail in &tails {
                for piece in PIECES {
                    let next = format!("{tail}{piece}");
                    for scheme in SCHEMES {
                        let url = format!("{scheme}{next}");
                        for loopback in [false, true] {
                            assert_eq!(
                                is_safe_link(&url, loopback),
                                is_safe_link_reference(&url, loopback),
                                "{url} {loopback}"
                            );
                            checked += 1;
                        }
                    }
                    longer.push(next);
                }
            }
            tails = longer;
        }
        assert!(checked > 500_000, "{checked}");
    }

    #[test]
    fn safe_links() {
        for ok in [
            "https://example.com",
            "HTTPS://example.com/a?b#c",
            "https://example.com:8443/x",
            "https://[2001:db8::1]/",
            "mailto:security@example.com",
            "mailto:security@example.com?subject=Hi",
        ] {
            assert!(is_safe_link(ok, false), "{ok}");
        }
        for bad in [
            "",
            "http://example.com",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,hi",
            "//example.com",
            "/relative",
            "https://",
            "https:///path",
            "https://user@example.com",
            "https://example.com:port/",
            "https://exa mple.com",
            "https://example.com/\n",
            "mailto:nobody",
            "mailto:@example.com",
            "http://127.0.0.1:8787",
            "ftp://example.com",
        ] {
            assert!(!is_safe_link(bad, false), "{bad}");
        }
        for dev_ok in [
            "http://127.0.0.1:8787",
            "http://localhost/x",
            "http://LOCALHOST:80",
            "http://[::1]:8080/",
        ] {
            assert!(is_safe_link(dev_ok, true), "{dev_ok}");
            assert!(!is_safe_link(dev_ok, false), "{dev_ok}");
        }
        for dev_bad in [
            "http://127.0.0.1@evil.example",
            "http://127.0.0.1.evil.example/",
            "http://localhost.evil.example",
            "http://10.0.0.1/",
            "http://127.0.0.2/",
        ] {
            assert!(!is_safe_link(dev_bad, true), "{dev_bad}");
        }
    }

    #[test]
    fn ids_and_hashes() {
        assert!(is_valid_id("soc2-2026_v1.pdf"));
        assert!(is_valid_id(&"a".repeat(64)));
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id("a/b"));
        assert!(is_sha256_hex(&"0a".repeat(32)));
        assert!(!is_sha256_hex(&"0A".repeat(32)));
        assert!(!is_sha256_hex(&"0a".repeat(31)));
    }
}

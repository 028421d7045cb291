//! The status texts of `trust_manifest::status` (headlines, explanations, findings) in the page
//! language. The manifest crate writes them in English, and an English page shows exactly those;
//! other languages fill the catalogue's `mirror.status.*` messages with the same facts, taken
//! from the verified manifest. tests/i18n_catalogue.rs fills the English messages the same way
//! (with ISO dates, as the manifest crate writes them) and checks that they give the manifest
//! crate's texts word for word, so the two cannot drift apart unnoticed.

use trust_manifest::{
    Date, Finding, FrameworkStatus, IsoEdition, IsoStatus, Manifest, Soc2ReportKind, Soc2Status,
};

use super::{Msg, Tr};
use crate::components::format;
use crate::state::VerifiedPage;

/// A message and its placeholder values.
type Filled = (Msg, Vec<(&'static str, String)>);

/// A date as the status texts show it: ISO for the English check, else the page's format.
fn day(tr: Tr, date: Date) -> String {
    if tr.iso_dates() {
        date.to_string()
    } else {
        format::date(tr, date)
    }
}

/// "today is the last day", "1 day left", "12 days left".
fn days_left(tr: Tr, days: i64) -> String {
    if days == 0 {
        tr.get(Msg::MirrorStatusDaysLast).to_owned()
    } else {
        tr.plural(Msg::MirrorStatusDaysLeft, days, &[])
    }
}

fn fill(tr: Tr, (msg, params): Filled) -> String {
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    tr.fill(msg, &params)
}

/// A framework's headline ("Current", "Stale", …).
pub fn headline(tr: Tr, status: &FrameworkStatus) -> String {
    if tr.is_compiled_english() {
        return status.headline.clone();
    }
    let msg = match status.headline.as_str() {
        "Current" => Msg::MirrorStatusHeadlineCurrent,
        "Expiring soon" => Msg::MirrorStatusHeadlineExpiringSoon,
        "Not started" => Msg::MirrorStatusHeadlineNotStarted,
        "In progress" => Msg::MirrorStatusHeadlineInProgress,
        "Details missing" => Msg::MirrorStatusHeadlineDetailsMissing,
        "Bridge letter" => Msg::MirrorStatusHeadlineBridgeLetter,
        "Stale" => Msg::MirrorStatusHeadlineStale,
        "Suspended" => Msg::MirrorStatusHeadlineSuspended,
        "Withdrawn" => Msg::MirrorStatusHeadlineWithdrawn,
        "Not valid" => Msg::MirrorStatusHeadlineNotValid,
        "Expired" => Msg::MirrorStatusHeadlineExpired,
        "Surveillance audit overdue" => Msg::MirrorStatusHeadlineSurveillanceOverdue,
        _ => Msg::MirrorStatusHeadlineNotDeclared,
    };
    tr.get(msg).to_owned()
}

/// The SOC 2 card's explanation.
pub fn soc2_explanation(tr: Tr, page: &VerifiedPage) -> String {
    let status = &page.status.soc2;
    if tr.is_compiled_english() {
        return status.explanation.clone();
    }
    fill(tr, soc2_message(tr, &page.manifest, status))
}

/// The ISO/IEC 27001 card's explanation.
pub fn iso_explanation(tr: Tr, page: &VerifiedPage) -> String {
    let status = &page.status.iso27001;
    if tr.is_compiled_english() {
        return status.explanation.clone();
    }
    fill(tr, iso_message(tr, &page.manifest, page.today, status))
}

/// A finding's sentence.
pub fn finding(tr: Tr, page: &VerifiedPage, finding: &Finding) -> String {
    if tr.is_compiled_english() {
        return finding.message.clone();
    }
    match finding_message(tr, &page.manifest, page.today, finding) {
        Some(filled) => fill(tr, filled),
        None => finding.message.clone(),
    }
}

fn soc2_covers(tr: Tr, kind: Soc2ReportKind) -> (String, String) {
    match kind {
        Soc2ReportKind::Type1 { as_of } => (
            tr.get(Msg::MirrorStatusSoc2Type1).to_owned(),
            tr.fill(
                Msg::MirrorStatusSoc2CoversAsOf,
                &[("date", &day(tr, as_of))],
            ),
        ),
        Soc2ReportKind::Type2 {
            period_start,
            period_end,
        } => (
            tr.get(Msg::MirrorStatusSoc2Type2).to_owned(),
            tr.fill(
                Msg::MirrorStatusSoc2CoversPeriod,
                &[
                    ("start", &day(tr, period_start)),
                    ("end", &day(tr, period_end)),
                ],
            ),
        ),
    }
}

/// The message and values of the SOC 2 explanation `status` carries.
pub fn soc2_message(tr: Tr, manifest: &Manifest, status: &FrameworkStatus) -> Filled {
    let Some(soc2) = &manifest.soc2 else {
        return (
            Msg::MirrorStatusNotDeclared,
            vec![("framework", "SOC 2".to_owned())],
        );
    };
    match soc2.status {
        Soc2Status::NotStarted => return (Msg::MirrorStatusSoc2NotStarted, Vec::new()),
        Soc2Status::InProgress => {
            return match soc2.next_report_expected {
                Some(date) => (
                    Msg::MirrorStatusSoc2InProgressBy,
                    vec![("date", day(tr, date))],
                ),
                None => (Msg::MirrorStatusSoc2InProgress, Vec::new()),
            }
        }
        Soc2Status::ReportAvailable => {}
    }
    let Some(report) = &soc2.report else {
        return (Msg::MirrorStatusSoc2DetailsMissing, Vec::new());
    };
    let coverage_end = report.kind.coverage_end();
    let current_until = coverage_end.add_months(trust_manifest::status::SOC2_FRESH_MONTHS);
    let (kind, covers) = soc2_covers(tr, report.kind);
    match status.headline.as_str() {
        "Bridge letter" => (
            Msg::MirrorStatusSoc2Bridge,
            vec![
                ("end", day(tr, coverage_end)),
                (
                    "through",
                    soc2.bridge_letter
                        .as_ref()
                        .map(|letter| day(tr, letter.covers_through))
                        .unwrap_or_default(),
                ),
            ],
        ),
        "Stale" => (
            Msg::MirrorStatusSoc2Stale,
            vec![("covers", covers), ("until", day(tr, current_until))],
        ),
        _ => (
            Msg::MirrorStatusSoc2Current,
            vec![
                ("kind", kind),
                ("auditor", report.auditor.clone()),
                ("covers", covers),
                ("until", day(tr, current_until)),
                (
                    "days",
                    days_left(tr, status.days_remaining.unwrap_or_default()),
                ),
            ],
        ),
    }
}

/// The message and values of the ISO/IEC 27001 explanation `status` carries.
pub fn iso_message(tr: Tr, manifest: &Manifest, today: Date, status: &FrameworkStatus) -> Filled {
    let Some(iso) = &manifest.iso27001 else {
        return (
            Msg::MirrorStatusNotDeclared,
            vec![("framework", "ISO/IEC 27001".to_owned())],
        );
    };
    match iso.status {
        IsoStatus::NotStarted => return (Msg::MirrorStatusIsoNotStarted, Vec::new()),
        IsoStatus::InProgress => {
            return match iso.expected_certification {
                Some(date) => (
                    Msg::MirrorStatusIsoInProgressBy,
                    vec![("date", day(tr, date))],
                ),
                None => (Msg::MirrorStatusIsoInProgress, Vec::new()),
            }
        }
        _ => {}
    }
    let Some(cert) = &iso.certificate else {
        return (Msg::MirrorStatusIsoDetailsMissing, Vec::new());
    };
    let number = ("number", cert.number.clone());
    let body = ("body", cert.certification_body.clone());
    let expiry = ("expiry", day(tr, cert.expiry_date));
    match status.headline.as_str() {
        "Suspended" => (Msg::MirrorStatusIsoSuspended, vec![body, number]),
        "Withdrawn" => (Msg::MirrorStatusIsoWithdrawn, vec![body, number]),
        "Not valid" => (
            Msg::MirrorStatusIsoNotValid,
            vec![
                number,
                ("edition", IsoEdition::Iso2013.label().to_owned()),
                (
                    "last",
                    day(tr, trust_manifest::status::iso_2013_last_valid_day()),
                ),
            ],
        ),
        "Expired" => (Msg::MirrorStatusIsoExpired, vec![number, expiry]),
        "Surveillance audit overdue" => {
            let due = cert
                .surveillance_audits
                .iter()
                .find(|audit| audit.completed_on.is_none() && audit.due_by < today)
                .map(|audit| day(tr, audit.due_by))
                .unwrap_or_default();
            (
                Msg::MirrorStatusIsoOverdue,
                vec![number, expiry, ("due", due)],
            )
        }
        _ => (
            Msg::MirrorStatusIsoCurrent,
            vec![
                number,
                ("edition", cert.edition.label().to_owned()),
                body,
                expiry,
                (
                    "days",
                    days_left(tr, status.days_remaining.unwrap_or_default()),
                ),
            ],
        ),
    }
}

/// The index in `…surveillance_audits[i].due_by`.
fn audit_index(path: &str) -> Option<usize> {
    let start = path.find('[')? + 1;
    let end = start + path[start..].find(']')?;
    crate::small_std::whole_number(&path[start..end]).and_then(|n| usize::try_from(n).ok())
}

/// The message and values of a finding, from its code and the manifest's facts.
pub fn finding_message(
    tr: Tr,
    manifest: &Manifest,
    today: Date,
    finding: &Finding,
) -> Option<Filled> {
    let soc2 = manifest.soc2.as_ref();
    let report = soc2.and_then(|soc2| soc2.report.as_ref());
    let cert = manifest
        .iso27001
        .as_ref()
        .and_then(|iso| iso.certificate.as_ref());
    let today_text = ("today", day(tr, today));
    Some(match finding.code {
        "manifest_expired" => (
            Msg::MirrorFindingManifestExpired,
            vec![("date", day(tr, manifest.expires_at))],
        ),
        "manifest_expiring_soon" => (
            Msg::MirrorFindingManifestExpiringSoon,
            vec![
                ("date", day(tr, manifest.expires_at)),
                ("days", days_left(tr, today.days_until(manifest.expires_at))),
            ],
        ),
        "manifest_issued_in_future" => (
            Msg::MirrorFindingManifestIssuedInFuture,
            vec![("date", day(tr, manifest.issued_at)), today_text],
        ),
        "soc2_type1" => (
            Msg::MirrorFindingSoc2Type1,
            vec![("date", day(tr, report?.kind.coverage_end()))],
        ),
        "bridge_letter_too_long" => (
            Msg::MirrorFindingBridgeTooLong,
            vec![
                (
                    "through",
                    day(tr, soc2?.bridge_letter.as_ref()?.covers_through),
                ),
                (
                    "months",
                    trust_manifest::status::BRIDGE_LETTER_MAX_MONTHS.to_string(),
                ),
                ("end", day(tr, report?.kind.coverage_end())),
            ],
        ),
        "soc2_next_report_late" => (
            Msg::MirrorFindingSoc2NextReportLate,
            vec![
                ("next", day(tr, soc2?.next_report_expected?)),
                ("date", day(tr, report?.report_date)),
            ],
        ),
        "surveillance_overdue" | "next_surveillance_audit" => {
            let audit = cert?.surveillance_audits.get(audit_index(&finding.path)?)?;
            let msg = if finding.code == "surveillance_overdue" {
                Msg::MirrorFindingSurveillanceOverdue
            } else {
                Msg::MirrorFindingNextSurveillance
            };
            (msg, vec![("date", day(tr, audit.due_by))])
        }
        "certificate_term_suspicious" => (
            Msg::MirrorFindingCertificateTerm,
            vec![
                ("issue", day(tr, cert?.issue_date)),
                ("expiry", day(tr, cert?.expiry_date)),
            ],
        ),
        "certificate_issued_in_future" => (
            Msg::MirrorFindingCertificateInFuture,
            vec![("issue", day(tr, cert?.issue_date)), today_text],
        ),
        "not_accredited" => (
            Msg::MirrorFindingNotAccredited,
            vec![("body", cert?.certification_body.clone())],
        ),
        _ => return None,
    })
}

//! Status rules: what a manifest's dates mean today, per framework, with the reason in plain
//! words. Pure functions of the manifest, today's date and a [`StatusPolicy`]. Every headline,
//! explanation and finding is a [`Text`]: a message id and its facts, rendered in English only
//! when asked ([`Text::to_english`]); the widget renders the same ids from its own catalogue.
//!
//! # Boundary dates (all inclusive, by calendar day)
//!
//! - **Manifest**: usable up to and including `expires_at`; from the day after it is expired.
//!   Issued in the future means `issued_at` is after today.
//! - **SOC 2**: a report speaks for 12 months after the day it covers (the Type 2 period end or
//!   the Type 1 as-of date): it is *current* up to and including that date plus 12 calendar
//!   months (`current_until`). It is *expiring soon* when `current_until` is at most
//!   `expiring_soon_days` days away (0 on the last day). From the day after `current_until` it
//!   is *stale* unless a bridge letter's `covers_through` is today or later, in which case it is
//!   *covered by the bridge letter* (level [`StatusLevel::Attention`] either way). A bridge
//!   letter reaching more than 3 calendar months past the report's coverage end is a warning.
//! - **ISO/IEC 27001**: a certificate is *current* up to and including `expiry_date` and
//!   *expired* from the day after. It is *expiring soon* when `expiry_date` is at most
//!   `expiring_soon_days` days away. A 2013-edition certificate is *not valid* from 2025-11-01
//!   (the transition ended on 2025-10-31). A surveillance audit is *overdue* from the day after
//!   its `due_by` date when it has no `completed_on`. An expiry more than 3 calendar years after
//!   `issue_date` is suspicious.

pub mod text;

use serde::Serialize;

pub use text::{Fact, Text, TextId};

use crate::date::Date;
use crate::model::{
    Iso27001, IsoCertificate, IsoEdition, IsoStatus, Manifest, Soc2, Soc2ReportKind, Soc2Status,
    SurveillanceAudit,
};

/// Tunable thresholds of the status rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StatusPolicy {
    /// A report or certificate whose end is this many days away or fewer is "expiring soon".
    pub expiring_soon_days: i64,
}

impl Default for StatusPolicy {
    fn default() -> Self {
        StatusPolicy {
            expiring_soon_days: 60,
        }
    }
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// Something a careful reader should look into.
    Warning,
    /// The claim should not be relied on.
    Error,
}

/// The overall standing of one framework.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusLevel {
    /// In force and not close to its end.
    Current,
    /// In force, but its end is within the "expiring soon" window.
    ExpiringSoon,
    /// Needs a closer look: a stale report, a report only covered by a bridge letter, an overdue
    /// surveillance audit, or missing details.
    Attention,
    /// Past its end date.
    Expired,
    /// Not valid regardless of dates: suspended, withdrawn, or a 2013-edition certificate after
    /// 2025-10-31.
    NotValid,
    /// Work has started; there is no report or certificate yet.
    InProgress,
    /// The vendor says it has not started.
    NotStarted,
    /// The manifest says nothing about this framework.
    NotDeclared,
}

/// One observation about the manifest, with the field it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// Stable snake_case code, e.g. `"surveillance_overdue"`.
    pub code: &'static str,
    /// JSON path of the field concerned, e.g. `iso27001.certificate.expiry_date`.
    pub path: String,
    /// One plain sentence, with the dates involved (English: `message.to_english()`).
    pub message: Text,
}

/// The standing of one framework today.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FrameworkStatus {
    /// The overall level.
    pub level: StatusLevel,
    /// A short label, e.g. "Current", "Stale", "Expired".
    pub headline: Text,
    /// One or two plain sentences with the dates that decide the status.
    pub explanation: Text,
    /// Days until the date that ends the current standing (0 on the last day), when there is one.
    pub days_remaining: Option<i64>,
    /// Further observations (warnings and information).
    pub findings: Vec<Finding>,
}

/// Everything the status rules say about a manifest on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusReport {
    /// The day the rules were evaluated for.
    pub today: Date,
    /// Findings about the manifest as a whole (expired, issued in the future, …).
    pub manifest: Vec<Finding>,
    /// SOC 2 standing.
    pub soc2: FrameworkStatus,
    /// ISO/IEC 27001 standing.
    pub iso27001: FrameworkStatus,
}

/// The last day ISO/IEC 27001:2013 certificates could be valid (2025-10-31, the end of the
/// transition to the 2022 edition).
pub fn iso_2013_last_valid_day() -> Date {
    Date::from_ymd(2025, 10, 31).unwrap_or(Date::MIN)
}

/// Months a SOC 2 report is treated as current after the day it covers.
pub const SOC2_FRESH_MONTHS: i32 = 12;

/// Months past the report's coverage end that a bridge letter normally covers at most.
pub const BRIDGE_LETTER_MAX_MONTHS: i32 = 3;

/// Longest normal ISO/IEC 27001 certificate cycle, in months.
pub const ISO_CYCLE_MONTHS: i32 = 36;

/// Applies every status rule to `manifest` as of `today`.
pub fn evaluate(manifest: &Manifest, today: Date, policy: &StatusPolicy) -> StatusReport {
    StatusReport {
        today,
        manifest: manifest_findings(manifest, today, policy),
        soc2: match &manifest.soc2 {
            Some(soc2) => soc2_status(soc2, today, policy),
            None => not_declared("SOC 2"),
        },
        iso27001: match &manifest.iso27001 {
            Some(iso) => iso_status(iso, today, policy),
            None => not_declared("ISO/IEC 27001"),
        },
    }
}

/// Appends a finding (out of line: one copy of the code for every rule).
#[inline(never)]
fn add_finding(
    findings: &mut Vec<Finding>,
    severity: Severity,
    code: &'static str,
    path: &str,
    message: Text,
) {
    findings.push(Finding {
        severity,
        code,
        path: path.to_owned(),
        message,
    });
}

/// A framework's standing (out of line: one copy of the code for every outcome).
#[inline(never)]
fn status(
    level: StatusLevel,
    headline: TextId,
    explanation: Text,
    days_remaining: Option<i64>,
    findings: Vec<Finding>,
) -> FrameworkStatus {
    FrameworkStatus {
        level,
        headline: Text::plain(headline),
        explanation,
        days_remaining,
        findings,
    }
}

fn not_declared(framework: &str) -> FrameworkStatus {
    status(
        StatusLevel::NotDeclared,
        TextId::HeadlineNotDeclared,
        Text::with(
            TextId::NotDeclared,
            vec![("framework", Fact::verbatim(framework))],
        ),
        None,
        Vec::new(),
    )
}

fn manifest_findings(manifest: &Manifest, today: Date, policy: &StatusPolicy) -> Vec<Finding> {
    let mut findings = Vec::new();
    if today > manifest.expires_at {
        add_finding(
            &mut findings,
            Severity::Error,
            "manifest_expired",
            "expires_at",
            Text::with(
                TextId::FindingManifestExpired,
                vec![("date", Fact::Day(manifest.expires_at))],
            ),
        );
    } else {
        let left = today.days_until(manifest.expires_at);
        if left <= policy.expiring_soon_days {
            add_finding(
                &mut findings,
                Severity::Info,
                "manifest_expiring_soon",
                "expires_at",
                Text::with(
                    TextId::FindingManifestExpiringSoon,
                    vec![
                        ("date", Fact::Day(manifest.expires_at)),
                        ("days", Fact::DaysLeft(left)),
                    ],
                ),
            );
        }
    }
    if manifest.issued_at > today {
        add_finding(
            &mut findings,
            Severity::Warning,
            "manifest_issued_in_future",
            "issued_at",
            Text::with(
                TextId::FindingManifestIssuedInFuture,
                vec![
                    ("date", Fact::Day(manifest.issued_at)),
                    ("today", Fact::Day(today)),
                ],
            ),
        );
    }
    findings
}

fn soc2_status(soc2: &Soc2, today: Date, policy: &StatusPolicy) -> FrameworkStatus {
    match soc2.status {
        Soc2Status::NotStarted => status(
            StatusLevel::NotStarted,
            TextId::HeadlineNotStarted,
            Text::plain(TextId::Soc2NotStarted),
            None,
            Vec::new(),
        ),
        Soc2Status::InProgress => {
            let explanation = match soc2.next_report_expected {
                Some(date) => Text::with(TextId::Soc2InProgressBy, vec![("date", Fact::Day(date))]),
                None => Text::plain(TextId::Soc2InProgress),
            };
            status(
                StatusLevel::InProgress,
                TextId::HeadlineInProgress,
                explanation,
                None,
                Vec::new(),
            )
        }
        Soc2Status::ReportAvailable => soc2_report_status(soc2, today, policy),
    }
}

fn soc2_report_status(soc2: &Soc2, today: Date, policy: &StatusPolicy) -> FrameworkStatus {
    let Some(report) = &soc2.report else {
        return status(
            StatusLevel::Attention,
            TextId::HeadlineDetailsMissing,
            Text::plain(TextId::Soc2DetailsMissing),
            None,
            Vec::new(),
        );
    };
    let mut findings = Vec::new();
    let coverage_end = report.kind.coverage_end();
    let current_until = coverage_end.add_months(SOC2_FRESH_MONTHS);
    let (kind_label, covers) = match report.kind {
        Soc2ReportKind::Type1 { as_of } => {
            add_finding(
                &mut findings,
                Severity::Info,
                "soc2_type1",
                "soc2.report",
                Text::with(TextId::FindingSoc2Type1, vec![("date", Fact::Day(as_of))]),
            );
            (
                TextId::Soc2Type1,
                Text::with(TextId::Soc2CoversAsOf, vec![("date", Fact::Day(as_of))]),
            )
        }
        Soc2ReportKind::Type2 {
            period_start,
            period_end,
        } => (
            TextId::Soc2Type2,
            Text::with(
                TextId::Soc2CoversPeriod,
                vec![
                    ("start", Fact::Day(period_start)),
                    ("end", Fact::Day(period_end)),
                ],
            ),
        ),
    };

    if let Some(bridge) = &soc2.bridge_letter {
        let limit = coverage_end.add_months(BRIDGE_LETTER_MAX_MONTHS);
        if bridge.covers_through > limit {
            add_finding(
                &mut findings,
                Severity::Warning,
                "bridge_letter_too_long",
                "soc2.bridge_letter.covers_through",
                Text::with(
                    TextId::FindingBridgeTooLong,
                    vec![
                        ("through", Fact::Day(bridge.covers_through)),
                        ("months", Fact::Number(i64::from(BRIDGE_LETTER_MAX_MONTHS))),
                        ("end", Fact::Day(coverage_end)),
                    ],
                ),
            );
        }
    }
    if let Some(next) = soc2.next_report_expected {
        if next < today && report.report_date < next {
            add_finding(
                &mut findings,
                Severity::Warning,
                "soc2_next_report_late",
                "soc2.next_report_expected",
                Text::with(
                    TextId::FindingSoc2NextReportLate,
                    vec![
                        ("next", Fact::Day(next)),
                        ("date", Fact::Day(report.report_date)),
                    ],
                ),
            );
        }
    }

    if today <= current_until {
        let left = today.days_until(current_until);
        let (level, headline) = if left <= policy.expiring_soon_days {
            (StatusLevel::ExpiringSoon, TextId::HeadlineExpiringSoon)
        } else {
            (StatusLevel::Current, TextId::HeadlineCurrent)
        };
        return status(
            level,
            headline,
            Text::with(
                TextId::Soc2Current,
                vec![
                    ("kind", Fact::Text(Text::plain(kind_label))),
                    ("auditor", Fact::verbatim(report.auditor.as_str())),
                    ("covers", Fact::Text(covers)),
                    ("until", Fact::Day(current_until)),
                    ("days", Fact::DaysLeft(left)),
                ],
            ),
            Some(left),
            findings,
        );
    }

    match &soc2.bridge_letter {
        Some(bridge) if bridge.covers_through >= today => status(
            StatusLevel::Attention,
            TextId::HeadlineBridgeLetter,
            Text::with(
                TextId::Soc2Bridge,
                vec![
                    ("end", Fact::Day(coverage_end)),
                    ("through", Fact::Day(bridge.covers_through)),
                ],
            ),
            Some(today.days_until(bridge.covers_through)),
            findings,
        ),
        _ => status(
            StatusLevel::Attention,
            TextId::HeadlineStale,
            Text::with(
                TextId::Soc2Stale,
                vec![
                    ("covers", Fact::Text(covers)),
                    ("until", Fact::Day(current_until)),
                ],
            ),
            None,
            findings,
        ),
    }
}

fn iso_status(iso: &Iso27001, today: Date, policy: &StatusPolicy) -> FrameworkStatus {
    match iso.status {
        IsoStatus::NotStarted => {
            return status(
                StatusLevel::NotStarted,
                TextId::HeadlineNotStarted,
                Text::plain(TextId::IsoNotStarted),
                None,
                Vec::new(),
            )
        }
        IsoStatus::InProgress => {
            let explanation = match iso.expected_certification {
                Some(date) => Text::with(TextId::IsoInProgressBy, vec![("date", Fact::Day(date))]),
                None => Text::plain(TextId::IsoInProgress),
            };
            return status(
                StatusLevel::InProgress,
                TextId::HeadlineInProgress,
                explanation,
                None,
                Vec::new(),
            );
        }
        IsoStatus::Active | IsoStatus::Suspended | IsoStatus::Withdrawn => {}
    }
    let Some(cert) = &iso.certificate else {
        return status(
            StatusLevel::Attention,
            TextId::HeadlineDetailsMissing,
            Text::plain(TextId::IsoDetailsMissing),
            None,
            Vec::new(),
        );
    };
    let findings = certificate_findings(cert, today);
    // The first overdue audit (the one the first `surveillance_overdue` finding names).
    let overdue = cert
        .surveillance_audits
        .iter()
        .find(|audit| audit.completed_on.is_none() && audit.due_by < today)
        .map(|audit| audit.due_by);
    let number = || ("number", Fact::verbatim(cert.number.as_str()));
    let body = || ("body", Fact::verbatim(cert.certification_body.as_str()));
    let expiry = || ("expiry", Fact::Day(cert.expiry_date));

    match iso.status {
        IsoStatus::Suspended => {
            return status(
                StatusLevel::NotValid,
                TextId::HeadlineSuspended,
                Text::with(TextId::IsoSuspended, vec![body(), number()]),
                None,
                findings,
            )
        }
        IsoStatus::Withdrawn => {
            return status(
                StatusLevel::NotValid,
                TextId::HeadlineWithdrawn,
                Text::with(TextId::IsoWithdrawn, vec![body(), number()]),
                None,
                findings,
            )
        }
        _ => {}
    }
    if cert.edition == IsoEdition::Iso2013 && today > iso_2013_last_valid_day() {
        return status(
            StatusLevel::NotValid,
            TextId::HeadlineNotValid,
            Text::with(
                TextId::IsoNotValid,
                vec![
                    number(),
                    ("edition", Fact::verbatim(cert.edition.label())),
                    ("last", Fact::Day(iso_2013_last_valid_day())),
                ],
            ),
            None,
            findings,
        );
    }
    if today > cert.expiry_date {
        return status(
            StatusLevel::Expired,
            TextId::HeadlineExpired,
            Text::with(TextId::IsoExpired, vec![number(), expiry()]),
            None,
            findings,
        );
    }
    let left = today.days_until(cert.expiry_date);
    if let Some(due) = overdue {
        return status(
            StatusLevel::Attention,
            TextId::HeadlineSurveillanceOverdue,
            Text::with(
                TextId::IsoOverdue,
                vec![number(), expiry(), ("due", Fact::Day(due))],
            ),
            Some(left),
            findings,
        );
    }
    let (level, headline) = if left <= policy.expiring_soon_days {
        (StatusLevel::ExpiringSoon, TextId::HeadlineExpiringSoon)
    } else {
        (StatusLevel::Current, TextId::HeadlineCurrent)
    };
    status(
        level,
        headline,
        Text::with(
            TextId::IsoCurrent,
            vec![
                number(),
                ("edition", Fact::verbatim(cert.edition.label())),
                body(),
                expiry(),
                ("days", Fact::DaysLeft(left)),
            ],
        ),
        Some(left),
        findings,
    )
}

fn certificate_findings(cert: &IsoCertificate, today: Date) -> Vec<Finding> {
    let mut findings = Vec::new();
    // The next audit: the earliest open one due today or later (the first of equals).
    let mut next: Option<(usize, &SurveillanceAudit)> = None;
    for (i, audit) in cert.surveillance_audits.iter().enumerate() {
        if audit.completed_on.is_some() {
            continue;
        }
        if audit.due_by < today {
            add_finding(
                &mut findings,
                Severity::Warning,
                "surveillance_overdue",
                &format!("iso27001.certificate.surveillance_audits[{i}].due_by"),
                Text::with(
                    TextId::FindingSurveillanceOverdue,
                    vec![("date", Fact::Day(audit.due_by))],
                ),
            );
        } else if next.is_none_or(|(_, earliest)| audit.due_by < earliest.due_by) {
            next = Some((i, audit));
        }
    }
    if let Some((i, audit)) = next {
        add_finding(
            &mut findings,
            Severity::Info,
            "next_surveillance_audit",
            &format!("iso27001.certificate.surveillance_audits[{i}].due_by"),
            Text::with(
                TextId::FindingNextSurveillance,
                vec![("date", Fact::Day(audit.due_by))],
            ),
        );
    }
    let longest = cert.issue_date.add_months(ISO_CYCLE_MONTHS);
    if cert.expiry_date > longest {
        add_finding(
            &mut findings,
            Severity::Warning,
            "certificate_term_suspicious",
            "iso27001.certificate.expiry_date",
            Text::with(
                TextId::FindingCertificateTerm,
                vec![
                    ("issue", Fact::Day(cert.issue_date)),
                    ("expiry", Fact::Day(cert.expiry_date)),
                ],
            ),
        );
    }
    if cert.issue_date > today {
        add_finding(
            &mut findings,
            Severity::Warning,
            "certificate_issued_in_future",
            "iso27001.certificate.issue_date",
            Text::with(
                TextId::FindingCertificateInFuture,
                vec![
                    ("issue", Fact::Day(cert.issue_date)),
                    ("today", Fact::Day(today)),
                ],
            ),
        );
    }
    if !cert.accredited {
        add_finding(
            &mut findings,
            Severity::Warning,
            "not_accredited",
            "iso27001.certificate.accredited",
            Text::with(
                TextId::FindingNotAccredited,
                vec![("body", Fact::verbatim(cert.certification_body.as_str()))],
            ),
        );
    }
    findings
}

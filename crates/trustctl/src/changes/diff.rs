//! What changed between the last signed manifest and the new one, as proposed change entries:
//! subprocessors added / removed / changed (purpose, locations), the SOC 2 report published or
//! renewed, the ISO/IEC 27001 certificate issued / renewed / expired / scope or status changed,
//! documents added / updated / removed. Pure: the caller passes today's date and decides what
//! to do with the proposals (print them, or insert them when the vendor asks).

use std::collections::BTreeSet;

use serde::Serialize;
use trust_manifest::{
    ChangeCategory, ChangeEntry, Date, Document, DocumentKind, IsoCertificate, IsoStatus, Manifest,
    Soc2Report, Soc2ReportKind, Subprocessor,
};

use super::entry_ids::unique_id;
use super::notice::notice_days;

/// What kind of change a proposal describes (its JSON name in `trustctl changes --json`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A subprocessor that was not listed before.
    SubprocessorAdded,
    /// A subprocessor that is no longer listed.
    SubprocessorRemoved,
    /// A subprocessor whose purpose or locations changed.
    SubprocessorChanged,
    /// A SOC 2 report where there was none.
    Soc2ReportPublished,
    /// A newer SOC 2 report (other period or report date).
    Soc2ReportRenewed,
    /// An ISO/IEC 27001 certificate where there was none.
    IsoCertificateIssued,
    /// The certificate was reissued (new issue or expiry date).
    IsoCertificateRenewed,
    /// The certificate's expiry date has passed since the last signed version.
    IsoCertificateExpired,
    /// The certificate's scope statement changed.
    IsoScopeChanged,
    /// The declared certification status changed (e.g. suspended or withdrawn).
    IsoStatusChanged,
    /// A document that was not offered before.
    DocumentAdded,
    /// A document with a new date, file hash or address.
    DocumentUpdated,
    /// A document that is no longer offered.
    DocumentRemoved,
}

impl ChangeKind {
    /// The middle part of the proposed entry id, e.g. `subprocessor-added`.
    fn id_part(self) -> &'static str {
        match self {
            ChangeKind::SubprocessorAdded => "subprocessor-added",
            ChangeKind::SubprocessorRemoved => "subprocessor-removed",
            ChangeKind::SubprocessorChanged => "subprocessor-changed",
            ChangeKind::Soc2ReportPublished => "soc2-report-published",
            ChangeKind::Soc2ReportRenewed => "soc2-report-renewed",
            ChangeKind::IsoCertificateIssued => "iso27001-certificate-issued",
            ChangeKind::IsoCertificateRenewed => "iso27001-certificate-renewed",
            ChangeKind::IsoCertificateExpired => "iso27001-certificate-expired",
            ChangeKind::IsoScopeChanged => "iso27001-scope-changed",
            ChangeKind::IsoStatusChanged => "iso27001-status-changed",
            ChangeKind::DocumentAdded => "document-added",
            ChangeKind::DocumentUpdated => "document-updated",
            ChangeKind::DocumentRemoved => "document-removed",
        }
    }
}

/// One proposed change entry and why it is proposed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Proposal {
    /// What changed.
    pub kind: ChangeKind,
    /// The entry as it would be inserted (the vendor may edit it before signing).
    pub entry: ChangeEntry,
}

/// The version the proposals are for: the new manifest's own version if it is already ahead
/// of the signed one, else the one after the signed version (what `sign --bump` will give it).
pub fn next_version(previous: &Manifest, current: &Manifest) -> u64 {
    current.version.max(previous.version.saturating_add(1))
}

/// Every change from `previous` (the last signed manifest) to `current`, in the order
/// subprocessors, certifications, documents; dated `today`. Subprocessor additions and changes
/// get an effective date `today` plus the notice period (`updates.subprocessor_notice_days`,
/// else the default), which the vendor may move later but lint warns about moving earlier.
pub fn propose(previous: &Manifest, current: &Manifest, today: Date) -> Vec<Proposal> {
    let mut builder = Builder {
        version: next_version(previous, current),
        today,
        effective: today.add_days(i64::from(notice_days(current))),
        taken: current.changes.iter().map(|e| e.id.clone()).collect(),
        out: Vec::new(),
    };
    builder.subprocessors(&previous.subprocessors, &current.subprocessors);
    builder.soc2(
        previous.soc2.as_ref().and_then(|s| s.report.as_ref()),
        current.soc2.as_ref().and_then(|s| s.report.as_ref()),
    );
    builder.iso(previous, current);
    builder.documents(&previous.documents, &current.documents);
    builder.out
}

struct Builder {
    version: u64,
    today: Date,
    effective: Date,
    taken: BTreeSet<String>,
    out: Vec<Proposal>,
}

impl Builder {
    fn push(
        &mut self,
        kind: ChangeKind,
        category: ChangeCategory,
        name: &str,
        summary: String,
        effective_date: Option<Date>,
    ) {
        let prefix = format!("{}-{}", self.today, kind.id_part());
        let id = unique_id(&prefix, name, &mut self.taken);
        self.out.push(Proposal {
            kind,
            entry: ChangeEntry {
                id,
                version: self.version,
                date: self.today,
                category,
                summary,
                effective_date,
            },
        });
    }

    fn subprocessors(&mut self, before: &[Subprocessor], after: &[Subprocessor]) {
        let key = |s: &Subprocessor| s.name.trim().to_lowercase();
        for new in after {
            match before.iter().find(|old| key(old) == key(new)) {
                None => {
                    let summary = format!(
                        "New subprocessor: {} ({}{}).",
                        new.name.trim(),
                        new.purpose.trim(),
                        locations_suffix(&new.locations)
                    );
                    let effective = Some(self.effective);
                    self.push(
                        ChangeKind::SubprocessorAdded,
                        ChangeCategory::Subprocessors,
                        &new.name,
                        summary,
                        effective,
                    );
                }
                Some(old) => {
                    let mut parts = Vec::new();
                    if normalise(&old.purpose) != normalise(&new.purpose) {
                        parts.push(format!(
                            "purpose now \"{}\" (was \"{}\")",
                            new.purpose.trim(),
                            old.purpose.trim()
                        ));
                    }
                    if location_set(&old.locations) != location_set(&new.locations) {
                        parts.push(format!(
                            "data processed in {} (was {})",
                            list_or_none(&new.locations),
                            list_or_none(&old.locations)
                        ));
                    }
                    if !parts.is_empty() {
                        let summary =
                            format!("Subprocessor {}: {}.", new.name.trim(), parts.join("; "));
                        let effective = Some(self.effective);
                        self.push(
                            ChangeKind::SubprocessorChanged,
                            ChangeCategory::Subprocessors,
                            &new.name,
                            summary,
                            effective,
                        );
                    }
                }
            }
        }
        for old in before {
            if !after.iter().any(|new| key(new) == key(old)) {
                let summary = format!(
                    "Subprocessor removed: {} no longer processes customer data.",
                    old.name.trim()
                );
                self.push(
                    ChangeKind::SubprocessorRemoved,
                    ChangeCategory::Subprocessors,
                    &old.name,
                    summary,
                    None,
                );
            }
        }
    }

    fn soc2(&mut self, before: Option<&Soc2Report>, after: Option<&Soc2Report>) {
        let Some(new) = after else { return };
        let kind = match before {
            None => ChangeKind::Soc2ReportPublished,
            Some(old) if old.kind != new.kind || old.report_date != new.report_date => {
                ChangeKind::Soc2ReportRenewed
            }
            Some(_) => return,
        };
        let what = match new.kind {
            Soc2ReportKind::Type1 { as_of } => format!("SOC 2 Type 1 report as of {as_of}"),
            Soc2ReportKind::Type2 {
                period_start,
                period_end,
            } => format!("SOC 2 Type 2 report for {period_start} to {period_end}"),
        };
        let verb = if kind == ChangeKind::Soc2ReportPublished {
            "New"
        } else {
            "Renewed"
        };
        let summary = format!(
            "{verb} {what}, issued {} by {}.",
            new.report_date,
            new.auditor.trim()
        );
        self.push(
            kind,
            ChangeCategory::Certifications,
            &new.report_date.to_string(),
            summary,
            None,
        );
    }

    fn iso(&mut self, previous: &Manifest, current: &Manifest) {
        let old_iso = previous.iso27001.as_ref();
        let new_iso = current.iso27001.as_ref();
        let old = old_iso.and_then(|i| i.certificate.as_ref());
        let new = new_iso.and_then(|i| i.certificate.as_ref());
        let category = ChangeCategory::Certifications;
        match (old, new) {
            (None, Some(new)) => {
                let summary = format!(
                    "ISO/IEC 27001 certificate {} issued by {}, valid until {}.",
                    new.number.trim(),
                    new.certification_body.trim(),
                    new.expiry_date
                );
                self.push(
                    ChangeKind::IsoCertificateIssued,
                    category,
                    &new.number,
                    summary,
                    None,
                );
            }
            (Some(old), Some(new)) => self.iso_certificate(previous, old, new),
            _ => {}
        }
        if let (Some(old_iso), Some(new_iso)) = (old_iso, new_iso) {
            // A first certificate that makes the status active is announced as issued above.
            let first_issue = new_iso.status == IsoStatus::Active && old.is_none() && new.is_some();
            if old_iso.status != new_iso.status && !first_issue {
                let summary = format!(
                    "ISO/IEC 27001 certification status is now {} (was {}).",
                    iso_status_label(new_iso.status),
                    iso_status_label(old_iso.status)
                );
                self.push(
                    ChangeKind::IsoStatusChanged,
                    category,
                    iso_status_label(new_iso.status),
                    summary,
                    None,
                );
            }
        }
    }

    fn iso_certificate(&mut self, previous: &Manifest, old: &IsoCertificate, new: &IsoCertificate) {
        let category = ChangeCategory::Certifications;
        if old.issue_date != new.issue_date || old.expiry_date != new.expiry_date {
            let summary = format!(
                "ISO/IEC 27001 certificate {} renewed: issued {}, valid until {}.",
                new.number.trim(),
                new.issue_date,
                new.expiry_date
            );
            self.push(
                ChangeKind::IsoCertificateRenewed,
                category,
                &new.number,
                summary,
                None,
            );
        } else if new.expiry_date < self.today && old.expiry_date >= previous.issued_at {
            // Still the same certificate, valid when last signed, and its end date has passed.
            let summary = format!(
                "ISO/IEC 27001 certificate {} expired on {}.",
                new.number.trim(),
                new.expiry_date
            );
            self.push(
                ChangeKind::IsoCertificateExpired,
                category,
                &new.number,
                summary,
                Some(new.expiry_date.add_days(1)),
            );
        }
        if normalise(&old.scope) != normalise(&new.scope) {
            let summary = format!(
                "ISO/IEC 27001 certificate scope changed to: {}",
                new.scope.trim()
            );
            self.push(
                ChangeKind::IsoScopeChanged,
                category,
                &new.number,
                summary,
                None,
            );
        }
    }

    fn documents(&mut self, before: &[Document], after: &[Document]) {
        for new in after {
            let category = if new.kind == DocumentKind::Policy {
                ChangeCategory::Policies
            } else {
                ChangeCategory::Documents
            };
            match before.iter().find(|old| old.id == new.id) {
                None => {
                    let summary = format!("New document: {}.", new.title.trim());
                    self.push(ChangeKind::DocumentAdded, category, &new.id, summary, None);
                }
                Some(old)
                    if old.updated_on != new.updated_on
                        || old.sha256 != new.sha256
                        || old.url != new.url
                        || old.access != new.access =>
                {
                    let summary = format!(
                        "Document updated: {} (version of {}).",
                        new.title.trim(),
                        new.updated_on
                    );
                    self.push(
                        ChangeKind::DocumentUpdated,
                        category,
                        &new.id,
                        summary,
                        None,
                    );
                }
                Some(_) => {}
            }
        }
        for old in before {
            if !after.iter().any(|new| new.id == old.id) {
                let category = if old.kind == DocumentKind::Policy {
                    ChangeCategory::Policies
                } else {
                    ChangeCategory::Documents
                };
                let summary = format!("Document withdrawn: {}.", old.title.trim());
                self.push(
                    ChangeKind::DocumentRemoved,
                    category,
                    &old.id,
                    summary,
                    None,
                );
            }
        }
    }
}

/// Text with runs of whitespace made single spaces, for comparisons that ignore layout.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Locations compared as a set, ignoring case, order and surrounding spaces.
fn location_set(locations: &[String]) -> BTreeSet<String> {
    locations.iter().map(|l| l.trim().to_lowercase()).collect()
}

fn list_or_none(locations: &[String]) -> String {
    if locations.is_empty() {
        "no stated location".to_owned()
    } else {
        locations
            .iter()
            .map(|l| l.trim())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn locations_suffix(locations: &[String]) -> String {
    if locations.is_empty() {
        String::new()
    } else {
        format!("; {}", list_or_none(locations))
    }
}

fn iso_status_label(status: IsoStatus) -> &'static str {
    match status {
        IsoStatus::NotStarted => "not started",
        IsoStatus::InProgress => "in progress",
        IsoStatus::Active => "active",
        IsoStatus::Suspended => "suspended",
        IsoStatus::Withdrawn => "withdrawn",
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // tests may panic on a broken fixture
mod tests {
    use super::*;
    use crate::example::example_manifest;
    use trust_manifest::{validate, Iso27001, UpdateSettings, ValidationOptions};

    fn day(text: &str) -> Date {
        text.parse().expect("test date")
    }

    /// The signed version (issued 2026-11-01) and a copy to edit into the new one.
    fn pair() -> (Manifest, Manifest) {
        let previous = example_manifest(day("2026-11-01"));
        let current = previous.clone();
        (previous, current)
    }

    fn kinds(proposals: &[Proposal]) -> Vec<ChangeKind> {
        proposals.iter().map(|p| p.kind).collect()
    }

    fn only(proposals: &[Proposal]) -> &ChangeEntry {
        assert_eq!(proposals.len(), 1, "{proposals:#?}");
        &proposals[0].entry
    }

    const TODAY: &str = "2026-12-02";

    #[test]
    fn nothing_changed_nothing_proposed() {
        let (previous, current) = pair();
        assert_eq!(propose(&previous, &current, day(TODAY)), vec![]);
        // Layout-only edits are not changes either.
        let mut current = current;
        current.subprocessors[0].purpose =
            "  Cloud hosting of the platform   and its databases ".into();
        current.subprocessors[0].locations = vec!["germany".into(), " Ireland".into()];
        current.subprocessors[0].url = None;
        assert_eq!(propose(&previous, &current, day(TODAY)), vec![]);
    }

    #[test]
    fn subprocessor_added_with_the_notice_period() {
        let (previous, mut current) = pair();
        current.subprocessors.push(Subprocessor {
            name: "Acme Analytics, Inc.".into(),
            purpose: "Product analytics".into(),
            locations: vec!["United States".into()],
            url: None,
        });
        let proposals = propose(&previous, &current, day(TODAY));
        assert_eq!(kinds(&proposals), [ChangeKind::SubprocessorAdded]);
        let entry = only(&proposals);
        assert_eq!(entry.id, "2026-12-02-subprocessor-added-acme-analytics-inc");
        assert_eq!(entry.version, 2);
        assert_eq!(entry.date, day(TODAY));
        assert_eq!(entry.category, ChangeCategory::Subprocessors);
        assert_eq!(
            entry.summary,
            "New subprocessor: Acme Analytics, Inc. (Product analytics; United States)."
        );
        assert_eq!(
            entry.effective_date,
            Some(day("2027-01-01")),
            "30 days by default"
        );

        current.updates = Some(UpdateSettings {
            subscribe_url: None,
            feed_url: None,
            subprocessor_notice_days: Some(14),
        });
        let entry = propose(&previous, &current, day(TODAY))[0].entry.clone();
        assert_eq!(entry.effective_date, Some(day("2026-12-16")));
    }

    #[test]
    fn subprocessor_removed_and_changed() {
        let (previous, mut current) = pair();
        current.subprocessors.remove(1); // Cloudflare
        current.subprocessors[0].purpose = "Cloud hosting and backups".into();
        current.subprocessors[1].locations = vec!["Germany".into(), "United States".into()];
        let proposals = propose(&previous, &current, day(TODAY));
        assert_eq!(
            kinds(&proposals),
            [
                ChangeKind::SubprocessorChanged,
                ChangeKind::SubprocessorChanged,
                ChangeKind::SubprocessorRemoved
            ]
        );
        assert_eq!(
            proposals[0].entry.summary,
            "Subprocessor Amazon Web Services EMEA SARL: purpose now \"Cloud hosting and backups\" (was \"Cloud hosting of the platform and its databases\")."
        );
        assert_eq!(
            proposals[1].entry.summary,
            "Subprocessor Example Mail Delivery GmbH: data processed in Germany, United States (was Germany)."
        );
        assert_eq!(proposals[1].entry.effective_date, Some(day("2027-01-01")));
        let removed = &proposals[2].entry;
        assert_eq!(removed.id, "2026-12-02-subprocessor-removed-cloudflare-inc");
        assert_eq!(removed.effective_date, None);
        assert!(removed.summary.contains("Cloudflare, Inc."));
    }

    #[test]
    fn a_replacement_is_a_removal_and_an_addition() {
        let (previous, mut current) = pair();
        current.subprocessors[2].name = "Other Mail Ltd".into();
        assert_eq!(
            kinds(&propose(&previous, &current, day(TODAY))),
            [
                ChangeKind::SubprocessorAdded,
                ChangeKind::SubprocessorRemoved
            ]
        );
    }

    #[test]
    fn soc2_report_published_and_renewed() {
        let (mut previous, mut current) = pair();
        let report = current
            .soc2
            .as_mut()
            .and_then(|s| s.report.as_mut())
            .expect("report");
        report.kind = Soc2ReportKind::Type2 {
            period_start: day("2025-10-01"),
            period_end: day("2026-09-30"),
        };
        report.report_date = day("2026-11-20");
        let entry = only(&propose(&previous, &current, day(TODAY))).clone();
        assert_eq!(entry.category, ChangeCategory::Certifications);
        assert_eq!(
            entry.summary,
            "Renewed SOC 2 Type 2 report for 2025-10-01 to 2026-09-30, issued 2026-11-20 by Example Assurance LLP (independent CPA firm)."
        );
        assert_eq!(entry.id, "2026-12-02-soc2-report-renewed-2026-11-20");
        assert_eq!(
            kinds(&propose(&previous, &current, day(TODAY))),
            [ChangeKind::Soc2ReportRenewed]
        );
        previous.soc2 = None;
        assert_eq!(
            kinds(&propose(&previous, &current, day(TODAY))),
            [ChangeKind::Soc2ReportPublished]
        );
    }

    fn certificate(manifest: &mut Manifest) -> &mut IsoCertificate {
        manifest
            .iso27001
            .as_mut()
            .and_then(|i| i.certificate.as_mut())
            .expect("certificate")
    }

    #[test]
    fn iso_certificate_renewed_expired_scope_and_status() {
        let (mut previous, mut current) = pair();
        let cert = certificate(&mut current);
        cert.issue_date = day("2026-11-15");
        cert.expiry_date = day("2029-11-14");
        cert.scope = "A wider scope".into();
        let proposals = propose(&previous, &current, day(TODAY));
        assert_eq!(
            kinds(&proposals),
            [
                ChangeKind::IsoCertificateRenewed,
                ChangeKind::IsoScopeChanged
            ]
        );
        assert_eq!(
            proposals[0].entry.summary,
            "ISO/IEC 27001 certificate EXAMPLE-ISMS-000123 renewed: issued 2026-11-15, valid until 2029-11-14."
        );
        assert_eq!(
            proposals[1].entry.summary,
            "ISO/IEC 27001 certificate scope changed to: A wider scope"
        );

        // Expired: the same certificate, valid when last signed, past its end date today.
        let (previous2, current2) = pair();
        let expiry = previous2
            .iso27001
            .as_ref()
            .and_then(|i| i.certificate.as_ref())
            .map(|c| c.expiry_date)
            .expect("expiry");
        let proposals = propose(&previous2, &current2, expiry.add_days(3));
        assert_eq!(kinds(&proposals), [ChangeKind::IsoCertificateExpired]);
        assert_eq!(proposals[0].entry.effective_date, Some(expiry.add_days(1)));
        assert_eq!(
            propose(&previous2, &current2, expiry),
            vec![],
            "its last day"
        );
        // Already expired when it was last signed: not news.
        previous.issued_at = expiry.add_days(1);
        let mut same = previous.clone();
        same.issued_at = expiry.add_days(5);
        assert_eq!(propose(&previous, &same, expiry.add_days(5)), vec![]);

        let (previous, mut current) = pair();
        current.iso27001.as_mut().expect("iso").status = IsoStatus::Suspended;
        let proposals = propose(&previous, &current, day(TODAY));
        assert_eq!(kinds(&proposals), [ChangeKind::IsoStatusChanged]);
        assert_eq!(
            proposals[0].entry.summary,
            "ISO/IEC 27001 certification status is now suspended (was active)."
        );
    }

    #[test]
    fn iso_first_certificate_is_issued_not_a_status_change() {
        let (mut previous, current) = pair();
        previous.iso27001 = Some(Iso27001 {
            status: IsoStatus::InProgress,
            certificate: None,
            expected_certification: Some(day("2026-12-01")),
        });
        assert_eq!(
            kinds(&propose(&previous, &current, day(TODAY))),
            [ChangeKind::IsoCertificateIssued]
        );
    }

    #[test]
    fn documents_added_updated_withdrawn_and_policies() {
        let (previous, mut current) = pair();
        current.documents[5].updated_on = day("2026-11-30"); // pentest summary
        current.documents[6].sha256 = Some("ab".repeat(32)); // the policy
        let mut added = current.documents[3].clone();
        added.id = "dpa".into();
        added.title = "Data processing agreement".into();
        current.documents.push(added);
        current.documents.remove(2); // SOC 3 report
        let proposals = propose(&previous, &current, day(TODAY));
        assert_eq!(
            kinds(&proposals),
            [
                ChangeKind::DocumentUpdated,
                ChangeKind::DocumentUpdated,
                ChangeKind::DocumentAdded,
                ChangeKind::DocumentRemoved
            ]
        );
        assert_eq!(
            proposals[0].entry.summary,
            "Document updated: Penetration test summary (version of 2026-11-30)."
        );
        assert_eq!(proposals[0].entry.category, ChangeCategory::Documents);
        assert_eq!(proposals[1].entry.category, ChangeCategory::Policies);
        assert_eq!(
            proposals[2].entry.summary,
            "New document: Data processing agreement."
        );
        assert_eq!(proposals[2].entry.id, "2026-12-02-document-added-dpa");
        assert_eq!(
            proposals[3].entry.summary,
            "Document withdrawn: SOC 3 report."
        );
    }

    #[test]
    fn proposals_are_valid_entries_for_the_next_version() {
        let (previous, mut current) = pair();
        current.subprocessors.push(Subprocessor {
            name: "Acme".into(),
            purpose: "Support desk".into(),
            locations: vec![],
            url: None,
        });
        current.subprocessors.push(Subprocessor {
            name: "ACME".into(),
            purpose: "Support desk (second entry)".into(),
            locations: vec![],
            url: None,
        });
        current.changes.push(ChangeEntry {
            id: "2026-12-02-subprocessor-added-acme".into(),
            version: 1,
            date: day("2026-11-01"),
            category: ChangeCategory::Other,
            summary: "An older entry that took the id".into(),
            effective_date: None,
        });
        let proposals = propose(&previous, &current, day(TODAY));
        let ids: Vec<&str> = proposals.iter().map(|p| p.entry.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "2026-12-02-subprocessor-added-acme-2",
                "2026-12-02-subprocessor-added-acme-3"
            ]
        );
        // Already bumped by hand: the manifest's own version.
        current.version = 5;
        assert!(propose(&previous, &current, day(TODAY))
            .iter()
            .all(|p| p.entry.version == 5));
        // Inserted and bumped, the manifest validates.
        let mut signed = current.clone();
        signed.issued_at = day(TODAY);
        for p in propose(&previous, &current, day(TODAY)) {
            signed.changes.insert(0, p.entry);
        }
        assert_eq!(validate(&signed, &ValidationOptions::default()), vec![]);
    }
}

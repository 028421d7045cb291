//! Status rules at their boundary dates: the day before, on and after every date that changes
//! the outcome.

mod common;

use common::*;
use trust_manifest::*;

fn example() -> Manifest {
    parse_manifest(MANIFEST_JSON.as_bytes()).expect("example parses")
}

fn at(manifest: &Manifest, day: &str) -> StatusReport {
    evaluate(manifest, date(day), &StatusPolicy::default())
}

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code).collect()
}

fn soc2_mut(m: &mut Manifest) -> &mut Soc2 {
    m.soc2.as_mut().expect("soc2")
}

fn cert_mut(m: &mut Manifest) -> &mut IsoCertificate {
    m.iso27001
        .as_mut()
        .and_then(|i| i.certificate.as_mut())
        .expect("certificate")
}

#[test]
fn default_policy_is_sixty_days() {
    assert_eq!(StatusPolicy::default().expiring_soon_days, 60);
}

#[test]
fn manifest_expiry_and_issue_dates() {
    let m = example(); // issued 2026-11-01, expires 2027-02-01
    assert!(!codes(&at(&m, "2027-02-01").manifest).contains(&"manifest_expired"));
    let after = at(&m, "2027-02-02");
    assert!(codes(&after.manifest).contains(&"manifest_expired"));
    let expired = after
        .manifest
        .iter()
        .find(|f| f.code == "manifest_expired")
        .expect("finding");
    assert_eq!(expired.severity, Severity::Error);
    assert_eq!(expired.path, "expires_at");
    assert!(expired.message.to_english().contains("2027-02-01"));

    assert!(codes(&at(&m, "2026-10-31").manifest).contains(&"manifest_issued_in_future"));
    assert!(!codes(&at(&m, "2026-11-01").manifest).contains(&"manifest_issued_in_future"));

    // Expiring-soon information: 2027-02-01 is 62 days after 2026-12-01.
    assert!(!codes(&at(&m, "2026-11-30").manifest).contains(&"manifest_expiring_soon"));
    assert!(codes(&at(&m, "2026-12-03").manifest).contains(&"manifest_expiring_soon"));
    assert!(!codes(&at(&m, "2026-12-02").manifest).contains(&"manifest_expiring_soon"));
    assert_eq!(at(&m, "2026-11-28").today, date("2026-11-28"));
}

#[test]
fn soc2_report_current_expiring_and_stale_boundaries() {
    // Period ends 2026-09-30, so the report is current through 2027-09-30.
    let m = example();
    let s = at(&m, "2027-07-31").soc2;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::Current, Some(61))
    );
    assert_eq!(s.headline, "Current");
    assert!(
        s.explanation.to_english().contains("2027-09-30"),
        "{}",
        s.explanation
    );
    assert!(s
        .explanation
        .to_english()
        .contains("2025-10-01 to 2026-09-30"));

    let s = at(&m, "2027-08-01").soc2;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::ExpiringSoon, Some(60))
    );
    let s = at(&m, "2027-09-30").soc2;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::ExpiringSoon, Some(0))
    );
    assert!(s.explanation.to_english().contains("today is the last day"));

    let s = at(&m, "2027-10-01").soc2;
    assert_eq!(s.level, StatusLevel::Attention);
    assert_eq!(s.headline, "Stale");
    assert_eq!(s.days_remaining, None);
    assert!(s.explanation.to_english().contains("2027-09-30"));

    // A custom window.
    let tight = StatusPolicy {
        expiring_soon_days: 10,
    };
    let s = evaluate(&m, date("2027-09-19"), &tight).soc2;
    assert_eq!(s.level, StatusLevel::Current);
    let s = evaluate(&m, date("2027-09-20"), &tight).soc2;
    assert_eq!(s.level, StatusLevel::ExpiringSoon);
}

#[test]
fn soc2_bridge_letter_covers_the_gap_until_its_last_day() {
    let mut m = example();
    soc2_mut(&mut m).bridge_letter = Some(BridgeLetter {
        issued_on: date("2027-09-15"),
        covers_through: date("2027-12-31"),
        document_id: None,
    });
    let s = at(&m, "2027-09-30").soc2;
    assert_eq!(s.level, StatusLevel::ExpiringSoon);
    let s = at(&m, "2027-10-01").soc2;
    assert_eq!(s.level, StatusLevel::Attention);
    assert_eq!(s.headline, "Bridge letter");
    assert!(
        s.explanation
            .to_english()
            .contains("covered by bridge letter through 2027-12-31"),
        "{}",
        s.explanation
    );
    assert_eq!(s.days_remaining, Some(91));
    let s = at(&m, "2027-12-31").soc2;
    assert_eq!(
        (s.headline.to_english().as_str(), s.days_remaining),
        ("Bridge letter", Some(0))
    );
    let s = at(&m, "2028-01-01").soc2;
    assert_eq!(s.headline, "Stale");
}

#[test]
fn soc2_bridge_letter_longer_than_three_months_is_a_warning() {
    // Coverage ends 2026-09-30; three months later is 2026-12-30.
    let mut m = example();
    let letter = |through: &str| BridgeLetter {
        issued_on: date("2026-10-15"),
        covers_through: date(through),
        document_id: None,
    };
    soc2_mut(&mut m).bridge_letter = Some(letter("2026-12-30"));
    assert!(!codes(&at(&m, "2026-11-28").soc2.findings).contains(&"bridge_letter_too_long"));
    soc2_mut(&mut m).bridge_letter = Some(letter("2026-12-31"));
    let s = at(&m, "2026-11-28").soc2;
    let warning = s
        .findings
        .iter()
        .find(|f| f.code == "bridge_letter_too_long")
        .expect("warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.path, "soc2.bridge_letter.covers_through");
    assert!(
        warning.message.to_english().contains("2026-12-31")
            && warning.message.to_english().contains("2026-09-30")
    );
}

#[test]
fn soc2_type1_uses_its_as_of_date() {
    let mut m = example();
    let report = soc2_mut(&mut m).report.as_mut().expect("report");
    report.kind = Soc2ReportKind::Type1 {
        as_of: date("2026-06-30"),
    };
    let s = at(&m, "2027-06-30").soc2;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::ExpiringSoon, Some(0))
    );
    assert!(codes(&s.findings).contains(&"soc2_type1"));
    assert_eq!(at(&m, "2027-07-01").soc2.headline, "Stale");
}

#[test]
fn soc2_not_started_in_progress_and_not_declared() {
    let mut m = example();
    let soc2 = soc2_mut(&mut m);
    soc2.status = Soc2Status::InProgress;
    soc2.report = None;
    soc2.next_report_expected = Some(date("2027-03-31"));
    let s = at(&m, "2026-11-28").soc2;
    assert_eq!(s.level, StatusLevel::InProgress);
    assert!(s.explanation.to_english().contains("2027-03-31"));

    soc2_mut(&mut m).status = Soc2Status::NotStarted;
    assert_eq!(at(&m, "2026-11-28").soc2.level, StatusLevel::NotStarted);

    m.soc2 = None;
    let s = at(&m, "2026-11-28").soc2;
    assert_eq!(s.level, StatusLevel::NotDeclared);
    assert!(s.explanation.to_english().contains("SOC 2"));

    let mut m = example();
    soc2_mut(&mut m).report = None;
    assert_eq!(at(&m, "2026-11-28").soc2.level, StatusLevel::Attention);
}

#[test]
fn soc2_late_next_report_is_flagged_after_its_date() {
    let mut m = example();
    soc2_mut(&mut m).next_report_expected = Some(date("2027-10-31"));
    assert!(!codes(&at(&m, "2027-10-31").soc2.findings).contains(&"soc2_next_report_late"));
    assert!(codes(&at(&m, "2027-11-01").soc2.findings).contains(&"soc2_next_report_late"));
}

#[test]
fn iso_current_expiring_and_expired_boundaries() {
    // Expires 2027-02-28.
    let m = example();
    let s = at(&m, "2026-12-29").iso27001;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::Current, Some(61))
    );
    assert!(s.explanation.to_english().contains("2027-02-28"));
    assert!(s.explanation.to_english().contains("ISO/IEC 27001:2022"));
    let s = at(&m, "2026-12-30").iso27001;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::ExpiringSoon, Some(60))
    );
    let s = at(&m, "2027-02-28").iso27001;
    assert_eq!(
        (s.level, s.days_remaining),
        (StatusLevel::ExpiringSoon, Some(0))
    );
    let s = at(&m, "2027-03-01").iso27001;
    assert_eq!((s.level, s.days_remaining), (StatusLevel::Expired, None));
    assert_eq!(s.headline, "Expired");
    assert!(s.explanation.to_english().contains("2027-02-28"));
}

#[test]
fn iso_2013_edition_is_not_valid_after_the_transition() {
    let mut m = example();
    let cert = cert_mut(&mut m);
    cert.edition = IsoEdition::Iso2013;
    cert.issue_date = date("2024-03-01");
    cert.expiry_date = date("2027-02-28");
    cert.surveillance_audits.clear();
    assert_eq!(at(&m, "2025-10-30").iso27001.level, StatusLevel::Current);
    assert_eq!(at(&m, "2025-10-31").iso27001.level, StatusLevel::Current);
    let s = at(&m, "2025-11-01").iso27001;
    assert_eq!(s.level, StatusLevel::NotValid);
    assert!(s.explanation.to_english().contains("2025-10-31"));
    assert!(s.explanation.to_english().contains("ISO/IEC 27001:2013"));
}

#[test]
fn iso_suspended_and_withdrawn_are_not_valid() {
    let mut m = example();
    for (status, headline) in [
        (IsoStatus::Suspended, "Suspended"),
        (IsoStatus::Withdrawn, "Withdrawn"),
    ] {
        m.iso27001.as_mut().expect("iso").status = status;
        let s = at(&m, "2026-11-28").iso27001;
        assert_eq!(
            (s.level, s.headline.to_english().as_str()),
            (StatusLevel::NotValid, headline)
        );
        assert!(s.explanation.to_english().contains("IS 123456"));
    }
}

#[test]
fn iso_surveillance_overdue_from_the_day_after_it_was_due() {
    let mut m = example();
    let cert = cert_mut(&mut m);
    cert.expiry_date = date("2028-02-28");
    cert.issue_date = date("2025-03-01");
    cert.surveillance_audits = vec![
        SurveillanceAudit {
            due_by: date("2026-02-28"),
            completed_on: Some(date("2026-02-10")),
        },
        SurveillanceAudit {
            due_by: date("2027-01-15"),
            completed_on: None,
        },
    ];
    let s = at(&m, "2027-01-14").iso27001;
    assert_eq!(s.level, StatusLevel::Current);
    let next = s
        .findings
        .iter()
        .find(|f| f.code == "next_surveillance_audit")
        .expect("next audit reported");
    assert!(next.message.to_english().contains("2027-01-15"));
    assert_eq!(
        next.path,
        "iso27001.certificate.surveillance_audits[1].due_by"
    );

    let s = at(&m, "2027-01-15").iso27001;
    assert_eq!(s.level, StatusLevel::Current);
    assert!(!codes(&s.findings).contains(&"surveillance_overdue"));

    let s = at(&m, "2027-01-16").iso27001;
    assert_eq!(s.level, StatusLevel::Attention);
    assert_eq!(s.headline, "Surveillance audit overdue");
    assert!(s.explanation.to_english().contains("2027-01-15"));
    assert_eq!(s.days_remaining, Some(408));
    assert!(codes(&s.findings).contains(&"surveillance_overdue"));

    // Once completed, it is no longer overdue.
    cert_mut(&mut m).surveillance_audits[1].completed_on = Some(date("2027-01-20"));
    assert_eq!(at(&m, "2027-01-21").iso27001.level, StatusLevel::Current);
}

#[test]
fn iso_term_longer_than_three_years_is_suspicious() {
    let mut m = example();
    let cert = cert_mut(&mut m);
    cert.issue_date = date("2024-03-01");
    cert.expiry_date = date("2027-03-01");
    assert!(
        !codes(&at(&m, "2026-11-28").iso27001.findings).contains(&"certificate_term_suspicious")
    );
    cert_mut(&mut m).expiry_date = date("2027-03-02");
    let s = at(&m, "2026-11-28").iso27001;
    let warning = s
        .findings
        .iter()
        .find(|f| f.code == "certificate_term_suspicious")
        .expect("warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning.message.to_english().contains("2024-03-01")
            && warning.message.to_english().contains("2027-03-02")
    );
}

#[test]
fn iso_unaccredited_and_future_issue_are_warnings() {
    let mut m = example();
    cert_mut(&mut m).accredited = false;
    let s = at(&m, "2026-11-28").iso27001;
    assert_eq!(s.level, StatusLevel::Current);
    assert!(codes(&s.findings).contains(&"not_accredited"));

    let m = example(); // issued 2024-03-01
    assert!(
        codes(&at(&m, "2024-02-29").iso27001.findings).contains(&"certificate_issued_in_future")
    );
    assert!(
        !codes(&at(&m, "2024-03-01").iso27001.findings).contains(&"certificate_issued_in_future")
    );
}

#[test]
fn iso_not_started_in_progress_and_not_declared() {
    let mut m = example();
    let iso = m.iso27001.as_mut().expect("iso");
    iso.status = IsoStatus::InProgress;
    iso.certificate = None;
    iso.expected_certification = Some(date("2027-06-30"));
    let s = at(&m, "2026-11-28").iso27001;
    assert_eq!(s.level, StatusLevel::InProgress);
    assert!(s.explanation.to_english().contains("2027-06-30"));

    m.iso27001.as_mut().expect("iso").status = IsoStatus::NotStarted;
    assert_eq!(at(&m, "2026-11-28").iso27001.level, StatusLevel::NotStarted);

    m.iso27001 = None;
    assert_eq!(
        at(&m, "2026-11-28").iso27001.level,
        StatusLevel::NotDeclared
    );

    let mut m = example();
    m.iso27001.as_mut().expect("iso").certificate = None;
    assert_eq!(at(&m, "2026-11-28").iso27001.level, StatusLevel::Attention);
}

#[test]
fn report_serialises_with_snake_case_levels() {
    let report = at(&example(), "2026-11-28");
    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json["today"], "2026-11-28");
    assert_eq!(json["soc2"]["level"], "current");
    assert_eq!(json["iso27001"]["level"], "current");
    let json = serde_json::to_value(at(&example(), "2027-03-01")).expect("serialises");
    assert_eq!(json["iso27001"]["level"], "expired");
    assert_eq!(json["manifest"][0]["severity"], "error");
}

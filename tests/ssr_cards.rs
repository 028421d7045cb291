//! SSR tests of the SOC 2 and ISO/IEC 27001 cards at the status boundaries (current, expiring,
//! stale, bridge letter, in progress, overdue, expired, 2013 edition, suspended) and of link safety.

mod core_support;

use core_support::{day, demo_manifest, page, render_with, text, today};
use trust_center_widget::components::iso_card::{self, IsoCardProps};
use trust_center_widget::components::soc2_card::{self, Soc2CardProps};
use trust_manifest::{IsoEdition, IsoStatus, Manifest, Soc2ReportKind, Soc2Status};

fn soc2_html(manifest: Manifest, on: &str) -> String {
    render_with(
        soc2_card::view,
        Soc2CardProps {
            page: page(manifest, day(on)),
            on_request: Default::default(),
        },
    )
}

fn iso_html(manifest: Manifest, on: &str) -> String {
    render_with(
        iso_card::view,
        IsoCardProps {
            page: page(manifest, day(on)),
        },
    )
}

#[test]
fn soc2_demo_is_a_current_type2_report_with_criteria_auditor_and_bridge_letter() {
    let html = render_with(
        soc2_card::view,
        Soc2CardProps {
            page: page(demo_manifest(), today()),
            on_request: Default::default(),
        },
    );
    let words = text(&html);
    assert!(words.contains("SOC 2® Type 2 report"), "{words}");
    assert!(html.contains("tc-badge--ok"), "{html}");
    assert!(words.contains("✓ Current"), "{words}");
    for chip in ["Security", "Availability", "Confidentiality"] {
        assert!(
            html.contains(&format!(
                "<li class=\"tc-chip\"><span aria-hidden=\"true\">✓ </span>{chip}</li>"
            )),
            "chip {chip}: {html}"
        );
    }
    assert!(
        words.contains("Not in scope: Processing Integrity, Privacy"),
        "{words}"
    );
    assert!(words.contains("CPA firm Calder & Voss LLP"), "{words}");
    assert!(
        words.contains("Observation period 1 Sep 2025 – 31 Aug 2026 (about 12 months)"),
        "{words}"
    );
    assert!(words.contains("Report date 9 Oct 2026"), "{words}");
    assert!(
        words.contains("Bridge letter Current: management's letter of 2 Nov 2026"),
        "{words}"
    );
    assert!(words.contains("through 30 Nov 2026"), "{words}");
    assert!(words.contains("Request report under NDA"), "{words}");
    // The SOC 3 link is a real, safe, external link.
    assert!(
        html.contains("href=\"http://127.0.0.1:8080/demo/docs/halyard-soc3-2026.pdf\""),
        "{html}"
    );
    assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    // Attestation wording: a SOC 2 report is never called a certification.
    assert!(!words.to_lowercase().contains("certif"), "{words}");
}

#[test]
fn soc2_expiring_soon_within_60_days_of_the_12_month_mark() {
    // Coverage ended 2026-08-31, so the report is treated as current until 2027-08-31.
    let words = text(&soc2_html(demo_manifest(), "2027-07-15"));
    assert!(words.contains("! Expiring soon"), "{words}");
    assert!(words.contains("47 days left"), "{words}");
    // The bridge letter ended in November 2026: said in words.
    assert!(
        words.contains("Lapsed: the letter of 2 Nov 2026 only covered through 30 Nov 2026"),
        "{words}"
    );
}

#[test]
fn soc2_stale_after_twelve_months_without_bridge_letter() {
    let html = soc2_html(demo_manifest(), "2027-09-01");
    let words = text(&html);
    assert!(words.contains("! Stale"), "{words}");
    assert!(html.contains("tc-badge--warn"));
    assert!(words.contains("ended more than 12 months ago"), "{words}");
    // The last day of the 12 months is still current.
    let words = text(&soc2_html(demo_manifest(), "2027-08-31"));
    assert!(words.contains("Expiring soon"), "{words}");
}

#[test]
fn soc2_in_progress_has_no_report_facts_and_no_request_button() {
    let mut manifest = demo_manifest();
    let soc2 = manifest.soc2.as_mut().unwrap();
    soc2.status = Soc2Status::InProgress;
    soc2.report = None;
    soc2.bridge_letter = None;
    soc2.soc3_url = None;
    soc2.report_document_id = None;
    soc2.next_report_expected = Some(day("2027-05-31"));
    let html = soc2_html(manifest, "2026-11-28");
    let words = text(&html);
    assert!(words.contains("SOC 2® report"), "{words}");
    assert!(!words.contains("Type 2"), "{words}");
    assert!(words.contains("◔ In progress"), "{words}");
    assert!(words.contains("expects one by 2027-05-31"), "{words}");
    assert!(
        words.contains("Next report expected 31 May 2027"),
        "{words}"
    );
    assert!(!words.contains("Request report under NDA"), "{words}");
    assert!(!words.contains("CPA firm Calder"), "{words}");
}

#[test]
fn soc2_type1_shows_as_of_date() {
    let mut manifest = demo_manifest();
    let report = manifest.soc2.as_mut().unwrap().report.as_mut().unwrap();
    report.kind = Soc2ReportKind::Type1 {
        as_of: day("2026-06-30"),
    };
    let words = text(&soc2_html(manifest, "2026-11-28"));
    assert!(words.contains("SOC 2® Type 1 report"), "{words}");
    assert!(
        words.contains("Controls assessed as of 30 Jun 2026"),
        "{words}"
    );
    assert!(words.contains("Note: This is a Type 1 report"), "{words}");
}

#[test]
fn soc2_not_declared() {
    let mut manifest = demo_manifest();
    manifest.soc2 = None;
    let words = text(&soc2_html(manifest, "2026-11-28"));
    assert!(words.contains("– Not declared"), "{words}");
    assert!(words.contains("makes no statement about SOC 2"), "{words}");
}

#[test]
fn iso_demo_is_current_2022_with_accreditation_scope_and_upcoming_surveillance() {
    let html = iso_html(demo_manifest(), "2026-11-28");
    let words = text(&html);
    assert!(words.contains("ISO/IEC 27001 certificate"), "{words}");
    assert!(words.contains("✓ Current"), "{words}");
    assert!(
        words.contains("Certificate number MCL-ISMS-204417"),
        "{words}"
    );
    assert!(words.contains("Standard ISO/IEC 27001:2022"), "{words}");
    assert!(
        words.contains("Meridian Certification Ltd · Accredited by UKAS"),
        "{words}"
    );
    assert!(
        words.contains("Scope of the certified management system"),
        "{words}"
    );
    assert!(
        words.contains("Next surveillance audit Due by 19 Jan 2027 (in 52 days)"),
        "{words}"
    );
    assert!(
        words.contains("Last surveillance audit 9 Dec 2025"),
        "{words}"
    );
    assert!(
        words.contains("417 days until the certificate expires"),
        "{words}"
    );
    assert!(html.contains("tc-meter__fill--p35"), "{html}");
    assert!(words.contains("Verify with the registry"), "{words}");
    assert!(
        html.contains("href=\"https://www.iafcertsearch.org/\""),
        "{html}"
    );
    assert!(html.contains("rel=\"noopener noreferrer\""));
}

#[test]
fn iso_surveillance_overdue_is_flagged_in_words() {
    let html = iso_html(demo_manifest(), "2027-01-25");
    let words = text(&html);
    assert!(words.contains("! Surveillance audit overdue"), "{words}");
    assert!(
        words.contains("Overdue: was due by 19 Jan 2027 (6 days ago)"),
        "{words}"
    );
    assert!(html.contains("tc-overdue"));
}

#[test]
fn iso_expiring_and_expired() {
    let mut manifest = demo_manifest();
    // Mark every audit done so only the expiry matters.
    for audit in &mut manifest
        .iso27001
        .as_mut()
        .unwrap()
        .certificate
        .as_mut()
        .unwrap()
        .surveillance_audits
    {
        audit.completed_on.get_or_insert(day("2026-12-01"));
    }
    let words = text(&iso_html(manifest.clone(), "2027-12-01"));
    assert!(words.contains("! Expiring soon"), "{words}");
    assert!(
        words.contains("49 days until the certificate expires"),
        "{words}"
    );

    let html = iso_html(manifest, "2028-01-20");
    let words = text(&html);
    assert!(words.contains("✕ Expired"), "{words}");
    assert!(words.contains("expired on 2028-01-19"), "{words}");
    assert!(html.contains("tc-badge--bad"));
}

#[test]
fn iso_2013_edition_is_not_valid_after_the_transition() {
    let mut manifest = demo_manifest();
    manifest
        .iso27001
        .as_mut()
        .unwrap()
        .certificate
        .as_mut()
        .unwrap()
        .edition = IsoEdition::Iso2013;
    let words = text(&iso_html(manifest, "2026-11-28"));
    assert!(words.contains("✕ Not valid"), "{words}");
    assert!(words.contains("Standard ISO/IEC 27001:2013"), "{words}");
    assert!(words.contains("ISO/IEC 27001:2022"), "{words}");
}

#[test]
fn iso_in_progress_and_suspended() {
    let mut manifest = demo_manifest();
    let iso = manifest.iso27001.as_mut().unwrap();
    iso.status = IsoStatus::InProgress;
    iso.certificate = None;
    iso.expected_certification = Some(day("2027-04-30"));
    let words = text(&iso_html(manifest, "2026-11-28"));
    assert!(words.contains("◔ In progress"), "{words}");
    assert!(
        words.contains("Certification expected 30 Apr 2027"),
        "{words}"
    );
    assert!(!words.contains("Verify with the registry"), "{words}");

    let mut manifest = demo_manifest();
    manifest.iso27001.as_mut().unwrap().status = IsoStatus::Suspended;
    let words = text(&iso_html(manifest, "2026-11-28"));
    assert!(words.contains("✕ Suspended"), "{words}");
    assert!(
        !words.contains("days until the certificate expires"),
        "{words}"
    );
}

#[test]
fn unsafe_links_are_rendered_as_plain_text() {
    let mut manifest = demo_manifest();
    manifest
        .iso27001
        .as_mut()
        .unwrap()
        .certificate
        .as_mut()
        .unwrap()
        .registry_url = Some("javascript:alert(1)".to_owned());
    manifest.soc2.as_mut().unwrap().soc3_url = Some("http://evil.example/soc3.pdf".to_owned());
    let iso = iso_html(manifest.clone(), "2026-11-28");
    assert!(!iso.contains("javascript:"), "{iso}");
    assert!(text(&iso).contains("Verify with the registry"));
    assert!(iso.contains("tc-unsafe-link"));
    let soc2 = soc2_html(manifest, "2026-11-28");
    assert!(!soc2.contains("href=\"http://evil.example"), "{soc2}");
    assert!(soc2.contains("tc-unsafe-link"));
}

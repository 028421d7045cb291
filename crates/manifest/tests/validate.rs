//! Validation rules: safe links, required-when rules, ids, hashes and date order, each problem
//! naming its JSON path.

mod common;

use common::*;
use trust_manifest::*;

fn example() -> Manifest {
    parse_manifest(MANIFEST_JSON.as_bytes()).expect("example parses")
}

fn strict() -> ValidationOptions {
    ValidationOptions::default()
}

fn paths(manifest: &Manifest, options: &ValidationOptions) -> Vec<String> {
    validate(manifest, options)
        .into_iter()
        .map(|p| p.path)
        .collect()
}

#[test]
fn the_example_is_valid() {
    assert_eq!(validate(&example(), &strict()), Vec::<Problem>::new());
    assert!(!ValidationOptions::default().allow_loopback_http);
}

#[test]
fn links_must_be_https_and_name_their_field() {
    let mut m = example();
    m.organization.website = "http://example.com".into();
    m.organization.logo_url = Some("javascript:alert(1)".into());
    m.organization.security_txt_url = Some("mailto:x@example.com".into());
    m.soc2.as_mut().expect("soc2").soc3_url = Some("data:text/html,x".into());
    m.documents[1].url = Some("ftp://example.com/iso.pdf".into());
    m.subprocessors[0].url = Some("//hosting.example.com".into());
    m.iso27001
        .as_mut()
        .and_then(|i| i.certificate.as_mut())
        .expect("certificate")
        .registry_url = Some("http://registry.example".into());
    let problems = validate(&m, &strict());
    let found: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        found,
        [
            "organization.website",
            "organization.logo_url",
            "organization.security_txt_url",
            "documents[1].url",
            "soc2.soc3_url",
            "iso27001.certificate.registry_url",
            "subprocessors[0].url",
        ]
    );
    assert!(problems[0].message.contains("http://example.com"));
    assert!(problems[0].message.contains("https://"));
}

#[test]
fn security_contact_may_be_mailto_or_https() {
    let mut m = example();
    for ok in [
        "mailto:security@example.com",
        "https://example.com/security",
    ] {
        m.organization.security_contact = ok.into();
        assert!(validate(&m, &strict()).is_empty(), "{ok}");
    }
    for bad in ["security@example.com", "http://example.com", "mailto:"] {
        m.organization.security_contact = bad.into();
        assert_eq!(
            paths(&m, &strict()),
            ["organization.security_contact"],
            "{bad}"
        );
    }
}

#[test]
fn loopback_http_only_in_development_mode() {
    let mut m = example();
    m.access_requests.as_mut().expect("settings").intake_url = "http://127.0.0.1:8787".into();
    m.organization.website = "http://localhost:8080".into();
    assert_eq!(
        paths(&m, &strict()),
        ["organization.website", "access_requests.intake_url"]
    );
    let dev = ValidationOptions {
        allow_loopback_http: true,
    };
    assert!(validate(&m, &dev).is_empty());
    m.organization.website = "http://192.168.1.10".into();
    assert_eq!(paths(&m, &dev), ["organization.website"]);
}

#[test]
fn required_when_rules() {
    let mut m = example();
    let soc2 = m.soc2.as_mut().expect("soc2");
    soc2.report = None;
    soc2.bridge_letter = Some(BridgeLetter {
        issued_on: date("2026-10-01"),
        covers_through: date("2026-12-31"),
        document_id: None,
    });
    let iso = m.iso27001.as_mut().expect("iso");
    iso.certificate = None;
    assert_eq!(
        paths(&m, &strict()),
        ["soc2.report", "soc2.bridge_letter", "iso27001.certificate"]
    );

    // Not started / in progress need no report or certificate.
    let mut m = example();
    let soc2 = m.soc2.as_mut().expect("soc2");
    soc2.status = Soc2Status::InProgress;
    soc2.report = None;
    let iso = m.iso27001.as_mut().expect("iso");
    iso.status = IsoStatus::NotStarted;
    iso.certificate = None;
    assert!(validate(&m, &strict()).is_empty());
}

#[test]
fn soc2_report_rules() {
    let mut m = example();
    let report = m
        .soc2
        .as_mut()
        .and_then(|s| s.report.as_mut())
        .expect("report");
    report.criteria = vec![
        TrustServicesCriterion::Availability,
        TrustServicesCriterion::Availability,
    ];
    report.auditor = "  ".into();
    report.kind = Soc2ReportKind::Type2 {
        period_start: date("2026-10-01"),
        period_end: date("2026-09-30"),
    };
    report.report_date = date("2026-09-01");
    let problems = validate(&m, &strict());
    let found: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        found,
        [
            "soc2.report.criteria",
            "soc2.report.criteria",
            "soc2.report.auditor",
            "soc2.report.period_end",
            "soc2.report.report_date",
        ]
    );
    assert!(problems[0].message.contains("Security"));
    // Period start equal to end is allowed.
    let mut m = example();
    let report = m
        .soc2
        .as_mut()
        .and_then(|s| s.report.as_mut())
        .expect("report");
    report.kind = Soc2ReportKind::Type2 {
        period_start: date("2026-09-30"),
        period_end: date("2026-09-30"),
    };
    assert!(validate(&m, &strict()).is_empty());
}

#[test]
fn bridge_letter_must_extend_the_report() {
    let mut m = example();
    m.soc2.as_mut().expect("soc2").bridge_letter = Some(BridgeLetter {
        issued_on: date("2026-10-01"),
        covers_through: date("2026-09-30"),
        document_id: Some("missing".into()),
    });
    assert_eq!(
        paths(&m, &strict()),
        [
            "soc2.bridge_letter.covers_through",
            "soc2.bridge_letter.document_id"
        ]
    );
}

#[test]
fn documents_rules() {
    let mut m = example();
    m.documents[0].url = Some("https://example.com/soc2.pdf".into()); // NDA document with a url
    m.documents[1].url = None; // public document without one
    m.documents[1].sha256 = Some("ABCDEF".into());
    let mut duplicate = m.documents[1].clone();
    duplicate.url = Some("https://example.com/x".into());
    duplicate.sha256 = None;
    m.documents.push(duplicate);
    let mut bad_id = m.documents[2].clone();
    bad_id.id = "has space".into();
    bad_id.title = String::new();
    m.documents.push(bad_id);
    assert_eq!(
        paths(&m, &strict()),
        [
            "documents[0].url",
            "documents[1].url",
            "documents[1].sha256",
            "documents[2].id",
            "documents[3].id",
            "documents[3].title",
        ]
    );
}

#[test]
fn document_references_must_exist() {
    let mut m = example();
    m.soc2.as_mut().expect("soc2").report_document_id = Some("nope".into());
    m.iso27001
        .as_mut()
        .and_then(|i| i.certificate.as_mut())
        .expect("certificate")
        .certificate_document_id = Some("gone".into());
    let problems = validate(&m, &strict());
    assert_eq!(
        problems.iter().map(|p| p.path.as_str()).collect::<Vec<_>>(),
        [
            "soc2.report_document_id",
            "iso27001.certificate.certificate_document_id"
        ]
    );
    assert!(problems[0].message.contains("\"nope\""));
}

#[test]
fn certificate_rules() {
    let mut m = example();
    let cert = m
        .iso27001
        .as_mut()
        .and_then(|i| i.certificate.as_mut())
        .expect("certificate");
    cert.accreditation_body = None;
    cert.original_issue_date = date("2025-01-01");
    cert.issue_date = date("2024-06-01");
    cert.expiry_date = date("2024-05-31");
    cert.number = String::new();
    assert_eq!(
        paths(&m, &strict()),
        [
            "iso27001.certificate.number",
            "iso27001.certificate.accreditation_body",
            "iso27001.certificate.original_issue_date",
            "iso27001.certificate.expiry_date",
        ]
    );
    // Unaccredited certificates need no accreditation body.
    let mut m = example();
    let cert = m
        .iso27001
        .as_mut()
        .and_then(|i| i.certificate.as_mut())
        .expect("certificate");
    cert.accredited = false;
    cert.accreditation_body = None;
    assert!(validate(&m, &strict()).is_empty());
}

#[test]
fn access_request_rules() {
    let mut m = example();
    let settings = m.access_requests.as_mut().expect("settings");
    settings.nda.text = None;
    settings.nda.text_url = None;
    settings.nda.sha256 = "1".repeat(63);
    settings.nda.version = String::new();
    assert_eq!(
        paths(&m, &strict()),
        [
            "access_requests.nda.version",
            "access_requests.nda",
            "access_requests.nda.sha256"
        ]
    );
    let mut m = example();
    m.access_requests.as_mut().expect("settings").nda.text_url =
        Some("http://example.com/nda.txt".into());
    assert_eq!(paths(&m, &strict()), ["access_requests.nda.text_url"]);

    // NDA documents need a way to request them.
    let mut m = example();
    m.access_requests = None;
    assert_eq!(paths(&m, &strict()), ["access_requests"]);
    m.documents.retain(|d| d.access == DocumentAccess::Public);
    m.soc2.as_mut().expect("soc2").report_document_id = None;
    assert!(validate(&m, &strict()).is_empty());
}

#[test]
fn manifest_level_rules() {
    let mut m = example();
    m.schema_version = 2;
    m.expires_at = date("2026-10-31");
    m.faq.push(m.faq[0].clone());
    m.not_claimed.push(" ".into());
    m.subprocessors[0].name = String::new();
    assert_eq!(
        paths(&m, &strict()),
        [
            "schema_version",
            "expires_at",
            "subprocessors[0].name",
            "faq[1].id",
            "not_claimed[1]"
        ]
    );
    // Issued and expiring on the same day is fine.
    let mut m = example();
    m.expires_at = m.issued_at;
    assert!(validate(&m, &strict()).is_empty());
}

#[test]
fn document_ids_follow_the_shared_rule() {
    for bad_id in ["a..b", ".a", "-a", &"a".repeat(65)] {
        let mut m = example();
        m.documents[1].id = bad_id.to_owned();
        m.iso27001
            .as_mut()
            .and_then(|i| i.certificate.as_mut())
            .expect("certificate")
            .certificate_document_id = Some(bad_id.to_owned());
        assert!(!is_document_id(bad_id));
        assert_eq!(paths(&m, &strict()), ["documents[1].id"], "{bad_id}");
    }
    let mut m = example();
    m.documents[1].id = "iso.cert-2024_v2".into();
    m.iso27001
        .as_mut()
        .and_then(|i| i.certificate.as_mut())
        .expect("certificate")
        .certificate_document_id = Some("iso.cert-2024_v2".into());
    assert_eq!(validate(&m, &strict()), Vec::<Problem>::new());
}

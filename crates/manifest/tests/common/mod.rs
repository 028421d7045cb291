//! Shared fixtures for the integration tests: a complete example manifest and fixed keys.
#![allow(dead_code)]

pub mod decode_oracle;
pub mod serde_oracle;

use trust_manifest::{Date, SigningKey};

/// A complete, valid manifest as JSON text (issued 2026-11-01, expires 2027-02-01).
pub const MANIFEST_JSON: &str = r#"{
  "schema_version": 1,
  "version": 7,
  "issued_at": "2026-11-01",
  "expires_at": "2027-02-01",
  "organization": {
    "name": "Example Cloud Ltd",
    "website": "https://example.com",
    "logo_url": "https://example.com/logo.svg",
    "security_contact": "mailto:security@example.com",
    "security_txt_url": "https://example.com/.well-known/security.txt"
  },
  "soc2": {
    "status": "report_available",
    "report": {
      "type": "type2",
      "period_start": "2025-10-01",
      "period_end": "2026-09-30",
      "criteria": ["security", "availability", "confidentiality"],
      "auditor": "Sample & Partners CPA LLP",
      "report_date": "2026-10-20"
    },
    "next_report_expected": "2027-10-31",
    "soc3_url": "https://example.com/soc3.pdf",
    "report_document_id": "soc2-2026"
  },
  "iso27001": {
    "status": "active",
    "certificate": {
      "number": "IS 123456",
      "edition": "2022",
      "certified_entity": "Example Cloud Ltd",
      "scope": "Development and operation of the Example Cloud platform",
      "certification_body": "Example Certification Ltd",
      "accreditation_body": "UKAS",
      "accredited": true,
      "original_issue_date": "2024-03-01",
      "issue_date": "2024-03-01",
      "expiry_date": "2027-02-28",
      "soa_version": "3.1",
      "surveillance_audits": [
        {"due_by": "2025-02-28", "completed_on": "2025-02-10"},
        {"due_by": "2026-02-28", "completed_on": "2026-02-12"}
      ],
      "registry_url": "https://www.iafcertsearch.org/",
      "certificate_document_id": "iso-cert"
    }
  },
  "documents": [
    {"id": "soc2-2026", "title": "SOC 2 Type 2 report 2026", "kind": "soc2_report", "access": "nda",
     "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "size_bytes": 1200000,
     "updated_on": "2026-10-20"},
    {"id": "iso-cert", "title": "ISO/IEC 27001 certificate", "kind": "iso_certificate", "access": "public",
     "url": "https://example.com/iso.pdf", "updated_on": "2024-03-01"}
  ],
  "subprocessors": [
    {"name": "Example Hosting Inc", "purpose": "Hosting", "locations": ["EU"], "url": "https://hosting.example.com"}
  ],
  "faq": [{"id": "pentest", "question": "Do you run penetration tests?", "answer": "Yes, every year."}],
  "access_requests": {
    "intake_url": "https://trust.example.com",
    "nda": {"version": "2026-01", "text": "Keep it confidential.",
            "sha256": "1111111111111111111111111111111111111111111111111111111111111111"}
  },
  "not_claimed": ["No SOC 1 report"],
  "changes": [
    {"id": "2026-11-01-subprocessor-added-example-mail", "version": 7, "date": "2026-11-01",
     "category": "subprocessors", "summary": "New subprocessor: Example Mail Inc (transactional e-mail, EU).",
     "effective_date": "2026-12-01"},
    {"id": "2026-10-20-soc2-renewed", "version": 6, "date": "2026-10-20", "category": "certifications",
     "summary": "SOC 2 Type 2 report for 2025-10-01 to 2026-09-30 available under NDA."}
  ],
  "updates": {
    "subscribe_url": "https://trust.example.com/v1/subscriptions",
    "feed_url": "https://example.com/trust/changes.atom",
    "subprocessor_notice_days": 30
  }
}"#;

/// Today's date in these tests.
pub fn today() -> Date {
    date("2026-11-28")
}

/// Parses a test date.
pub fn date(text: &str) -> Date {
    text.parse().expect("valid test date")
}

/// A fixed signing key (seed 0x01 repeated).
pub fn key_a() -> SigningKey {
    SigningKey::from_bytes(&[1u8; 32])
}

/// A second fixed signing key (seed 0x02 repeated).
pub fn key_b() -> SigningKey {
    SigningKey::from_bytes(&[2u8; 32])
}

//! The example manifest written by `trustctl init`: every section filled in with realistic,
//! clearly fictitious values, all dates relative to today so that it signs and verifies as is.

use trust_manifest::sha256::sha256_hex;
use trust_manifest::{
    AccessRequestSettings, BridgeLetter, Date, Document, DocumentAccess, DocumentKind, FaqEntry,
    Iso27001, IsoCertificate, IsoEdition, IsoStatus, Manifest, NdaTerms, Organization, Soc2,
    Soc2Report, Soc2ReportKind, Soc2Status, Subprocessor, SurveillanceAudit,
    TrustServicesCriterion, SCHEMA_VERSION,
};

/// The NDA text of the example, kept short; its SHA-256 goes into the manifest.
const EXAMPLE_NDA: &str = "Mutual non-disclosure terms (example, version 2026-1)\n\n\
You may read the documents released to you only to evaluate Example Cloud Ltd as a supplier. \
Do not pass them on outside your organisation, and delete them when the evaluation ends or \
when we ask you to. These terms apply for three years from the day you accept them.\n";

/// An example manifest issued `today`.
pub fn example_manifest(today: Date) -> Manifest {
    let soc2_period_end = today.add_months(-2).add_days(-10);
    let soc2_period_start = soc2_period_end.add_months(-12).add_days(1);
    let soc2_report_date = soc2_period_end.add_days(35);
    let bridge_issued = today.add_days(-7);
    let iso_original = today.add_months(-14);
    let iso_expiry = iso_original.add_months(36).add_days(-1);

    Manifest {
        schema_version: SCHEMA_VERSION,
        version: 1,
        issued_at: today,
        expires_at: today.add_months(6),
        organization: Organization {
            name: "Example Cloud Ltd".to_owned(),
            website: "https://www.example.com".to_owned(),
            logo_url: Some("https://www.example.com/assets/logo.svg".to_owned()),
            security_contact: "mailto:security@example.com".to_owned(),
            security_txt_url: Some("https://www.example.com/.well-known/security.txt".to_owned()),
        },
        soc2: Some(Soc2 {
            status: Soc2Status::ReportAvailable,
            report: Some(Soc2Report {
                kind: Soc2ReportKind::Type2 {
                    period_start: soc2_period_start,
                    period_end: soc2_period_end,
                },
                criteria: vec![
                    TrustServicesCriterion::Security,
                    TrustServicesCriterion::Availability,
                    TrustServicesCriterion::Confidentiality,
                ],
                auditor: "Example Assurance LLP (independent CPA firm)".to_owned(),
                report_date: soc2_report_date,
            }),
            bridge_letter: Some(BridgeLetter {
                issued_on: bridge_issued,
                covers_through: bridge_issued,
                document_id: Some("soc2-bridge-letter".to_owned()),
            }),
            next_report_expected: Some(soc2_period_end.add_months(12).add_days(35)),
            soc3_url: Some("https://www.example.com/trust/soc3-report.pdf".to_owned()),
            report_document_id: Some("soc2-type2-report".to_owned()),
        }),
        iso27001: Some(Iso27001 {
            status: IsoStatus::Active,
            certificate: Some(IsoCertificate {
                number: "EXAMPLE-ISMS-000123".to_owned(),
                edition: IsoEdition::Iso2022,
                certified_entity: "Example Cloud Ltd".to_owned(),
                scope: "Development, operation and support of the Example Cloud software-as-a-service \
                        platform, including customer data hosted with third-party cloud providers, \
                        in line with Statement of Applicability version 3.1."
                    .to_owned(),
                certification_body: "Example Certification Services Ltd".to_owned(),
                accreditation_body: Some("UKAS".to_owned()),
                accredited: true,
                original_issue_date: iso_original,
                issue_date: iso_original,
                expiry_date: iso_expiry,
                soa_version: Some("3.1".to_owned()),
                surveillance_audits: vec![
                    SurveillanceAudit {
                        due_by: iso_original.add_months(12),
                        completed_on: Some(iso_original.add_months(11)),
                    },
                    SurveillanceAudit {
                        due_by: iso_original.add_months(24),
                        completed_on: None,
                    },
                ],
                registry_url: Some("https://www.example.org/certificate-registry/EXAMPLE-ISMS-000123".to_owned()),
                certificate_document_id: Some("iso27001-certificate".to_owned()),
            }),
            expected_certification: None,
        }),
        documents: vec![
            document(
                "soc2-type2-report",
                "SOC 2 Type 2 report",
                DocumentKind::Soc2Report,
                None,
                soc2_report_date,
                "The auditor's report on our controls over the observation period, including the tests performed.",
            ),
            document(
                "soc2-bridge-letter",
                "SOC 2 bridge letter",
                DocumentKind::BridgeLetter,
                None,
                bridge_issued,
                "Management's statement covering the time since the end of the last report period.",
            ),
            document(
                "soc3-report",
                "SOC 3 report",
                DocumentKind::Soc3Report,
                Some("https://www.example.com/trust/soc3-report.pdf"),
                soc2_report_date,
                "The general-use summary of our SOC 2 examination.",
            ),
            document(
                "iso27001-certificate",
                "ISO/IEC 27001:2022 certificate",
                DocumentKind::IsoCertificate,
                Some("https://www.example.com/trust/iso27001-certificate.pdf"),
                iso_original,
                "The certificate issued by our certification body.",
            ),
            document(
                "statement-of-applicability",
                "Statement of Applicability v3.1",
                DocumentKind::StatementOfApplicability,
                None,
                iso_original.add_days(-20),
                "Which ISO/IEC 27001 Annex A controls apply to us, and why.",
            ),
            document(
                "pentest-summary",
                "Penetration test summary",
                DocumentKind::PentestSummary,
                None,
                today.add_months(-3),
                "Scope, method and outcome of our latest external penetration test.",
            ),
            document(
                "information-security-policy",
                "Information security policy",
                DocumentKind::Policy,
                Some("https://www.example.com/trust/information-security-policy.pdf"),
                today.add_months(-5),
                "The top-level policy that our other security policies build on.",
            ),
        ],
        subprocessors: vec![
            Subprocessor {
                name: "Amazon Web Services EMEA SARL".to_owned(),
                purpose: "Cloud hosting of the platform and its databases".to_owned(),
                locations: vec!["Ireland".to_owned(), "Germany".to_owned()],
                url: Some("https://aws.amazon.com/compliance/".to_owned()),
            },
            Subprocessor {
                name: "Cloudflare, Inc.".to_owned(),
                purpose: "Content delivery and protection against denial-of-service attacks".to_owned(),
                locations: vec!["Global edge network".to_owned()],
                url: Some("https://www.cloudflare.com/trust-hub/".to_owned()),
            },
            Subprocessor {
                name: "Example Mail Delivery GmbH".to_owned(),
                purpose: "Sending account and notification e-mails".to_owned(),
                locations: vec!["Germany".to_owned()],
                url: Some("https://mail.example.net/security".to_owned()),
            },
        ],
        faq: vec![
            FaqEntry {
                id: "soc2-report-access".to_owned(),
                question: "How can we get your SOC 2 report?".to_owned(),
                answer: "Use the request button next to the report. You accept our NDA, we check \
                         the request, and you receive a download link that works for a limited time."
                    .to_owned(),
            },
            FaqEntry {
                id: "page-authenticity".to_owned(),
                question: "How do I know this information really comes from us?".to_owned(),
                answer: "The page content is signed with our Ed25519 key. Your browser checks the \
                         signature against the public key embedded in our website before showing \
                         anything, so altered content is never displayed as valid.\n\nProcurement \
                         teams can run the same check with `trustctl verify`."
                    .to_owned(),
            },
            FaqEntry {
                id: "data-location".to_owned(),
                question: "Where is customer data stored?".to_owned(),
                answer: "In data centres in Ireland and Germany, operated by the hosting provider \
                         listed under subprocessors."
                    .to_owned(),
            },
        ],
        access_requests: Some(AccessRequestSettings {
            intake_url: "https://trust.example.com".to_owned(),
            nda: NdaTerms {
                version: "2026-1".to_owned(),
                text: Some(EXAMPLE_NDA.to_owned()),
                text_url: None,
                sha256: sha256_hex(EXAMPLE_NDA.as_bytes()),
            },
        }),
        not_claimed: vec![
            "SOC 1 report".to_owned(),
            "PCI DSS attestation".to_owned(),
            "FedRAMP authorization".to_owned(),
        ],
        changes: Vec::new(),
        updates: None,
        language: None,
        translations: Vec::new(),
    }
}

fn document(
    id: &str,
    title: &str,
    kind: DocumentKind,
    public_url: Option<&str>,
    updated_on: Date,
    description: &str,
) -> Document {
    Document {
        id: id.to_owned(),
        title: title.to_owned(),
        kind,
        access: if public_url.is_some() {
            DocumentAccess::Public
        } else {
            DocumentAccess::Nda
        },
        url: public_url.map(str::to_owned),
        sha256: None,
        size_bytes: None,
        updated_on,
        description: Some(description.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_dates_follow_today() {
        let today: Date = "2026-11-28".parse().unwrap_or(Date::MIN);
        let manifest = example_manifest(today);
        assert_eq!(manifest.issued_at, today);
        assert!(manifest.expires_at > today);
        let iso = manifest.iso27001.and_then(|iso| iso.certificate);
        assert!(iso.is_some_and(
            |cert| cert.expiry_date > today && cert.surveillance_audits[1].due_by > today
        ));
    }

    #[test]
    fn nda_hash_matches_the_text() {
        let nda = example_manifest(Date::MIN.add_days(1000))
            .access_requests
            .map(|a| a.nda);
        assert!(nda.is_some_and(
            |nda| Some(sha256_hex(nda.text.unwrap_or_default().as_bytes())) == Some(nda.sha256)
        ));
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

//! The manifest payload, schema version 1: what a vendor claims about its SOC 2 report, its
//! ISO/IEC 27001 certificate, its documents and its subprocessors.
//!
//! Field names are the JSON names (snake_case). Unknown fields are ignored so that a newer
//! manifest still reads in an older widget; optional sections may be left out entirely.
//!
//! Manifests are read by [`crate::decode`] only. The types serialise with serde (for `trustctl`
//! and the JSON Schema); their `Deserialize` derives exist only with the test-only
//! `serde-oracle` feature, as the oracle the differential tests compare the decoder with. The
//! `#[serde]` attributes below describe the JSON for both directions.

use serde::Serialize;

use crate::date::Date;

/// The only payload schema version this crate understands.
pub const SCHEMA_VERSION: u32 = 1;

/// A trust-center manifest (the signed payload).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Manifest {
    /// Payload format version; must be 1.
    pub schema_version: u32,
    /// Monotonically increasing revision number; a widget warns when it is served a lower one
    /// than it has already seen (rollback).
    pub version: u64,
    /// The day this revision was issued.
    pub issued_at: Date,
    /// The last day this revision may be relied on; after it the page is shown as expired.
    pub expires_at: Date,
    /// Who makes these claims.
    pub organization: Organization,
    /// The SOC 2 report programme, if the vendor says anything about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soc2: Option<Soc2>,
    /// The ISO/IEC 27001 certificate, if the vendor says anything about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso27001: Option<Iso27001>,
    /// Documents offered on the page, public or under NDA.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// Third parties that process customer data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subprocessors: Vec<Subprocessor>,
    /// The vendor's own questions and answers, shown beside the built-in framework FAQ.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faq: Vec<FaqEntry>,
    /// Where and how visitors request NDA-gated documents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_requests: Option<AccessRequestSettings>,
    /// Things the vendor explicitly does not claim (for example "No SOC 1 report").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_claimed: Vec<String>,
    /// The history of notable changes, each entry signed with the version that introduced it.
    /// Consumers sort by `(version, date)`, newest first; the order in the file is free.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<ChangeEntry>,
    /// How customers hear about changes: the subscription endpoint, the feed, the notice period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updates: Option<UpdateSettings>,
    /// The language the vendor's texts are written in (a BCP 47 tag such as `en` or `de-CH`);
    /// `en` when absent. See [`crate::translations`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Translations of the vendor's texts: language tag → (text in the main language →
    /// translation), e.g. `{"de": {"Hosting and storage": "Hosting und Speicherung"}}`. See
    /// [`crate::translations`].
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        with = "crate::translations::as_map"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(
            with = "std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>"
        )
    )]
    pub translations: Vec<crate::translations::Translation>,
}

/// The organisation behind the manifest.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Organization {
    /// Legal or trading name.
    pub name: String,
    /// Main website (`https:`).
    pub website: String,
    /// Logo image (`https:`), optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo_url: Option<String>,
    /// Security contact: a `mailto:` address or an `https:` page.
    pub security_contact: String,
    /// The vendor's RFC 9116 security.txt (`https:`), optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_txt_url: Option<String>,
}

/// The SOC 2 programme.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Soc2 {
    /// Where the programme stands.
    pub status: Soc2Status,
    /// The latest report; required when `status` is `report_available`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Soc2Report>,
    /// Management's bridge (gap) letter covering the time after the report period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bridge_letter: Option<BridgeLetter>,
    /// When the next report is expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_report_expected: Option<Date>,
    /// Public SOC 3 report (`https:`), if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soc3_url: Option<String>,
    /// `id` of the entry in `documents` that holds the (NDA-gated) report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_document_id: Option<String>,
}

/// Where a SOC 2 programme stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Soc2Status {
    /// No audit has been started.
    NotStarted,
    /// Preparation or the observation period is under way; no report yet.
    InProgress,
    /// A report has been issued.
    ReportAvailable,
}

/// A SOC 2 report issued by a CPA firm.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Soc2Report {
    /// Type 1 (as of a date) or Type 2 (over a period), with its dates.
    #[serde(flatten)]
    pub kind: Soc2ReportKind,
    /// Trust Services Criteria in scope; Security is always in scope.
    pub criteria: Vec<TrustServicesCriterion>,
    /// The independent CPA firm that issued the report.
    pub auditor: String,
    /// The date of the auditor's report.
    pub report_date: Date,
}

/// The two SOC 2 report types, with the dates each one covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Soc2ReportKind {
    /// Design of controls as of one date.
    #[serde(rename = "type1")]
    Type1 {
        /// The date the design was assessed at.
        as_of: Date,
    },
    /// Operating effectiveness of controls over an observation period.
    #[serde(rename = "type2")]
    Type2 {
        /// First day of the observation period.
        period_start: Date,
        /// Last day of the observation period.
        period_end: Date,
    },
}

impl Soc2ReportKind {
    /// The last day the report speaks for: the as-of date or the end of the period.
    pub fn coverage_end(&self) -> Date {
        match *self {
            Soc2ReportKind::Type1 { as_of } => as_of,
            Soc2ReportKind::Type2 { period_end, .. } => period_end,
        }
    }
}

/// The AICPA Trust Services Criteria.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TrustServicesCriterion {
    /// Security (the common criteria; always in scope).
    Security,
    /// Availability.
    Availability,
    /// Processing integrity.
    ProcessingIntegrity,
    /// Confidentiality.
    Confidentiality,
    /// Privacy.
    Privacy,
}

impl TrustServicesCriterion {
    /// All five criteria in their customary order.
    pub const ALL: [TrustServicesCriterion; 5] = [
        TrustServicesCriterion::Security,
        TrustServicesCriterion::Availability,
        TrustServicesCriterion::ProcessingIntegrity,
        TrustServicesCriterion::Confidentiality,
        TrustServicesCriterion::Privacy,
    ];

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            TrustServicesCriterion::Security => "Security",
            TrustServicesCriterion::Availability => "Availability",
            TrustServicesCriterion::ProcessingIntegrity => "Processing Integrity",
            TrustServicesCriterion::Confidentiality => "Confidentiality",
            TrustServicesCriterion::Privacy => "Privacy",
        }
    }
}

/// A bridge (gap) letter from the vendor's management.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BridgeLetter {
    /// The day management signed the letter.
    pub issued_on: Date,
    /// The last day the letter speaks for.
    pub covers_through: Date,
    /// `id` of the entry in `documents` that holds the letter, if it is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// The ISO/IEC 27001 programme.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Iso27001 {
    /// Where the certification stands, as the vendor declares it. Expiry is computed from the
    /// certificate's dates, never taken on trust.
    pub status: IsoStatus,
    /// The certificate; required unless `status` is `not_started` or `in_progress`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<IsoCertificate>,
    /// When certification is expected, for a programme in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_certification: Option<Date>,
}

/// Declared status of an ISO/IEC 27001 certification (the registry's vocabulary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IsoStatus {
    /// No certification effort yet.
    NotStarted,
    /// Working towards the first certification audit.
    InProgress,
    /// Certificate issued and in force.
    Active,
    /// Suspended by the certification body.
    Suspended,
    /// Withdrawn by the certification body.
    Withdrawn,
}

/// An ISO/IEC 27001 certificate.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IsoCertificate {
    /// Certificate number as printed by the certification body.
    pub number: String,
    /// Edition of the standard the certificate is issued against.
    pub edition: IsoEdition,
    /// The certified legal entity.
    pub certified_entity: String,
    /// Scope statement of the ISMS as printed on the certificate.
    pub scope: String,
    /// The certification body that issued the certificate.
    pub certification_body: String,
    /// The accreditation body that accredits the certification body (e.g. UKAS, ANAB, DAkkS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accreditation_body: Option<String>,
    /// Whether the certificate is issued under accreditation.
    pub accredited: bool,
    /// First issue of the certificate.
    pub original_issue_date: Date,
    /// Most recent issue (after recertification or a change).
    pub issue_date: Date,
    /// Expiry of the current three-year cycle.
    pub expiry_date: Date,
    /// Version of the Statement of Applicability the certificate refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soa_version: Option<String>,
    /// Surveillance audits of the current cycle, due and (when done) completed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surveillance_audits: Vec<SurveillanceAudit>,
    /// Where a visitor can check the certificate with the registry or certification body
    /// (`https:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registry_url: Option<String>,
    /// `id` of the entry in `documents` that holds the certificate, if it is offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_document_id: Option<String>,
}

/// Editions of ISO/IEC 27001 a certificate may be issued against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum IsoEdition {
    /// ISO/IEC 27001:2013 (transition ended 2025-10-31).
    #[serde(rename = "2013")]
    Iso2013,
    /// ISO/IEC 27001:2022.
    #[serde(rename = "2022")]
    Iso2022,
}

impl IsoEdition {
    /// The standard's full name, e.g. "ISO/IEC 27001:2022".
    pub fn label(self) -> &'static str {
        match self {
            IsoEdition::Iso2013 => "ISO/IEC 27001:2013",
            IsoEdition::Iso2022 => "ISO/IEC 27001:2022",
        }
    }
}

/// One surveillance audit of the certificate cycle.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SurveillanceAudit {
    /// The latest day the audit may take place.
    pub due_by: Date,
    /// The day it was completed, once it has been.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<Date>,
}

/// A document offered on the trust page.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Document {
    /// Stable identifier, used in access requests: 1 to 64 letters, digits, `.`, `_` or `-`, a
    /// letter or digit first, never `..` (the rule of `trust_manifest::ids::is_document_id`).
    #[cfg_attr(
        feature = "schema",
        schemars(
            length(min = 1, max = 64),
            regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.?$")
        )
    )]
    pub id: String,
    /// Title shown to visitors.
    pub title: String,
    /// What sort of document it is.
    pub kind: DocumentKind,
    /// Whether anyone may download it or it is released under NDA.
    pub access: DocumentAccess,
    /// Download address (`https:`); required for public documents, absent for NDA ones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Lowercase hex SHA-256 of the file, so a downloaded copy can be checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// File size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<u64>,
    /// The day the document was last updated.
    pub updated_on: Date,
    /// One sentence on what it contains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Kinds of documents a trust page offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// A SOC 2 report (restricted use).
    Soc2Report,
    /// A SOC 3 report (general use).
    Soc3Report,
    /// A management bridge letter.
    BridgeLetter,
    /// An ISO/IEC 27001 certificate.
    IsoCertificate,
    /// A Statement of Applicability.
    StatementOfApplicability,
    /// A security policy.
    Policy,
    /// A penetration test summary.
    PentestSummary,
    /// Anything else.
    Other,
}

impl DocumentKind {
    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Soc2Report => "SOC 2 report",
            DocumentKind::Soc3Report => "SOC 3 report",
            DocumentKind::BridgeLetter => "Bridge letter",
            DocumentKind::IsoCertificate => "ISO/IEC 27001 certificate",
            DocumentKind::StatementOfApplicability => "Statement of Applicability",
            DocumentKind::Policy => "Policy",
            DocumentKind::PentestSummary => "Penetration test summary",
            DocumentKind::Other => "Document",
        }
    }
}

/// Who may obtain a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum DocumentAccess {
    /// Anyone may download it.
    Public,
    /// Released after a request and an accepted NDA.
    Nda,
}

/// A subprocessor: a third party that processes customer data.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Subprocessor {
    /// Company name.
    pub name: String,
    /// What it does with customer data.
    pub purpose: String,
    /// Where the data is processed (countries or regions).
    #[serde(default)]
    pub locations: Vec<String>,
    /// The subprocessor's website or trust page (`https:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A question and answer from the vendor.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FaqEntry {
    /// Stable identifier used in deep links (`#faq-<id>`).
    pub id: String,
    /// The question.
    pub question: String,
    /// The answer, plain text (paragraphs separated by blank lines).
    pub answer: String,
}

/// How visitors request NDA-gated documents.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AccessRequestSettings {
    /// The vendor's intake service endpoint that receives requests (`https:`).
    pub intake_url: String,
    /// The NDA a visitor accepts.
    pub nda: NdaTerms,
}

/// The non-disclosure agreement shown before a request.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NdaTerms {
    /// The NDA's version label, recorded with every acceptance.
    pub version: String,
    /// The NDA text inline (plain text); either this or `text_url` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where the NDA text is published (`https:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_url: Option<String>,
    /// Lowercase hex SHA-256 of the exact NDA text bytes, recorded as acceptance evidence.
    pub sha256: String,
}

/// One notable change announced on the trust page (for example a new subprocessor).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ChangeEntry {
    /// Stable identifier, unique in `changes`, used in deep links (`#change-<id>`) and notices:
    /// the rule of `trust_manifest::ids::is_document_id`.
    #[cfg_attr(
        feature = "schema",
        schemars(
            length(min = 1, max = 64),
            regex(pattern = r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.?$")
        )
    )]
    pub id: String,
    /// The manifest `version` that introduced the entry (at most the manifest's own version).
    pub version: u64,
    /// The day the change was announced.
    pub date: Date,
    /// What the change is about.
    pub category: ChangeCategory,
    /// A short plain-text summary written by the vendor (never HTML).
    pub summary: String,
    /// The day the change takes effect; for a subprocessor addition or replacement it gives
    /// customers their notice period (`trustctl lint` checks it against
    /// `updates.subprocessor_notice_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_date: Option<Date>,
}

/// What a change entry is about; subscribers choose the categories they hear about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeCategory {
    /// Subprocessors added, removed or changed.
    Subprocessors,
    /// SOC 2 reports and ISO/IEC 27001 certificates.
    Certifications,
    /// Documents added or updated.
    Documents,
    /// Security policies.
    Policies,
    /// Anything else.
    Other,
}

impl ChangeCategory {
    /// All five categories in their customary order.
    pub const ALL: [ChangeCategory; 5] = [
        ChangeCategory::Subprocessors,
        ChangeCategory::Certifications,
        ChangeCategory::Documents,
        ChangeCategory::Policies,
        ChangeCategory::Other,
    ];

    /// The JSON spelling (`"subprocessors"`, …), also used by the subscription API.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeCategory::Subprocessors => "subprocessors",
            ChangeCategory::Certifications => "certifications",
            ChangeCategory::Documents => "documents",
            ChangeCategory::Policies => "policies",
            ChangeCategory::Other => "other",
        }
    }

    /// The category with this JSON spelling, if there is one.
    pub fn from_name(name: &str) -> Option<ChangeCategory> {
        ChangeCategory::ALL
            .into_iter()
            .find(|category| category.as_str() == name)
    }
}

/// How customers are kept informed of changes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UpdateSettings {
    /// The intake service endpoint that takes subscriptions (`https:`, the rules of
    /// `access_requests.intake_url`); without it the widget shows no subscribe form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribe_url: Option<String>,
    /// Where the vendor publishes the Atom feed `trustctl feed` writes (`https:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    /// The notice period promised for subprocessor changes, in days (`trustctl lint` assumes
    /// 30 when it is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subprocessor_notice_days: Option<u32>,
}

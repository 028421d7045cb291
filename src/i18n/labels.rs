//! The page-language names of the manifest's enumerations (Trust Services Criteria, document
//! kinds, change categories), which the manifest crate only names in English.

use trust_manifest::{ChangeCategory, DocumentKind, TrustServicesCriterion};

use super::{Msg, Tr};

/// A Trust Services Criterion's name, e.g. "Processing Integrity".
pub fn criterion(tr: Tr, criterion: TrustServicesCriterion) -> &'static str {
    tr.get(match criterion {
        TrustServicesCriterion::Security => Msg::TscSecurity,
        TrustServicesCriterion::Availability => Msg::TscAvailability,
        TrustServicesCriterion::ProcessingIntegrity => Msg::TscProcessingIntegrity,
        TrustServicesCriterion::Confidentiality => Msg::TscConfidentiality,
        TrustServicesCriterion::Privacy => Msg::TscPrivacy,
    })
}

/// A document kind's name, e.g. "SOC 2 report".
pub fn document_kind(tr: Tr, kind: DocumentKind) -> &'static str {
    tr.get(match kind {
        DocumentKind::Soc2Report => Msg::DocKindSoc2Report,
        DocumentKind::Soc3Report => Msg::DocKindSoc3Report,
        DocumentKind::BridgeLetter => Msg::DocKindBridgeLetter,
        DocumentKind::IsoCertificate => Msg::DocKindIsoCertificate,
        DocumentKind::StatementOfApplicability => Msg::DocKindStatementOfApplicability,
        DocumentKind::Policy => Msg::DocKindPolicy,
        DocumentKind::PentestSummary => Msg::DocKindPentestSummary,
        DocumentKind::Other => Msg::DocKindOther,
    })
}

/// A change category's name, e.g. "Subprocessors" (the change list and the subscribe form's
/// topics).
pub fn change_category(tr: Tr, category: ChangeCategory) -> &'static str {
    tr.get(match category {
        ChangeCategory::Subprocessors => Msg::ChangesCategorySubprocessors,
        ChangeCategory::Certifications => Msg::ChangesCategoryCertifications,
        ChangeCategory::Documents => Msg::ChangesCategoryDocuments,
        ChangeCategory::Policies => Msg::ChangesCategoryPolicies,
        ChangeCategory::Other => Msg::ChangesCategoryOther,
    })
}

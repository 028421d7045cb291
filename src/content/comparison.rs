//! The twelve-point comparison of a SOC 2® report and an ISO/IEC 27001 certificate, written in
//! our own words. The guide cites these rows by [`RowId`] when it explains a recommendation.

/// Identifies one row of the comparison, so other content can point at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RowId {
    /// What each framework sets out to prove.
    PrimaryObjective,
    /// Who audits and under which kind of engagement.
    AuditType,
    /// What the organisation receives at the end.
    FinalDeliverable,
    /// Where each one is recognised.
    GeographicFocus,
    /// How much the scope can be tailored.
    Flexibility,
    /// The role of risk management.
    RiskManagement,
    /// How much writing down is expected.
    RequiredDocumentation,
    /// What happens between audits.
    ContinuousMonitoring,
    /// How long the result stays useful.
    ValidityPeriod,
    /// Whether internal audits are required.
    InternalAudits,
    /// Which organisations each one suits.
    BestFit,
    /// How long the first round usually takes.
    TypicalTimeline,
}

impl RowId {
    /// The row as a fragment-safe slug, e.g. `risk-management` (used in element ids).
    pub fn slug(self) -> &'static str {
        match self {
            RowId::PrimaryObjective => "primary-objective",
            RowId::AuditType => "audit-type",
            RowId::FinalDeliverable => "final-deliverable",
            RowId::GeographicFocus => "geographic-focus",
            RowId::Flexibility => "flexibility",
            RowId::RiskManagement => "risk-management",
            RowId::RequiredDocumentation => "required-documentation",
            RowId::ContinuousMonitoring => "continuous-monitoring",
            RowId::ValidityPeriod => "validity-period",
            RowId::InternalAudits => "internal-audits",
            RowId::BestFit => "best-fit",
            RowId::TypicalTimeline => "typical-timeline",
        }
    }

    /// The row's heading as shown in the table.
    pub fn criterion(self) -> &'static str {
        ComparisonRow::get(self).criterion
    }
}

/// One criterion with what each framework says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComparisonRow {
    /// Which row this is.
    pub id: RowId,
    /// The criterion, shown as the row heading.
    pub criterion: &'static str,
    /// How a SOC 2 report handles it.
    pub soc2: &'static str,
    /// How an ISO/IEC 27001 certification handles it.
    pub iso27001: &'static str,
}

impl ComparisonRow {
    /// The row with the given id.
    pub fn get(id: RowId) -> &'static ComparisonRow {
        // Rows are listed in the order of `RowId`, so the discriminant is the index.
        &COMPARISON_ROWS[id as usize]
    }
}

/// Column heading for the SOC 2 column.
pub const SOC2_HEADING: &str = "SOC 2® report";
/// Column heading for the ISO/IEC 27001 column.
pub const ISO_HEADING: &str = "ISO/IEC 27001 certificate";
/// Column heading for the criterion column.
pub const CRITERION_HEADING: &str = "Criterion";

/// The twelve rows, in the order they are shown.
pub const COMPARISON_ROWS: [ComparisonRow; 12] = [
    ComparisonRow {
        id: RowId::PrimaryObjective,
        criterion: "Main goal",
        soc2:
            "An independent auditor's opinion that the controls protecting customer data are well \
               designed and, in a Type 2 report, actually work over time.",
        iso27001: "An information security management system (ISMS) that is set up, run and kept \
                   improving across the whole organisation.",
    },
    ComparisonRow {
        id: RowId::AuditType,
        criterion: "Who audits",
        soc2: "A licensed CPA firm, in an attestation engagement under AICPA standards.",
        iso27001: "A certification body that is itself accredited to certify management systems.",
    },
    ComparisonRow {
        id: RowId::FinalDeliverable,
        criterion: "What you receive",
        soc2: "A SOC 2® report (Type 1 or Type 2) with the auditor's opinion and test details, \
               usually shared with customers under NDA. It is not a certificate.",
        iso27001: "A certificate with a number and a scope, which can be shown openly and checked \
                   with the certification body.",
    },
    ComparisonRow {
        id: RowId::GeographicFocus,
        criterion: "Where it is expected",
        soc2: "Mainly the United States and Canada.",
        iso27001:
            "Worldwide, and especially in Europe, Asia-Pacific and with multinational buyers.",
    },
    ComparisonRow {
        id: RowId::Flexibility,
        criterion: "Room to tailor",
        soc2: "Wide: besides Security, you choose which Trust Services Criteria and which systems \
               are in scope.",
        iso27001:
            "Narrower: fixed clauses plus the Annex A controls, and leaving a control out has to \
                   be justified.",
    },
    ComparisonRow {
        id: RowId::RiskManagement,
        criterion: "Risk management",
        soc2: "Covered through the controls the auditor tests against the criteria.",
        iso27001:
            "The heart of the standard: risks are identified, assessed and treated in a cycle \
                   that repeats.",
    },
    ComparisonRow {
        id: RowId::RequiredDocumentation,
        criterion: "Paperwork",
        soc2: "Moderate to heavy, growing with the scope you pick.",
        iso27001: "Heavy: required policies, risk records, a Statement of Applicability and more.",
    },
    ComparisonRow {
        id: RowId::ContinuousMonitoring,
        criterion: "Between audits",
        soc2: "Evidence is collected all year so the next audit period can be tested.",
        iso27001: "Built in: the ISMS has to measure itself and improve continually.",
    },
    ComparisonRow {
        id: RowId::ValidityPeriod,
        criterion: "How long it lasts",
        soc2: "A report looks back at one date or one period; customers usually expect a fresh \
               one every year.",
        iso27001: "A certificate runs for three years, with a surveillance audit at least once a \
                   year in between.",
    },
    ComparisonRow {
        id: RowId::InternalAudits,
        criterion: "Internal audits",
        soc2: "Not a formal requirement.",
        iso27001: "Required, together with regular management reviews.",
    },
    ComparisonRow {
        id: RowId::BestFit,
        criterion: "Suits best",
        soc2: "SaaS and cloud providers and other B2B companies selling into North America.",
        iso27001:
            "Companies selling globally, suppliers to large enterprises, regulated industries \
                   and public-sector bidders.",
    },
    ComparisonRow {
        id: RowId::TypicalTimeline,
        criterion: "Time to a first result",
        soc2: "Often about 3 to 9 months, depending on readiness; a Type 2 adds its observation \
               period.",
        iso27001:
            "Often about 6 to 12 months, depending on how mature the organisation already is.",
    },
];

//! Rules of the "Which do you need?" guide: from where a visitor's customers are and what they
//! need, work out whether a SOC 2® report, an ISO/IEC 27001 certificate or both fit best, with
//! reasons that each point at a row of the comparison.

use super::comparison::RowId;
use crate::i18n::Msg;

/// Where most of the visitor's customers are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Region {
    /// United States and Canada.
    NorthAmerica,
    /// Europe, including the UK.
    Europe,
    /// Asia-Pacific.
    AsiaPacific,
    /// Spread across several continents.
    Global,
}

impl Region {
    /// All choices in display order.
    pub const ALL: [Region; 4] = [
        Region::NorthAmerica,
        Region::Europe,
        Region::AsiaPacific,
        Region::Global,
    ];

    /// Short machine name used for form values.
    pub fn key(self) -> &'static str {
        match self {
            Region::NorthAmerica => "north-america",
            Region::Europe => "europe",
            Region::AsiaPacific => "asia-pacific",
            Region::Global => "global",
        }
    }

    /// The label's message in the catalogue.
    pub fn label_msg(self) -> Msg {
        match self {
            Region::NorthAmerica => Msg::MirrorGuideRegionNorthAmerica,
            Region::Europe => Msg::MirrorGuideRegionEurope,
            Region::AsiaPacific => Msg::MirrorGuideRegionAsiaPacific,
            Region::Global => Msg::MirrorGuideRegionGlobal,
        }
    }

    /// The label shown to visitors.
    pub fn label(self) -> &'static str {
        match self {
            Region::NorthAmerica => "North America",
            Region::Europe => "Europe",
            Region::AsiaPacific => "Asia-Pacific",
            Region::Global => "Several continents",
        }
    }
}

/// What the visitor needs the framework for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// Passing security reviews by enterprise customers.
    VendorReviews,
    /// A formal certificate, for example for tenders.
    FormalCertificate,
    /// A risk-management programme for the whole organisation.
    RiskProgramme,
    /// Something credible to show soon.
    FastFirstStep,
}

impl Need {
    /// All choices in display order.
    pub const ALL: [Need; 4] = [
        Need::VendorReviews,
        Need::FormalCertificate,
        Need::RiskProgramme,
        Need::FastFirstStep,
    ];

    /// Short machine name used for form values.
    pub fn key(self) -> &'static str {
        match self {
            Need::VendorReviews => "vendor-reviews",
            Need::FormalCertificate => "formal-certificate",
            Need::RiskProgramme => "risk-programme",
            Need::FastFirstStep => "fast-first-step",
        }
    }

    /// The label's message in the catalogue.
    pub fn label_msg(self) -> Msg {
        match self {
            Need::VendorReviews => Msg::MirrorGuideNeedVendorReviews,
            Need::FormalCertificate => Msg::MirrorGuideNeedFormalCertificate,
            Need::RiskProgramme => Msg::MirrorGuideNeedRiskProgramme,
            Need::FastFirstStep => Msg::MirrorGuideNeedFastFirstStep,
        }
    }

    /// The label shown to visitors.
    pub fn label(self) -> &'static str {
        match self {
            Need::VendorReviews => "Pass enterprise customers' security reviews",
            Need::FormalCertificate => "A formal certificate, e.g. for tenders",
            Need::RiskProgramme => "A risk-management programme for the whole company",
            Need::FastFirstStep => "A credible first step, soon",
        }
    }
}

/// What the guide recommends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// Start with a SOC 2® report.
    Soc2,
    /// Start with ISO/IEC 27001 certification.
    Iso27001,
    /// Plan for both, prepared together.
    Both,
}

impl Choice {
    /// The headline's message in the catalogue.
    pub fn headline_msg(self) -> Msg {
        match self {
            Choice::Soc2 => Msg::MirrorGuideChoiceSoc2,
            Choice::Iso27001 => Msg::MirrorGuideChoiceIso27001,
            Choice::Both => Msg::MirrorGuideChoiceBoth,
        }
    }

    /// Headline shown above the reasons.
    pub fn headline(self) -> &'static str {
        match self {
            Choice::Soc2 => "Start with a SOC 2® report",
            Choice::Iso27001 => "Start with ISO/IEC 27001 certification",
            Choice::Both => "Plan for both, and prepare them together",
        }
    }
}

/// One reason behind a recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The reason in a sentence.
    pub text: &'static str,
    /// The comparison row that backs it up.
    pub row: RowId,
    /// Its message in the catalogue (for pages in other languages; see crate::i18n).
    pub msg: Msg,
}

/// The guide's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recommendation {
    /// What to do.
    pub choice: Choice,
    /// Which one to begin with when the answer is "both".
    pub begin_with: Option<Choice>,
    /// Why, one reason per relevant input.
    pub reasons: Vec<Reason>,
    /// A practical tip for getting started, if one applies.
    pub tip: Option<&'static str>,
    /// The tip's message in the catalogue.
    pub tip_msg: Option<Msg>,
}

/// Works out the recommendation for a region and any number of needs (duplicates are ignored).
pub fn recommend(region: Region, needs: &[Need]) -> Recommendation {
    let mut soc2 = 0u32;
    let mut iso = 0u32;
    let mut reasons = Vec::new();

    match region {
        Region::NorthAmerica => {
            soc2 += 2;
            reasons.push(Reason {
                text: "Buyers in the United States and Canada ask for a SOC 2® report far more \
                       often than for a certificate.",
                row: RowId::GeographicFocus,
                msg: Msg::MirrorGuideReason1,
            });
        }
        Region::Europe | Region::AsiaPacific => {
            iso += 2;
            reasons.push(Reason {
                text: "Outside North America, ISO/IEC 27001 is the framework customers recognise \
                       most widely.",
                row: RowId::GeographicFocus,
                msg: Msg::MirrorGuideReason2,
            });
        }
        Region::Global => {
            soc2 += 2;
            iso += 2;
            reasons.push(Reason {
                text: "With customers on several continents you will meet both: SOC 2® in North \
                       America and ISO/IEC 27001 almost everywhere else.",
                row: RowId::GeographicFocus,
                msg: Msg::MirrorGuideReason3,
            });
        }
    }

    let has = |need: Need| needs.contains(&need);
    if has(Need::VendorReviews) {
        soc2 += 1;
        reasons.push(Reason {
            text: "Security reviewers at enterprise customers, especially SaaS buyers, often \
                   request the SOC 2® report with its detailed test results.",
            row: RowId::BestFit,
            msg: Msg::MirrorGuideReason4,
        });
    }
    if has(Need::FormalCertificate) {
        iso += 2;
        reasons.push(Reason {
            text: "Only ISO/IEC 27001 ends in a certificate; a SOC 2® report is an attestation, \
                   not a certification.",
            row: RowId::FinalDeliverable,
            msg: Msg::MirrorGuideReason5,
        });
    }
    if has(Need::RiskProgramme) {
        iso += 2;
        reasons.push(Reason {
            text: "Risk management is the core of ISO/IEC 27001, including internal audits and \
                   continual improvement.",
            row: RowId::RiskManagement,
            msg: Msg::MirrorGuideReason6,
        });
    }
    if has(Need::FastFirstStep) {
        soc2 += 1;
        reasons.push(Reason {
            text: "A SOC 2® engagement is usually quicker to a first result, and a Type 1 report \
                   needs no observation period.",
            row: RowId::TypicalTimeline,
            msg: Msg::MirrorGuideReason7,
        });
    }

    let choice = if soc2 >= 2 && iso >= 2 {
        Choice::Both
    } else if soc2 > iso {
        Choice::Soc2
    } else {
        Choice::Iso27001
    };

    let begin_with = match choice {
        Choice::Both if has(Need::FastFirstStep) || soc2 > iso => Some(Choice::Soc2),
        Choice::Both if iso > soc2 => Some(Choice::Iso27001),
        _ => None,
    };

    if choice == Choice::Both {
        reasons.push(Reason {
            text: "Most controls count towards both frameworks, so one programme can serve \
                   both audits.",
            row: RowId::ContinuousMonitoring,
            msg: Msg::MirrorGuideReason8,
        });
    }

    let (tip, tip_msg) =
        if has(Need::FastFirstStep) && choice != Choice::Iso27001 {
            (Some(
            "Begin with a SOC 2® Type 1 report on the design of your controls, then move to \
             Type 2 once the observation period has run.",
        ), Some(Msg::MirrorGuideTip1))
        } else if has(Need::FastFirstStep) {
            (Some(
            "If you need something to show sooner, a SOC 2® Type 1 report can bridge the gap, \
             but expect customers here to keep asking for the ISO/IEC 27001 certificate.",
        ), Some(Msg::MirrorGuideTip2))
        } else if choice == Choice::Iso27001 {
            (
                Some(
                    "Expect six to twelve months: define the ISMS scope, assess risks, write the \
             Statement of Applicability, then book the certification audit.",
                ),
                Some(Msg::MirrorGuideTip3),
            )
        } else {
            (None, None)
        };

    Recommendation {
        choice,
        begin_with,
        reasons,
        tip,
        tip_msg,
    }
}

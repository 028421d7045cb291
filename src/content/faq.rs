//! The six built-in questions about SOC 2® and ISO/IEC 27001, answered in our own words. The
//! vendor's own questions from the manifest are shown after these.

/// A built-in question with its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameworkQuestion {
    /// Stable identifier; the deep link is `#faq-<id>`.
    pub id: &'static str,
    /// The question.
    pub question: &'static str,
    /// The answer, one entry per paragraph.
    pub answer: &'static [&'static str],
}

/// The framework questions, in the order they are shown.
pub const FRAMEWORK_FAQ: [FrameworkQuestion; 6] = [
    FrameworkQuestion {
        id: "need-both",
        question: "Do we need both SOC 2 and ISO 27001?",
        answer: &[
            "Not necessarily. Which one matters depends on who your customers are, where they \
             are and what their procurement teams ask for. Companies selling mostly to North \
             American businesses often begin with a SOC 2® report, because it is the document \
             security reviewers there ask for first.",
            "If you sell across borders, or to large enterprises and public bodies, an ISO/IEC \
             27001 certificate tends to follow. The two frameworks overlap heavily, so many \
             organisations end up holding both and run them as one programme.",
        ],
    },
    FrameworkQuestion {
        id: "which-is-better",
        question: "Which is better: ISO 27001 or SOC 2?",
        answer: &[
            "Neither is better; they answer different questions. ISO/IEC 27001 asks whether the \
             organisation runs a complete management system for information security, with \
             governance, risk treatment and continual improvement.",
            "A SOC 2® report asks whether specific controls that protect customer data are well \
             designed and, for Type 2, worked throughout a period. For North American SaaS \
             buyers SOC 2 usually comes first; for a global customer base ISO/IEC 27001 is more \
             widely recognised.",
        ],
    },
    FrameworkQuestion {
        id: "iso-in-europe",
        question: "Is ISO 27001 mandatory in Europe?",
        answer: &[
            "There is generally no law that makes ISO/IEC 27001 compulsory. In practice, though, \
             many European enterprise buyers, regulated sectors and public authorities expect it \
             and treat it as the yardstick for a supplier's security management.",
            "Holding the certificate can shorten security questionnaires and tenders \
             considerably when you sell to European customers.",
        ],
    },
    FrameworkQuestion {
        id: "soc2-outside-us",
        question: "Is SOC 2 only for companies in the United States?",
        answer: &[
            "No. The AICPA, an American professional body, created the framework and most \
             reports are issued for North American markets, but a company based anywhere can engage a CPA firm and obtain a \
             SOC 2® report.",
            "Companies outside the US often do so precisely because their American and Canadian \
             customers ask for one during vendor reviews.",
        ],
    },
    FrameworkQuestion {
        id: "soc2-timeline",
        question: "How long does it take to get a SOC 2 report?",
        answer: &[
            "First, a point of wording: there is no such thing as a SOC 2 certificate. The \
             result is an attestation report written by an independent CPA firm, so nobody is \"SOC 2 \
             certified\".",
            "Getting ready commonly takes somewhere between three and nine months, depending on \
             the controls already in place. A Type 1 report looks at a single date and can come \
             soon after. A Type 2 report also needs an observation period, often three to twelve \
             months, before the auditor can report on it.",
        ],
    },
    FrameworkQuestion {
        id: "both-at-once",
        question: "Can we prepare for ISO 27001 and SOC 2 in parallel?",
        answer: &[
            "Yes, and it is a common choice. Most controls serve both frameworks, so preparing \
             them together avoids collecting the same evidence twice and keeps the audits from \
             wearing out your team.",
            "A joint programme also gives customers in North America and everywhere else one \
             consistent story. Tooling that gathers evidence automatically \
             helps, but someone still has to own the programme.",
        ],
    },
];

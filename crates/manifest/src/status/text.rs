//! The status rules' words as data: a [`Text`] is a message id and its named [`Fact`]s, not a
//! sentence. Anything that shows status texts in its own language looks the id up in its own
//! catalogue (the widget's `i18n/*.json` has a message for every id here, with the same
//! placeholders) and fills in the facts; English is rendered here, from [`english_template`],
//! only when asked ([`Text::to_english`], `Display`, or serialising a [`Text`] to JSON), so
//! that a program that never asks for English does not carry its templates.

use std::fmt;

use serde::{Serialize, Serializer};

use crate::date::Date;

/// A status text: which message, with which facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// The message, e.g. [`TextId::Soc2Current`] (`"status.soc2.current"`, the same id in the
    /// widget's catalogue).
    pub id: TextId,
    /// The message's placeholders and their values, in the order the rule supplies them.
    pub args: Vec<(&'static str, Fact)>,
}

/// A value that fills a placeholder of a [`Text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// Shown as it is, in every language: the vendor's words (an auditor's or certification
    /// body's name, a certificate number) or a proper name ("SOC 2", "ISO/IEC 27001:2022").
    Verbatim(String),
    /// A calendar day (ISO 8601 in English, as the rules have always written it).
    Day(Date),
    /// A whole number (e.g. the months a bridge letter may cover).
    Number(i64),
    /// Days left until a standing ends: "today is the last day" (0), "1 day left", "12 days
    /// left".
    DaysLeft(i64),
    /// A phrase that is itself a message (e.g. what a SOC 2 report covers).
    Text(Text),
}

impl Text {
    /// A text without facts.
    pub fn plain(id: TextId) -> Text {
        Text {
            id,
            args: Vec::new(),
        }
    }

    /// A text with facts.
    pub fn with(id: TextId, args: Vec<(&'static str, Fact)>) -> Text {
        Text { id, args }
    }

    /// The fact that fills placeholder `name`, if the text has one.
    pub fn arg(&self, name: &str) -> Option<&Fact> {
        self.args
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, fact)| fact)
    }

    /// The text in English, exactly as the status rules word it.
    pub fn to_english(&self) -> String {
        let mut out = String::new();
        self.write_english(&mut out);
        out
    }

    fn write_english(&self, out: &mut String) {
        let mut rest = english_template(self.id.key()).unwrap_or(self.id.key());
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return;
            };
            let name = &after[..close];
            match self.arg(name) {
                Some(fact) => fact.write_english(out),
                None => {
                    out.push('{');
                    out.push_str(name);
                    out.push('}');
                }
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
    }
}

impl Fact {
    /// A fact shown as it is.
    pub fn verbatim(text: impl Into<String>) -> Fact {
        Fact::Verbatim(text.into())
    }

    fn write_english(&self, out: &mut String) {
        match self {
            Fact::Verbatim(text) => out.push_str(text),
            Fact::Day(date) => out.push_str(&date.to_string()),
            Fact::Number(n) => out.push_str(&n.to_string()),
            Fact::DaysLeft(0) => out.push_str("today is the last day"),
            Fact::DaysLeft(1) => out.push_str("1 day left"),
            Fact::DaysLeft(n) => {
                out.push_str(&n.to_string());
                out.push_str(" days left");
            }
            Fact::Text(text) => text.write_english(out),
        }
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_english())
    }
}

/// Compares the English rendering with `other` (for tests and callers that match on words).
impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        self.to_english() == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        self.to_english() == *other
    }
}

/// A text serialises as its English sentence (what `trustctl verify --json` has always printed).
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_english())
    }
}

/// Which status text: one variant per message, in the order of [`TEXT_IDS`] (the catalogue's
/// sorted order), so a program with its own catalogue can find the message by position
/// ([`TextId::index`]) and carries no id strings; [`TextId::key`] is the id itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TextId {
    /// `status.finding.bridge_too_long`
    FindingBridgeTooLong,
    /// `status.finding.certificate_in_future`
    FindingCertificateInFuture,
    /// `status.finding.certificate_term`
    FindingCertificateTerm,
    /// `status.finding.manifest_expired`
    FindingManifestExpired,
    /// `status.finding.manifest_expiring_soon`
    FindingManifestExpiringSoon,
    /// `status.finding.manifest_issued_in_future`
    FindingManifestIssuedInFuture,
    /// `status.finding.next_surveillance`
    FindingNextSurveillance,
    /// `status.finding.not_accredited`
    FindingNotAccredited,
    /// `status.finding.soc2_next_report_late`
    FindingSoc2NextReportLate,
    /// `status.finding.soc2_type1`
    FindingSoc2Type1,
    /// `status.finding.surveillance_overdue`
    FindingSurveillanceOverdue,
    /// `status.headline.bridge_letter`
    HeadlineBridgeLetter,
    /// `status.headline.current`
    HeadlineCurrent,
    /// `status.headline.details_missing`
    HeadlineDetailsMissing,
    /// `status.headline.expired`
    HeadlineExpired,
    /// `status.headline.expiring_soon`
    HeadlineExpiringSoon,
    /// `status.headline.in_progress`
    HeadlineInProgress,
    /// `status.headline.not_declared`
    HeadlineNotDeclared,
    /// `status.headline.not_started`
    HeadlineNotStarted,
    /// `status.headline.not_valid`
    HeadlineNotValid,
    /// `status.headline.stale`
    HeadlineStale,
    /// `status.headline.surveillance_overdue`
    HeadlineSurveillanceOverdue,
    /// `status.headline.suspended`
    HeadlineSuspended,
    /// `status.headline.withdrawn`
    HeadlineWithdrawn,
    /// `status.iso.current`
    IsoCurrent,
    /// `status.iso.details_missing`
    IsoDetailsMissing,
    /// `status.iso.expired`
    IsoExpired,
    /// `status.iso.in_progress`
    IsoInProgress,
    /// `status.iso.in_progress_by`
    IsoInProgressBy,
    /// `status.iso.not_started`
    IsoNotStarted,
    /// `status.iso.not_valid`
    IsoNotValid,
    /// `status.iso.overdue`
    IsoOverdue,
    /// `status.iso.suspended`
    IsoSuspended,
    /// `status.iso.withdrawn`
    IsoWithdrawn,
    /// `status.not_declared`
    NotDeclared,
    /// `status.soc2.bridge`
    Soc2Bridge,
    /// `status.soc2.covers_as_of`
    Soc2CoversAsOf,
    /// `status.soc2.covers_period`
    Soc2CoversPeriod,
    /// `status.soc2.current`
    Soc2Current,
    /// `status.soc2.details_missing`
    Soc2DetailsMissing,
    /// `status.soc2.in_progress`
    Soc2InProgress,
    /// `status.soc2.in_progress_by`
    Soc2InProgressBy,
    /// `status.soc2.not_started`
    Soc2NotStarted,
    /// `status.soc2.stale`
    Soc2Stale,
    /// `status.soc2.type1`
    Soc2Type1,
    /// `status.soc2.type2`
    Soc2Type2,
}

impl TextId {
    /// Every id, in [`TEXT_IDS`] order.
    pub const ALL: [TextId; 46] = [
        TextId::FindingBridgeTooLong,
        TextId::FindingCertificateInFuture,
        TextId::FindingCertificateTerm,
        TextId::FindingManifestExpired,
        TextId::FindingManifestExpiringSoon,
        TextId::FindingManifestIssuedInFuture,
        TextId::FindingNextSurveillance,
        TextId::FindingNotAccredited,
        TextId::FindingSoc2NextReportLate,
        TextId::FindingSoc2Type1,
        TextId::FindingSurveillanceOverdue,
        TextId::HeadlineBridgeLetter,
        TextId::HeadlineCurrent,
        TextId::HeadlineDetailsMissing,
        TextId::HeadlineExpired,
        TextId::HeadlineExpiringSoon,
        TextId::HeadlineInProgress,
        TextId::HeadlineNotDeclared,
        TextId::HeadlineNotStarted,
        TextId::HeadlineNotValid,
        TextId::HeadlineStale,
        TextId::HeadlineSurveillanceOverdue,
        TextId::HeadlineSuspended,
        TextId::HeadlineWithdrawn,
        TextId::IsoCurrent,
        TextId::IsoDetailsMissing,
        TextId::IsoExpired,
        TextId::IsoInProgress,
        TextId::IsoInProgressBy,
        TextId::IsoNotStarted,
        TextId::IsoNotValid,
        TextId::IsoOverdue,
        TextId::IsoSuspended,
        TextId::IsoWithdrawn,
        TextId::NotDeclared,
        TextId::Soc2Bridge,
        TextId::Soc2CoversAsOf,
        TextId::Soc2CoversPeriod,
        TextId::Soc2Current,
        TextId::Soc2DetailsMissing,
        TextId::Soc2InProgress,
        TextId::Soc2InProgressBy,
        TextId::Soc2NotStarted,
        TextId::Soc2Stale,
        TextId::Soc2Type1,
        TextId::Soc2Type2,
    ];

    /// The position of this id in [`TEXT_IDS`] (and among the catalogue's status messages).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The message id, e.g. `"status.soc2.current"`.
    pub fn key(self) -> &'static str {
        TEXT_IDS[self.index()]
    }
}

/// Every text id the status rules produce, in catalogue (sorted) order.
pub const TEXT_IDS: &[&str] = &[
    "status.finding.bridge_too_long",
    "status.finding.certificate_in_future",
    "status.finding.certificate_term",
    "status.finding.manifest_expired",
    "status.finding.manifest_expiring_soon",
    "status.finding.manifest_issued_in_future",
    "status.finding.next_surveillance",
    "status.finding.not_accredited",
    "status.finding.soc2_next_report_late",
    "status.finding.soc2_type1",
    "status.finding.surveillance_overdue",
    "status.headline.bridge_letter",
    "status.headline.current",
    "status.headline.details_missing",
    "status.headline.expired",
    "status.headline.expiring_soon",
    "status.headline.in_progress",
    "status.headline.not_declared",
    "status.headline.not_started",
    "status.headline.not_valid",
    "status.headline.stale",
    "status.headline.surveillance_overdue",
    "status.headline.suspended",
    "status.headline.withdrawn",
    "status.iso.current",
    "status.iso.details_missing",
    "status.iso.expired",
    "status.iso.in_progress",
    "status.iso.in_progress_by",
    "status.iso.not_started",
    "status.iso.not_valid",
    "status.iso.overdue",
    "status.iso.suspended",
    "status.iso.withdrawn",
    "status.not_declared",
    "status.soc2.bridge",
    "status.soc2.covers_as_of",
    "status.soc2.covers_period",
    "status.soc2.current",
    "status.soc2.details_missing",
    "status.soc2.in_progress",
    "status.soc2.in_progress_by",
    "status.soc2.not_started",
    "status.soc2.stale",
    "status.soc2.type1",
    "status.soc2.type2",
];

/// The English template of a text id: `{name}` marks where a fact goes.
pub fn english_template(id: &str) -> Option<&'static str> {
    Some(match id {
        "status.finding.bridge_too_long" => "The bridge letter reaches to {through}, more than {months} months after the report's coverage ended on {end}; a letter from the vendor's management is no substitute for a new audit over that long.",
        "status.finding.certificate_in_future" => "The certificate's issue date {issue} is after today ({today}).",
        "status.finding.certificate_term" => "The certificate runs from {issue} to {expiry}, more than the usual three years; check it with the registry.",
        "status.finding.manifest_expired" => "This information expired on {date} and should not be relied on until the vendor publishes an update.",
        "status.finding.manifest_expiring_soon" => "This information is valid until {date} ({days}).",
        "status.finding.manifest_issued_in_future" => "This information says it was issued on {date}, which is after today ({today}); the vendor's dates or this device's clock may be wrong.",
        "status.finding.next_surveillance" => "The next surveillance audit is due by {date}.",
        "status.finding.not_accredited" => "The certificate is not issued under accreditation: no accreditation body oversees {body}'s work for it.",
        "status.finding.soc2_next_report_late" => "The vendor expected its next SOC 2 report by {next}; that date has passed and the newest report listed is dated {date}.",
        "status.finding.soc2_type1" => "This is a Type 1 report: it looks at how controls were designed on {date}, not at how they worked over time.",
        "status.finding.surveillance_overdue" => "the surveillance audit due by {date} has not been reported as done; a missed surveillance audit can lead to suspension.",
        "status.headline.bridge_letter" => "Bridge letter",
        "status.headline.current" => "Current",
        "status.headline.details_missing" => "Details missing",
        "status.headline.expired" => "Expired",
        "status.headline.expiring_soon" => "Expiring soon",
        "status.headline.in_progress" => "In progress",
        "status.headline.not_declared" => "Not declared",
        "status.headline.not_started" => "Not started",
        "status.headline.not_valid" => "Not valid",
        "status.headline.stale" => "Stale",
        "status.headline.surveillance_overdue" => "Surveillance audit overdue",
        "status.headline.suspended" => "Suspended",
        "status.headline.withdrawn" => "Withdrawn",
        "status.iso.current" => "Certificate {number} to {edition}, issued by {body}, is active until {expiry} ({days}).",
        "status.iso.details_missing" => "The vendor refers to an ISO/IEC 27001 certificate but gives no details about it.",
        "status.iso.expired" => "Certificate {number} expired on {expiry}.",
        "status.iso.in_progress" => "The vendor is working towards ISO/IEC 27001 certification; there is no certificate yet.",
        "status.iso.in_progress_by" => "The vendor is working towards ISO/IEC 27001 certification and expects it by {date}; there is no certificate yet.",
        "status.iso.not_started" => "The vendor has not started working towards ISO/IEC 27001 certification.",
        "status.iso.not_valid" => "Certificate {number} is to {edition}. Certificates to that edition stopped being valid after {last}; a current certificate must be to ISO/IEC 27001:2022.",
        "status.iso.overdue" => "Certificate {number} runs until {expiry}, but the surveillance audit due by {due} has not been reported as done; a missed surveillance audit can lead to suspension.",
        "status.iso.suspended" => "{body} has suspended certificate {number}; it is not valid while suspended.",
        "status.iso.withdrawn" => "{body} has withdrawn certificate {number}; it is no longer valid.",
        "status.not_declared" => "The vendor makes no statement about {framework}.",
        "status.soc2.bridge" => "The SOC 2 report's coverage ended on {end} and is more than 12 months old; it is covered by bridge letter through {through}. A bridge letter is the vendor's own statement, not an audit.",
        "status.soc2.covers_as_of" => "controls as of {date}",
        "status.soc2.covers_period" => "the period {start} to {end}",
        "status.soc2.current" => "The SOC 2 {kind} report by {auditor} covers {covers}. It is treated as current until {until} ({days}).",
        "status.soc2.details_missing" => "The vendor says a SOC 2 report is available but gives no details about it.",
        "status.soc2.in_progress" => "A SOC 2 audit is under way; there is no report yet.",
        "status.soc2.in_progress_by" => "A SOC 2 audit is under way; there is no report yet. The vendor expects one by {date}.",
        "status.soc2.not_started" => "The vendor has not started a SOC 2 audit, so there is no report.",
        "status.soc2.stale" => "The newest SOC 2 report covers {covers}, which ended more than 12 months ago (it was current until {until}), and no bridge letter covers today. Ask the vendor for a newer report.",
        "status.soc2.type1" => "Type 1",
        "status.soc2.type2" => "Type 2",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {

    #[test]
    fn text_ids_are_named_after_their_keys() {
        assert_eq!(TextId::ALL.len(), TEXT_IDS.len());
        for (index, id) in TextId::ALL.into_iter().enumerate() {
            assert_eq!(id.index(), index);
            let camel: String = id.key()["status.".len()..]
                .split(['.', '_'])
                .map(|word| word[..1].to_uppercase() + &word[1..])
                .collect();
            assert_eq!(format!("{id:?}"), camel);
        }
    }

    use super::*;

    #[test]
    fn every_id_has_a_template_and_the_list_is_sorted() {
        for id in TEXT_IDS.iter().copied() {
            assert!(english_template(id).is_some(), "{id}");
        }
        assert!(TEXT_IDS.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn facts_fill_placeholders_nested_texts_included() {
        let day = Date::from_ymd(2027, 3, 31).unwrap();
        let covers = Text::with(TextId::Soc2CoversAsOf, vec![("date", Fact::Day(day))]);
        let text = Text::with(
            TextId::Soc2Current,
            vec![
                ("kind", Fact::Text(Text::plain(TextId::Soc2Type1))),
                ("auditor", Fact::verbatim("A & B {LLP}")),
                ("covers", Fact::Text(covers)),
                ("until", Fact::Day(day)),
                ("days", Fact::DaysLeft(1)),
            ],
        );
        assert_eq!(
            text.to_english(),
            "The SOC 2 Type 1 report by A & B {LLP} covers controls as of 2027-03-31. It is treated as current until 2027-03-31 (1 day left)."
        );
        assert_eq!(text.to_string(), text.to_english());
        assert_eq!(
            serde_json::to_value(&text).unwrap(),
            serde_json::Value::String(text.to_english())
        );
        assert_eq!(
            Fact::DaysLeft(0).to_english_for_test(),
            "today is the last day"
        );
        assert_eq!(Fact::DaysLeft(12).to_english_for_test(), "12 days left");
    }

    impl Fact {
        fn to_english_for_test(&self) -> String {
            let mut out = String::new();
            self.write_english(&mut out);
            out
        }
    }
}

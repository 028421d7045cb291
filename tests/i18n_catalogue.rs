//! The message catalogue's checks (issue 19): every language has exactly English's messages,
//! in the same shape, with no placeholder English does not have; the `mirror.*` messages
//! (whose English the code holds: the built-in content, the load errors, the NDA form's
//! problems) say in English exactly what the code says, so that a translation is always a
//! translation of what an English visitor reads; and the status texts an English page renders
//! from the catalogue are the manifest crate's English word for word.

mod core_support;

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use trust_center_widget::content::{
    recommend, ComparisonRow, Need, Region, COMPARISON_ROWS, FRAMEWORK_FAQ,
};
use trust_center_widget::i18n::messages::{self, EN_SOURCE, IDS, MESSAGE_COUNT};
use trust_center_widget::i18n::{content_text, status_text, Lang, Msg, Tr};
use trust_center_widget::nda::submit::{interpret_response, network_failure};
use trust_center_widget::nda::validation::PROBLEMS;
use trust_center_widget::state::LoadError;
use trust_manifest::{
    evaluate, BridgeLetter, DecodeError, IsoEdition, IsoStatus, Manifest, Soc2ReportKind,
    Soc2Status, StatusPolicy, StatusReport, SurveillanceAudit, Text, TextId, VerifyError,
};

const LANGUAGES: [&str; 3] = ["de", "fr", "es"];

fn source(lang: &str) -> String {
    std::fs::read_to_string(format!("{}/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn catalogue(lang: &str) -> Map<String, Value> {
    serde_json::from_str(&source(lang)).unwrap()
}

/// `{name}` placeholders of a message (all its forms).
fn placeholders(value: &Value) -> BTreeSet<String> {
    let texts: Vec<&str> = match value {
        Value::String(text) => vec![text.as_str()],
        Value::Object(forms) => forms.values().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut names = BTreeSet::new();
    for text in texts {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else { break };
            let name = &after[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                names.insert(name.to_owned());
            }
            rest = &after[close + 1..];
        }
    }
    names
}

fn is_plural(value: &Value) -> bool {
    value.get("one").is_some_and(Value::is_string)
        && value.get("other").is_some_and(Value::is_string)
}

/// Every problem of `other` against `english`, as sentences.
fn problems(english: &Map<String, Value>, other: &Map<String, Value>) -> Vec<String> {
    let mut problems = Vec::new();
    for (id, en) in english {
        let Some(tr) = other.get(id) else {
            problems.push(format!("missing message {id}"));
            continue;
        };
        if is_plural(en) != is_plural(tr) || (!is_plural(tr) && !tr.is_string()) {
            problems.push(format!("{id} has the wrong shape"));
            continue;
        }
        for name in placeholders(tr).difference(&placeholders(en)) {
            problems.push(format!("{id} uses {{{name}}}, which English does not have"));
        }
    }
    for id in other.keys() {
        if !english.contains_key(id) {
            problems.push(format!("extra message {id}"));
        }
    }
    problems
}

#[test]
fn every_language_has_exactly_the_english_messages_and_placeholders() {
    let english = catalogue("en");
    assert_eq!(english.len(), MESSAGE_COUNT);
    for lang in LANGUAGES {
        let found = problems(&english, &catalogue(lang));
        assert!(found.is_empty(), "{lang}:\n{}", found.join("\n"));
        // And the widget reads it: every id present, every text a text or plural forms.
        assert!(Tr::from_source(Lang::from_tag(lang).unwrap(), &source(lang)).is_some());
    }
}

#[test]
fn the_check_catches_a_missing_an_extra_message_and_an_unknown_placeholder() {
    let english = catalogue("en");
    let mut broken = catalogue("de");
    broken.remove("nav.faq");
    broken.insert("nav.extra".to_owned(), Value::String("Extra".to_owned()));
    broken.insert(
        "banner.title".to_owned(),
        Value::String("Geprüft: signiert von {organisation}".to_owned()),
    );
    broken.insert(
        "days.in".to_owned(),
        Value::String("in {n} Tagen".to_owned()),
    );
    let found = problems(&english, &broken).join("\n");
    assert!(found.contains("missing message nav.faq"), "{found}");
    assert!(found.contains("extra message nav.extra"), "{found}");
    assert!(
        found.contains("banner.title uses {organisation}"),
        "{found}"
    );
    assert!(found.contains("days.in has the wrong shape"), "{found}");
}

#[test]
fn the_compiled_ids_are_the_english_files_ids() {
    let english = catalogue("en");
    let ids: Vec<&str> = english.keys().map(String::as_str).collect();
    assert_eq!(ids, IDS.to_vec());
}

/// English read from i18n/en.json as if it were another language, so that the `mirror.*`
/// messages are used.
fn english_source() -> Tr {
    Tr::from_source(Lang::En, &source("en")).unwrap()
}

#[test]
fn the_built_in_content_in_english_is_its_mirror_messages() {
    let tr = english_source();
    for row in COMPARISON_ROWS.iter() {
        assert_eq!(
            content_text::comparison_row(tr, row),
            [row.criterion, row.soc2, row.iso27001],
            "row {:?}",
            row.id
        );
        assert_eq!(ComparisonRow::get(row.id), row);
    }
    for question in FRAMEWORK_FAQ.iter() {
        assert_eq!(question.answer.len(), content_text::PER_QUESTION - 1);
        let (text, paragraphs) = content_text::faq_question(tr, question);
        assert_eq!(text, question.question);
        assert_eq!(paragraphs, question.answer.to_vec());
    }
    for region in Region::ALL {
        assert_eq!(tr.mirror(region.label_msg(), ""), region.label());
        let mut needs = Vec::new();
        for need in Need::ALL {
            assert_eq!(tr.mirror(need.label_msg(), ""), need.label());
            needs.push(need);
            for set in [vec![need], needs.clone()] {
                let recommendation = recommend(region, &set);
                assert_eq!(
                    tr.mirror(recommendation.choice.headline_msg(), ""),
                    recommendation.choice.headline()
                );
                for reason in &recommendation.reasons {
                    assert_eq!(tr.mirror(reason.msg, ""), reason.text);
                }
                assert_eq!(
                    recommendation.tip.is_some(),
                    recommendation.tip_msg.is_some()
                );
                if let (Some(tip), Some(msg)) = (recommendation.tip, recommendation.tip_msg) {
                    assert_eq!(tr.mirror(msg, ""), tip);
                }
            }
        }
    }
    for (english, msg) in PROBLEMS {
        assert_eq!(tr.get(msg), english);
    }
}

#[test]
fn the_compiled_english_leaves_mirror_texts_to_the_code() {
    let tr = Tr::english();
    for (index, id) in IDS.iter().enumerate() {
        if id.starts_with("mirror.") {
            assert_eq!(tr.get_at(index), "", "{id}");
            assert!(!EN_SOURCE[index].is_empty(), "{id}");
        } else {
            assert_eq!(tr.get_at(index), EN_SOURCE[index], "{id}");
        }
    }
    assert_eq!(tr.mirror(Msg::MirrorNdaInvalidName, "Name?"), "Name?");
}

#[test]
fn load_errors_in_english_say_what_the_manifest_crate_says() {
    let tr = Tr::english();
    let decode = || {
        DecodeError::new(
            "organization.name".to_owned(),
            trust_manifest::DecodeProblem::Missing,
        )
    };
    // A verification failure's detail on an English page is `VerifyError`'s own sentence (what
    // trustctl prints), though the widget only fills in the catalogue's `verify.*` message.
    for error in [
        VerifyError::TooLarge { size: 9, limit: 8 },
        VerifyError::MalformedEnvelope(decode()),
        VerifyError::WrongPayloadType {
            found: "x".to_owned(),
        },
        VerifyError::InvalidBase64 {
            field: "payload".to_owned(),
        },
        VerifyError::NoSignatures,
        VerifyError::UntrustedKey,
        VerifyError::BadSignature,
        VerifyError::ThresholdNotMet {
            required: 2,
            verified: 1,
        },
        VerifyError::MalformedManifest(decode()),
        VerifyError::UnsupportedSchemaVersion { found: 2 },
        VerifyError::Expired {
            expires_at: core_support::today(),
        },
    ] {
        let shown = LoadError::verify(&error);
        assert_eq!(shown.code, error.code());
        assert_eq!(shown.detail(tr), error.to_string(), "{}", error.code());
        assert!(!shown.title(tr).is_empty());
    }
    // The widget's own failures, in full.
    for (error, title, detail) in [
        (
            LoadError::network("/m.json", "Failed to fetch"),
            "Could not reach the trust-center file",
            "The browser could not download /m.json (Failed to fetch). Check your connection and try again.",
        ),
        (
            LoadError::http_status("/m.json", 404, "Not Found"),
            "The server answered HTTP 404 Not Found",
            "The trust-center file at /m.json could not be loaded (HTTP status 404). Nothing on it can be shown.",
        ),
        (
            LoadError::http_status("/m.json", 503, ""),
            "The server answered HTTP 503",
            "The trust-center file at /m.json could not be loaded (HTTP status 503). Nothing on it can be shown.",
        ),
        (
            LoadError::too_large(2_000_000, 1_048_576),
            "The trust-center file is too large",
            "It is 2000000 bytes; the widget accepts at most 1048576 bytes, so it was not read.",
        ),
        (
            LoadError::no_web_crypto(),
            "The trust-center information cannot be checked in this browser",
            "It is signed with Ed25519, and this browser does not check Ed25519 signatures (Web Crypto), or the page is not served over HTTPS. Nothing is shown as verified. A current Chrome, Edge, Firefox or Safari can check it.",
        ),
    ] {
        assert_eq!(error.title(tr), title, "{}", error.code);
        assert_eq!(error.detail(tr), detail, "{}", error.code);
        assert_eq!(error.to_string(), format!("{title}: {detail}"));
    }
}

#[test]
fn nda_failures_in_english_are_their_mirror_messages() {
    let tr = english_source();
    let mut failures = vec![network_failure("https://intake.example.com/")];
    for (status, body) in [
        (200, "{}"),
        (
            400,
            r#"{"error":{"code":"validation_failed","message":"bad input"}}"#,
        ),
        (429, ""),
        (413, ""),
        (403, ""),
        (502, ""),
        (
            404,
            r#"{"error":{"code":"nope","message":"not here","fields":[{"field":"x","message":"odd"}]}}"#,
        ),
    ] {
        failures.push(interpret_response(status, body).unwrap_err());
    }
    for failure in failures {
        let (lead, service) = failure.message_in(tr);
        let composed = match service {
            Some(service) => {
                let glue = if failure.message.contains(" The service said: ") {
                    " The service said: "
                } else {
                    " "
                };
                format!("{lead}{glue}{service}")
            }
            None => lead,
        };
        assert_eq!(composed, failure.message);
    }
}

/// Manifests that reach every status outcome and finding the widget shows.
fn status_variants() -> Vec<Manifest> {
    let base = core_support::demo_manifest();
    let mut out = vec![base.clone()];
    let mut edit = |change: &dyn Fn(&mut Manifest)| {
        let mut manifest = base.clone();
        change(&mut manifest);
        out.push(manifest);
    };
    edit(&|m| m.soc2 = None);
    edit(&|m| m.iso27001 = None);
    edit(&|m| m.soc2.as_mut().unwrap().status = Soc2Status::NotStarted);
    edit(&|m| {
        let soc2 = m.soc2.as_mut().unwrap();
        soc2.status = Soc2Status::InProgress;
        soc2.next_report_expected = Some(core_support::day("2027-03-01"));
    });
    edit(&|m| {
        let soc2 = m.soc2.as_mut().unwrap();
        soc2.status = Soc2Status::InProgress;
        soc2.next_report_expected = None;
    });
    edit(&|m| m.soc2.as_mut().unwrap().report = None);
    edit(&|m| {
        m.soc2.as_mut().unwrap().report.as_mut().unwrap().kind = Soc2ReportKind::Type1 {
            as_of: core_support::day("2026-06-30"),
        }
    });
    for (end, letter) in [
        ("2025-06-30", Some("2026-12-31")),
        ("2025-06-30", None),
        ("2025-09-30", Some("2026-06-30")),
    ] {
        edit(&|m| {
            let soc2 = m.soc2.as_mut().unwrap();
            soc2.report.as_mut().unwrap().kind = Soc2ReportKind::Type2 {
                period_start: core_support::day("2024-07-01"),
                period_end: core_support::day(end),
            };
            soc2.report.as_mut().unwrap().report_date = core_support::day("2025-08-15");
            soc2.next_report_expected = Some(core_support::day("2026-09-30"));
            soc2.bridge_letter = letter.map(|through| BridgeLetter {
                issued_on: core_support::day("2025-10-01"),
                covers_through: core_support::day(through),
                document_id: None,
            });
        });
    }
    edit(&|m| {
        let soc2 = m.soc2.as_mut().unwrap();
        let end = soc2.report.as_ref().unwrap().kind.coverage_end();
        soc2.bridge_letter = Some(BridgeLetter {
            issued_on: end,
            covers_through: end.add_months(6),
            document_id: None,
        });
    });
    for status in [
        IsoStatus::NotStarted,
        IsoStatus::InProgress,
        IsoStatus::Suspended,
        IsoStatus::Withdrawn,
    ] {
        edit(&|m| {
            let iso = m.iso27001.as_mut().unwrap();
            iso.status = status;
            iso.expected_certification = Some(core_support::day("2027-05-01"));
        });
    }
    edit(&|m| {
        let iso = m.iso27001.as_mut().unwrap();
        iso.status = IsoStatus::InProgress;
        iso.expected_certification = None;
    });
    edit(&|m| m.iso27001.as_mut().unwrap().certificate = None);
    edit(&|m| {
        m.iso27001
            .as_mut()
            .unwrap()
            .certificate
            .as_mut()
            .unwrap()
            .edition = IsoEdition::Iso2013
    });
    edit(&|m| {
        m.iso27001
            .as_mut()
            .unwrap()
            .certificate
            .as_mut()
            .unwrap()
            .expiry_date = core_support::day("2026-11-01")
    });
    edit(&|m| {
        m.iso27001
            .as_mut()
            .unwrap()
            .certificate
            .as_mut()
            .unwrap()
            .expiry_date = core_support::day("2026-12-15")
    });
    // More than 9,999 days left: the English count keeps plain digits, as the manifest crate's.
    edit(&|m| {
        m.iso27001
            .as_mut()
            .unwrap()
            .certificate
            .as_mut()
            .unwrap()
            .expiry_date = core_support::day("2060-01-01")
    });
    edit(&|m| {
        let cert = m.iso27001.as_mut().unwrap().certificate.as_mut().unwrap();
        cert.surveillance_audits = vec![
            SurveillanceAudit {
                due_by: core_support::day("2026-10-01"),
                completed_on: None,
            },
            SurveillanceAudit {
                due_by: core_support::day("2027-10-01"),
                completed_on: None,
            },
        ];
        cert.accredited = false;
        cert.issue_date = core_support::day("2026-12-01");
        cert.expiry_date = core_support::day("2030-12-01");
    });
    edit(&|m| {
        m.issued_at = core_support::day("2026-12-05");
        m.expires_at = core_support::day("2026-12-10");
    });
    edit(&|m| m.expires_at = core_support::day("2026-11-01"));
    out
}

/// Every variant on the test's today and on days before, during and after its dates.
fn status_cases() -> Vec<(Manifest, trust_manifest::Date)> {
    let mut cases = Vec::new();
    for manifest in status_variants() {
        for day in ["2026-12-02", "2027-06-30", "2028-01-01", "2025-01-01"] {
            cases.push((manifest.clone(), core_support::day(day)));
        }
    }
    cases
}

/// Every status text in a report: the two headlines, the two explanations, every finding (with
/// its code).
fn report_texts(report: &StatusReport) -> Vec<(&'static str, &Text)> {
    let mut texts = Vec::new();
    for status in [&report.soc2, &report.iso27001] {
        texts.push(("headline", &status.headline));
        texts.push(("explanation", &status.explanation));
    }
    let findings = report
        .manifest
        .iter()
        .chain(&report.soc2.findings)
        .chain(&report.iso27001.findings);
    for finding in findings {
        texts.push((finding.code, &finding.message));
    }
    texts
}

#[test]
fn status_texts_on_an_english_page_are_the_manifest_crates_english() {
    // The compiled English: what an English page shows.
    let tr = Tr::english();
    let mut codes = BTreeSet::new();
    let mut headlines = BTreeSet::new();
    for (manifest, today) in status_cases() {
        let report = evaluate(&manifest, today, &StatusPolicy::default());
        for status in [&report.soc2, &report.iso27001] {
            headlines.insert(status.headline.to_english());
        }
        for (what, text) in report_texts(&report) {
            assert_eq!(
                status_text::render(tr, text),
                text.to_english(),
                "{what} ({})",
                text.id.key()
            );
            codes.insert(what);
        }
    }
    // Every outcome and finding the rules have was compared at least once.
    assert_eq!(headlines.len(), 13, "{headlines:?}");
    for code in [
        "manifest_expired",
        "manifest_expiring_soon",
        "manifest_issued_in_future",
        "soc2_type1",
        "bridge_letter_too_long",
        "soc2_next_report_late",
        "surveillance_overdue",
        "next_surveillance_audit",
        "certificate_term_suspicious",
        "certificate_issued_in_future",
        "not_accredited",
    ] {
        assert!(codes.contains(code), "{code} not reached: {codes:?}");
    }
}

/// The English the status rules wrote before their texts became message ids and facts
/// (`format!` in trust_manifest::status), for every case of [`status_cases`]: one line per
/// distinct text, sorted. Rewrite with `STATUS_ENGLISH_WRITE=1` after changing an English text
/// on purpose.
const GOLDEN_ENGLISH: &str = "tests/golden/status_english.txt";

#[test]
fn the_manifest_crates_english_is_the_english_it_always_wrote() {
    let mut lines = BTreeSet::new();
    for (manifest, today) in status_cases() {
        let report = evaluate(&manifest, today, &StatusPolicy::default());
        for (name, status) in [("soc2", &report.soc2), ("iso27001", &report.iso27001)] {
            lines.insert(format!("{name} headline: {}", status.headline));
            lines.insert(format!("{name} explanation: {}", status.explanation));
        }
        let findings = report
            .manifest
            .iter()
            .chain(&report.soc2.findings)
            .chain(&report.iso27001.findings);
        for finding in findings {
            lines.insert(format!("finding {}: {}", finding.code, finding.message));
        }
    }
    let found: String = lines.into_iter().map(|line| line + "\n").collect();
    let path = format!("{}/{GOLDEN_ENGLISH}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("STATUS_ENGLISH_WRITE").is_some() {
        std::fs::write(&path, &found).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    for (line, (found, golden)) in found.lines().zip(golden.lines()).enumerate() {
        assert_eq!(found, golden, "{GOLDEN_ENGLISH} line {}", line + 1);
    }
    assert_eq!(found.lines().count(), golden.lines().count());
}

#[test]
fn every_status_text_id_is_a_catalogue_message_with_the_same_english() {
    let english = catalogue("en");
    for id in trust_manifest::status::text::TEXT_IDS.iter().copied() {
        let template = trust_manifest::status::text::english_template(id).unwrap();
        assert_eq!(
            english.get(id).and_then(Value::as_str),
            Some(template),
            "{id}"
        );
    }
    // The catalogue has no other `status.*` message, and they are where the widget looks for
    // them: `TextId` order, from `STATUS_FIRST` on (`status_text::render` finds them by position).
    let extra: Vec<&str> = english
        .keys()
        .map(String::as_str)
        .filter(|id| id.starts_with("status."))
        .filter(|id| !trust_manifest::status::text::TEXT_IDS.contains(id))
        .collect();
    assert_eq!(extra, Vec::<&str>::new());
    assert_eq!(messages::STATUS_COUNT, TextId::ALL.len());
    for id in TextId::ALL {
        assert_eq!(
            messages::IDS[messages::STATUS_FIRST + id.index()],
            id.key(),
            "{id:?}"
        );
    }
}

/// Whether `text` has a date written `YYYY-MM-DD`.
fn has_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(10).any(|w| {
        w.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
    })
}

#[test]
fn status_texts_in_other_languages_are_filled_from_their_catalogue() {
    for lang in LANGUAGES {
        let tr = Tr::from_source(Lang::from_tag(lang).unwrap(), &source(lang)).unwrap();
        for (manifest, today) in status_cases() {
            let report = evaluate(&manifest, today, &StatusPolicy::default());
            for (what, text) in report_texts(&report) {
                let shown = status_text::render(tr, text);
                let english = text.to_english();
                assert!(!shown.is_empty(), "{lang} {what}");
                assert!(!shown.contains('{'), "{lang} {what}: {shown}");
                assert!(
                    shown != english || text.id.key().starts_with("status.headline."),
                    "{lang} {what} is English: {shown}"
                );
                // Dates are written the page's way, not as ISO.
                assert!(
                    !has_iso_date(&shown),
                    "{lang} {what} has an ISO date: {shown}"
                );
            }
        }
    }
}

//! Native server-side-rendering tests of the built-in content: comparison table, framework FAQ
//! (search, highlight, deep-link ids), guide recommendations and the NDA request form
//! (validation, request body, reading the intake service's answers).
#![cfg(not(target_arch = "wasm32"))]

mod core_support;

use trust_center_widget::components::comparison;
use trust_center_widget::components::faq::{highlighted, FrameworkFaq, FrameworkFaqProps};
use trust_center_widget::components::faq_items::{
    count_message, faq_items, item_for_hash, item_matches, paragraphs, sanitize_id,
};
use trust_center_widget::components::guide::{recommendation_view, FrameworkGuide};
use trust_center_widget::content::comparison::ComparisonRow;
use trust_center_widget::content::{
    recommend, Choice, Need, Region, RowId, COMPARISON_ROWS, FRAMEWORK_FAQ,
};
use trust_center_widget::nda::draft_store::storage_key;
use trust_center_widget::nda::form::{self as nda_form, receipt_message, NdaRequestFormProps};
use trust_center_widget::nda::idempotency::{idempotency_key_from_bytes, is_valid_idempotency_key};
use trust_center_widget::nda::json::{draft_from_json, draft_to_json};
use trust_center_widget::nda::submit::{
    as_sentence, endpoint, interpret_response, AccessRequestBody,
};
use trust_center_widget::nda::validation::{looks_like_email, validate_draft, Field, NdaDraft};
use trust_center_widget::search::{find_matches, fold, highlight, matches_all, terms, Segment};
use trust_manifest::{
    AccessRequestSettings, Date, Document, DocumentAccess, DocumentKind, FaqEntry, NdaTerms,
};
use yew::prelude::*;
use yew::LocalServerRenderer;

fn render<C>(props: C::Properties) -> String
where
    C: BaseComponent,
    C::Properties: Send,
{
    futures::executor::block_on(
        LocalServerRenderer::<C>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

// ---------------------------------------------------------------- comparison

#[test]
fn comparison_has_twelve_rows_with_headers_and_phone_labels() {
    let html = core_support::render_with(|_: &()| comparison::view(), ());
    assert!(html.contains("<table"), "{html}");
    assert!(html.contains("<caption"), "a table needs a caption: {html}");
    assert!(
        !html.contains("<h2"),
        "the page supplies the section heading"
    );
    assert_eq!(count(&html, r#"scope="col""#), 3);
    assert_eq!(count(&html, r#"scope="row""#), 12);
    assert_eq!(
        count(&html, "data-label="),
        24,
        "every data cell needs a label"
    );
    for row in COMPARISON_ROWS.iter() {
        assert!(
            html.contains(row.criterion),
            "missing row {}",
            row.criterion
        );
        assert!(html.contains(&format!("tc-compare-{}", row.id.slug())));
    }
}

#[test]
fn comparison_rows_follow_their_ids_and_use_correct_wording() {
    for (index, row) in COMPARISON_ROWS.iter().enumerate() {
        assert_eq!(row.id as usize, index, "row order must match RowId");
        assert_eq!(ComparisonRow::get(row.id).criterion, row.criterion);
        for text in [row.criterion, row.soc2, row.iso27001] {
            assert!(
                !text.contains("SOC II") && !text.contains("SOC-2"),
                "{text}"
            );
        }
        assert!(
            !row.soc2.to_lowercase().contains("soc 2 certification"),
            "SOC 2 is an attestation: {}",
            row.soc2
        );
    }
    let deliverable = ComparisonRow::get(RowId::FinalDeliverable);
    assert!(deliverable.soc2.contains("not a certificate"));
    assert!(ComparisonRow::get(RowId::ValidityPeriod)
        .iso27001
        .contains("three years"));
}

// ---------------------------------------------------------------- search

fn segs(text: &str, query: &str) -> Vec<(String, bool)> {
    highlight(text, &terms(query))
        .into_iter()
        .map(|Segment { text, highlighted }| (text, highlighted))
        .collect()
}

#[test]
fn fold_ignores_case_and_accents() {
    assert_eq!(fold("Ça ÉTÉ Straße Œuvre"), "ca ete strasse oeuvre");
    assert_eq!(fold("SOC\u{00a0}2®"), "soc\u{00a0}2");
    assert_eq!(fold("e\u{0301}te\u{0301}"), "ete");
}

#[test]
fn highlight_marks_case_and_diacritic_insensitive_matches() {
    assert_eq!(
        segs("Is SOC 2 only for US companies?", "soc"),
        vec![
            ("Is ".to_string(), false),
            ("SOC".to_string(), true),
            (" 2 only for US companies?".to_string(), false),
        ]
    );
    // The original spelling is kept inside the mark.
    assert_eq!(
        segs("Société Générale", "generale"),
        vec![
            ("Société ".to_string(), false),
            ("Générale".to_string(), true)
        ]
    );
    assert_eq!(
        segs("Straße", "strasse"),
        vec![("Straße".to_string(), true)]
    );
}

#[test]
fn highlight_merges_overlaps_and_handles_no_match() {
    // Overlapping terms ("iso", "o27") form one mark; separate ones stay apart.
    assert_eq!(find_matches("ISO27001", &terms("iso o27")), vec![0..5]);
    assert_eq!(
        find_matches("ISO 27001", &terms("iso 27")),
        vec![0..3, 4..6]
    );
    assert_eq!(
        segs("Europe and europe", "EUROPE"),
        vec![
            ("Europe".to_string(), true),
            (" and ".to_string(), false),
            ("europe".to_string(), true),
        ]
    );
    assert_eq!(
        segs("nothing here", "zzz"),
        vec![("nothing here".to_string(), false)]
    );
    assert_eq!(segs("text", "   "), vec![("text".to_string(), false)]);
    assert!(segs("", "a").is_empty());
}

#[test]
fn all_terms_must_match_somewhere() {
    let t = terms("soc europe");
    assert!(matches_all(&["SOC 2 question", "Answer about Europe"], &t));
    assert!(!matches_all(
        &["SOC 2 question", "Answer about America"],
        &t
    ));
    assert!(matches_all(&["anything"], &terms("")));
    // A one-character term only matches a whole word.
    assert_eq!(find_matches("SOC 2 and ISO 27001", &terms("2")), vec![4..5]);
    assert!(!matches_all(&["ISO 27001"], &terms("2")));
    assert!(matches_all(&["SOC 2"], &terms("2")));
}

#[test]
fn highlighted_nodes_use_mark_and_escape_text() {
    let html = core_support::render_with(
        |(text, query): &(&str, &str)| html! { <p>{ highlighted(text, &terms(query)) }</p> },
        ("<b>ISO</b> iso", "iso"),
    );
    assert_eq!(count(&html, "<mark"), 2, "{html}");
    assert!(
        !html.contains("<b>"),
        "text must be escaped, never parsed: {html}"
    );
    assert!(html.contains("&lt;b&gt;"), "{html}");
}

// ---------------------------------------------------------------- FAQ

fn vendor_faq() -> Vec<FaqEntry> {
    vec![
        FaqEntry {
            id: "data-residency".to_string(),
            question: "Where is customer data stored?".to_string(),
            answer: "In the EU (Frankfurt).\n\nBackups stay in the EU too.".to_string(),
        },
        FaqEntry {
            id: "need-both".to_string(),
            question: "Do you hold both?".to_string(),
            answer: "Yes.".to_string(),
        },
    ]
}

#[test]
fn faq_renders_six_framework_questions_as_accordion() {
    let html = render::<FrameworkFaq>(FrameworkFaqProps {
        tr: Default::default(),
        vendor_lang: Vec::new(),
        vendor_entries: Vec::new(),
    });
    assert_eq!(FRAMEWORK_FAQ.len(), 6);
    assert_eq!(count(&html, r#"class="tc-faq__item"#), 6, "{html}");
    assert_eq!(count(&html, r#"aria-expanded="false""#), 6);
    assert_eq!(count(&html, r#"role="region""#), 6);
    assert_eq!(
        count(&html, r#"hidden="hidden""#),
        6,
        "answers start collapsed"
    );
    for question in FRAMEWORK_FAQ.iter() {
        assert!(html.contains(question.question), "{}", question.question);
        assert!(html.contains(&format!(r#"id="faq-{}""#, question.id)));
        assert!(html.contains(&format!(r#"aria-controls="faq-{}-panel""#, question.id)));
    }
    assert!(
        html.contains(r#"role="status""#),
        "result count needs a live region"
    );
    assert!(html.contains("6 questions"));
    assert!(html.contains(r#"type="search""#));
    assert!(!html.contains("From the vendor"));
    assert!(
        !html.contains("<h2"),
        "the page supplies the section heading"
    );
    assert_eq!(
        count(&html, "<h3"),
        6,
        "questions are h3 under the page's h2"
    );
}

#[test]
fn faq_adds_vendor_entries_with_unique_ids() {
    let html = render::<FrameworkFaq>(FrameworkFaqProps {
        tr: Default::default(),
        vendor_lang: Vec::new(),
        vendor_entries: vendor_faq(),
    });
    assert_eq!(count(&html, r#"class="tc-faq__item"#), 8, "{html}");
    assert!(html.contains("From the vendor"));
    assert!(html.contains(r#"id="faq-data-residency""#));
    // A vendor id that clashes with a built-in one gets a suffix.
    assert!(html.contains(r#"id="faq-need-both-2""#));
    assert_eq!(count(&html, r#"id="faq-need-both""#), 1);
    assert!(html.contains("8 questions"));
    // Paragraphs split at blank lines.
    assert!(
        html.contains("<p>Backups stay in the EU too.</p>"),
        "{html}"
    );
}

#[test]
fn faq_deep_links_and_filters() {
    let items = faq_items(&vendor_faq());
    assert_eq!(
        item_for_hash(&items, "#faq-soc2-timeline").map(|i| i.dom_id.as_str()),
        Some("faq-soc2-timeline")
    );
    assert_eq!(
        item_for_hash(&items, "#faq-DATA-residency").map(|i| i.dom_id.as_str()),
        Some("faq-data-residency")
    );
    assert!(item_for_hash(&items, "#faq-unknown").is_none());
    assert!(item_for_hash(&items, "#other").is_none());
    assert!(item_for_hash(&items, "").is_none());

    let europe: Vec<&str> = items
        .iter()
        .filter(|i| item_matches(i, &terms("EUROPE mandatory")))
        .map(|i| i.dom_id.as_str())
        .collect();
    assert_eq!(europe, vec!["faq-iso-in-europe"]);
    let frankfurt = items
        .iter()
        .filter(|i| item_matches(i, &terms("frankfurt")))
        .count();
    assert_eq!(frankfurt, 1);

    assert_eq!(count_message(8, 8, ""), "8 questions");
    assert_eq!(
        count_message(0, 8, "xyz"),
        "No questions match \u{201c}xyz\u{201d}."
    );
    assert_eq!(
        count_message(1, 8, "soc"),
        "1 of 8 questions matches \u{201c}soc\u{201d}."
    );
    assert_eq!(sanitize_id("a b/c"), "a-b-c");
    assert_eq!(sanitize_id("  "), "entry");
    assert_eq!(paragraphs("a\nb\n\n\nc\n"), vec!["a b", "c"]);
}

#[test]
fn faq_answers_use_attestation_wording() {
    let timeline = FRAMEWORK_FAQ
        .iter()
        .find(|q| q.id == "soc2-timeline")
        .map(|q| q.answer.join(" "))
        .unwrap_or_default();
    assert!(
        timeline.contains("no such thing as a SOC 2 certificate"),
        "{timeline}"
    );
    assert!(timeline.contains("attestation report"));
}

// ---------------------------------------------------------------- guide

#[test]
fn guide_recommends_by_region_and_needs() {
    let na = recommend(Region::NorthAmerica, &[]);
    assert_eq!(na.choice, Choice::Soc2);
    assert_eq!(na.reasons[0].row, RowId::GeographicFocus);

    assert_eq!(recommend(Region::Europe, &[]).choice, Choice::Iso27001);
    assert_eq!(recommend(Region::AsiaPacific, &[]).choice, Choice::Iso27001);

    let tender = recommend(
        Region::Europe,
        &[Need::FormalCertificate, Need::RiskProgramme],
    );
    assert_eq!(tender.choice, Choice::Iso27001);
    let rows: Vec<RowId> = tender.reasons.iter().map(|r| r.row).collect();
    assert!(rows.contains(&RowId::FinalDeliverable));
    assert!(rows.contains(&RowId::RiskManagement));

    let na_fast = recommend(
        Region::NorthAmerica,
        &[Need::FastFirstStep, Need::VendorReviews],
    );
    assert_eq!(na_fast.choice, Choice::Soc2);
    assert!(na_fast.tip.is_some_and(|tip| tip.contains("Type 1")));
    assert!(na_fast
        .reasons
        .iter()
        .any(|r| r.row == RowId::TypicalTimeline));

    let eu_fast = recommend(Region::Europe, &[Need::FastFirstStep]);
    assert_eq!(eu_fast.choice, Choice::Iso27001);
    assert!(eu_fast
        .tip
        .is_some_and(|tip| tip.contains("bridge the gap")));

    let na_tender = recommend(Region::NorthAmerica, &[Need::FormalCertificate]);
    assert_eq!(na_tender.choice, Choice::Both);

    let global = recommend(Region::Global, &[Need::FastFirstStep]);
    assert_eq!(global.choice, Choice::Both);
    assert_eq!(global.begin_with, Some(Choice::Soc2));

    let global_risk = recommend(Region::Global, &[Need::RiskProgramme]);
    assert_eq!(global_risk.begin_with, Some(Choice::Iso27001));

    // Every reason cites a real comparison row.
    for region in Region::ALL {
        let rec = recommend(region, &Need::ALL);
        assert!(!rec.reasons.is_empty());
        for reason in &rec.reasons {
            assert!(COMPARISON_ROWS.iter().any(|row| row.id == reason.row));
        }
    }
}

#[test]
fn guide_renders_choices_and_recommendation() {
    let html = render::<FrameworkGuide>(Default::default());
    assert_eq!(count(&html, r#"type="radio""#), 4, "{html}");
    assert_eq!(count(&html, r#"type="checkbox""#), 4);
    assert_eq!(count(&html, "<fieldset"), 2);
    assert_eq!(count(&html, "<legend"), 2);
    assert!(html.contains("Choose where your customers are"));
    assert!(
        !html.contains("<h2"),
        "the page supplies the section heading"
    );
    assert!(html.contains(r#"aria-live="polite""#));

    let html = core_support::render_with(
        |(region, needs): &(Region, Vec<Need>)| recommendation_view(&recommend(*region, needs)),
        (Region::Europe, vec![Need::FormalCertificate]),
    );
    assert!(
        html.contains("Start with ISO/IEC 27001 certification"),
        "{html}"
    );
    assert!(html.contains(r#"data-choice="iso27001""#));
    assert!(html.contains("(comparison: What you receive)"), "{html}");
}

// ---------------------------------------------------------------- NDA form

/// The NDA form is a plain view (no component of its own); this mounts it for the SSR render.
#[component]
fn NdaRequestForm(props: &NdaRequestFormProps) -> Html {
    nda_form::view(props)
}

fn nda_document() -> Document {
    Document {
        id: "soc2-2026".to_string(),
        title: "SOC 2® Type 2 report 2026".to_string(),
        kind: DocumentKind::Soc2Report,
        access: DocumentAccess::Nda,
        url: None,
        sha256: None,
        size_bytes: None,
        updated_on: Date::from_ymd(2026, 9, 1).unwrap_or_else(|| panic!("valid date")),
        description: None,
    }
}

fn settings(intake_url: &str, text: Option<&str>, text_url: Option<&str>) -> AccessRequestSettings {
    AccessRequestSettings {
        intake_url: intake_url.to_string(),
        nda: NdaTerms {
            version: "2026-01".to_string(),
            text: text.map(str::to_string),
            text_url: text_url.map(str::to_string),
            sha256: "ab".repeat(32),
        },
    }
}

fn filled() -> NdaDraft {
    NdaDraft {
        name: "Ada Lovelace".to_string(),
        email: "ada@example.com".to_string(),
        company: "Analytical Engines Ltd".to_string(),
        reason: String::new(),
        accepted: true,
        pending_key: None,
    }
}

#[test]
fn nda_form_renders_fields_and_inline_terms() {
    let html = render::<NdaRequestForm>(NdaRequestFormProps {
        tr: Default::default(),
        document_title: String::new(),
        nda_lang: None,
        settings: settings(
            "https://intake.example.com",
            Some("Keep it secret.\n\nKeep it safe."),
            None,
        ),
        document: nda_document(),
        allow_loopback_http: false,
    });
    for id in ["name", "email", "company", "reason", "accept"] {
        assert!(
            html.contains(&format!(r#"id="tc-nda-soc2-2026-{id}""#)),
            "missing field {id}: {html}"
        );
        assert!(html.contains(&format!(r#"for="tc-nda-soc2-2026-{id}""#)));
    }
    assert!(html.contains(r#"type="email""#));
    assert!(html.contains(r#"type="checkbox""#));
    assert!(html.contains("version 2026-01"));
    assert!(html.contains("<p>Keep it secret.</p>"), "{html}");
    assert!(html.contains("novalidate"));
    assert!(
        !html.contains(r#"aria-invalid="true""#),
        "no errors before submitting"
    );
    assert!(html.contains("Send request"));
    assert!(html.contains("Clear the form"));
    assert!(
        html.contains("kept in this browser"),
        "visitors are told where input is kept"
    );
}

#[test]
fn nda_form_links_to_published_terms_and_refuses_unsafe_intake() {
    let html = render::<NdaRequestForm>(NdaRequestFormProps {
        tr: Default::default(),
        document_title: String::new(),
        nda_lang: None,
        settings: settings(
            "http://127.0.0.1:8787",
            None,
            Some("https://vendor.example.com/nda"),
        ),
        document: nda_document(),
        allow_loopback_http: true,
    });
    assert!(
        html.contains(r#"href="https://vendor.example.com/nda""#),
        "{html}"
    );
    assert!(html.contains(r#"rel="noopener noreferrer""#));
    assert!(html.contains("<form"));

    // The same loopback address outside dev mode, and plain http anywhere: no form.
    for (url, dev) in [
        ("http://127.0.0.1:8787", false),
        ("http://intake.example.com", true),
    ] {
        let html = render::<NdaRequestForm>(NdaRequestFormProps {
            tr: Default::default(),
            document_title: String::new(),
            nda_lang: None,
            settings: settings(url, Some("text"), None),
            document: nda_document(),
            allow_loopback_http: dev,
        });
        assert!(!html.contains("<form"), "{url}: {html}");
        assert!(html.contains("switched off"), "{html}");
    }
}

#[test]
fn nda_validation_messages() {
    let errors = validate_draft(&NdaDraft::default());
    assert_eq!(errors.len(), 4);
    assert_eq!(errors.first(), Some(Field::Name));
    assert_eq!(errors.get(Field::Name), Some("Enter your full name."));
    assert!(errors
        .get(Field::Email)
        .is_some_and(|m| m.contains("work e-mail")));
    assert_eq!(
        errors.get(Field::Company),
        Some("Enter the company you work for.")
    );
    assert!(
        errors.get(Field::Reason).is_none(),
        "the reason is optional"
    );
    assert!(errors
        .get(Field::Accepted)
        .is_some_and(|m| m.contains("accept the NDA")));

    assert!(validate_draft(&filled()).is_empty());

    let mut bad_email = filled();
    bad_email.email = "ada at example".to_string();
    let errors = validate_draft(&bad_email);
    assert_eq!(errors.first(), Some(Field::Email));
    assert!(errors
        .get(Field::Email)
        .is_some_and(|m| m.contains("name@company.com")));

    let mut not_accepted = filled();
    not_accepted.accepted = false;
    assert_eq!(validate_draft(&not_accepted).first(), Some(Field::Accepted));

    let mut long_reason = filled();
    long_reason.reason = "x".repeat(2001);
    assert_eq!(validate_draft(&long_reason).first(), Some(Field::Reason));

    let mut blank = filled();
    blank.name = "   ".to_string();
    assert_eq!(validate_draft(&blank).first(), Some(Field::Name));

    assert!(looks_like_email("a.b+c@sub.example.co.uk"));
    for bad in [
        "",
        "a@",
        "@b.com",
        "a@b",
        "a b@c.com",
        "a@b..com",
        "a@@b.com",
        "a@.b.com",
    ] {
        assert!(!looks_like_email(bad), "{bad}");
    }
}

#[test]
fn nda_request_body_matches_the_intake_api() {
    let mut draft = filled();
    draft.name = "  Ada Lovelace ".to_string();
    let key = idempotency_key_from_bytes(&[7u8; 16]);
    assert!(is_valid_idempotency_key(&key), "{key}");
    assert!(!is_valid_idempotency_key("short"));
    assert!(!is_valid_idempotency_key("has space in it here"));

    let body = AccessRequestBody::new(
        &draft,
        &settings("https://intake.example.com/", Some("t"), None),
        &nda_document(),
        key.clone(),
    );
    let json: serde_json::Value = serde_json::from_str(&body.to_json()).unwrap_or_default();
    assert_eq!(json["name"], "Ada Lovelace");
    assert_eq!(json["email"], "ada@example.com");
    assert_eq!(json["company"], "Analytical Engines Ltd");
    assert!(json.get("reason").is_none(), "empty reason is left out");
    assert_eq!(json["document_id"], "soc2-2026");
    assert_eq!(json["nda_version"], "2026-01");
    assert_eq!(json["nda_sha256"], "ab".repeat(32));
    assert_eq!(json["nda_accepted"], true);
    assert_eq!(json["idempotency_key"], key.as_str());

    assert_eq!(
        endpoint("https://intake.example.com/"),
        "https://intake.example.com/v1/access-requests"
    );
    assert_eq!(
        storage_key("http://127.0.0.1:8787/", "soc2"),
        "trust-center:nda-draft:http://127.0.0.1:8787:soc2"
    );

    // The saved draft round-trips, including the pending key.
    draft.pending_key = Some(key);
    let saved = draft_to_json(&draft);
    assert_eq!(draft_from_json(&saved), Some(draft));
}

#[test]
fn nda_service_answers_are_explained() {
    let receipt = interpret_response(
        201,
        r#"{"request_id":"req_123","status":"pending","status_url":"http://127.0.0.1:8787/v1/access-requests/req_123"}"#,
    );
    assert_eq!(
        receipt.as_ref().map(|r| r.request_id.as_str()),
        Ok("req_123")
    );
    assert!(interpret_response(200, r#"{"request_id":"req_1","status":"approved"}"#).is_ok());

    let failure = interpret_response(
        400,
        r#"{"error":{"code":"validation_failed","message":"Some fields are wrong","fields":[{"field":"email","message":"Use your work address, not a free-mail one."},{"field":"document_id","message":"Unknown document."}]}}"#,
    )
    .err()
    .unwrap_or_default();
    assert_eq!(
        failure.fields,
        vec![(
            Field::Email,
            "Use your work address, not a free-mail one.".to_string()
        )]
    );
    assert!(
        failure.message.contains("did not accept"),
        "{}",
        failure.message
    );
    assert!(failure.message.contains("Some fields are wrong"));
    assert!(failure.message.contains("document_id: Unknown document."));
    assert!(!failure.retryable);

    let limited = interpret_response(
        429,
        r#"{"error":{"code":"rate_limited","message":"Slow down"}}"#,
    )
    .err()
    .unwrap_or_default();
    assert!(limited.retryable);
    assert!(limited.message.contains("Wait a minute"));

    let broken = interpret_response(502, "<html>Bad gateway</html>")
        .err()
        .unwrap_or_default();
    assert!(broken.retryable);
    assert!(broken.message.contains("HTTP 502"), "{}", broken.message);

    let origin = interpret_response(
        403,
        r#"{"error":{"code":"origin_not_allowed","message":"x"}}"#,
    )
    .err()
    .unwrap_or_default();
    assert!(origin
        .message
        .contains("does not accept requests from this website"));

    let garbled = interpret_response(201, "not json")
        .err()
        .unwrap_or_default();
    assert!(garbled.retryable);

    let lower = interpret_response(
        400,
        r#"{"error":{"code":"validation_failed","message":"","fields":[{"field":"email","message":"please use your work e-mail address"}]}}"#,
    )
    .err()
    .unwrap_or_default();
    assert_eq!(
        lower.fields,
        vec![(
            Field::Email,
            "Please use your work e-mail address.".to_string()
        )]
    );
    assert_eq!(as_sentence("  "), "");
    assert_eq!(as_sentence("done!"), "Done!");

    assert!(receipt_message("pending", "a@b.com").contains("a@b.com"));
    assert!(receipt_message("approved", "a@b.com").contains("download link"));
    assert!(receipt_message("denied", "a@b.com").contains("declined"));
}

//! The change history (`changes`) and update settings (`updates`): decoding, backward
//! compatibility with manifests that have neither, and the validation rules (ids by the
//! document-id rule and unique, versions and dates that make sense, https links).

mod common;

use common::*;
use trust_manifest::*;

fn example() -> Manifest {
    parse_manifest(MANIFEST_JSON.as_bytes()).expect("example parses")
}

fn problems_at(manifest: &Manifest) -> Vec<(String, String)> {
    validate(manifest, &ValidationOptions::default())
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

/// The example with its `changes` and `updates` members replaced by `tail` (JSON members,
/// without a leading comma; empty for none).
fn with_tail(tail: &str) -> String {
    let start = MANIFEST_JSON
        .find(",\n  \"changes\"")
        .expect("example has changes");
    let mut text = MANIFEST_JSON[..start].to_owned();
    if !tail.is_empty() {
        text.push(',');
        text.push_str(tail);
    }
    text.push('}');
    text
}

fn decode_error(text: &str) -> String {
    match parse_manifest(text.as_bytes()) {
        Ok(m) => panic!("accepted: {:?}", m.changes),
        Err(VerifyError::MalformedManifest(error)) => error.to_string(),
        Err(other) => panic!("{other:?}"),
    }
}

#[test]
fn the_example_history_decodes_field_by_field() {
    let m = example();
    assert_eq!(
        m.changes,
        vec![
            ChangeEntry {
                id: "2026-11-01-subprocessor-added-example-mail".into(),
                version: 7,
                date: date("2026-11-01"),
                category: ChangeCategory::Subprocessors,
                summary: "New subprocessor: Example Mail Inc (transactional e-mail, EU).".into(),
                effective_date: Some(date("2026-12-01")),
            },
            ChangeEntry {
                id: "2026-10-20-soc2-renewed".into(),
                version: 6,
                date: date("2026-10-20"),
                category: ChangeCategory::Certifications,
                summary: "SOC 2 Type 2 report for 2025-10-01 to 2026-09-30 available under NDA."
                    .into(),
                effective_date: None,
            },
        ]
    );
    assert_eq!(
        m.updates,
        Some(UpdateSettings {
            subscribe_url: Some("https://trust.example.com/v1/subscriptions".into()),
            feed_url: Some("https://example.com/trust/changes.atom".into()),
            subprocessor_notice_days: Some(30),
        })
    );
    assert_eq!(problems_at(&m), vec![]);
}

#[test]
fn manifests_without_history_still_read() {
    let m = parse_manifest(with_tail("").as_bytes()).expect("a v1 manifest without the fields");
    assert!(m.changes.is_empty());
    assert_eq!(m.updates, None);
    let m = parse_manifest(with_tail(r#""updates": null, "changes": []"#).as_bytes())
        .expect("null updates, empty list");
    assert!(m.changes.is_empty());
    assert_eq!(m.updates, None);
    let m = parse_manifest(with_tail(r#""updates": {}"#).as_bytes()).expect("empty updates");
    assert_eq!(
        m.updates,
        Some(UpdateSettings {
            subscribe_url: None,
            feed_url: None,
            subprocessor_notice_days: None
        })
    );
    // And they serialise back without the fields (older readers see what they always saw).
    let json = serde_json::to_value(parse_manifest(with_tail("").as_bytes()).expect("reads"))
        .expect("serialises");
    assert!(json.get("changes").is_none() && json.get("updates").is_none());
}

#[test]
fn category_names_round_trip() {
    for category in ChangeCategory::ALL {
        let json = serde_json::to_value(category).expect("serialises");
        assert_eq!(json, category.as_str());
        assert_eq!(ChangeCategory::from_name(category.as_str()), Some(category));
        let entry = format!(
            r#""changes": [{{"id": "a", "version": 1, "date": "2026-01-01", "category": "{}", "summary": "s"}}]"#,
            category.as_str()
        );
        let m = parse_manifest(with_tail(&entry).as_bytes()).expect("every category reads");
        assert_eq!(m.changes[0].category, category);
    }
    assert_eq!(ChangeCategory::from_name("Subprocessors"), None);
}

#[test]
fn decoding_errors_name_the_field() {
    let entry = |members: &str| format!(r#""changes": [{{{members}}}]"#);
    assert_eq!(
        decode_error(&with_tail(&entry(
            r#""id": "a", "version": 1, "date": "2026-01-01", "category": "pricing", "summary": "s""#
        ))),
        "changes[0].category: expected one of \"subprocessors\", \"certifications\", \"documents\", \"policies\", \"other\", found the string \"pricing\""
    );
    assert_eq!(
        decode_error(&with_tail(&entry(
            r#""id": "a", "version": 1, "date": "2026-01-01", "category": "other""#
        ))),
        "changes[0].summary: this field is required but missing"
    );
    assert_eq!(
        decode_error(&with_tail(&entry(
            r#""id": "a", "version": 1, "date": "2026-01-01", "category": "other", "summary": "s", "effective_date": "2026-02-30""#
        ))),
        "changes[0].effective_date: expected a date like 2026-01-31, found the string \"2026-02-30\""
    );
    assert_eq!(
        decode_error(&with_tail(&entry(
            r#""id": "a", "version": -1, "date": "2026-01-01", "category": "other", "summary": "s""#
        ))),
        "changes[0].version: expected a whole number from 0 to 18446744073709551615, written with digits only, found the number -1"
    );
    assert_eq!(
        decode_error(&with_tail(r#""updates": {"subprocessor_notice_days": 4294967296}"#)),
        "updates.subprocessor_notice_days: expected a whole number from 0 to 4294967295, written with digits only, found the number 4294967296"
    );
    assert_eq!(
        decode_error(&with_tail(r#""changes": null"#)),
        "changes: expected a list [...], found null"
    );
    assert_eq!(
        decode_error(&with_tail(r#""updates": []"#)),
        "updates: expected an object {…}, found an array"
    );
}

#[test]
fn change_ids_follow_the_document_id_rule_and_are_unique() {
    let mut m = example();
    m.changes[0].id = "../etc".into();
    m.changes[1].id = "../etc".into();
    let found = problems_at(&m);
    assert_eq!(
        found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["changes[0].id", "changes[1].id", "changes[1].id"]
    );
    assert!(found[0].1.contains("must be 1 to 64"), "{found:?}");
    assert!(found[2].1.contains("more than once"), "{found:?}");
    for good in ["a", "2026-12-02-subprocessor-added-acme", "x.y_z"] {
        let mut m = example();
        m.changes[0].id = good.into();
        assert_eq!(problems_at(&m), vec![], "{good}");
    }
    for bad in ["", ".a", "a b", "a/b", "a..b", &"a".repeat(65), "é"] {
        let mut m = example();
        m.changes[0].id = bad.into();
        assert_eq!(problems_at(&m).len(), 1, "{bad:?}");
    }
}

#[test]
fn versions_and_dates_must_make_sense() {
    let mut m = example();
    m.changes[0].version = 8; // the manifest is version 7
    m.changes[1].version = 0;
    m.changes[1].date = date("2026-11-02"); // after issued_at 2026-11-01
    let found = problems_at(&m);
    assert_eq!(
        found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        [
            "changes[0].version",
            "changes[1].version",
            "changes[1].date"
        ]
    );
    assert!(found[0].1.contains("(7)"), "{found:?}");
    assert!(found[2].1.contains("2026-11-02"), "{found:?}");

    // A certification change cannot take effect before it is announced; a subprocessor change
    // may (a removal announced afterwards), the notice period being lint's business.
    let mut m = example();
    m.changes[1].effective_date = Some(date("2026-10-19"));
    m.changes[0].effective_date = Some(date("2026-10-01"));
    assert_eq!(
        problems_at(&m)
            .iter()
            .map(|(p, _)| p.as_str())
            .collect::<Vec<_>>(),
        ["changes[1].effective_date"]
    );
}

#[test]
fn summaries_are_short_and_not_empty() {
    let mut m = example();
    m.changes[0].summary = "  ".into();
    m.changes[1].summary = "x".repeat(validate::MAX_CHANGE_SUMMARY_CHARS + 1);
    let found = problems_at(&m);
    assert_eq!(
        found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        ["changes[0].summary", "changes[1].summary"]
    );
    m.changes[1].summary = "é".repeat(validate::MAX_CHANGE_SUMMARY_CHARS);
    assert_eq!(problems_at(&m).len(), 1, "the limit counts characters");
}

#[test]
fn update_links_are_https_and_the_notice_period_is_days() {
    let mut m = example();
    let updates = m.updates.as_mut().expect("updates");
    updates.subscribe_url = Some("http://trust.example.com/v1/subscriptions".into());
    updates.feed_url = Some("javascript:alert(1)".into());
    updates.subprocessor_notice_days = Some(validate::MAX_NOTICE_DAYS + 1);
    let found = problems_at(&m);
    assert_eq!(
        found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
        [
            "updates.subscribe_url",
            "updates.feed_url",
            "updates.subprocessor_notice_days"
        ]
    );
    // Loopback http only in development mode, as for the intake URL.
    let updates = m.updates.as_mut().expect("updates");
    updates.subscribe_url = Some("http://127.0.0.1:8787/v1/subscriptions".into());
    updates.feed_url = None;
    updates.subprocessor_notice_days = Some(validate::MAX_NOTICE_DAYS);
    let dev = ValidationOptions {
        allow_loopback_http: true,
    };
    assert_eq!(validate(&m, &dev), vec![]);
    assert_eq!(problems_at(&m).len(), 1);
}

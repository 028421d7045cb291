//! SSR tests of the "What's changed" section (issue 17): hidden when the manifest configures
//! nothing, entries newest first with their deep links and details, "new since your last
//! visit" only when there was a last visit, vendor text escaped, the feed link and the subscribe
//! form only when configured with a safe address, and the section in the full page.

mod core_support;

use std::rc::Rc;

use core_support::{day, demo_manifest, page, render, render_with, text, today};
use trust_center_widget::changes::{section, subscribe_form};
use trust_center_widget::i18n::{labels, Tr};

/// The English texts the section must show (the catalogue's `changes.*` messages).
mod changes_text {
    pub const TITLE: &str = "What\u{2019}s changed";
    pub const LEAD: &str =
        "Notable changes to this page, newest first. Each one is part of the signed information.";
    pub const NEW_BADGE: &str = "New since your last visit";
    pub const FEED: &str = "Follow the changes as an Atom feed";
    pub const NONE_YET: &str = "No changes have been announced yet.";
}
use trust_center_widget::components::trust_page::{TrustPage, TrustPageProps};
use trust_center_widget::state::VerifiedPage;
use trust_manifest::{ChangeCategory, ChangeEntry, Manifest, UpdateSettings};

fn entry(id: &str, version: u64, date: &str, summary: &str) -> ChangeEntry {
    ChangeEntry {
        id: id.to_owned(),
        version,
        date: day(date),
        category: ChangeCategory::Subprocessors,
        summary: summary.to_owned(),
        effective_date: None,
    }
}

fn with(changes: Vec<ChangeEntry>, updates: Option<UpdateSettings>) -> Manifest {
    let mut manifest = demo_manifest();
    manifest.changes = changes;
    manifest.updates = updates;
    manifest
}

fn updates(subscribe: Option<&str>, feed: Option<&str>) -> Option<UpdateSettings> {
    Some(UpdateSettings {
        subscribe_url: subscribe.map(str::to_owned),
        feed_url: feed.map(str::to_owned),
        subprocessor_notice_days: None,
    })
}

fn render_section(page: Rc<VerifiedPage>) -> String {
    render_with(|page: &Rc<VerifiedPage>| section::view(page), page)
}

/// The page with `last_seen` as the version remembered from the last visit.
fn visited(manifest: Manifest, last_seen: Option<u64>) -> Rc<VerifiedPage> {
    let mut page = (*page(manifest, today())).clone();
    page.last_seen_version = last_seen;
    Rc::new(page)
}

#[test]
fn nothing_configured_nothing_shown() {
    assert_eq!(render_section(page(with(vec![], None), today())), "");
    // Only a feed address is not enough for a section of its own.
    assert_eq!(
        render_section(page(
            with(vec![], updates(None, Some("https://x.example/f.atom"))),
            today()
        )),
        ""
    );
}

#[test]
fn entries_newest_first_with_deep_links_and_details() {
    let mut effective = entry(
        "2026-11-20-subprocessor-added-acme",
        14,
        "2026-11-20",
        "New subprocessor: Acme.",
    );
    effective.effective_date = Some(day("2026-12-20"));
    let mut policy = entry("policy", 12, "2026-12-01", "Retention policy updated.");
    policy.category = ChangeCategory::Policies;
    let manifest = with(
        vec![
            policy,
            effective,
            entry(
                "same-version-older",
                14,
                "2026-11-02",
                "Older entry of version 14.",
            ),
            entry("Weird id/with spaces", 13, "2026-10-01", "Version 13."),
        ],
        None,
    );
    let html = render_section(page(manifest, today()));
    let shown = text(&html);
    assert!(
        shown.starts_with(&format!("{} {}", changes_text::TITLE, changes_text::LEAD)),
        "{shown}"
    );
    // Sorted by (version, date), newest first, whatever the file's order.
    let order: Vec<usize> = [
        "New subprocessor: Acme.",
        "Older entry of version 14.",
        "Version 13.",
        "Retention policy updated.",
    ]
    .iter()
    .map(|summary| shown.find(summary).expect(summary))
    .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{shown}");
    assert!(shown.contains("20 Nov 2026 · Subprocessors · version 14 · takes effect 20 Dec 2026 New subprocessor: Acme."), "{shown}");
    assert!(
        shown.contains("1 Dec 2026 · Policies · version 12 Retention policy updated."),
        "{shown}"
    );
    // One focusable target and one deep link per entry; odd ids made safe for an element id.
    assert!(html.contains(r##"<li id="change-2026-11-20-subprocessor-added-acme" tabindex="-1" class="tc-change">"##), "{html}");
    assert!(html.contains(r##"href="#change-2026-11-20-subprocessor-added-acme" aria-label="Link to this change""##), "{html}");
    assert!(
        html.contains(r#"id="change-weird-id-with-spaces""#),
        "{html}"
    );
    // A first visit marks nothing as new.
    assert!(!html.contains("tc-change--new") && !shown.contains(changes_text::NEW_BADGE));
    assert!(!shown.contains("since your last visit"));
    // No form without a subscription address.
    assert!(!html.contains("<form"));
}

#[test]
fn new_since_the_last_visit_only_after_a_visit() {
    let manifest = with(
        vec![
            entry("a", 14, "2026-11-20", "Fourteen A."),
            entry("b", 14, "2026-11-21", "Fourteen B."),
            entry("c", 13, "2026-10-01", "Thirteen."),
        ],
        None,
    );
    let html = render_section(visited(manifest.clone(), Some(13)));
    let shown = text(&html);
    assert!(
        shown.contains("2 changes since your last visit (version 13)."),
        "{shown}"
    );
    assert_eq!(
        html.matches("tc-change tc-change--new").count(),
        2,
        "{html}"
    );
    assert_eq!(shown.matches(changes_text::NEW_BADGE).count(), 2);
    assert!(
        shown.contains("Thirteen.")
            && !shown.contains(&format!("{} Thirteen", changes_text::NEW_BADGE))
    );
    // Seen everything: nothing new, the usual lead.
    let html = render_section(visited(manifest.clone(), Some(14)));
    assert!(!html.contains("tc-change--new"));
    assert!(text(&html).contains(changes_text::LEAD));
    // A memory from a later version (a rollback is shown by the banner): nothing is new.
    let html = render_section(visited(manifest, Some(20)));
    assert!(!html.contains("tc-change--new"));
}

#[test]
fn vendor_text_is_inert() {
    let manifest = with(
        vec![entry(
            "x\"><script>alert(1)</script>",
            14,
            "2026-11-20",
            "<img src=x onerror=alert(1)> & \"quoted\"",
        )],
        updates(None, Some("javascript:alert(1)")),
    );
    let html = render_section(page(manifest, today()));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; \"quoted\""),
        "{html}"
    );
    // An unsafe feed address is not linked.
    assert!(!html.contains("javascript:") && !text(&html).contains(changes_text::FEED));
}

#[test]
fn feed_link_and_form_only_when_configured_safely() {
    let manifest = with(
        vec![],
        updates(
            Some("https://trust.example.com/v1/subscriptions"),
            Some("https://example.com/changes.atom"),
        ),
    );
    let html = render_section(page(manifest, today()));
    let shown = text(&html);
    assert!(shown.contains(changes_text::NONE_YET), "{shown}");
    assert!(
        html.contains(r#"href="https://example.com/changes.atom""#),
        "{html}"
    );
    assert!(
        html.contains(r#"novalidate="novalidate" class="tc-subscribe""#),
        "{html}"
    );

    // An http:// address outside development mode, or a script address: no form at all.
    for unsafe_url in [
        "http://trust.example.com/v1/subscriptions",
        "javascript:alert(1)",
    ] {
        let manifest = with(
            vec![entry("a", 14, "2026-11-20", "A.")],
            updates(Some(unsafe_url), None),
        );
        let mut strict = (*page(manifest, today())).clone();
        strict.allow_loopback_http = false;
        let html = render_section(Rc::new(strict));
        assert!(!html.contains("<form"), "{unsafe_url}: {html}");
    }
}

#[test]
fn the_form_is_labelled_and_ready_for_messages() {
    let html = render_with(
        |url: &&str| subscribe_form::view(Tr::english(), url),
        "https://trust.example.com/v1/subscriptions",
    );
    // Every control has a label; the topics are a labelled group, all ticked to start with.
    assert!(
        html.contains(r#"<label for="tc-subscribe-email" class="tc-field__label">E-mail</label>"#),
        "{html}"
    );
    assert!(html.contains(r#"id="tc-subscribe-email" name="email" type="email" autocomplete="email" aria-required="true" aria-describedby="tc-subscribe-email-error""#), "{html}");
    assert!(html.contains("<legend class=\"tc-field__label\">Topics</legend>"));
    for category in ChangeCategory::ALL {
        assert!(
            html.contains(&format!(
                r#"<input value="{}" checked type="checkbox" name="categories">"#,
                category.as_str()
            )),
            "{category:?}: {html}"
        );
        assert!(text(&html).contains(labels::change_category(Tr::english(), category)));
    }
    // The message places: field errors referenced by the fields, an alert and a live status.
    assert!(html.contains(r#"<p id="tc-subscribe-email-error" class="tc-field__error"></p>"#));
    assert!(html.contains(r#"aria-describedby="tc-subscribe-topics-error""#));
    assert!(html.contains(r#"role="alert""#) && html.contains(r#"role="status""#));
    // Strict CSP: no inline handlers or styles.
    assert!(
        !html.contains(" style=") && !html.contains(" onsubmit=") && !html.contains(" onclick=")
    );
}

#[test]
fn the_demo_page_shows_the_section() {
    let html = render::<TrustPage>(TrustPageProps {
        page: page(demo_manifest(), today()),
        initial_request: None,
    });
    assert!(
        html.contains(r#"<section id="tc-changes""#),
        "the demo has a history"
    );
    assert!(html.contains(r#"id="change-2026-11-16-subprocessor-added-zendesk""#));
    assert!(
        html.contains(r#"class="tc-subscribe""#),
        "the demo has a subscribe_url"
    );
    // Before the documents section, after the overview.
    let changes = html.find(r#"<section id="tc-changes""#).unwrap_or(0);
    assert!(html.find(r#"id="tc-overview""#).unwrap_or(usize::MAX) < changes);
    assert!(changes < html.find(r#"id="tc-documents""#).unwrap_or(0));
}

//! SSR tests of the verified page frame: banner (keys, version, dates, hash, rollback), documents,
//! subprocessor filter, contact, full page layout with the content sections and the NDA form, and
//! the demo manifest itself (valid, and current as of 2026-11-28).

mod core_support;

use std::rc::Rc;

use core_support::{day, demo_manifest, page, render, render_with, text, today};
use trust_center_widget::components::contact_cta::{self, ContactCtaProps};
use trust_center_widget::components::documents_list::{self, DocumentsListProps};
use trust_center_widget::components::subprocessors::{Subprocessors, SubprocessorsProps};
use trust_center_widget::components::trust_page::{TrustPage, TrustPageProps, SECTIONS};
use trust_center_widget::components::verification_banner::{
    self as verification_banner, VerificationBannerProps,
};
use trust_center_widget::state::{RollbackWarning, VerifiedPage};
use trust_manifest::{evaluate, validate, StatusLevel, StatusPolicy, ValidationOptions};

#[test]
fn demo_manifest_is_valid_and_current_on_2026_11_28() {
    let manifest = demo_manifest();
    let problems = validate(
        &manifest,
        &ValidationOptions {
            allow_loopback_http: true,
        },
    );
    assert!(problems.is_empty(), "{problems:?}");
    let nda = &manifest.access_requests.as_ref().unwrap().nda;
    let text = nda.text.as_ref().unwrap();
    assert_eq!(
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/nda.txt"))
            .unwrap(),
        *text
    );
    assert_eq!(nda.sha256.len(), 64);
    let report = evaluate(&manifest, today(), &StatusPolicy::default());
    assert_eq!(report.soc2.level, StatusLevel::Current, "{:?}", report.soc2);
    assert_eq!(
        report.iso27001.level,
        StatusLevel::Current,
        "{:?}",
        report.iso27001
    );
    assert!(report
        .iso27001
        .findings
        .iter()
        .any(|f| f.code == "next_surveillance_audit"));
    let bridge = manifest
        .soc2
        .as_ref()
        .unwrap()
        .bridge_letter
        .as_ref()
        .unwrap();
    assert!(bridge.covers_through >= today());
}

#[test]
fn banner_names_key_fingerprint_version_dates_and_hash() {
    let html = render_with(
        verification_banner::view,
        VerificationBannerProps {
            page: page(demo_manifest(), today()),
        },
    );
    let words = text(&html);
    assert!(
        words.contains("Verified: signed by Halyard Analytics"),
        "{words}"
    );
    assert!(words.contains("Signed by key 3f1c2a9be4d07788"), "{words}");
    assert!(
        !words.contains("3f1c2a9be4d07788aa"),
        "fingerprint is shortened: {words}"
    );
    assert!(words.contains("Version 14"), "{words}");
    assert!(words.contains("Issued 16 Nov 2026"), "{words}");
    assert!(words.contains("Valid until 28 Feb 2027"), "{words}");
    assert!(
        words.contains("Content SHA-256 9a8b7c6d5e4f3021…"),
        "{words}"
    );
    assert!(
        !html.contains("role=\"alert\""),
        "no rollback warning: {html}"
    );
}

#[test]
fn banner_shows_rollback_warning_and_expiry_note() {
    let mut verified = VerifiedPage::clone(&page(demo_manifest(), day("2027-02-20")));
    verified.rollback = Some(RollbackWarning {
        highest_seen: 17,
        served: 14,
    });
    let html = render_with(
        verification_banner::view,
        VerificationBannerProps {
            page: Rc::new(verified),
        },
    );
    let words = text(&html);
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(words.contains("already verified version 17"), "{words}");
    assert!(words.contains("but version 14 was served now"), "{words}");
    assert!(
        words.contains("Valid until 28 Feb 2027 (in 8 days)"),
        "{words}"
    );
    assert!(
        words.contains("Note: This information is valid until 2027-02-28 (8 days left)."),
        "{words}"
    );
}

#[test]
fn documents_link_public_files_and_offer_nda_requests() {
    let html = render_with(
        documents_list::view,
        DocumentsListProps {
            page: page(demo_manifest(), today()),
            on_request: Default::default(),
        },
    );
    let words = text(&html);
    assert_eq!(html.matches("<li class=\"tc-doc\"").count(), 7, "{html}");
    assert!(words.contains("SOC 3 report 2025–2026 Public"), "{words}");
    assert!(
        words.contains("SOC 2® Type 2 report 2025–2026 Under NDA"),
        "{words}"
    );
    assert!(
        html.contains("href=\"http://127.0.0.1:8080/demo/docs/halyard-iso27001-certificate.pdf\"")
    );
    assert!(
        html.contains("aria-label=\"Request access to Penetration test summary, 2026\""),
        "{html}"
    );
    assert!(html.matches("Request access").count() >= 4);
    assert!(words.contains("SHA-256"), "{words}");
    assert!(words.contains("Updated 9 Oct 2026"), "{words}");
    assert!(words.contains("2.3 MB"), "{words}");
}

#[test]
fn documents_without_intake_do_not_offer_requests() {
    let mut manifest = demo_manifest();
    manifest.access_requests = None;
    let html = render_with(
        documents_list::view,
        DocumentsListProps {
            page: page(manifest, today()),
            on_request: Default::default(),
        },
    );
    assert!(!html.contains("Request access"), "{html}");
    assert!(text(&html).contains("Ask the security team"));
}

#[test]
fn subprocessors_filter_by_any_word() {
    let subprocessors = demo_manifest().subprocessors;
    let all = text(&render::<Subprocessors>(SubprocessorsProps {
        tr: Default::default(),
        vendor_lang: Vec::new(),
        subprocessors: subprocessors.clone(),
        allow_loopback_http: false,
        initial_filter: "".into(),
    }));
    assert!(all.contains("6 subprocessors"), "{all}");
    assert!(all.contains("Amazon Web Services Cloud hosting"), "{all}");

    let html = render::<Subprocessors>(SubprocessorsProps {
        tr: Default::default(),
        vendor_lang: Vec::new(),
        subprocessors: subprocessors.clone(),
        allow_loopback_http: false,
        initial_filter: "PAYMENT united".into(),
    });
    let words = text(&html);
    assert!(words.contains("Showing 1 of 6 subprocessors"), "{words}");
    assert!(words.contains("Stripe"), "{words}");
    assert!(!words.contains("Datadog"), "{words}");
    assert!(html.contains("<th scope=\"col\">Purpose</th>"), "{html}");

    let words = text(&render::<Subprocessors>(SubprocessorsProps {
        tr: Default::default(),
        vendor_lang: Vec::new(),
        subprocessors,
        allow_loopback_http: false,
        initial_filter: "mainframe".into(),
    }));
    assert!(words.contains("Showing 0 of 6 subprocessors"), "{words}");
    assert!(
        words.contains("No subprocessor matches “mainframe”."),
        "{words}"
    );
}

#[test]
fn contact_uses_mailto_without_target_blank() {
    let html = render_with(
        contact_cta::view,
        ContactCtaProps {
            organization: demo_manifest().organization,
            allow_loopback_http: false,
        },
    );
    assert!(
        html.contains("href=\"mailto:security@halyard.example\""),
        "{html}"
    );
    assert!(text(&html).contains("Email the security team"));
    assert!(text(&html).contains("security@halyard.example"));
    let mailto = &html[html.find("mailto:").unwrap()..];
    let anchor_end = mailto.find('>').unwrap();
    assert!(!mailto[..anchor_end].contains("target"), "{html}");
    assert!(html.contains("href=\"https://halyard.example/.well-known/security.txt\""));
}

#[test]
fn full_page_has_landmarks_navigation_and_every_section() {
    let html = render::<TrustPage>(TrustPageProps {
        page: page(demo_manifest(), today()),
        initial_request: None,
    });
    assert!(html.contains("<header class=\"tc-header\""));
    assert!(
        html.contains("<nav aria-label=\"Trust center sections\" class=\"tc-nav\">"),
        "{html}"
    );
    assert!(!html.contains("<main"), "the host page owns <main>: {html}");
    assert!(
        html.contains("<section aria-labelledby=\"tc-page-title\" class=\"tc-page\">"),
        "{html}"
    );
    assert!(
        html.contains(
            "<h1 id=\"tc-page-title\" class=\"tc-header__title\">Halyard Analytics security &amp; compliance</h1>"
        ),
        "{html}"
    );
    for (id, label) in SECTIONS {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "section {id} missing"
        );
        assert!(
            html.contains(&format!("href=\"#{id}\"")),
            "nav link {id} missing"
        );
        assert!(
            html.contains(label.replace('&', "&amp;").as_str()),
            "label {label}"
        );
    }
    let words = text(&html);
    assert!(words.contains("Verified: signed by Halyard Analytics"));
    assert!(words.contains("SOC 2® Type 2 report"));
    assert!(words.contains("ISO/IEC 27001 certificate"));
    assert!(words.contains("What we do not claim"));
    assert!(words.contains("No SOC 1 report"));
    assert!(
        words.contains("How is customer data encrypted?"),
        "vendor FAQ entry shown"
    );
    assert!(html.contains("<table"), "comparison table rendered");
    assert!(
        !html.contains("id=\"tc-request\""),
        "NDA form closed by default"
    );
    // The demo has no logo (an absolute logo URL would break a strict CSP on other ports): monogram.
    assert!(
        html.contains("<span aria-hidden=\"true\" class=\"tc-header__monogram\">H</span>"),
        "{html}"
    );
}

#[test]
fn the_navigation_links_to_whats_changed_only_when_the_page_has_it() {
    let with = render::<TrustPage>(TrustPageProps {
        page: page(demo_manifest(), today()),
        initial_request: None,
    });
    assert!(with.contains("href=\"#tc-changes\""), "{with}");
    assert!(with.contains("id=\"tc-changes\""));
    let mut manifest = demo_manifest();
    manifest.changes.clear();
    manifest.updates = None;
    let without = render::<TrustPage>(TrustPageProps {
        page: page(manifest, today()),
        initial_request: None,
    });
    assert!(!without.contains("tc-changes"), "{without}");
}

#[test]
fn request_section_renders_the_nda_form_for_the_chosen_document() {
    let html = render::<TrustPage>(TrustPageProps {
        page: page(demo_manifest(), today()),
        initial_request: Some("soc2-type2-2026".to_owned()),
    });
    let words = text(&html);
    assert!(html.contains("id=\"tc-request\""), "{html}");
    assert!(
        words.contains("Request “SOC 2® Type 2 report 2025–2026” under NDA"),
        "{words}"
    );
    assert!(words.contains("2026-03"), "NDA version shown: {words}");
}

#[test]
fn logo_is_shown_only_when_its_address_is_safe() {
    let mut manifest = demo_manifest();
    manifest.organization.logo_url = Some("http://127.0.0.1:8080/demo/logo.svg".to_owned());
    let dev = render::<TrustPage>(TrustPageProps {
        page: page(manifest.clone(), today()),
        initial_request: None,
    });
    assert!(
        dev.contains("src=\"http://127.0.0.1:8080/demo/logo.svg\""),
        "{dev}"
    );
    let verified = VerifiedPage::new(
        manifest,
        vec!["ab".repeat(32)],
        "cd".repeat(32),
        today(),
        false,
    );
    let html = render::<TrustPage>(TrustPageProps {
        page: Rc::new(verified),
        initial_request: None,
    });
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("tc-header__monogram"));
}

#[test]
fn non_dev_page_does_not_link_loopback_http() {
    let manifest = demo_manifest();
    let verified = VerifiedPage::new(
        manifest,
        vec!["ab".repeat(32)],
        "cd".repeat(32),
        today(),
        false,
    );
    let html = render::<TrustPage>(TrustPageProps {
        page: Rc::new(verified),
        initial_request: None,
    });
    assert!(
        !html.contains("href=\"http://127.0.0.1"),
        "loopback links need dev mode"
    );
    assert!(
        !html.contains("src=\"http://127.0.0.1"),
        "logo needs dev mode"
    );
}

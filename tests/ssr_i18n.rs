//! The widget rendered natively (Yew SSR) in German, French and Spanish (issue 19): the demo
//! vendor's verified page, the loading state and an error panel contain no English outside the
//! vendor's own texts that the manifest does not translate, and those are marked `lang="en"`;
//! a translation in the manifest replaces its text and drops the marker.

mod core_support;

use std::rc::Rc;

use core_support::{demo_manifest, page, render, render_with, today};
use trust_center_widget::app::{App, AppProps};
use trust_center_widget::components::error_panel::{self, ErrorPanelProps};
use trust_center_widget::components::trust_page::{TrustPage, TrustPageProps};
use trust_center_widget::config::Config;
use trust_center_widget::i18n::messages::{EN_SOURCE, IDS};
use trust_center_widget::i18n::{Lang, Language, Tr};
use trust_center_widget::state::{LoadError, VerifiedPage};
use trust_manifest::translations::{TranslatedText, Translation};
use trust_manifest::{Manifest, VerifyError};

const KEY: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

fn tr(lang: &str) -> Tr {
    let text = std::fs::read_to_string(format!("{}/i18n/{lang}.json", env!("CARGO_MANIFEST_DIR")))
        .unwrap();
    Tr::from_source(Lang::from_tag(lang).unwrap(), &text).unwrap()
}

/// `html` without the elements marked `lang="en"` (vendor text shown in its main language).
fn without_english_elements(html: &str) -> String {
    let mut out = html.to_owned();
    while let Some(at) = out.find(" lang=\"en\"") {
        let open = out[..at].rfind('<').unwrap();
        let name: String = out[open + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        // Find the matching close tag, counting nested elements of the same name.
        let mut depth = 0;
        let mut index = open;
        let end = loop {
            let next_open = out[index + 1..]
                .find(&format!("<{name}"))
                .map(|i| i + index + 1);
            let next_close = out[index + 1..]
                .find(&format!("</{name}>"))
                .map(|i| i + index + 1);
            match (next_open, next_close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    index = o;
                }
                (_, Some(c)) if depth == 0 => break c + name.len() + 3,
                (_, Some(c)) => {
                    depth -= 1;
                    index = c;
                }
                _ => panic!("unclosed <{name}> in {html}"),
            }
        };
        out.replace_range(open..end, " ");
    }
    out
}

/// The visible text of `html` (tags dropped, the few entities Yew writes decoded).
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
}

/// English left in `words` (the text outside `lang="en"` elements): every English message of
/// the catalogue whose first words would show, and common English words.
fn english_left(words: &str) -> Vec<String> {
    let padded = format!(
        " {} ",
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    let mut found = Vec::new();
    for word in [
        " the ", " and ", " of ", " is ", " with ", " your ", " not ", " by ", " for ",
    ] {
        if padded.contains(word) {
            let at = padded.find(word).unwrap();
            let start = padded[..at]
                .char_indices()
                .rev()
                .nth(40)
                .map_or(0, |(i, _)| i);
            let end = (at + 40).min(padded.len());
            let end = (end..padded.len())
                .find(|&i| padded.is_char_boundary(i))
                .unwrap_or(padded.len());
            found.push(format!("{word:?} in …{}…", &padded[start..end]));
        }
    }
    for (id, english) in IDS.iter().zip(EN_SOURCE.iter()) {
        // The placeholder-free start of the message, when it is long enough to be telling.
        let start: String = english
            .split(['{', '\u{1f}'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        if start.split_whitespace().count() >= 3 && padded.contains(&start) {
            found.push(format!("{id}: {start:?}"));
        }
    }
    found
}

fn localized_page(manifest: Manifest, lang: &str) -> Rc<VerifiedPage> {
    let mut page = (*page(manifest, today())).clone();
    page.tr = tr(lang);
    Rc::new(page)
}

#[test]
fn the_demo_page_has_no_english_left_in_german_french_or_spanish() {
    for lang in ["de", "fr", "es"] {
        let html = render::<TrustPage>(TrustPageProps {
            page: localized_page(demo_manifest(), lang),
            initial_request: Some("soc2-type2-2026".to_owned()),
        });
        // The demo manifest has no translations: its texts are there, marked as English.
        assert!(html.contains("lang=\"en\""), "{lang}: {html}");
        assert!(text(&html).contains("Cloud hosting and storage of customer data"));
        let left = english_left(&text(&without_english_elements(&html)));
        assert!(
            left.is_empty(),
            "{lang}: English left:\n{}",
            left.join("\n")
        );
    }
}

#[test]
fn each_language_uses_its_own_words_dates_and_plurals() {
    let cases = [
        (
            "de",
            "Berichte und Zertifizierungen",
            "28. Nov. 2026",
            "Zertifizierungsstelle",
        ),
        (
            "fr",
            "Rapports et certifications",
            "28 nov. 2026",
            "Organisme de certification",
        ),
        (
            "es",
            "Informes y certificaciones",
            "28 nov 2026",
            "Entidad de certificación",
        ),
    ];
    for (lang, heading, date, body) in cases {
        let html = render::<TrustPage>(TrustPageProps {
            page: localized_page(demo_manifest(), lang),
            initial_request: None,
        });
        let words = text(&html);
        for expected in [heading, date, body] {
            assert!(
                words.contains(expected),
                "{lang}: {expected:?} missing in {words}"
            );
        }
        // SOC 2 is a report (an attestation), never a certification, in every language: the
        // SOC 2 card never uses the certification words the ISO card uses.
        let start = html.find("aria-labelledby=\"tc-soc2-title\"").unwrap();
        let end = start + html[start..].find("</article>").unwrap();
        let soc2_card = text(&without_english_elements(&html[start..end])).to_lowercase();
        for wrong in ["zertifi", "certif"] {
            assert!(
                !soc2_card.contains(wrong),
                "{lang}: {wrong:?} in {soc2_card}"
            );
        }
    }
}

#[test]
fn a_translation_in_the_manifest_replaces_the_vendor_text_and_its_marker() {
    let mut manifest = demo_manifest();
    let purpose = manifest.subprocessors[0].purpose.clone();
    let scope = manifest
        .iso27001
        .as_ref()
        .unwrap()
        .certificate
        .as_ref()
        .unwrap()
        .scope
        .clone();
    manifest.translations = vec![Translation {
        lang: "de".to_owned(),
        texts: vec![
            TranslatedText {
                original: purpose.clone(),
                text: "Cloud-Hosting und Speicherung von Kundendaten".to_owned(),
            },
            TranslatedText {
                original: scope.clone(),
                text: "Das Informationssicherheits-Managementsystem für Entwicklung und Betrieb"
                    .to_owned(),
            },
        ],
    }];
    let html = render::<TrustPage>(TrustPageProps {
        page: localized_page(manifest.clone(), "de"),
        initial_request: None,
    });
    let words = text(&html);
    assert!(
        words.contains("Cloud-Hosting und Speicherung von Kundendaten"),
        "{words}"
    );
    assert!(!words.contains(&purpose), "{words}");
    assert!(
        html.contains("<p class=\"tc-scope__text\">Das Informationssicherheits"),
        "{html}"
    );
    // Untranslated texts still carry the main language.
    assert!(html.contains("lang=\"en\""), "{html}");
    // The English page ignores the German translations.
    let english = text(&render::<TrustPage>(TrustPageProps {
        page: page(manifest, today()),
        initial_request: None,
    }));
    assert!(english.contains(&purpose), "{english}");
}

#[test]
fn loading_and_errors_speak_the_page_language() {
    let config = Config::from_attributes(|name| match name {
        "manifest" => Some("/m.json".to_owned()),
        "public-key" => Some(KEY.to_owned()),
        _ => None,
    });
    for (lang, loading, error_title) in [
        (
            "de-CH",
            "werden geladen und geprüft",
            "Nicht mit dem hinterlegten Schlüssel signiert",
        ),
        (
            "fr",
            "Chargement et vérification",
            "Non signé avec la clé épinglée",
        ),
        (
            "es-419",
            "Cargando y verificando",
            "No está firmado con la clave fijada",
        ),
    ] {
        let base = lang.split('-').next().unwrap();
        let html = render::<App>(AppProps {
            config: config.clone(),
            on_state: Default::default(),
            language: Some(Language {
                tr: tr(base),
                tag: lang.to_owned(),
            }),
        });
        assert!(html.contains(&format!("lang=\"{lang}\"")), "{html}");
        assert!(text(&html).contains(loading), "{lang}: {html}");

        let panel = render_with(
            |(tr, props): &(Tr, ErrorPanelProps)| error_panel::view_in(*tr, props),
            (
                tr(base),
                ErrorPanelProps {
                    error: LoadError::verify(&VerifyError::UntrustedKey),
                    on_retry: None,
                },
            ),
        );
        let words = text(&panel);
        assert!(words.contains(error_title), "{lang}: {words}");
        let left = english_left(&text(&without_english_elements(&panel)));
        assert!(left.is_empty(), "{lang}: {}", left.join("\n"));
    }
}

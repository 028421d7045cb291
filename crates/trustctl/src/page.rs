//! A vendor's trust page as a visitor's browser reads it: the `<trust-center>` elements it embeds,
//! their attributes checked with the widget's own rules (src/config.rs), and the manifest address
//! resolved against the document's base URL, as `fetch` in the page would.
//!
//! Pure (no I/O): `trustctl verify --page` downloads the page and the envelopes. The HTML is parsed
//! by html5ever (through `scraper`), so comments, `<script>` text and `<template>` contents are not
//! mistaken for elements, and entities in attribute values are decoded as a browser does.

use scraper::{Html, Selector};
use trust_manifest::PublicKey;
use url::Url;

/// One `<trust-center>` element of the page.
#[derive(Debug)]
pub struct EmbeddedWidget {
    /// The `manifest` attribute as written (trimmed), if any.
    pub manifest_attribute: Option<String>,
    /// What the widget makes of the attributes: the settings, or why it shows a configuration error.
    pub settings: Result<WidgetSettings, String>,
}

/// The settings of a correctly configured widget.
#[derive(Debug)]
pub struct WidgetSettings {
    /// The envelope's absolute address.
    pub manifest_url: Url,
    /// The pinned keys, in attribute order, without duplicates.
    pub pinned_keys: Vec<PublicKey>,
    /// How many distinct pinned keys must have signed.
    pub threshold: usize,
}

/// Finds every `<trust-center>` element of `html`, a page downloaded from `page_url`.
pub fn embedded_widgets(html: &str, page_url: &Url) -> Vec<EmbeddedWidget> {
    let document = Html::parse_document(html);
    let base = base_url(&document, page_url);
    let Ok(selector) = Selector::parse("trust-center") else {
        return Vec::new();
    };
    document
        .select(&selector)
        // A <template>'s content is inert: the browser never creates that widget.
        .filter(|element| {
            !element.ancestors().any(|node| {
                node.value()
                    .as_element()
                    .is_some_and(|parent| parent.name() == "template")
            })
        })
        .map(|element| {
            let get = |name: &str| element.value().attr(name).map(str::to_owned);
            EmbeddedWidget {
                manifest_attribute: get("manifest").map(|value| value.trim().to_owned()),
                settings: settings(&get, &base),
            }
        })
        .collect()
}

/// The document base URL: the first `<base href>`, resolved against the page's address, or the
/// page's address (after redirects) itself.
fn base_url(document: &Html, page_url: &Url) -> Url {
    Selector::parse("base[href]")
        .ok()
        .and_then(|selector| {
            let href = document.select(&selector).next()?.value().attr("href")?;
            page_url.join(href.trim()).ok()
        })
        .unwrap_or_else(|| page_url.clone())
}

/// The widget's attribute rules (`Config::from_attributes` in src/config.rs), worded for a terminal.
fn settings(get: &dyn Fn(&str) -> Option<String>, base: &Url) -> Result<WidgetSettings, String> {
    let manifest = get("manifest")
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
        .ok_or("the manifest attribute is missing")?;
    if manifest.chars().any(char::is_whitespace) {
        return Err(format!(
            "the manifest attribute \"{manifest}\" contains spaces; it must be a single address"
        ));
    }
    let manifest_url = base.join(&manifest).map_err(|error| {
        format!("the manifest attribute \"{manifest}\" is not an address: {error}")
    })?;
    if !matches!(manifest_url.scheme(), "http" | "https") {
        return Err(format!(
            "the manifest address {manifest_url} is not http:// or https://"
        ));
    }

    let keys_text = get("public-key").unwrap_or_default();
    let mut pinned_keys: Vec<PublicKey> = Vec::new();
    for (index, part) in keys_text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .enumerate()
    {
        let key = PublicKey::from_base64(part).map_err(|_| {
            format!(
                "key {} of the public-key attribute is not a base64 Ed25519 public key",
                index + 1
            )
        })?;
        if !pinned_keys.contains(&key) {
            pinned_keys.push(key);
        }
    }
    if pinned_keys.is_empty() {
        return Err("the public-key attribute is missing: visitors cannot verify anything".into());
    }

    let threshold = match get("threshold").map(|value| value.trim().to_owned()) {
        None => 1,
        Some(value) if value.is_empty() => 1,
        Some(value) => {
            let number = value
                .parse::<usize>()
                .ok()
                .filter(|_| value.bytes().all(|byte| byte.is_ascii_digit()))
                .ok_or_else(|| {
                    format!("the threshold attribute \"{value}\" is not a whole number")
                })?;
            if number == 0 || number > pinned_keys.len() {
                return Err(format!(
                    "the threshold attribute is {number}, but the page pins {} key(s)",
                    pinned_keys.len()
                ));
            }
            number
        }
    };
    Ok(WidgetSettings {
        manifest_url,
        pinned_keys,
        threshold,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const KEY_A: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="; // RFC 8032 test vector 1
    const KEY_B: &str = "PUAXw+hDiVqStwqnTRt+vJyYLM8uxJaMwM1V8Sr0Zgw="; // RFC 8032 test vector 2

    fn page() -> Url {
        Url::parse("https://vendor.example/security/trust.html").unwrap()
    }

    #[test]
    fn finds_the_element_and_resolves_the_manifest_against_the_page() {
        let html = format!(
            r#"<!doctype html><p>hi</p><trust-center manifest=" ../.well-known/tc.json "
                 public-key="{KEY_A}, {KEY_B} {KEY_A}" threshold="2"></trust-center>"#
        );
        let widgets = embedded_widgets(&html, &page());
        assert_eq!(widgets.len(), 1);
        let settings = widgets[0].settings.as_ref().unwrap();
        assert_eq!(
            settings.manifest_url.as_str(),
            "https://vendor.example/.well-known/tc.json"
        );
        assert_eq!(settings.pinned_keys.len(), 2, "duplicates count once");
        assert_eq!(settings.threshold, 2);
    }

    #[test]
    fn a_base_element_changes_the_resolution() {
        let html = format!(
            r#"<head><base href="https://cdn.example/assets/"></head>
               <trust-center manifest="tc.json" public-key="{KEY_A}"></trust-center>"#
        );
        let widgets = embedded_widgets(&html, &page());
        let settings = widgets[0].settings.as_ref().unwrap();
        assert_eq!(
            settings.manifest_url.as_str(),
            "https://cdn.example/assets/tc.json"
        );
    }

    #[test]
    fn comments_scripts_and_templates_are_not_elements() {
        let html = format!(
            r#"<!-- <trust-center manifest="/a.json" public-key="{KEY_A}"></trust-center> -->
               <script>const s = '<trust-center manifest="/b.json" public-key="{KEY_A}">';</script>
               <template><trust-center manifest="/c.json" public-key="{KEY_A}"></trust-center></template>
               <textarea><trust-center manifest="/d.json"></trust-center></textarea>"#
        );
        let found: Vec<_> = embedded_widgets(&html, &page())
            .into_iter()
            .map(|w| w.manifest_attribute)
            .collect();
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn entities_in_attributes_are_decoded() {
        let html = format!(
            r#"<trust-center manifest="/tc.json?a=1&amp;b=2" public-key="{KEY_A}"></trust-center>"#
        );
        let widgets = embedded_widgets(&html, &page());
        let settings = widgets[0].settings.as_ref().unwrap();
        assert_eq!(settings.manifest_url.query(), Some("a=1&b=2"));
    }

    #[test]
    fn attribute_problems_are_reported_like_the_widget_does() {
        let cases = [
            (
                format!(r#"<trust-center public-key="{KEY_A}">"#),
                "manifest attribute is missing",
            ),
            (
                r#"<trust-center manifest="/a.json">"#.to_owned(),
                "public-key attribute is missing",
            ),
            (
                r#"<trust-center manifest="/a.json" public-key="nope">"#.to_owned(),
                "key 1",
            ),
            (
                format!(r#"<trust-center manifest="/a b.json" public-key="{KEY_A}">"#),
                "spaces",
            ),
            (
                format!(r#"<trust-center manifest="/a.json" public-key="{KEY_A}" threshold="2">"#),
                "pins 1 key",
            ),
            (
                format!(r#"<trust-center manifest="/a.json" public-key="{KEY_A}" threshold="+1">"#),
                "whole number",
            ),
            (
                format!(r#"<trust-center manifest="javascript:alert(1)" public-key="{KEY_A}">"#),
                "not http",
            ),
        ];
        for (html, expected) in cases {
            let widgets = embedded_widgets(&html, &page());
            let problem = widgets[0].settings.as_ref().unwrap_err();
            assert!(problem.contains(expected), "{html}: {problem}");
        }
    }
}

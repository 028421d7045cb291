//! Browser test of the language path in the wasm (issue 19): `mount_prefetched` with a language
//! tag and that language's file (built here from i18n/de.json exactly as
//! scripts/build-language-files.mjs lays it out) renders in German and marks the root with the
//! tag; an unusable file leaves English marked `en`. Run in headless Chromium by
//! `scripts/test.sh wasm`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

const GERMAN: &str = include_str!("../i18n/de.json");

/// The language file for `source` (an `i18n/<lang>.json` text): the catalogue id, then every
/// message in id order, plural forms joined by U+001F.
fn language_file(source: &str) -> String {
    use trust_center_widget::i18n::messages::{CATALOGUE_ID, IDS};
    let messages: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(source).unwrap();
    let mut entries = vec![serde_json::Value::String(CATALOGUE_ID.to_owned())];
    for id in IDS {
        let text = match &messages[id] {
            serde_json::Value::String(text) => text.clone(),
            forms => format!(
                "{}\u{1f}{}",
                forms["one"].as_str().unwrap(),
                forms["other"].as_str().unwrap()
            ),
        };
        entries.push(serde_json::Value::String(text));
    }
    serde_json::Value::Array(entries).to_string()
}

fn host_with_shadow_root() -> (HtmlElement, ShadowRoot) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    document.body().unwrap().append_child(&host).unwrap();
    let init = Object::new();
    Reflect::set(&init, &"mode".into(), &"open".into()).unwrap();
    let attach: Function = Reflect::get(&host, &"attachShadow".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let root: ShadowRoot = attach.call1(&host, &init).unwrap().dyn_into().unwrap();
    (host, root)
}

async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(100)).await;
}

fn root_lang(root: &ShadowRoot) -> Option<String> {
    root.query_selector(".tc-root")
        .unwrap()
        .and_then(|element| element.get_attribute("lang"))
}

#[wasm_bindgen_test]
async fn a_german_file_renders_german_and_marks_the_tag() {
    // No attributes: the configuration error panel, which is the same in every state.
    let (host, root) = host_with_shadow_root();
    trust_center_widget::embed::mount_prefetched(
        host.clone(),
        root.clone(),
        String::new(),
        String::new(),
        None,
        "de-CH".to_owned(),
        Some(language_file(GERMAN)),
    )
    .unwrap();
    settle().await;
    assert_eq!(host.get_attribute("data-state").as_deref(), Some("error"));
    assert_eq!(root_lang(&root).as_deref(), Some("de-CH"));
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("Das Attribut „manifest“ muss korrigiert werden"),
        "{text}"
    );
    assert!(text.contains("Nicht geprüft"), "{text}");
    // The developer-facing detail stays English and says so.
    assert!(
        root.inner_html().contains("lang=\"en\""),
        "{}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn an_unusable_file_leaves_english_marked_en() {
    for file in [
        Some("[\"00000000\"]".to_owned()),
        Some("not json".to_owned()),
        None,
    ] {
        let (host, root) = host_with_shadow_root();
        trust_center_widget::embed::mount_prefetched(
            host.clone(),
            root.clone(),
            String::new(),
            String::new(),
            None,
            "de".to_owned(),
            file,
        )
        .unwrap();
        settle().await;
        assert_eq!(root_lang(&root).as_deref(), Some("en"));
        let text = root.text_content().unwrap_or_default();
        assert!(
            text.contains("The \"manifest\" attribute needs fixing"),
            "{text}"
        );
    }
}

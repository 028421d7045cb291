//! Browser tests of the widget's entry point: `mount(host, shadow_root)` renders into an open shadow
//! root and reports its state on the host element. Run in headless Chromium by `scripts/test.sh wasm`
//! (`cargo test --target wasm32-unknown-unknown -p trust-center-widget --test wasm_mount`).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

/// A valid Ed25519 public key (the curve's base point), base64; nothing is ever signed with it.
const SOME_PUBLIC_KEY: &str = "WGZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmZmY=";

/// A `<div>` in the document with an open shadow root, the way the loader prepares `<trust-center>`.
fn host_with_shadow_root(attributes: &[(&str, &str)]) -> (HtmlElement, ShadowRoot) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().dyn_into().unwrap();
    for (name, value) in attributes {
        host.set_attribute(name, value).unwrap();
    }
    document.body().unwrap().append_child(&host).unwrap();
    // attachShadow through js-sys keeps the test independent of web-sys feature flags.
    let init = Object::new();
    Reflect::set(&init, &"mode".into(), &"open".into()).unwrap();
    let attach: Function = Reflect::get(&host, &"attachShadow".into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let root: ShadowRoot = attach.call1(&host, &init).unwrap().dyn_into().unwrap();
    (host, root)
}

/// Lets Yew render and run effects.
async fn settle() {
    yew::platform::time::sleep(Duration::from_millis(50)).await;
}

/// Waits (up to ~5 s) until the host's `data-state` is no longer "loading".
async fn wait_until_settled(host: &HtmlElement) -> Option<String> {
    for _ in 0..100 {
        settle().await;
        let state = host.get_attribute("data-state");
        if state.as_deref() != Some("loading") {
            return state;
        }
    }
    host.get_attribute("data-state")
}

#[wasm_bindgen_test]
async fn without_attributes_the_widget_shows_which_attribute_is_missing() {
    let (host, root) = host_with_shadow_root(&[]);
    trust_center_widget::embed::mount(host.clone(), root.clone()).unwrap();
    settle().await;

    assert_eq!(host.get_attribute("data-state").as_deref(), Some("error"));
    assert_eq!(
        host.get_attribute("data-error-code").as_deref(),
        Some("config")
    );
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.contains("attribute"),
        "the error names the attribute to fix; shadow root text was: {text}"
    );
    assert!(
        root.query_selector("[role=status]").unwrap().is_some(),
        "the state is announced in a live region"
    );
    host.remove();
}

#[wasm_bindgen_test]
async fn with_a_manifest_url_the_widget_starts_loading_and_reports_a_fetch_failure() {
    let (host, root) = host_with_shadow_root(&[
        ("manifest", "/this-manifest-does-not-exist.json"),
        ("public-key", SOME_PUBLIC_KEY),
    ]);
    trust_center_widget::embed::mount(host.clone(), root.clone()).unwrap();

    // Set synchronously by mount, before anything is fetched.
    assert_eq!(host.get_attribute("data-state").as_deref(), Some("loading"));
    assert!(
        root.child_element_count() > 0,
        "mount renders into the shadow root"
    );

    let state = wait_until_settled(&host).await;
    assert_eq!(
        state.as_deref(),
        Some("error"),
        "a missing manifest is an error, never verified"
    );
    let code = host.get_attribute("data-error-code").unwrap_or_default();
    assert!(
        !code.is_empty() && code != "config",
        "the error is about fetching, not configuration; got {code:?}"
    );
    host.remove();
}

//! Browser entry point: the `<trust-center>` custom element (public/trust-center.js) calls
//! `mount_prefetched(host, shadow_root, manifest, base_uri, response)` for each element on the page,
//! handing over the envelope download it started; `mount(host, shadow_root)` is the same without one.

use wasm_bindgen::prelude::*;

use crate::app::{App, AppProps, StateChange};
use crate::config::Config;
use crate::services::manifest_fetch;

/// Mounts one widget into `root` (an open shadow root of `host`).
///
/// Reads the host's attributes, renders the app into a fresh `<div>` inside the shadow root and
/// keeps the host's `data-state` / `data-error-code` attributes up to date. When the verified page
/// is in the DOM it also sets the `trust-center:verified` performance mark.
#[wasm_bindgen]
pub fn mount(host: web_sys::HtmlElement, root: web_sys::ShadowRoot) -> Result<(), JsValue> {
    mount_with(host, root, None)
}

/// Like [`mount`], with the envelope download the loader already started: `response` is the
/// promise of `fetch(manifest, {cache: "no-cache"})` made while `document.baseURI` was `base_uri`,
/// where `manifest` is the trimmed `manifest` attribute the loader read.
///
/// The download is used only if the attributes are valid and `manifest` is exactly the address the
/// widget would request itself (see `services::manifest_fetch`); it goes through the same status and
/// size checks, and the bytes through the same verification, as the widget's own request.
#[wasm_bindgen]
pub fn mount_prefetched(
    host: web_sys::HtmlElement,
    root: web_sys::ShadowRoot,
    manifest: String,
    base_uri: String,
    response: js_sys::Promise,
) -> Result<(), JsValue> {
    mount_with(host, root, Some((manifest, base_uri, response)))
}

fn mount_with(
    host: web_sys::HtmlElement,
    root: web_sys::ShadowRoot,
    prefetch: Option<(String, String, js_sys::Promise)>,
) -> Result<(), JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("trust-center: no document to mount into"))?;
    let container = document.create_element("div")?;
    container.set_class_name("tc-mount");
    root.append_child(&container)?;

    let config = {
        let host = host.clone();
        Config::from_attributes(move |name| host.get_attribute(name))
    };
    let _ = host.set_attribute("data-state", "loading");
    if let (Ok(config), Some((manifest, base_uri, response))) = (&config, prefetch) {
        // The attribute may have changed since the loader read it: then the download is ignored.
        if config.manifest_url == manifest {
            manifest_fetch::offer_prefetch(&manifest, &base_uri, response);
        }
    }

    let on_state = {
        let host = host.clone();
        yew::Callback::from(move |change: StateChange| report_state(&host, &change))
    };
    yew::Renderer::<App>::with_root_and_props(container, AppProps { config, on_state }).render();
    Ok(())
}

fn report_state(host: &web_sys::HtmlElement, change: &StateChange) {
    // Attribute writes on our own host element cannot meaningfully fail; ignore the result.
    let _ = host.set_attribute("data-state", change.state);
    match &change.error_code {
        Some(code) => {
            let _ = host.set_attribute("data-error-code", code);
        }
        None => {
            let _ = host.remove_attribute("data-error-code");
        }
    }
    if change.state == "verified" {
        if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
            let _ = performance.mark("trust-center:verified");
        }
    }
}

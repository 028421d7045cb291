//! Browser entry point: `mount(host, shadow_root)` is called by the `<trust-center>` custom element
//! (public/trust-center.js) for each element on the page.

use wasm_bindgen::prelude::*;

use crate::app::{App, AppProps, StateChange};
use crate::config::Config;

/// Mounts one widget into `root` (an open shadow root of `host`).
///
/// Reads the host's attributes, renders the app into a fresh `<div>` inside the shadow root and
/// keeps the host's `data-state` / `data-error-code` attributes up to date. When the verified page
/// is in the DOM it also sets the `trust-center:verified` performance mark.
#[wasm_bindgen]
pub fn mount(host: web_sys::HtmlElement, root: web_sys::ShadowRoot) -> Result<(), JsValue> {
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

//! Browser entry point: the `<trust-center>` custom element (public/trust-center.js) calls
//! `mount_prefetched(host, shadow_root, manifest, base_uri, response, lang, messages)` for each
//! element on the page, handing over the envelope download it started (or `undefined`) and the
//! page language it resolved with that language's file (see [`crate::i18n`]); `mount(host,
//! shadow_root)` is the same without a download, in English (or the `lang` attribute's tag).
//!
//! Each call returns a [`MountedWidget`]: one [`App`] for one set of host attributes. The loader
//! calls [`MountedWidget::destroy`] when the element leaves the document or one of its attributes
//! changes (and then mounts a new one), so a widget never shows a page verified under other inputs:
//! once destroyed, a mount reports nothing more to the host, whatever its pending work resolves to.
//!
//! Yew roots are pooled. Yew 0.23 registers its delegated event listeners on each app's root
//! element and deliberately never removes them (`HostHandlers::add_listener` forgets the closures,
//! which hold the root's subtree data): every `Renderer::render` + `AppHandle::destroy` pair would
//! leave a detached root, its listeners and their wasm memory behind. So a root, once created,
//! renders one widget at a time: mounting moves an idle root into the shadow root and renders a
//! fresh [`App`] (a new key, hence new state) in it; destroying renders nothing in it (the App is
//! destroyed: its effects' clean-ups remove what it added, e.g. the FAQ's `hashchange` listener),
//! takes it out of the shadow root and returns it to the pool. A page never holds more roots than
//! it has ever had widgets at the same time.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::{App, AppProps, StateChange};
use crate::config::Config;
use crate::i18n::Language;
use crate::services::{last_visit, manifest_fetch};

/// One mounted widget. Dropping it leaves the app running (the wasm tests mount and forget);
/// [`MountedWidget::destroy`] unmounts it.
#[wasm_bindgen]
pub struct MountedWidget {
    root: Option<PooledRoot>,
    /// Cleared by `destroy`: state changes of this mount are no longer told to the host.
    live: Rc<Cell<bool>>,
    /// The loader's envelope download, withdrawn on `destroy` if the app did not take it.
    prefetched: Option<js_sys::Promise>,
}

#[wasm_bindgen]
impl MountedWidget {
    /// Destroys the widget's [`App`], removes its DOM, silences it and returns its Yew root to the
    /// pool. Calling it again does nothing.
    pub fn destroy(&mut self) {
        self.live.set(false);
        if let Some(response) = self.prefetched.take() {
            manifest_fetch::withdraw_prefetch(&response);
        }
        if let Some(mut root) = self.root.take() {
            root.container.remove();
            root.app.update(SlotProps::default());
            IDLE_ROOTS.with(|idle| idle.borrow_mut().push(root));
        }
    }
}

/// A Yew root (its container element and app) that renders one widget at a time.
struct PooledRoot {
    container: web_sys::Element,
    app: yew::AppHandle<Slot>,
}

thread_local! {
    /// Roots whose widget was destroyed, ready for the next mount.
    static IDLE_ROOTS: RefCell<Vec<PooledRoot>> = const { RefCell::new(Vec::new()) };
    /// Key of the next mounted [`App`]: a new key makes Yew build a new component with new state.
    static NEXT_MOUNT: Cell<u32> = const { Cell::new(1) };
}

/// Props of [`Slot`]: the widget to render, or none.
#[derive(Properties, PartialEq, Clone, Default)]
struct SlotProps {
    widget: Option<AppProps>,
    mount: u32,
}

/// The component each pooled root renders: the current widget's [`App`] under its mount key.
#[component]
fn Slot(props: &SlotProps) -> Html {
    match &props.widget {
        Some(app) => html! { <App key={props.mount} ..app.clone() /> },
        None => Html::default(),
    }
}

/// An idle root, or a new one.
fn take_root(document: &web_sys::Document) -> Result<PooledRoot, JsValue> {
    if let Some(root) = IDLE_ROOTS.with(|idle| idle.borrow_mut().pop()) {
        return Ok(root);
    }
    let container = document.create_element("div")?;
    container.set_class_name("tc-mount");
    let app = yew::Renderer::<Slot>::with_root_and_props(container.clone(), SlotProps::default())
        .render();
    Ok(PooledRoot { container, app })
}

/// Mounts one widget into `root` (an open shadow root of `host`).
///
/// Reads the host's attributes, renders the app into a `<div>` inside the shadow root and keeps
/// the host's `data-state` / `data-error-code` attributes up to date. When the verified page is in
/// the DOM it also sets the `trust-center:verified` performance mark. Each settled state is also
/// told to the host page as a `trust-center:verified` or `trust-center:error` event.
#[wasm_bindgen]
pub fn mount(
    host: web_sys::HtmlElement,
    root: web_sys::ShadowRoot,
) -> Result<MountedWidget, JsValue> {
    mount_with(host, root, None, None)
}

/// Like [`mount`], with the envelope download the loader already started: `response` is the
/// promise of `fetch(manifest, {cache: "no-cache"})` made while `document.baseURI` was `base_uri`,
/// where `manifest` is the trimmed `manifest` attribute the loader read (`undefined` when the
/// loader started none), and the page language: `lang` is the tag the loader resolved (the `lang`
/// attribute, else the host page's `<html lang>`, else the browser's languages, else `en`) and
/// `messages` the text of that language's file (`undefined` for English, or when it could not be
/// loaded: then the page is English and marked `en`).
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
    response: Option<js_sys::Promise>,
    lang: String,
    messages: Option<String>,
) -> Result<MountedWidget, JsValue> {
    mount_with(
        host,
        root,
        response.map(|response| (manifest, base_uri, response)),
        Some(Language::new(&lang, messages.as_deref())),
    )
}

fn mount_with(
    host: web_sys::HtmlElement,
    shadow_root: web_sys::ShadowRoot,
    prefetch: Option<(String, String, js_sys::Promise)>,
    language: Option<Language>,
) -> Result<MountedWidget, JsValue> {
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| JsValue::from_str("trust-center: no document to mount into"))?;
    let mut root = take_root(&document)?;
    if let Err(error) = shadow_root.append_child(&root.container) {
        IDLE_ROOTS.with(|idle| idle.borrow_mut().push(root));
        return Err(error);
    }

    let config = {
        let host = host.clone();
        Config::from_attributes(move |name| host.get_attribute(name))
    };
    let _ = host.set_attribute("data-state", "loading");
    let mut prefetched = None;
    if let (Ok(config), Some((manifest, base_uri, response))) = (&config, prefetch) {
        // The attribute may have changed since the loader read it: then the download is ignored.
        if config.manifest_url == manifest {
            manifest_fetch::offer_prefetch(&manifest, &base_uri, response.clone());
            prefetched = Some(response);
        }
    }

    let live = Rc::new(Cell::new(true));
    // "New since your last visit" counts a version as seen once it rendered verified.
    let last_visit_key = config
        .as_ref()
        .ok()
        .map(|config| last_visit::storage_key(&config.key_set_id()));
    let on_state = {
        let host = host.clone();
        let live = Rc::clone(&live);
        let shadow_root = shadow_root.clone();
        yew::Callback::from(move |change: StateChange| {
            if live.get() {
                report_state(&host, &change);
                if let (Some(key), Some(version)) = (&last_visit_key, change.version) {
                    last_visit::remember(key, version);
                    crate::changes::deep_link::follow_fragment(&shadow_root);
                }
            }
        })
    };
    let mount = NEXT_MOUNT.with(|next| {
        let mount = next.get();
        next.set(mount.wrapping_add(1));
        mount
    });
    root.app.update(SlotProps {
        widget: Some(AppProps {
            config,
            on_state,
            language,
        }),
        mount,
    });
    Ok(MountedWidget {
        root: Some(root),
        live,
        prefetched,
    })
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
    // A host page that broke `CustomEvent` gets no event; `data-state` above is still right.
    let _ = dispatch_state_event(host, change);
}

/// Dispatches `trust-center:verified` (detail: `version`, `keyIds`) or `trust-center:error`
/// (detail: `code`, `message`) on the host; it bubbles and crosses shadow boundaries. `loading`
/// has no event. Built through `Reflect` so that no further web-sys bindings enter the wasm.
fn dispatch_state_event(host: &web_sys::HtmlElement, change: &StateChange) -> Result<(), JsValue> {
    let detail = js_sys::Object::new();
    let name = match change.state {
        "verified" => {
            let version = change
                .version
                .map_or(JsValue::NULL, |v| JsValue::from_f64(v as f64));
            js_sys::Reflect::set(&detail, &"version".into(), &version)?;
            let key_ids: js_sys::Array = change
                .key_ids
                .iter()
                .map(|id| JsValue::from_str(id))
                .collect();
            js_sys::Reflect::set(&detail, &"keyIds".into(), &key_ids)?;
            "trust-center:verified"
        }
        "error" => {
            let text = |value: Option<&str>| value.map_or(JsValue::NULL, JsValue::from_str);
            js_sys::Reflect::set(&detail, &"code".into(), &text(change.error_code))?;
            js_sys::Reflect::set(
                &detail,
                &"message".into(),
                &text(change.error_title.as_deref()),
            )?;
            "trust-center:error"
        }
        _ => return Ok(()),
    };
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"detail".into(), &detail)?;
    js_sys::Reflect::set(&init, &"bubbles".into(), &JsValue::TRUE)?;
    js_sys::Reflect::set(&init, &"composed".into(), &JsValue::TRUE)?;
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"CustomEvent".into())?.dyn_into()?;
    let event = js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&name.into(), &init))?;
    host.dispatch_event(event.unchecked_ref())?;
    Ok(())
}

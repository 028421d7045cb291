//! Deep links into the widget: `#change-<id>` (and any other element id of the page) in the
//! address, followed once the verified page is in the shadow root, and the entries' own links.

use wasm_bindgen::JsCast;

/// The element id of a change entry, `change-<id>` with the id made safe for an element id.
pub fn element_id(entry_id: &str) -> String {
    format!(
        "change-{}",
        crate::components::faq_items::sanitize_id(entry_id)
    )
}

/// Scrolls to the element named by the address's fragment inside `root` and focuses it, if
/// there is one (browser only; called after the verified page is in the DOM).
pub fn follow_fragment(root: &web_sys::ShadowRoot) {
    let Some(hash) = web_sys::window().and_then(|window| window.location().hash().ok()) else {
        return;
    };
    let Some(id) = hash.strip_prefix("#change-") else {
        return;
    };
    if let Some(element) = root.get_element_by_id(&element_id(id)) {
        element.scroll_into_view();
        if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}

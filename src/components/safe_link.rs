//! `safe_link`: an anchor only when the address passes `trust_manifest::is_safe_link`, plain text
//! otherwise; external links open with `rel="noopener noreferrer"`.

use yew::prelude::*;

use crate::components::class_attr::with_class;

/// A link that is only clickable when its address is safe.
///
/// `tr` gives the page language's texts; `href` is the address from the manifest;
/// `allow_loopback_http` is development mode (loopback `http:` allowed); `class` is the anchor's
/// class (`tc-link` when `None`); `aria_label` is the
/// accessible label when the visible text is not enough; `children` is the visible text (the
/// address itself when empty). A plain function, not a component: it has no state, and a
/// component's lifecycle code would cost more wasm than its markup.
pub fn safe_link(
    tr: crate::i18n::Tr,
    href: String,
    allow_loopback_http: bool,
    class: Option<&'static str>,
    aria_label: Option<AttrValue>,
    children: Html,
) -> Html {
    let href = AttrValue::from(href);
    let body = if children == Html::default() {
        html! { {href.clone()} }
    } else {
        children
    };
    if trust_manifest::is_safe_link(&href, allow_loopback_http) {
        let external = !href.starts_with("mailto:");
        let link = html! {
            <a
                class="tc-link"
                href={href}
                aria-label={aria_label}
                target={external.then_some("_blank")}
                rel={external.then_some("noopener noreferrer")}
            >
                {body}
            </a>
        };
        with_class(link, class.unwrap_or("tc-link"))
    } else {
        html! {
            <span class="tc-unsafe-link" title={tr.get(crate::i18n::Msg::UnsafeLinkTitle)}>
                {body}
            </span>
        }
    }
}

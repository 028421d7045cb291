//! `SafeLink`: an anchor only when the address passes `trust_manifest::is_safe_link`, plain text
//! otherwise; external links open with `rel="noopener noreferrer"`.

use yew::prelude::*;

use crate::components::format::with_class;

/// Props of [`SafeLink`].
#[derive(Properties, PartialEq, Clone)]
pub struct SafeLinkProps {
    /// The address from the manifest.
    pub href: AttrValue,
    /// Visible text (the address itself when empty).
    #[prop_or_default]
    pub children: Html,
    /// Development mode: loopback `http:` allowed.
    #[prop_or_default]
    pub allow_loopback_http: bool,
    /// Extra CSS classes for the anchor.
    #[prop_or_default]
    pub class: Option<AttrValue>,
    /// Accessible label when the visible text is not enough.
    #[prop_or_default]
    pub aria_label: Option<AttrValue>,
}

/// A link that is only clickable when its address is safe.
#[component]
pub fn SafeLink(props: &SafeLinkProps) -> Html {
    let body = if props.children == Html::default() {
        html! { {props.href.clone()} }
    } else {
        props.children.clone()
    };
    if trust_manifest::is_safe_link(&props.href, props.allow_loopback_http) {
        let external = !props.href.starts_with("mailto:");
        let link = html! {
            <a
                href={props.href.clone()}
                aria-label={props.aria_label.clone()}
                target={external.then_some("_blank")}
                rel={external.then_some("noopener noreferrer")}
            >
                {body}
            </a>
        };
        match &props.class {
            Some(class) => with_class(link, class.clone()),
            None => link,
        }
    } else {
        html! {
            <span class="tc-unsafe-link" title="This address was not turned into a link because it is not a secure (https or mailto) address.">
                {body}
            </span>
        }
    }
}

//! `ContactCta`: the call to action to contact the vendor's security team.

use trust_manifest::Organization;
use yew::prelude::*;

use crate::components::safe_link::safe_link;
use crate::i18n::{Msg, Tr};

/// Props of [`view`].
#[derive(Properties, PartialEq, Clone)]
pub struct ContactCtaProps {
    /// The vendor.
    pub organization: Organization,
    /// Development mode: loopback `http:` links allowed.
    #[prop_or_default]
    pub allow_loopback_http: bool,
}

/// The contact block at the end of the page.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view(props: &ContactCtaProps) -> Html {
    view_in(Tr::english(), props)
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr, props: &ContactCtaProps) -> Html {
    let org = &props.organization;
    let contact = &org.security_contact;
    let (label, shown) = match contact.strip_prefix("mailto:") {
        Some(address) => (tr.get(Msg::ContactEmail), address.to_owned()),
        None => (tr.get(Msg::ContactOther), contact.clone()),
    };
    html! {
        <section class="tc-cta" aria-labelledby="tc-contact-title">
            <div class="tc-cta__text">
                <h2 id="tc-contact-title" class="tc-cta__title">{tr.fill(Msg::ContactTitle, &[("org", &org.name)])}</h2>
                <p>{tr.text(Msg::ContactLead)}</p>
            </div>
            <div class="tc-cta__actions">
                {safe_link(tr, contact.clone(), props.allow_loopback_http, Some("tc-button tc-button--primary"), None, html! { {label} })}
                <p class="tc-small tc-cta__address">{shown}</p>
                if let Some(url) = &org.security_txt_url {
                    <p class="tc-small">
                        {safe_link(tr, url.clone(), props.allow_loopback_http, None, None, html! { {"security.txt"} })}
                        {" · "}
                        {safe_link(tr, org.website.clone(), props.allow_loopback_http, None, None, html! { {tr.text(Msg::ContactWebsite)} })}
                    </p>
                } else {
                    <p class="tc-small">
                        {safe_link(tr, org.website.clone(), props.allow_loopback_http, None, None, html! { {tr.text(Msg::ContactWebsite)} })}
                    </p>
                }
            </div>
        </section>
    }
}

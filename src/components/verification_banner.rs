//! `VerificationBanner`: which key(s) signed the page, its version and validity, the payload
//! hash, manifest-level findings and the rollback warning.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::format;
use crate::components::status_badge::findings_list;
use crate::state::VerifiedPage;

/// Props of [`view`].
#[derive(Properties, PartialEq, Clone)]
pub struct VerificationBannerProps {
    /// The verified page.
    pub page: Rc<VerifiedPage>,
}

/// The banner on top of a verified page.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view(props: &VerificationBannerProps) -> Html {
    let page = &props.page;
    let manifest = &page.manifest;
    let mut keys = Vec::new();
    for key_id in &page.signed_by {
        keys.push(html! { <code class="tc-fingerprint">{format::hex_prefix(key_id, 16)}</code> });
    }
    let key_label = if keys.len() == 1 {
        "Signed by key"
    } else {
        "Signed by keys"
    };
    let days_left = page.today.days_until(manifest.expires_at);
    let expiry_note = if days_left <= 14 {
        format!(" ({})", format::relative_days(days_left))
    } else {
        String::new()
    };

    let findings = findings_list(&page.status.manifest, &[]);

    let rollback = match page.rollback {
        Some(warning) => html! {
            <div class="tc-banner__rollback" role="alert">
                <strong>{"Older version served. "}</strong>
                {format!(
                    "This browser has already verified version {} of this page, signed with the same key, but version {} was served now. \
                     The information below may be outdated: someone may be showing an earlier copy. Contact the vendor's security team if this persists.",
                    warning.highest_seen, warning.served
                )}
            </div>
        },
        None => Html::default(),
    };

    html! {
        <section class="tc-banner" aria-labelledby="tc-banner-title">
            <div class="tc-banner__seal" aria-hidden="true">{"✓"}</div>
            <div class="tc-banner__main">
                <h2 id="tc-banner-title" class="tc-banner__title">
                    {"Verified: signed by "}{manifest.organization.name.clone()}
                </h2>
                <p class="tc-banner__lead">
                    {"Your browser checked the Ed25519 signature on this information against the key pinned by this website before showing it."}
                </p>
                <dl class="tc-banner__facts">
                    <div><dt>{key_label}</dt><dd>{keys}</dd></div>
                    <div><dt>{"Version"}</dt><dd>{manifest.version}</dd></div>
                    <div><dt>{"Issued"}</dt><dd><time datetime={manifest.issued_at.to_string()}>{format::date(manifest.issued_at)}</time></dd></div>
                    <div><dt>{"Valid until"}</dt><dd><time datetime={manifest.expires_at.to_string()}>{format::date(manifest.expires_at)}</time>{expiry_note}</dd></div>
                    <div><dt>{"Content SHA-256"}</dt><dd><code title={page.payload_sha256.clone()}>{format::hex_prefix(&page.payload_sha256, 16)}{"…"}</code></dd></div>
                </dl>
                {findings}
                {rollback}
            </div>
        </section>
    }
}

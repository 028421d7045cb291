//! `VerificationBanner`: which key(s) signed the page, its version and validity, the payload
//! hash, manifest-level findings and the rollback warning.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::format;
use crate::components::status_badge::findings_list;
use crate::i18n::{Msg, Tr};
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
    view_in(Tr::english(), props)
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr, props: &VerificationBannerProps) -> Html {
    let page = &props.page;
    let manifest = &page.manifest;
    let mut keys = Vec::new();
    for key_id in &page.signed_by {
        keys.push(html! { <code class="tc-fingerprint">{format::hex_prefix(key_id, 16)}</code> });
    }
    let key_label = tr.plural(Msg::BannerSignedByKeys, keys.len() as i64, &[]);
    let days_left = page.today.days_until(manifest.expires_at);
    let expiry_note = if days_left <= 14 {
        format!(" ({})", format::relative_days(tr, days_left))
    } else {
        String::new()
    };

    let findings = findings_list(tr, &page.status.manifest, &[]);

    let rollback = match page.rollback {
        Some(warning) => html! {
            <div class="tc-banner__rollback" role="alert">
                <strong>{tr.text(Msg::BannerRollbackTitle)}</strong>{" "}
                {tr.fill(Msg::BannerRollbackDetail, &[
                    ("seen", &tr.int(warning.highest_seen as i64)),
                    ("served", &tr.int(warning.served as i64)),
                ])}
            </div>
        },
        None => Html::default(),
    };

    html! {
        <section class="tc-banner" aria-labelledby="tc-banner-title">
            <div class="tc-banner__seal" aria-hidden="true">{"✓"}</div>
            <div class="tc-banner__main">
                <h2 id="tc-banner-title" class="tc-banner__title">
                    {tr.fill(Msg::BannerTitle, &[("org", &manifest.organization.name)])}
                </h2>
                <p class="tc-banner__lead">
                    {tr.text(Msg::BannerLead)}
                </p>
                <dl class="tc-banner__facts">
                    <div><dt>{key_label}</dt><dd>{keys}</dd></div>
                    <div><dt>{tr.text(Msg::BannerVersion)}</dt><dd>{manifest.version}</dd></div>
                    <div><dt>{tr.text(Msg::BannerIssued)}</dt><dd><time datetime={manifest.issued_at.to_string()}>{format::date(tr, manifest.issued_at)}</time></dd></div>
                    <div><dt>{tr.text(Msg::BannerValidUntil)}</dt><dd><time datetime={manifest.expires_at.to_string()}>{format::date(tr, manifest.expires_at)}</time>{expiry_note}</dd></div>
                    <div><dt>{tr.text(Msg::BannerContentHash)}</dt><dd><code title={page.payload_sha256.clone()}>{format::hex_prefix(&page.payload_sha256, 16)}{"…"}</code></dd></div>
                </dl>
                {findings}
                {rollback}
            </div>
        </section>
    }
}

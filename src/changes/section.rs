//! The "What's changed" section: the manifest's change history newest first (by version, then
//! date), each entry with its date, topic, version, effective date and a deep link; entries
//! newer than the last version this browser showed are marked "new since your last visit" (never
//! on a first visit, when there is nothing to compare with). Below: the feed link and the
//! subscribe form, each only when the manifest configures it.

use std::rc::Rc;

use trust_manifest::ChangeEntry;
use yew::prelude::*;

use super::deep_link::element_id;
use super::subscribe_form;
use crate::components::class_attr::with_class;
use crate::components::format;
use crate::components::safe_link::safe_link;
use crate::i18n::{labels, Msg};
use crate::state::VerifiedPage;

/// The entries newest first: by version, then date (inserted in place, like the other lists of
/// the widget, so no slice sort enters the wasm).
pub fn newest_first(changes: &[ChangeEntry]) -> Vec<&ChangeEntry> {
    let mut sorted: Vec<&ChangeEntry> = Vec::with_capacity(changes.len());
    for entry in changes {
        let at = sorted.partition_point(|e| (e.version, e.date) >= (entry.version, entry.date));
        sorted.insert(at, entry);
    }
    sorted
}

/// Whether an entry is new since the last visit: only when there was a last visit.
pub fn is_new(entry: &ChangeEntry, last_seen: Option<u64>) -> bool {
    last_seen.is_some_and(|seen| entry.version > seen)
}

/// The subscription address, when the manifest has one that is a safe link.
fn subscribe_url(page: &VerifiedPage) -> Option<&str> {
    page.manifest
        .updates
        .as_ref()
        .and_then(|u| u.subscribe_url.as_deref())
        .filter(|url| page.is_safe_link(url))
}

/// Whether the page has the section: a change history or a subscription address (the page's
/// navigation links to it only then).
pub fn is_shown(page: &VerifiedPage) -> bool {
    !page.manifest.changes.is_empty() || subscribe_url(page).is_some()
}

/// The section, or nothing when the manifest has no history and no subscription address.
pub fn view(page: &Rc<VerifiedPage>) -> Html {
    let manifest = &page.manifest;
    let tr = page.tr;
    let updates = manifest.updates.as_ref();
    let subscribe_url = subscribe_url(page);
    if !is_shown(page) {
        return Html::default();
    }
    let mut items = Vec::new();
    let mut new_count = 0;
    for entry in newest_first(&manifest.changes) {
        let new = is_new(entry, page.last_seen_version);
        new_count += usize::from(new);
        let id = element_id(&entry.id);
        // A plain fragment link: the entry is where the link is, so following it only puts the
        // deep link in the address bar; opening such an address scrolls to the entry
        // (`deep_link::follow_fragment`).
        let href = format!("#{id}");
        let version = entry.version.to_string();
        let mut meta = tr.fill(
            Msg::ChangesMeta,
            &[
                ("date", &format::date(tr, entry.date)),
                ("category", labels::change_category(tr, entry.category)),
                ("version", &version),
            ],
        );
        if let Some(date) = entry.effective_date {
            meta.push_str(&tr.fill(Msg::ChangesEffective, &[("date", &format::date(tr, date))]));
        }
        let item = html! {
            <li {id} class="tc-change" tabindex="-1">
                <p class="tc-change__meta">
                    {meta}
                    if new {
                        {" "}<strong class="tc-change__new">{tr.text(Msg::ChangesNewBadge)}</strong>
                    }
                </p>
                <p class="tc-change__summary" lang={page.vendor(&entry.summary).0}>{page.vendor(&entry.summary).1.to_owned()}</p>
                <a class="tc-change__link" {href} aria-label={tr.get(Msg::ChangesLinkLabel)}>{"#"}</a>
            </li>
        };
        items.push(with_class(
            item,
            if new {
                "tc-change tc-change--new"
            } else {
                "tc-change"
            },
        ));
    }
    let lead = match page.last_seen_version {
        Some(seen) if new_count > 0 => tr.plural(
            Msg::ChangesNewCount,
            i64::try_from(new_count).unwrap_or(i64::MAX),
            &[("version", &seen.to_string())],
        ),
        _ => tr.get(Msg::ChangesLead).to_owned(),
    };
    let feed = match updates
        .and_then(|u| u.feed_url.clone())
        .filter(|url| page.is_safe_link(url))
    {
        Some(url) => html! {
            <p class="tc-changes__feed">{safe_link(page.tr, url, page.allow_loopback_http, None, None, html! { {tr.text(Msg::ChangesFeed)} })}</p>
        },
        None => Html::default(),
    };
    html! {
        <section id="tc-changes" class="tc-section" tabindex="-1" aria-labelledby="tc-changes-title">
            <div class="tc-section__head">
                <h2 id="tc-changes-title" class="tc-section__title">{tr.text(Msg::ChangesTitle)}</h2>
                <p class="tc-section__lead">{lead}</p>
            </div>
            if items.is_empty() {
                <p class="tc-muted">{tr.text(Msg::ChangesNone)}</p>
            } else {
                <ol class="tc-changes">{items}</ol>
            }
            {feed}
            if let Some(url) = subscribe_url {
                {subscribe_form::view(tr, url)}
            }
        </section>
    }
}

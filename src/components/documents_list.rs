//! `DocumentsList`: the vendor's documents; public ones link to the file, NDA ones are requested.

use std::rc::Rc;

use trust_manifest::DocumentAccess;
use yew::prelude::*;

use crate::nda::OpenRequest;

use crate::components::class_attr::with_class;
use crate::components::format;
use crate::components::icons;
use crate::components::safe_link::safe_link;
use crate::i18n::{labels, Msg, Tr};
use crate::state::VerifiedPage;

/// Props of [`view`].
#[derive(Properties, PartialEq, Clone)]
pub struct DocumentsListProps {
    /// The verified page.
    pub page: Rc<VerifiedPage>,
    /// Called with a document id when the visitor requests an NDA document.
    #[prop_or_default]
    pub on_request: Callback<OpenRequest>,
}

/// The list of documents.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view(props: &DocumentsListProps) -> Html {
    view_in(Tr::english(), props)
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr, props: &DocumentsListProps) -> Html {
    let page = &props.page;
    let documents = &page.manifest.documents;
    if documents.is_empty() {
        return html! { <p class="tc-muted">{tr.text(Msg::DocumentsNone)}</p> };
    }
    let can_request = page.manifest.access_requests.is_some();
    let mut items = Vec::new();
    for document in documents {
        let (title_lang, title) = page.vendor(&document.title);
        items.push({
            let (access_class, access_label) = match document.access {
                DocumentAccess::Public => ("tc-access tc-access--public", Msg::DocumentsPublic),
                DocumentAccess::Nda => ("tc-access tc-access--nda", Msg::DocumentsUnderNda),
            };
            let mut meta = vec![
                labels::document_kind(tr, document.kind).to_owned(),
                tr.fill(Msg::DocumentsUpdated, &[("date", &format::date(tr, document.updated_on))]),
            ];
            if let Some(size) = document.size_bytes {
                meta.push(format::bytes(tr, size));
            }
            let action = match (document.access, &document.url) {
                (DocumentAccess::Public, Some(url)) => html! {
                    {safe_link(tr, url.clone(), page.allow_loopback_http, Some("tc-button tc-button--secondary tc-button--small"), Some(AttrValue::from(tr.fill(Msg::DocumentsDownloadLabel, &[("title", title)]))), html! { {tr.text(Msg::DocumentsDownload)} })}
                },
                (DocumentAccess::Public, None) => html! { <span class="tc-muted tc-small">{tr.text(Msg::DocumentsNoAddress)}</span> },
                (DocumentAccess::Nda, _) if can_request => {
                    let on_request = props.on_request.clone();
                    let id = document.id.clone();
                    html! {
                        <button type="button" class="tc-button tc-button--secondary tc-button--small"
                            aria-label={tr.fill(Msg::DocumentsRequestLabel, &[("title", title)])}
                            onclick={Callback::from(move |event: MouseEvent| on_request.emit(OpenRequest::from_click(id.clone(), &event)))}>
                            {tr.text(Msg::DocumentsRequest)}
                        </button>
                    }
                }
                (DocumentAccess::Nda, _) => html! { <span class="tc-muted tc-small">{tr.text(Msg::DocumentsAskTeam)}</span> },
            };
            html! {
                <li class="tc-doc">
                    <div class="tc-doc__icon" aria-hidden="true">{if document.access == DocumentAccess::Nda { icons::lock() } else { icons::document() }}</div>
                    <div class="tc-doc__body">
                        <h3 class="tc-doc__title">
                            <span lang={title_lang}>{title.to_owned()}</span>
                            {with_class(html! { <span class="tc-access">{tr.get(access_label)}</span> }, access_class)}
                        </h3>
                        if let Some(description) = &document.description {
                            <p class="tc-doc__description" lang={page.vendor(description).0}>{page.vendor(description).1.to_owned()}</p>
                        }
                        <p class="tc-doc__meta">{crate::small_std::join(&meta, " · ")}</p>
                        if let Some(hash) = &document.sha256 {
                            <p class="tc-doc__hash tc-small">{"SHA-256 "}<code title={hash.clone()}>{format::hex_prefix(hash, 16)}{"…"}</code></p>
                        }
                    </div>
                    <div class="tc-doc__action">{action}</div>
                </li>
            }
        });
    }
    html! { <ul class="tc-docs">{items}</ul> }
}

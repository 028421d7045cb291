//! `TrustPage`: the layout of a verified page — header, section navigation, banner, the framework
//! cards, documents, subprocessors, the comparison/guide/FAQ, the NDA request form and contact.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::contact_cta::{self, ContactCtaProps};
use crate::components::documents_list::{self, DocumentsListProps};
use crate::components::iso_card::{self, IsoCardProps};
use crate::components::safe_link::safe_link;
use crate::components::soc2_card::{self, Soc2CardProps};
use crate::components::subprocessors::Subprocessors;
use crate::components::verification_banner::{self, VerificationBannerProps};
use crate::components::{comparison, faq, guide};
use crate::i18n::Msg;
use crate::nda::{form as nda_form, OpenRequest};
use crate::state::VerifiedPage;
use trust_manifest::{FaqEntry, Subprocessor};

/// Props of [`TrustPage`].
#[derive(Properties, Clone)]
pub struct TrustPageProps {
    /// The verified page.
    pub page: Rc<VerifiedPage>,
    /// Id of a document whose NDA request form starts open (tests; normally none).
    #[prop_or_default]
    pub initial_request: Option<String>,
}

/// The page compares by identity (see [`crate::state::LoadState`]'s `PartialEq`): it is built once
/// per load and shared, and comparing whole manifests would only add code to the wasm.
impl PartialEq for TrustPageProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.page, &other.page) && self.initial_request == other.initial_request
    }
}

/// Sections in page order: (element id, English navigation label). "What's changed" is only on
/// pages whose manifest has a change history or a subscription address.
pub const SECTIONS: [(&str, &str); 8] = [
    ("tc-overview", "Overview"),
    ("tc-changes", "What\u{2019}s changed"),
    ("tc-documents", "Documents"),
    ("tc-subprocessors", "Subprocessors"),
    ("tc-compare", "SOC 2 vs ISO 27001"),
    ("tc-guide", "Which do you need?"),
    ("tc-faq", "FAQ"),
    ("tc-contact", "Contact"),
];

/// Sections in page order: (element id, navigation label's message).
pub const SECTION_LABELS: [(&str, Msg); 8] = [
    ("tc-overview", Msg::NavOverview),
    ("tc-changes", Msg::ChangesTitle),
    ("tc-documents", Msg::NavDocuments),
    ("tc-subprocessors", Msg::NavSubprocessors),
    ("tc-compare", Msg::NavCompare),
    ("tc-guide", Msg::NavGuide),
    ("tc-faq", Msg::NavFaq),
    ("tc-contact", Msg::NavContact),
];

/// "Request “title” under NDA" in the page language, the document's title marked with its
/// language when the manifest does not translate it.
fn request_title(page: &VerifiedPage, title: &str) -> Html {
    let template = page.tr.get(Msg::RequestTitle);
    match page.vendor(title) {
        (None, title) => html! { {crate::i18n::fill(template, &[("title", title)])} },
        (lang, title) => {
            let (before, after) = crate::i18n::split_at_placeholder(template, "title");
            html! { <>{before}<span {lang}>{title.to_owned()}</span>{after}</> }
        }
    }
}

/// The subprocessors with their purposes and locations in the page language, and the language of
/// each one's texts where the manifest does not translate them.
fn vendor_subprocessors(page: &VerifiedPage) -> (Vec<Subprocessor>, Vec<Option<String>>) {
    let mut out = (Vec::new(), Vec::new());
    for subprocessor in &page.manifest.subprocessors {
        let (lang, purpose) = page.vendor(&subprocessor.purpose);
        let mut shown = subprocessor.clone();
        shown.purpose = purpose.to_owned();
        for location in shown.locations.iter_mut() {
            *location = page.vendor(location).1.to_owned();
        }
        out.0.push(shown);
        out.1.push(lang.map(|lang| lang.to_string()));
    }
    out
}

/// The vendor's FAQ entries in the page language, and the language of each one's texts where
/// the manifest does not translate them.
fn vendor_faq(page: &VerifiedPage) -> (Vec<FaqEntry>, Vec<Option<String>>) {
    let mut out = (Vec::new(), Vec::new());
    for entry in &page.manifest.faq {
        let (question_lang, question) = page.vendor(&entry.question);
        let (answer_lang, answer) = page.vendor(&entry.answer);
        let shown = FaqEntry {
            id: entry.id.clone(),
            question: question.to_owned(),
            answer: answer.to_owned(),
        };
        out.0.push(shown);
        out.1
            .push(question_lang.or(answer_lang).map(|lang| lang.to_string()));
    }
    out
}

/// Scrolls to the element with `id` inside the same shadow root (or document) as `from`, and
/// moves keyboard focus there.
fn scroll_to(from: &web_sys::Node, id: &str) {
    let root = from.get_root_node();
    let target = if let Some(shadow) = root.dyn_ref::<web_sys::ShadowRoot>() {
        shadow.get_element_by_id(id)
    } else {
        root.dyn_ref::<web_sys::Document>()
            .and_then(|document| document.get_element_by_id(id))
    };
    if let Some(element) = target {
        element.scroll_into_view();
        if let Some(html_element) = element.dyn_ref::<web_sys::HtmlElement>() {
            // Best effort: sections carry tabindex=-1 so they can take focus.
            let _ = html_element.focus();
        }
    }
}

/// The verified trust page.
#[component]
pub fn TrustPage(props: &TrustPageProps) -> Html {
    let page = &props.page;
    let tr = page.tr;
    let manifest = &page.manifest;
    let org = &manifest.organization;
    // The id of the document whose request form is open, empty for none (document ids are never
    // empty). A `String` rather than an `Option`: the subprocessor filter keeps a `String` state
    // too, and each state type adds its own hook code to the wasm.
    let requested = use_state(|| props.initial_request.clone().unwrap_or_default());
    // `use_ref` rather than `use_node_ref`: that hook keeps the ref in a `use_state`, which adds
    // a whole state-handle instantiation to the wasm for a value that never changes.
    let nda_ref = use_ref(NodeRef::default);

    // The control that opened the form, so that closing it returns focus there.
    let opener = use_ref(|| RefCell::new(None::<web_sys::HtmlElement>));

    let on_request = {
        let requested = requested.clone();
        let opener = opener.clone();
        Callback::from(move |open: OpenRequest| {
            *opener.borrow_mut() = open.opener;
            requested.set(open.document_id);
        })
    };
    {
        let nda_ref = nda_ref.clone();
        use_effect_with((*requested).clone(), move |requested| {
            if !requested.is_empty() {
                if let Some(node) = nda_ref.get() {
                    scroll_to(&node, "tc-request");
                }
            }
        });
    }

    let mut nav = Vec::new();
    let with_changes = crate::changes::section::is_shown(page);
    for &(id, label) in &SECTION_LABELS {
        if id == "tc-changes" && !with_changes {
            continue;
        }
        let onclick = Callback::from(move |event: MouseEvent| {
            if let Some(node) = event.target_dyn_into::<web_sys::Node>() {
                event.prevent_default();
                scroll_to(&node, id);
            }
        });
        nav.push(html! { <li><a class="tc-nav__link" href={format!("#{id}")} {onclick}>{tr.get(label)}</a></li> });
    }

    let logo = match &org.logo_url {
        Some(url) if page.is_safe_link(url) => {
            html! { <img class="tc-header__logo" src={url.clone()} alt="" width="40" height="40" /> }
        }
        _ => html! {
            <span class="tc-header__monogram" aria-hidden="true">
                {org.name.chars().next().map(String::from).unwrap_or_default()}
            </span>
        },
    };

    let request_section = match (requested.is_empty(), &manifest.access_requests) {
        (false, Some(settings)) => match manifest.documents.iter().find(|d| d.id == *requested) {
            Some(document) => {
                // "Close" and Escape: the form goes, and focus returns to the control that opened
                // it (or to the documents section if that control is gone), never to the page's
                // <body>.
                let close = {
                    let requested = requested.clone();
                    let opener = opener.clone();
                    let nda_ref = nda_ref.clone();
                    Callback::from(move |()| {
                        let opener = opener
                            .borrow_mut()
                            .take()
                            .filter(|button| button.is_connected());
                        match opener {
                            Some(button) => {
                                let _ = button.focus();
                            }
                            None => {
                                if let Some(node) = nda_ref.get() {
                                    scroll_to(&node, "tc-documents");
                                }
                            }
                        }
                        requested.set(String::new());
                    })
                };
                let on_close_click = close.reform(|_: MouseEvent| ());
                let onkeydown = Callback::from(move |event: KeyboardEvent| {
                    if event.key() == "Escape" {
                        event.prevent_default();
                        close.emit(());
                    }
                });
                html! {
                    <section id="tc-request" class="tc-section tc-section--request" tabindex="-1" aria-labelledby="tc-request-title" ref={(*nda_ref).clone()} {onkeydown}>
                        <div class="tc-section__head">
                            <h2 id="tc-request-title" class="tc-section__title">{request_title(page, &document.title)}</h2>
                            <button type="button" class="tc-button tc-button--ghost tc-button--small" onclick={on_close_click}>{tr.text(Msg::RequestClose)}</button>
                        </div>
                        {nda_form::view(&nda_form::NdaRequestFormProps { settings: settings.clone(), document: document.clone(), allow_loopback_http: page.allow_loopback_http, tr, document_title: page.vendor(&document.title).1.to_owned(), nda_lang: page.untranslated_lang().map(|lang| lang.to_string()) })}
                    </section>
                }
            }
            None => Html::default(),
        },
        _ => Html::default(),
    };

    let (subprocessors, subprocessor_langs) = vendor_subprocessors(page);
    let (faq_entries, faq_langs) = vendor_faq(page);
    let not_claimed = if manifest.not_claimed.is_empty() {
        Html::default()
    } else {
        let mut items = Vec::new();
        for item in &manifest.not_claimed {
            let (lang, text) = page.vendor(item);
            items.push(html! { <li {lang}>{text.to_owned()}</li> });
        }
        html! {
            <div class="tc-not-claimed">
                <h3 class="tc-not-claimed__title">{tr.text(Msg::PageNotClaimed)}</h3>
                <ul>{items}</ul>
            </div>
        }
    };

    html! {
        <section class="tc-page" aria-labelledby="tc-page-title">
            <header class="tc-header">
                <div class="tc-header__brand">
                    {logo}
                    <div>
                        <p class="tc-header__eyebrow">{tr.text(Msg::PageEyebrow)}</p>
                        <h1 id="tc-page-title" class="tc-header__title">{tr.fill(Msg::PageTitle, &[("org", &org.name)])}</h1>
                    </div>
                </div>
                <nav class="tc-nav" aria-label={tr.get(Msg::NavLabel)}>
                    <ul class="tc-nav__list">{nav}</ul>
                </nav>
            </header>

            <div class="tc-main">
                {verification_banner::view_in(tr, &VerificationBannerProps { page: page.clone() })}

                <section id="tc-overview" class="tc-section" tabindex="-1" aria-labelledby="tc-overview-title">
                    <div class="tc-section__head">
                        <h2 id="tc-overview-title" class="tc-section__title">{tr.text(Msg::OverviewTitle)}</h2>
                        <p class="tc-section__lead">{tr.fill(Msg::OverviewLead, &[("date", &crate::components::format::date(tr, page.today))])}</p>
                    </div>
                    <div class="tc-grid tc-grid--two">
                        {soc2_card::view_in(tr, &Soc2CardProps { page: page.clone(), on_request: on_request.clone() })}
                        {iso_card::view_in(tr, &IsoCardProps { page: page.clone() })}
                    </div>
                    {not_claimed}
                </section>

                {request_section}

                {crate::changes::section::view(page)}

                <section id="tc-documents" class="tc-section" tabindex="-1" aria-labelledby="tc-documents-title">
                    <div class="tc-section__head">
                        <h2 id="tc-documents-title" class="tc-section__title">{tr.text(Msg::DocumentsTitle)}</h2>
                        <p class="tc-section__lead">{tr.text(Msg::DocumentsLead)}</p>
                    </div>
                    {documents_list::view_in(tr, &DocumentsListProps { page: page.clone(), on_request: on_request.clone() })}
                </section>

                <section id="tc-subprocessors" class="tc-section" tabindex="-1" aria-labelledby="tc-subprocessors-title">
                    <div class="tc-section__head">
                        <h2 id="tc-subprocessors-title" class="tc-section__title">{tr.text(Msg::SubprocessorsTitle)}</h2>
                        <p class="tc-section__lead">{tr.text(Msg::SubprocessorsLead)}</p>
                    </div>
                    <Subprocessors subprocessors={subprocessors} vendor_lang={subprocessor_langs} allow_loopback_http={page.allow_loopback_http} {tr} />
                </section>

                <section id="tc-compare" class="tc-section" tabindex="-1" aria-labelledby="tc-compare-title">
                    <div class="tc-section__head">
                        <h2 id="tc-compare-title" class="tc-section__title">{tr.text(Msg::CompareTitle)}</h2>
                    </div>
                    {comparison::view_in(tr)}
                </section>

                <section id="tc-guide" class="tc-section" tabindex="-1" aria-labelledby="tc-guide-title">
                    <div class="tc-section__head">
                        <h2 id="tc-guide-title" class="tc-section__title">{tr.text(Msg::NavGuide)}</h2>
                    </div>
                    <guide::FrameworkGuide {tr} />
                </section>

                <section id="tc-faq" class="tc-section" tabindex="-1" aria-labelledby="tc-faq-title">
                    <div class="tc-section__head">
                        <h2 id="tc-faq-title" class="tc-section__title">{tr.text(Msg::FaqTitle)}</h2>
                    </div>
                    <faq::FrameworkFaq vendor_entries={faq_entries} vendor_lang={faq_langs} {tr} />
                </section>

                <div id="tc-contact" tabindex="-1">
                    {contact_cta::view_in(tr, &ContactCtaProps { organization: org.clone(), allow_loopback_http: page.allow_loopback_http })}
                </div>
            </div>

            <footer class="tc-footer">
                <p>
                    {tr.fill(Msg::FooterVersion, &[
                        ("version", &tr.int(manifest.version as i64)),
                        ("issued", &crate::components::format::date(tr, manifest.issued_at)),
                        ("until", &crate::components::format::date(tr, manifest.expires_at)),
                    ])}{" "}
                    {tr.text(Msg::FooterVerified)}
                </p>
                <p>
                    {safe_link(tr, org.website.clone(), page.allow_loopback_http, None, None, html! { {org.name.clone()} })}
                </p>
            </footer>
        </section>
    }
}

//! `Subprocessors`: the third parties that process customer data, with an instant text filter.

use trust_manifest::Subprocessor;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::safe_link::safe_link;
use crate::i18n::{Msg, Tr};
use crate::search;

/// Props of [`Subprocessors`].
#[derive(Properties, PartialEq, Clone)]
pub struct SubprocessorsProps {
    /// The subprocessors from the manifest.
    pub subprocessors: Vec<Subprocessor>,
    /// Development mode: loopback `http:` links allowed.
    #[prop_or_default]
    pub allow_loopback_http: bool,
    /// The page language's texts.
    pub tr: Tr,
    /// For each subprocessor, the language of its purpose and locations when they are not in
    /// the page language (the manifest does not translate them); `None` or missing: they are.
    #[prop_or_default]
    pub vendor_lang: Vec<Option<String>>,
    /// Initial filter text (used by tests; empty shows all).
    #[prop_or_default]
    pub initial_filter: AttrValue,
}

/// Whether `subprocessor` matches the filter text: every word must occur in the name, purpose
/// or a location, compared like the FAQ search (case and accents ignored, see [`search::fold`]).
pub fn matches_filter(subprocessor: &Subprocessor, filter: &str) -> bool {
    let haystack = search::fold(&format!(
        "{} {} {}",
        subprocessor.name,
        subprocessor.purpose,
        crate::small_std::join(&subprocessor.locations, " ")
    ));
    search::terms(filter)
        .iter()
        .all(|word| crate::small_std::contains(&haystack, word))
}

/// The filterable subprocessor table.
#[component]
pub fn Subprocessors(props: &SubprocessorsProps) -> Html {
    let filter = use_state(|| props.initial_filter.to_string());
    let tr = props.tr;
    if props.subprocessors.is_empty() {
        return html! { <p class="tc-muted">{tr.text(Msg::SubprocessorsNone)}</p> };
    }
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            filter.set(input.value());
        })
    };
    // The rows that match the filter.
    let mut rows = Vec::new();
    for (index, s) in props.subprocessors.iter().enumerate() {
        // The main language when the manifest has no translation of the purpose.
        let lang = props.vendor_lang.get(index).cloned().flatten();
        if !matches_filter(s, &filter) {
            continue;
        }
        rows.push({
            let name = match &s.url {
                Some(url) => html! { {safe_link(tr, url.clone(), props.allow_loopback_http, None, None, html! { {s.name.clone()} })} },
                None => html! { {s.name.clone()} },
            };
            html! {
                <tr>
                    <th scope="row" data-label={tr.get(Msg::SubprocessorsColName)}>{name}</th>
                    <td data-label={tr.get(Msg::SubprocessorsColPurpose)} lang={lang.clone()}>{s.purpose.clone()}</td>
                    <td data-label={tr.get(Msg::SubprocessorsColLocation)} lang={(!s.locations.is_empty()).then_some(lang).flatten()}>{if s.locations.is_empty() { tr.get(Msg::SubprocessorsNotStated).to_owned() } else { crate::small_std::join(&s.locations, ", ") }}</td>
                </tr>
            }
        });
    }
    let total = props.subprocessors.len();
    let summary = if rows.len() == total {
        tr.plural(Msg::SubprocessorsCount, total as i64, &[])
    } else {
        tr.plural(
            Msg::SubprocessorsShowing,
            total as i64,
            &[("shown", &rows.len().to_string())],
        )
    };
    html! {
        <div class="tc-subprocessors">
            <div class="tc-filter">
                <label for="tc-subprocessor-filter" class="tc-filter__label">{tr.text(Msg::SubprocessorsFilterLabel)}</label>
                <input id="tc-subprocessor-filter" class="tc-input" type="search" autocomplete="off"
                    placeholder={tr.get(Msg::SubprocessorsFilterPlaceholder)} value={(*filter).clone()} {oninput}
                    aria-controls="tc-subprocessor-table" />
                <p class="tc-filter__count" role="status" aria-live="polite">{summary}</p>
            </div>
            if rows.is_empty() {
                <p class="tc-empty">{tr.fill(Msg::SubprocessorsNoMatch, &[("query", filter.trim())])}</p>
            } else {
                <div class="tc-table-wrap">
                    <table id="tc-subprocessor-table" class="tc-table tc-table--stack">
                        <caption class="tc-visually-hidden">{tr.text(Msg::SubprocessorsCaption)}</caption>
                        <thead>
                            <tr><th scope="col">{tr.text(Msg::SubprocessorsColName)}</th><th scope="col">{tr.text(Msg::SubprocessorsColPurpose)}</th><th scope="col">{tr.text(Msg::SubprocessorsColLocation)}</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        </div>
    }
}

//! `Subprocessors`: the third parties that process customer data, with an instant text filter.

use trust_manifest::Subprocessor;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::safe_link::safe_link;
use crate::search;

/// Props of [`Subprocessors`].
#[derive(Properties, PartialEq, Clone)]
pub struct SubprocessorsProps {
    /// The subprocessors from the manifest.
    pub subprocessors: Vec<Subprocessor>,
    /// Development mode: loopback `http:` links allowed.
    #[prop_or_default]
    pub allow_loopback_http: bool,
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
    if props.subprocessors.is_empty() {
        return html! { <p class="tc-muted">{"The vendor lists no subprocessors."}</p> };
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
    for s in &props.subprocessors {
        if !matches_filter(s, &filter) {
            continue;
        }
        rows.push({
            let name = match &s.url {
                Some(url) => html! { {safe_link(url.clone(), props.allow_loopback_http, None, None, html! { {s.name.clone()} })} },
                None => html! { {s.name.clone()} },
            };
            html! {
                <tr>
                    <th scope="row" data-label="Subprocessor">{name}</th>
                    <td data-label="Purpose">{s.purpose.clone()}</td>
                    <td data-label="Location">{if s.locations.is_empty() { "Not stated".to_owned() } else { crate::small_std::join(&s.locations, ", ") }}</td>
                </tr>
            }
        });
    }
    let total = props.subprocessors.len();
    let summary = if rows.len() == total {
        format!("{total} subprocessors")
    } else {
        format!("Showing {} of {total} subprocessors", rows.len())
    };
    html! {
        <div class="tc-subprocessors">
            <div class="tc-filter">
                <label for="tc-subprocessor-filter" class="tc-filter__label">{"Filter by name, purpose or location"}</label>
                <input id="tc-subprocessor-filter" class="tc-input" type="search" autocomplete="off"
                    placeholder="e.g. hosting, EU, payments" value={(*filter).clone()} {oninput}
                    aria-controls="tc-subprocessor-table" />
                <p class="tc-filter__count" role="status" aria-live="polite">{summary}</p>
            </div>
            if rows.is_empty() {
                <p class="tc-empty">{format!("No subprocessor matches \u{201c}{}\u{201d}.", filter.trim())}</p>
            } else {
                <div class="tc-table-wrap">
                    <table id="tc-subprocessor-table" class="tc-table tc-table--stack">
                        <caption class="tc-visually-hidden">{"Subprocessors: name, purpose and where data is processed"}</caption>
                        <thead>
                            <tr><th scope="col">{"Subprocessor"}</th><th scope="col">{"Purpose"}</th><th scope="col">{"Location"}</th></tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        </div>
    }
}

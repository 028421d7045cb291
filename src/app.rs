//! The root component: configuration error | loading skeleton → verified page | error panel.

use std::cell::RefCell;

use yew::prelude::*;

use crate::components::error_panel::{self, ErrorPanelProps};
use crate::components::skeleton::skeleton;
use crate::components::trust_page::TrustPage;
use crate::config::{Config, ConfigError};
use crate::hooks::use_verified_manifest;
use crate::i18n::{Language, Msg, Tr};
use crate::state::{LoadError, LoadState};

/// A state change reported to the embedding code: `data-state` value and, on error, the code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateChange {
    /// `loading`, `verified` or `error`.
    pub state: &'static str,
    /// The error code (`data-error-code`) when `state` is `error`.
    pub error_code: Option<&'static str>,
    /// The error's headline when `state` is `error` (the `trust-center:error` event's `message`).
    pub error_title: Option<String>,
    /// The verified manifest's version when `state` is `verified`.
    pub version: Option<u64>,
    /// Key ids of the pinned keys whose signatures verified, when `state` is `verified`.
    pub key_ids: Vec<String>,
}

/// Props of [`App`].
#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// The host attributes, parsed (or why they could not be).
    pub config: Result<Config, ConfigError>,
    /// Told after each render that changed the state (the embedder sets `data-state`).
    #[prop_or_default]
    pub on_state: Callback<StateChange>,
    /// The page language the loader chose (see [`Language::new`]); `None` (SSR, tests): English,
    /// the root marked with the `lang` attribute's tag.
    #[prop_or_default]
    pub language: Option<Language>,
}

/// The widget's root component. It runs the fetch-and-verify hook itself (for a valid
/// configuration) and renders the state in place: no separate loader or state-view component,
/// whose lifecycle code would only add to the wasm.
#[component]
pub fn App(props: &AppProps) -> Html {
    let (tr, lang) = match (&props.language, &props.config) {
        (Some(language), _) => (language.tr, language.tag.clone()),
        (None, Ok(config)) => {
            let language = Language::new(&config.lang, None);
            (language.tr, language.tag)
        }
        (None, Err(_)) => (Tr::english(), "en".to_owned()),
    };
    let theme = match &props.config {
        Ok(config) => config.theme.as_str(),
        Err(_) => "auto",
    };
    let (loaded, retry) = use_verified_manifest(props.config.as_ref().ok(), tr);
    let reported = use_mut_ref(|| None::<StateChange>);
    let (state, on_retry) = match &props.config {
        Ok(_) => (loaded, Some(retry)),
        Err(error) => (LoadState::Failed(LoadError::config(error)), None),
    };
    let body = state_view(tr, &state, &props.on_state, on_retry, &reported);
    html! {
        <div class="tc-root" lang={lang} data-theme={theme}>
            {body}
        </div>
    }
}

/// Props of [`StateView`].
#[derive(Properties, PartialEq, Clone)]
pub struct StateViewProps {
    /// What to show.
    pub state: LoadState,
    /// Told after the state is in the DOM.
    #[prop_or_default]
    pub on_state: Callback<StateChange>,
    /// Retry callback for retryable errors.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

/// Renders one load state plus the live region that announces it (what [`App`] renders inside
/// its root element, as a component of its own).
#[component]
pub fn StateView(props: &StateViewProps) -> Html {
    let reported = use_mut_ref(|| None::<StateChange>);
    state_view(
        Tr::english(),
        &props.state,
        &props.on_state,
        props.on_retry.clone(),
        &reported,
    )
}

/// One load state plus the live region that announces it. A state not reported before
/// (`reported` remembers the last one) is told to `on_state` once it is in the DOM.
fn state_view(
    tr: Tr,
    state: &LoadState,
    on_state: &Callback<StateChange>,
    on_retry: Option<Callback<()>>,
    reported: &RefCell<Option<StateChange>>,
) -> Html {
    {
        let change = StateChange {
            state: state.data_state(),
            error_code: match state {
                LoadState::Failed(error) => Some(error.code),
                _ => None,
            },
            error_title: match state {
                LoadState::Failed(error) => Some(error.title(tr)),
                _ => None,
            },
            version: match state {
                LoadState::Verified(page) => Some(page.manifest.version),
                _ => None,
            },
            key_ids: match state {
                LoadState::Verified(page) => page.signed_by.clone(),
                _ => Vec::new(),
            },
        };
        if reported.borrow().as_ref() != Some(&change) {
            *reported.borrow_mut() = Some(change.clone());
            let on_state = on_state.clone();
            after_dom_commit(move || on_state.emit(change));
        }
    }
    let (announcement, content) = match state {
        LoadState::Loading => (tr.get(Msg::StateLoading).to_owned(), skeleton()),
        LoadState::Verified(page) => (
            tr.fill(
                Msg::StateVerified,
                &[
                    ("org", &page.manifest.organization.name),
                    ("version", &tr.int(page.manifest.version as i64)),
                ],
            ),
            html! { <TrustPage page={page.clone()} /> },
        ),
        LoadState::Failed(error) => (
            tr.fill(Msg::StateNotVerified, &[("title", &error.title(tr))]),
            error_panel::view_in(
                tr,
                &ErrorPanelProps {
                    error: error.clone(),
                    on_retry,
                },
            ),
        ),
    };
    html! {
        <>
            <p class="tc-visually-hidden" role="status" aria-live="polite">{announcement}</p>
            {content}
        </>
    }
}

/// Runs `report` once the DOM changes of the current render are in the document.
///
/// Yew applies a render and its children's first renders to the DOM before it yields to the
/// browser, but runs effects only after such a yield when rendering took longer than its 16 ms
/// slice, i.e. after the browser has laid out and painted. A microtask queued during the render
/// runs as soon as the scheduler hands back control: the DOM is complete, nothing is laid out
/// yet. That is the moment "the verified page is in the DOM" (the `trust-center:verified` mark).
#[cfg(target_arch = "wasm32")]
fn after_dom_commit(report: impl FnOnce() + 'static) {
    wasm_bindgen_futures::spawn_local(async move { report() });
}

/// Server-side rendering has no document to report to.
#[cfg(not(target_arch = "wasm32"))]
fn after_dom_commit(_report: impl FnOnce() + 'static) {}

//! `ErrorPanel`: why the page is not shown as verified. Shows the precise reason and never any
//! claim from the manifest.

use yew::prelude::*;

use crate::i18n::{Msg, Tr};
use crate::state::LoadError;

/// Props of [`view`].
#[derive(Properties, PartialEq, Clone)]
pub struct ErrorPanelProps {
    /// The reason.
    pub error: LoadError,
    /// Called when the visitor presses "Try again" (only offered for retryable errors).
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

/// The panel shown instead of the page when verification fails.
/// A plain function rather than a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn view(props: &ErrorPanelProps) -> Html {
    view_in(Tr::english(), props)
}

/// [`view`] in the language of `tr`.
pub fn view_in(tr: Tr, props: &ErrorPanelProps) -> Html {
    let error = &props.error;
    let retry = match (&props.on_retry, error.retryable) {
        (Some(on_retry), true) => {
            let on_retry = on_retry.clone();
            html! {
                <button type="button" class="tc-button tc-button--secondary" onclick={Callback::from(move |_| on_retry.emit(()))}>
                    {tr.text(Msg::ErrorTryAgain)}
                </button>
            }
        }
        _ => Html::default(),
    };
    let who = if error.code == "config" {
        Msg::ErrorWhoSetup
    } else if error.retryable {
        Msg::ErrorWhoTemporary
    } else {
        Msg::ErrorWhoVendor
    };
    html! {
        <section class="tc-error" role="alert" aria-labelledby="tc-error-title" data-error-code={error.code}>
            <div class="tc-error__icon" aria-hidden="true">{"✕"}</div>
            <div class="tc-error__body">
                <p class="tc-error__eyebrow">{tr.text(Msg::ErrorEyebrow)}</p>
                <h2 id="tc-error-title" class="tc-error__title">{error.title(tr)}</h2>
                <p class="tc-error__detail" lang={(error.detail_is_english_only() && tr.lang() != crate::i18n::Lang::En).then_some("en")}>{error.detail(tr)}</p>
                <p class="tc-error__consequence">
                    {tr.text(Msg::ErrorConsequence)}{" "}
                    {tr.get(who)}
                </p>
                <p class="tc-error__code">{tr.text(Msg::ErrorCode)}{" "}<code>{error.code}</code></p>
                {retry}
            </div>
        </section>
    }
}

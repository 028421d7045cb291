//! `ErrorPanel`: why the page is not shown as verified. Shows the precise reason and never any
//! claim from the manifest.

use yew::prelude::*;

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
    let error = &props.error;
    let retry = match (&props.on_retry, error.retryable) {
        (Some(on_retry), true) => {
            let on_retry = on_retry.clone();
            html! {
                <button type="button" class="tc-button tc-button--secondary" onclick={Callback::from(move |_| on_retry.emit(()))}>
                    {"Try again"}
                </button>
            }
        }
        _ => Html::default(),
    };
    let who = if error.code == "config" {
        "This is a setup problem on this website: the owner of the page needs to fix the widget's attributes."
    } else if error.retryable {
        "This may be temporary."
    } else {
        "The vendor needs to publish a correctly signed, current version. Until then, ask them for their security documents directly."
    };
    html! {
        <section class="tc-error" role="alert" aria-labelledby="tc-error-title" data-error-code={error.code.clone()}>
            <div class="tc-error__icon" aria-hidden="true">{"✕"}</div>
            <div class="tc-error__body">
                <p class="tc-error__eyebrow">{"Not verified"}</p>
                <h2 id="tc-error-title" class="tc-error__title">{error.title.clone()}</h2>
                <p class="tc-error__detail">{error.detail.clone()}</p>
                <p class="tc-error__consequence">
                    {"No security claims are shown, because none of them could be verified. "}
                    {who}
                </p>
                <p class="tc-error__code">{"Error code: "}<code>{error.code.clone()}</code></p>
                {retry}
            </div>
        </section>
    }
}

//! `Skeleton`: the placeholder shown while the manifest is fetched and verified. It has the same
//! outline and minimum heights as the page so nothing jumps when the content arrives.

use yew::prelude::*;

use crate::components::class_attr::with_class;

/// A loading placeholder; decorative (the live region announces the state). A plain function,
/// not a component: it has no state, and a component's lifecycle code would cost more wasm than
/// its markup.
pub fn skeleton() -> Html {
    let lines = |count: usize| -> Vec<Html> {
        let mut lines = Vec::new();
        for index in 0..count {
            let class = if index % 3 == 2 {
                "tc-skeleton__line tc-skeleton__line--short"
            } else {
                "tc-skeleton__line"
            };
            lines.push(with_class(
                html! { <span class="tc-skeleton__line"></span> },
                class,
            ));
        }
        lines
    };
    html! {
        <div class="tc-skeleton" aria-hidden="true">
            <div class="tc-skeleton__header">
                <span class="tc-skeleton__logo"></span>
                <span class="tc-skeleton__title"></span>
            </div>
            <div class="tc-skeleton__banner"></div>
            <div class="tc-grid tc-grid--two">
                <div class="tc-card tc-skeleton__card">{lines(6)}</div>
                <div class="tc-card tc-skeleton__card">{lines(6)}</div>
            </div>
            <div class="tc-card tc-skeleton__card">{lines(4)}</div>
        </div>
    }
}

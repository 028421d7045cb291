//! Small inline SVG icons (decorative, `aria-hidden`); no icon font or emoji font needed.
//!
//! Each icon writes its whole `<svg>` with a literal class: all its attributes are then literals,
//! which the `html!` macro stores as one static list (a class set at run time would need the
//! list to be built at run time too).

use yew::prelude::*;

/// A padlock (NDA-gated document).
pub fn lock() -> Html {
    html! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"
            class="tc-icon tc-icon--lock">
            <rect x="5" y="11" width="14" height="9" rx="2" />
            <path d="M8 11V8a4 4 0 0 1 8 0v3" />
        </svg>
    }
}

/// A page with a folded corner (public document).
pub fn document() -> Html {
    html! {
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"
            class="tc-icon tc-icon--document">
            <path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z" />
            <path d="M14 3v5h5M9 13h6M9 17h6" />
        </svg>
    }
}

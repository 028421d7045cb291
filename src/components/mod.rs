//! Presentational components: one per file, props struct above it, and the small view helpers
//! they share (`format`, `icons`, `safe_link`, `faq_items`). None of them calls the browser while
//! rendering, so all render natively under Yew's SSR (see `tests/ssr_*.rs`). Features with
//! their own state and services live in their own modules (the NDA request: `crate::nda`).
//!
//! Lists and strings are built by plain loops (`for` … `push` into a `Vec<Html>` or a `String`)
//! rather than by collecting iterator chains or `{ for … }`: every chain is its own generic
//! instantiation of the collecting code, and together they cost the widget's WebAssembly about
//! 1.5 KB gzip (measured when the loops replaced them).

pub mod class_attr;
pub mod comparison;
pub mod contact_cta;
pub mod documents_list;
pub mod error_panel;
pub mod faq;
pub mod faq_items;
pub mod format;
pub mod guide;
pub mod icons;
pub mod iso_card;
pub mod safe_link;
pub mod skeleton;
pub mod soc2_card;
pub mod status_badge;
pub mod subprocessors;
pub mod trust_page;
pub mod verification_banner;

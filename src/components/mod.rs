//! Presentational components: one per file, props struct above it. None of them calls the
//! browser while rendering, except that the NDA form reads the visitor's saved draft for its
//! first state (through `services::storage`, which has no storage off the browser), so all render
//! natively under Yew's SSR (see `tests/ssr_*.rs`).
//!
//! Lists and strings are built by plain loops (`for` … `push` into a `Vec<Html>` or a `String`)
//! rather than by collecting iterator chains or `{ for … }`: every chain is its own generic
//! instantiation of the collecting code, and together they cost the widget's WebAssembly about
//! 1.5 KB gzip (measured when the loops replaced them).

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
pub mod nda_form;
pub mod nda_json;
pub mod nda_submit;
pub mod nda_validation;
pub mod safe_link;
pub mod skeleton;
pub mod soc2_card;
pub mod status_badge;
pub mod subprocessors;
pub mod trust_page;
pub mod verification_banner;

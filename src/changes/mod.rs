//! Issue 17 in the widget: the "What's changed" section of a verified page ([`section`]), with
//! a deep link per entry ([`deep_link`]), the entries newer than the last version this browser
//! showed marked as new (the memory is `crate::services::last_visit`), and the subscribe form
//! ([`subscribe_form`], its state and request in [`subscribe`]). Their texts are the `changes.*`
//! and `subscribe.*` messages of the catalogue (`i18n/`).

pub mod deep_link;
pub mod section;
pub mod subscribe;
pub mod subscribe_form;

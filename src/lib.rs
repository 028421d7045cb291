//! The trust-center widget: verifies a signed manifest in the visitor's browser and renders the
//! trust page inside a shadow root.
//!
//! Flow: [`embed::mount`] reads the host attributes ([`config`]) and renders [`app::App`], whose
//! hook ([`hooks::use_verified_manifest`]) fetches the envelope ([`services`]), verifies it
//! ([`services::signature_check`]: the manifest crate's `read_envelope`, the browser's Web Crypto
//! for the Ed25519 signatures) and evaluates the status; the [`components`] render the result.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

#[cfg(target_arch = "wasm32")]
mod allocator;
pub mod app;
pub mod changes;
pub mod components;
pub mod config;
pub mod content;
#[cfg(target_arch = "wasm32")]
pub mod embed;
pub mod hooks;
pub mod i18n;
pub mod nda;
pub mod search;
pub mod services;
pub mod small_std;
pub mod state;
pub mod text;

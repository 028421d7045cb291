//! Yew hooks of the widget.

mod use_verified_manifest;

pub use use_verified_manifest::use_verified_manifest;

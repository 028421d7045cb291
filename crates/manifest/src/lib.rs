//! Signed trust-center manifests: the data model, the DSSE envelope, Ed25519 verification,
//! validation and status rules. No UI, no I/O and no clock: "today" is always a parameter.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod date;
pub mod model;

pub use date::Date;
pub use model::*;

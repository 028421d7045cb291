//! The change history tooling behind `trustctl changes`, `sign --bump`, `feed` and lint's
//! notice-period warning: what changed between two signed versions ([`diff`]), stable entry
//! ids ([`entry_ids`]), the Atom feed ([`feed`]) and the notice period ([`notice`]). Accepted
//! entries reach the vendor's file through `crate::manifest_edit`, which keeps its layout.

pub mod diff;
pub mod entry_ids;
pub mod feed;
pub mod notice;

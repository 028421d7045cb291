//! The change history tooling behind `trustctl changes`, `sign --bump`, `feed` and lint's
//! notice-period warning: what changed between two signed versions ([`diff`]), stable entry
//! ids ([`entry_ids`]), inserting accepted entries into the vendor's file without reformatting
//! it ([`insert`]), the Atom feed ([`feed`]) and the notice period ([`notice`]).

pub mod diff;
pub mod entry_ids;
pub mod feed;
pub mod insert;
pub mod notice;

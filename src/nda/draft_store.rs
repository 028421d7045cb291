//! Where the visitor's NDA draft is kept between visits: local storage, one entry per document
//! and intake service. The form persists through [`persist`] after every change (typing, a
//! pending idempotency key, clearing, a confirmed request, which empties it).

use super::json::{draft_from_json, draft_to_json};
use super::validation::NdaDraft;
use crate::services::storage;

/// Local-storage key of the saved draft for one document at one intake service.
pub fn storage_key(intake_url: &str, document_id: &str) -> String {
    format!(
        "trust-center:nda-draft:{}:{}",
        intake_url.trim_end_matches('/'),
        document_id
    )
}

/// The saved draft, if there is one (browser only).
pub fn load_draft(key: &str) -> Option<NdaDraft> {
    storage::read(key).and_then(|text| draft_from_json(&text))
}

/// Keeps `draft` under `key`, or forgets the entry when the draft is empty (cleared by the
/// visitor, or sent and confirmed). Storage may be unavailable (private mode), which is not an
/// error for the form.
pub fn persist(key: &str, draft: &NdaDraft) {
    if *draft == NdaDraft::default() {
        storage::remove(key);
    } else {
        storage::write(key, &draft_to_json(draft));
    }
}

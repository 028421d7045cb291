//! "New since your last visit": remembers in `localStorage`, per pinned key set (like
//! [`super::rollback`]), the highest manifest version this browser has verified **and shown**.
//! The page reads it once per load, before rendering ([`read`]); the embedder records the new
//! version only after the verified page is in the DOM ([`remember`]), so a version that never
//! rendered is never counted as seen.

use super::storage;

/// The `localStorage` key for a key set (see `Config::key_set_id`).
pub fn storage_key(key_set_id: &str) -> String {
    format!("trust-center:last-shown-version:{key_set_id}")
}

/// The version remembered from the last verified render, if any (none on a first visit, or
/// when storage is unavailable).
pub fn read(key: &str) -> Option<u64> {
    storage::read(key).and_then(|text| crate::small_std::whole_number(&text))
}

/// The version to keep after showing `shown`: never lower than what was remembered, so a
/// rolled-back page does not make older changes look new again.
pub fn next_memory(remembered: Option<u64>, shown: u64) -> u64 {
    remembered.map_or(shown, |seen| seen.max(shown))
}

/// Records that version `shown` was rendered verified (best effort, like the rollback memory).
pub fn remember(key: &str, shown: u64) {
    let remembered = read(key);
    let next = next_memory(remembered, shown);
    if remembered != Some(next) {
        storage::write(key, &next.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memory_only_grows() {
        assert_eq!(next_memory(None, 3), 3);
        assert_eq!(next_memory(Some(3), 5), 5);
        assert_eq!(next_memory(Some(7), 5), 7);
        assert_ne!(storage_key("a"), super::super::rollback::storage_key("a"));
    }
}

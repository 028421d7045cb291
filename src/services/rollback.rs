//! Rollback detection: remembers the highest verified manifest version per pinned key set in
//! `localStorage` and flags a lower one.

use super::storage;
use crate::state::RollbackWarning;

/// The `localStorage` key for a key set (see `Config::key_set_id`).
pub fn storage_key(key_set_id: &str) -> String {
    format!("trust-center:highest-version:{key_set_id}")
}

/// Compares the served version with the highest one seen before. Returns the warning (if any)
/// and the value to remember from now on.
pub fn check(highest_seen: Option<u64>, served: u64) -> (Option<RollbackWarning>, u64) {
    match highest_seen {
        Some(highest) if highest > served => (
            Some(RollbackWarning {
                highest_seen: highest,
                served,
            }),
            highest,
        ),
        _ => (None, served),
    }
}

/// Reads the remembered version, records the new highest and returns a warning on rollback.
/// Storage failures (private mode, quota) are ignored: the check is best-effort.
pub fn check_and_remember(key_set_id: &str, served: u64) -> Option<RollbackWarning> {
    let key = storage_key(key_set_id);
    let seen = storage::read(&key).and_then(|text| crate::small_std::whole_number(&text));
    let (warning, remember) = check(seen, served);
    if seen != Some(remember) {
        // Best effort: a full or disabled storage only loses the rollback memory.
        storage::write(&key, &remember.to_string());
    }
    warning
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_visit_and_upgrades_are_fine() {
        assert_eq!(check(None, 3), (None, 3));
        assert_eq!(check(Some(3), 3), (None, 3));
        assert_eq!(check(Some(3), 4), (None, 4));
    }

    #[test]
    fn lower_version_warns_and_keeps_the_highest() {
        let (warning, remember) = check(Some(7), 5);
        assert_eq!(
            warning,
            Some(RollbackWarning {
                highest_seen: 7,
                served: 5
            })
        );
        assert_eq!(remember, 7);
    }
}

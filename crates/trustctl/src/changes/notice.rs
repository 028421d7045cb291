//! The notice period for subprocessor changes (GDPR Art. 28(2): customers must hear of an
//! added or replaced subprocessor in time to object) and lint's warning when an entry gives
//! less notice than the vendor promises.
//!
//! The rule: every `subprocessors` entry of the version being published (its `version` is at
//! least the manifest's) must give an `effective_date` at least the notice period after its
//! `date`. Removals need no notice: an entry whose id says `removed` (as the ids `trustctl
//! changes` proposes for removals do) may leave `effective_date` out, but if it gives one, it
//! is checked like any other. Older entries are history and are not checked again.

use serde::Serialize;
use trust_manifest::{ChangeCategory, Manifest};

/// The notice period assumed when `updates.subprocessor_notice_days` is not set: the upper end
/// of what data processing agreements usually promise (14 to 30 days).
pub const DEFAULT_NOTICE_DAYS: u32 = 30;

/// The manifest's promised notice period, in days.
pub fn notice_days(manifest: &Manifest) -> u32 {
    manifest
        .updates
        .as_ref()
        .and_then(|u| u.subprocessor_notice_days)
        .unwrap_or(DEFAULT_NOTICE_DAYS)
}

/// One subprocessor entry that gives too little notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoticeWarning {
    /// JSON path of the entry's field, e.g. `changes[0].effective_date`.
    pub path: String,
    /// What is wrong and what the vendor promised.
    pub message: String,
}

/// The entries of the version being published that give less notice than promised.
pub fn notice_warnings(manifest: &Manifest) -> Vec<NoticeWarning> {
    let required = notice_days(manifest);
    let source = if manifest
        .updates
        .as_ref()
        .is_some_and(|u| u.subprocessor_notice_days.is_some())
    {
        "updates.subprocessor_notice_days"
    } else {
        "the default when updates.subprocessor_notice_days is not set"
    };
    let mut warnings = Vec::new();
    for (index, entry) in manifest.changes.iter().enumerate() {
        if entry.category != ChangeCategory::Subprocessors || entry.version < manifest.version {
            continue;
        }
        match entry.effective_date {
            None if entry.id.contains("removed") => {}
            None => warnings.push(NoticeWarning {
                path: format!("changes[{index}].effective_date"),
                message: format!(
                    "Subprocessor change \"{}\" has no effective date; customers are promised {required} days' notice ({source}). Give the day it takes effect (or \"removed\" in the id for a removal).",
                    entry.id
                ),
            }),
            Some(effective) => {
                let given = entry.date.days_until(effective);
                if given < i64::from(required) {
                    warnings.push(NoticeWarning {
                        path: format!("changes[{index}].effective_date"),
                        message: format!(
                            "Subprocessor change \"{}\" takes effect {effective}, {given} day{} after it is announced ({}); customers are promised {required} days' notice ({source}), so it should take effect on {} or later.",
                            entry.id,
                            if given == 1 || given == -1 { "" } else { "s" },
                            entry.date,
                            entry.date.add_days(i64::from(required))
                        ),
                    });
                }
            }
        }
    }
    warnings
}

/// Prints lint's notice-period line and one line per warning.
pub fn print_notice_warnings(warnings: &[NoticeWarning]) {
    if warnings.is_empty() {
        say!("✓ Notice: subprocessor changes give the promised notice");
        return;
    }
    say!(
        "! Notice: {} subprocessor change{} with too little notice",
        warnings.len(),
        if warnings.len() == 1 { "" } else { "s" }
    );
    for warning in warnings {
        say!(
            "    ! {}: {}",
            warning.path,
            trust_intake::neutralise::inline(&warning.message)
        );
    }
}

#[cfg(test)]
#[allow(clippy::expect_used)] // tests may panic on a broken fixture
mod tests {
    use super::*;
    use crate::example::example_manifest;
    use trust_manifest::{ChangeEntry, Date, UpdateSettings};

    fn day(text: &str) -> Date {
        text.parse().expect("test date")
    }

    fn manifest_with(entry: ChangeEntry, notice: Option<u32>) -> Manifest {
        let mut m = example_manifest(day("2026-12-02"));
        m.version = 4;
        m.changes.push(entry);
        m.updates = notice.map(|days| UpdateSettings {
            subscribe_url: None,
            feed_url: None,
            subprocessor_notice_days: Some(days),
        });
        m
    }

    fn entry(id: &str, version: u64, effective: Option<&str>) -> ChangeEntry {
        ChangeEntry {
            id: id.into(),
            version,
            date: day("2026-12-02"),
            category: ChangeCategory::Subprocessors,
            summary: "New subprocessor".into(),
            effective_date: effective.map(day),
        }
    }

    #[test]
    fn the_default_period_is_thirty_days() {
        let ok = manifest_with(entry("added-acme", 4, Some("2027-01-01")), None);
        assert_eq!(notice_days(&ok), DEFAULT_NOTICE_DAYS);
        assert_eq!(notice_warnings(&ok), vec![]);
        let short = manifest_with(entry("added-acme", 4, Some("2026-12-31")), None);
        let warnings = notice_warnings(&short);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].path, "changes[0].effective_date");
        assert!(
            warnings[0]
                .message
                .contains("29 days after it is announced")
                && warnings[0].message.contains("30 days' notice")
                && warnings[0].message.contains("2027-01-01 or later")
                && warnings[0].message.contains("the default"),
            "{}",
            warnings[0].message
        );
    }

    #[test]
    fn the_configured_period_is_used() {
        let m = manifest_with(entry("added-acme", 4, Some("2026-12-12")), Some(14));
        let warnings = notice_warnings(&m);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0]
            .message
            .contains("updates.subprocessor_notice_days"));
        assert!(warnings[0].message.contains("14 days' notice"));
        let m = manifest_with(entry("added-acme", 4, Some("2026-12-16")), Some(14));
        assert_eq!(notice_warnings(&m), vec![]);
        let m = manifest_with(entry("added-acme", 4, Some("2026-12-02")), Some(0));
        assert_eq!(notice_warnings(&m), vec![], "no notice promised");
    }

    #[test]
    fn which_entries_are_checked() {
        // No effective date: a warning, unless the id says it is a removal.
        let m = manifest_with(entry("added-acme", 4, None), None);
        assert!(notice_warnings(&m)[0].message.contains("no effective date"));
        let m = manifest_with(entry("2026-12-02-subprocessor-removed-acme", 4, None), None);
        assert_eq!(notice_warnings(&m), vec![]);
        // History from earlier versions is not checked again.
        let m = manifest_with(entry("added-acme", 3, Some("2026-12-03")), None);
        assert_eq!(notice_warnings(&m), vec![]);
        // Other categories have no notice period.
        let mut other = entry("soc2", 4, None);
        other.category = ChangeCategory::Certifications;
        assert_eq!(notice_warnings(&manifest_with(other, None)), vec![]);
    }
}

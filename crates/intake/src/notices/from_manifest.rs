//! From a verified manifest to a [`VersionNotice`]: the change entries the manifest's own version
//! introduced (`changes[].version == version`), and for subprocessor entries the subprocessors of the
//! manifest the summary names (matched by name, case-insensitively), with purpose and locations.
//! The objection contact is the organisation's `security_contact`; the history link is
//! `updates.feed_url`.

use trust_manifest::{ChangeCategory, VerifiedManifest};

use super::{ChangeNotice, SubprocessorFacts, VersionNotice};
use crate::subscriptions::Category;

/// The intake category of a manifest change category.
pub fn category(category: ChangeCategory) -> Category {
    Category::parse(category.as_str()).unwrap_or(Category::Other)
}

/// The notice of `verified`'s version.
pub fn version_notice(verified: &VerifiedManifest) -> VersionNotice {
    let manifest = &verified.manifest;
    let changes = manifest
        .changes
        .iter()
        .filter(|entry| entry.version == manifest.version)
        .map(|entry| {
            let category = category(entry.category);
            let summary = entry.summary.to_lowercase();
            let subprocessors = if category == Category::Subprocessors {
                manifest
                    .subprocessors
                    .iter()
                    .filter(|s| {
                        !s.name.trim().is_empty() && summary.contains(&s.name.to_lowercase())
                    })
                    .map(|s| SubprocessorFacts {
                        name: s.name.clone(),
                        purpose: s.purpose.clone(),
                        locations: s.locations.clone(),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            ChangeNotice {
                id: entry.id.clone(),
                category,
                date: entry.date.to_string(),
                summary: entry.summary.clone(),
                effective_date: entry.effective_date.map(|d| d.to_string()),
                subprocessors,
            }
        })
        .collect();
    let contact = &manifest.organization.security_contact;
    VersionNotice {
        version: manifest.version,
        payload_sha256: verified.payload_sha256.clone(),
        object_contact: contact
            .strip_prefix("mailto:")
            .unwrap_or(contact)
            .to_string(),
        changes,
        history_url: manifest
            .updates
            .as_ref()
            .and_then(|updates| updates.feed_url.clone()),
    }
}

//! Ids for proposed change entries: `{date}-{what}-{name}` (for example
//! `2026-12-02-subprocessor-added-acme-mail`), always valid by the document-id rule
//! ([`trust_manifest::is_document_id`]) and unique among the ids already taken.

use std::collections::BTreeSet;

use trust_manifest::is_document_id;

/// The longest id the rule allows.
const MAX_ID_LEN: usize = 64;

/// `name` reduced to lowercase ASCII letters and digits joined by single dashes ("Acme Mail,
/// Inc." → `acme-mail-inc`); empty if nothing is left.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A fresh id `{prefix}-{slug(name)}`, cut to the length limit and numbered (`-2`, `-3`, …)
/// if it is taken; the id is added to `taken`.
pub fn unique_id(prefix: &str, name: &str, taken: &mut BTreeSet<String>) -> String {
    let name = slug(name);
    let base = if name.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}-{name}")
    };
    let mut number = 1u32;
    loop {
        let suffix = if number == 1 {
            String::new()
        } else {
            format!("-{number}")
        };
        let mut id = base.clone();
        id.truncate(MAX_ID_LEN - suffix.len());
        while id.ends_with('-') {
            id.pop();
        }
        id.push_str(&suffix);
        if is_document_id(&id) && taken.insert(id.clone()) {
            return id;
        }
        number += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Acme Mail, Inc."), "acme-mail-inc");
        assert_eq!(slug("  Zürich  Data "), "z-rich-data");
        assert_eq!(slug("日本"), "");
        assert_eq!(slug("../etc"), "etc");
    }

    #[test]
    fn ids_are_valid_unique_and_short() {
        let mut taken = BTreeSet::from(["2026-12-02-subprocessor-added-acme".to_owned()]);
        let first = unique_id("2026-12-02-subprocessor-added", "Acme", &mut taken);
        assert_eq!(first, "2026-12-02-subprocessor-added-acme-2");
        let long = unique_id("2026-12-02-document-updated", &"x".repeat(200), &mut taken);
        assert_eq!(long.len(), 64);
        assert!(is_document_id(&long));
        let again = unique_id("2026-12-02-document-updated", &"x".repeat(200), &mut taken);
        assert!(again.ends_with("-2") && again.len() == 64, "{again}");
        assert_eq!(
            unique_id("2026-12-02-other", "日本", &mut taken),
            "2026-12-02-other"
        );
    }
}

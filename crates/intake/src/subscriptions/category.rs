//! The change categories a subscriber chooses from (the manifest's `changes[].category` spelling)
//! and the stored form of a set of them: the names, sorted, joined by commas.

use serde::Serialize;

/// One category of manifest change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Subprocessors,
    Certifications,
    Documents,
    Policies,
    Other,
}

impl Category {
    /// Every category, in the order pages list them.
    pub const ALL: [Category; 5] = [
        Category::Subprocessors,
        Category::Certifications,
        Category::Documents,
        Category::Policies,
        Category::Other,
    ];

    /// JSON / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Subprocessors => "subprocessors",
            Category::Certifications => "certifications",
            Category::Documents => "documents",
            Category::Policies => "policies",
            Category::Other => "other",
        }
    }

    /// What a page or an e-mail calls it.
    pub fn label(self) -> &'static str {
        match self {
            Category::Subprocessors => "Subprocessors (new, replaced or removed)",
            Category::Certifications => "Certifications and audit reports",
            Category::Documents => "Documents",
            Category::Policies => "Policies",
            Category::Other => "Other changes",
        }
    }

    /// Parses the JSON spelling.
    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// The stored form: names sorted in [`Category::ALL`] order, comma-separated.
pub fn encode(categories: &[Category]) -> String {
    let mut sorted = categories.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads the stored form; unknown names are skipped.
pub fn decode(stored: &str) -> Vec<Category> {
    stored.split(',').filter_map(Category::parse).collect()
}

/// Human-readable list for pages and e-mails.
pub fn describe(stored: &str) -> String {
    decode(stored)
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_sorted_without_duplicates() {
        let stored = encode(&[Category::Other, Category::Subprocessors, Category::Other]);
        assert_eq!(stored, "subprocessors,other");
        assert_eq!(
            decode(&stored),
            vec![Category::Subprocessors, Category::Other]
        );
        assert_eq!(decode("bogus,documents"), vec![Category::Documents]);
    }
}

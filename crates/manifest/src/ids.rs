//! The two identifier rules shared by the manifest, the widget and the intake service, written
//! once so that what `trustctl lint` accepts is exactly what the service accepts:
//!
//! - [`is_document_id`]: the `id` of a manifest document, which a visitor's access request names
//!   and which the service uses in its records and download links;
//! - [`is_idempotency_key`]: the key a widget sends with an access request so that a retried
//!   submission is recorded once.
//!
//! Both are ASCII-only on purpose: they end up in URLs, file names, logs and e-mails, where a
//! look-alike character or a path segment would be a trap.

/// Whether `id` is a document id: 1 to 64 characters of `A–Z a–z 0–9 . _ -`, the first one a
/// letter or digit, and never `..` (so an id is never a hidden file name or a path step).
///
/// ```
/// use trust_manifest::ids::is_document_id;
/// assert!(is_document_id("soc2-2026_v1.pdf"));
/// assert!(!is_document_id("a..b"));
/// assert!(!is_document_id(".hidden"));
/// ```
pub fn is_document_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !bytes.windows(2).any(|pair| pair == b"..")
}

/// Whether `key` is an idempotency key: 16 to 64 characters of `A–Z a–z 0–9 _ -`.
///
/// ```
/// use trust_manifest::ids::is_idempotency_key;
/// assert!(is_idempotency_key("k3Jd9_aQ-0pLm2Zx"));
/// assert!(!is_idempotency_key("too-short"));
/// ```
pub fn is_idempotency_key(key: &str) -> bool {
    (16..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids() {
        for good in [
            "a",
            "7",
            "soc2-2026_v1.pdf",
            "a.b.c",
            "A-_.9",
            "x.",
            &"a".repeat(64),
        ] {
            assert!(is_document_id(good), "{good:?}");
        }
        for bad in [
            "",
            &"a".repeat(65),
            "a..b",
            "a...b",
            "..",
            ".a",
            "-a",
            "_a",
            "a b",
            "a/b",
            "a\\b",
            "a:b",
            "é",
            "a\u{0}",
            "ａ",
        ] {
            assert!(!is_document_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn idempotency_keys() {
        assert!(is_idempotency_key(&"a".repeat(16)));
        assert!(is_idempotency_key(&"Z9_-".repeat(16)));
        assert!(!is_idempotency_key(&"a".repeat(15)));
        assert!(!is_idempotency_key(&"a".repeat(65)));
        for bad_char in [".", " ", "/", "+", "=", "é"] {
            let key = format!("{}{bad_char}", "a".repeat(16));
            assert!(!is_idempotency_key(&key), "{key:?}");
        }
    }

    /// Every string of up to three characters over a set that reaches each rule, against the
    /// rule written as plainly as possible.
    #[test]
    fn document_ids_match_the_plain_rule_on_every_short_string() {
        let plain = |id: &str| {
            let chars: Vec<char> = id.chars().collect();
            !chars.is_empty()
                && chars.len() <= 64
                && chars[0].is_ascii_alphanumeric()
                && chars
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(*c))
                && !id.contains("..")
        };
        let alphabet = ["a", "Z", "0", ".", "-", "_", "/", " ", "é"];
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let mut longer = Vec::new();
            for text in &texts {
                for c in alphabet {
                    longer.push(format!("{text}{c}"));
                }
            }
            texts.extend(longer);
        }
        for text in &texts {
            assert_eq!(is_document_id(text), plain(text), "{text:?}");
        }
    }
}

//! Small replacements for standard-library functions whose generic or table-driven versions cost
//! the widget's WebAssembly more than the job needs: substring search, joining strings, reading
//! a whole number. Each is tested against the standard library it replaces (see docs/build.md,
//! "Size budget", for what they save).

/// Whether `needle` occurs in `haystack`: `str::contains` with a `&str` needle, without the
/// standard library's two-way searcher (the widget only searches short texts). Comparing bytes is
/// exact: in UTF-8 a match of a whole needle always starts and ends on character boundaries.
pub fn contains(haystack: &str, needle: &str) -> bool {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

/// `items` with `separator` between them: `[String]::join` written as a loop. The standard
/// library's version is generic over the separator and element types; this one is a few hundred
/// bytes less in the widget's WebAssembly.
pub fn join(items: &[String], separator: &str) -> String {
    let mut joined = String::new();
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            joined.push_str(separator);
        }
        joined.push_str(item);
    }
    joined
}

/// The value of `text` as a whole number, as `u64::from_str` reads it (an optional `+`, then one
/// or more ASCII digits; `None` on anything else or on overflow), through the manifest crate's
/// digit loop ([`trust_manifest::digits::value`]). Callers that need a `usize` convert with
/// `usize::try_from`, so the widget's WebAssembly carries that one loop instead of the standard
/// library's parser for each integer type.
pub fn whole_number(text: &str) -> Option<u64> {
    trust_manifest::digits::value(text.strip_prefix('+').unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_matches_the_standard_library() {
        let cases: [&[&str]; 4] = [&[], &["one"], &["a", "b"], &["", "x", ""]];
        for case in cases {
            let items: Vec<String> = case.iter().map(|item| item.to_string()).collect();
            for separator in ["", " ", " · "] {
                assert_eq!(join(&items, separator), items.join(separator));
            }
        }
    }

    #[test]
    fn whole_number_matches_the_standard_library() {
        for text in [
            "",
            "0",
            "+",
            "+7",
            "-1",
            "42",
            "007",
            " 1",
            "1 ",
            "1_000",
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "١٢",
        ] {
            assert_eq!(whole_number(text), text.parse::<u64>().ok(), "{text:?}");
            assert_eq!(
                whole_number(text).and_then(|value| usize::try_from(value).ok()),
                text.parse::<usize>().ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn contains_agrees_with_str_contains() {
        let texts = ["", "a", "ab..c", "Zürich ü", "日本語のテキスト", "aaab"];
        let needles = [
            "", "a", "..", "ü", "rich ", "本語", "aab", "aaaab", "\u{fc}r",
        ];
        for text in texts {
            for needle in needles {
                assert_eq!(
                    contains(text, needle),
                    text.contains(needle),
                    "{text:?} {needle:?}"
                );
            }
        }
    }
}

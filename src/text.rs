//! Character rules without Unicode tables: lower-casing for the cased scripts people write names
//! and questions in (Latin, Greek, Cyrillic, Armenian), and "is this part of a word".
//!
//! `char::to_lowercase` and `char::is_alphanumeric` carry tables for every script in Unicode;
//! in the widget's WebAssembly they cost about 15 KB gzip, a tenth of the size budget. These rules
//! are exact (tested against the standard library) for the blocks listed in [`lowercase`] and
//! leave every other character as it is, which is right for scripts without case (Han, Arabic,
//! Hebrew, Devanagari, …).

/// The lower-case form of `c` in the blocks Basic Latin, Latin-1, Latin Extended-A, Latin
/// Extended Additional, Greek (basic letters), Cyrillic and Armenian; `c` itself elsewhere.
pub fn lowercase(c: char) -> char {
    let code = u32::from(c);
    let lower = match code {
        0x41..=0x5a | 0xc0..=0xd6 | 0xd8..=0xde => code + 0x20,
        // Latin Extended-A: mostly upper/lower pairs, the upper one first.
        0x100..=0x12f | 0x132..=0x137 | 0x14a..=0x177 if code % 2 == 0 => code + 1,
        0x139..=0x148 | 0x179..=0x17e if code % 2 == 1 => code + 1,
        0x178 => 0xff,
        // Greek.
        0x386 => 0x3ac,
        0x388..=0x38a => code + 0x25,
        0x38c => 0x3cc,
        0x38e..=0x38f => code + 0x3f,
        0x391..=0x3a1 | 0x3a3..=0x3ab => code + 0x20,
        // Cyrillic.
        0x400..=0x40f => code + 0x50,
        0x410..=0x42f => code + 0x20,
        0x460..=0x481 | 0x48a..=0x4bf | 0x4d0..=0x52f if code % 2 == 0 => code + 1,
        0x4c0 => 0x4cf,
        0x4c1..=0x4ce if code % 2 == 1 => code + 1,
        // Armenian.
        0x531..=0x556 => code + 0x30,
        // Latin Extended Additional (Vietnamese and others).
        0x1e00..=0x1e95 | 0x1ea0..=0x1eff if code % 2 == 0 => code + 1,
        _ => code,
    };
    char::from_u32(lower).unwrap_or(c)
}

/// Whether `c` belongs to a word: ASCII letters and digits, and any other character that is not
/// white space, a control character or punctuation/symbol from the Latin-1, General Punctuation
/// and CJK punctuation blocks.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !c.is_whitespace()
        && !c.is_control()
        && !matches!(c, '\u{a0}'..='\u{bf}' | '\u{d7}' | '\u{f7}' | '\u{2000}'..='\u{206f}' | '\u{3000}'..='\u{303f}')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks `lowercase` promises to handle exactly.
    const COVERED: &[(u32, u32)] = &[
        (0x0000, 0x024f),
        (0x0370, 0x03ff),
        (0x0400, 0x052f),
        (0x0530, 0x058f),
        (0x1e00, 0x1eff),
    ];

    fn std_lowercase(c: char) -> char {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(single), None) => single,
            // Multi-character forms (e.g. U+0130 'İ' → "i̇") stay as they are.
            _ => c,
        }
    }

    #[test]
    fn matches_the_standard_library_in_the_letters_it_covers() {
        let mut checked = 0;
        for &(first, last) in COVERED {
            for code in first..=last {
                let Some(c) = char::from_u32(code) else {
                    continue;
                };
                let ours = lowercase(c);
                let expected = std_lowercase(c);
                // Outside the letter ranges handled above (e.g. Latin Extended-B, Greek
                // archaic letters) we promise only to leave the character unchanged.
                assert!(
                    ours == expected || ours == c,
                    "U+{code:04X} {c:?}: ours {ours:?}, std {expected:?}"
                );
                if ours == expected {
                    checked += 1;
                }
            }
        }
        // 1,392 code points in these blocks; all but the Latin Extended-B and archaic Greek letters
        // (left unchanged, as promised) match exactly.
        assert!(checked >= 1250, "{checked}");
    }

    #[test]
    fn handles_every_letter_of_the_main_alphabets() {
        for (upper, lower) in [
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"),
            (
                "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ",
                "àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþ",
            ),
            (
                "ĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ",
                "āăąćĉċčďđēĕėęěĝğġģĥħĩīĭįĳĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷÿźżž",
            ),
            (
                "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏ",
                "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώ",
            ),
            (
                "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯЁЄІЇЎЂЋЏҐ",
                "абвгдежзийклмнопрстуфхцчшщъыьэюяёєіїўђћџґ",
            ),
            ("ԱԲԳՔՖ", "աբգքֆ"),
            ("ẠẢẤỲỸ", "ạảấỳỹ"),
        ] {
            let ours: String = upper.chars().map(lowercase).collect();
            assert_eq!(ours, lower);
            assert_eq!(ours, upper.to_lowercase());
        }
    }

    #[test]
    fn leaves_caseless_scripts_and_symbols_alone() {
        for c in ['中', 'ب', 'א', 'क', '😀', '1', '-', 'ß', 'ı'] {
            assert_eq!(lowercase(c), c);
        }
    }

    #[test]
    fn words_are_letters_and_digits_in_any_script() {
        for c in ['a', 'Z', '7', 'é', 'ß', 'ж', 'α', '中', 'ب'] {
            assert!(is_word_char(c), "{c:?}");
        }
        for c in [
            ' ', '-', '.', '\u{a0}', '«', '—', '“', '\u{3000}', '。', '\n',
        ] {
            assert!(!is_word_char(c), "{c:?}");
        }
    }
}

//! Case- and accent-insensitive text search with highlight segments, used by the FAQ: pure
//! functions with no browser calls so they can be tested natively.

use std::ops::Range;

/// A piece of text that is or is not part of a match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The original text of this piece (case and accents preserved).
    pub text: String,
    /// Whether this piece matched the query.
    pub highlighted: bool,
}

/// Folds one character for comparison: lower case, accents removed. May yield several
/// characters (`ß` → `ss`, `æ` → `ae`).
fn fold_char(c: char, out: &mut Vec<char>) {
    let base = match c {
        'À'..='Å' | 'à'..='å' | 'Ā'..='ą' => 'a',
        'Ç' | 'ç' | 'Ć'..='č' => 'c',
        'Ď'..='đ' => 'd',
        'È'..='Ë' | 'è'..='ë' | 'Ē'..='ě' => 'e',
        'Ĝ'..='ģ' => 'g',
        'Ĥ'..='ħ' => 'h',
        'Ì'..='Ï' | 'ì'..='ï' | 'Ĩ'..='ı' => 'i',
        'Ĵ' | 'ĵ' => 'j',
        'Ķ' | 'ķ' => 'k',
        'Ĺ'..='ł' => 'l',
        'Ñ' | 'ñ' | 'Ń'..='ŉ' => 'n',
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | 'Ō'..='ő' => 'o',
        'Ŕ'..='ř' => 'r',
        'Ś'..='š' => 's',
        'Ţ'..='ŧ' => 't',
        'Ù'..='Ü' | 'ù'..='ü' | 'Ũ'..='ų' => 'u',
        'Ŵ' | 'ŵ' => 'w',
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' => 'y',
        'Ź'..='ž' => 'z',
        'ß' => {
            out.extend(['s', 's']);
            return;
        }
        'Æ' | 'æ' => {
            out.extend(['a', 'e']);
            return;
        }
        'Œ' | 'œ' => {
            out.extend(['o', 'e']);
            return;
        }
        // Combining diacritical marks (decomposed input) vanish.
        '\u{0300}'..='\u{036f}' => return,
        // Typographic quotes and dashes compare like their plain forms.
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2010}'..='\u{2015}' => '-',
        '\u{00ae}' => return,
        other => {
            out.push(crate::text::lowercase(other));
            return;
        }
    };
    out.push(base);
}

/// Folds a whole string the way [`find_matches`] compares text.
pub fn fold(text: &str) -> String {
    let mut out = Vec::new();
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out.into_iter().collect()
}

/// Splits a query into folded search terms (whitespace separated, empty terms dropped).
pub fn terms(query: &str) -> Vec<String> {
    query
        .split_whitespace()
        .map(fold)
        .filter(|t| !t.is_empty())
        .collect()
}

/// Byte ranges of `text` where any of the folded `terms` occur, sorted and merged so that
/// overlapping or touching matches form one range.
pub fn find_matches(text: &str, terms: &[String]) -> Vec<Range<usize>> {
    // Folded characters, each remembering the byte range of the original character.
    let mut folded: Vec<(char, usize, usize)> = Vec::with_capacity(text.len());
    let mut buf = Vec::new();
    for (start, c) in text.char_indices() {
        buf.clear();
        fold_char(c, &mut buf);
        let end = start + c.len_utf8();
        folded.extend(buf.iter().map(|&f| (f, start, end)));
    }

    let needles: Vec<Vec<char>> = terms.iter().map(|term| term.chars().collect()).collect();
    let is_word = |i: usize| {
        folded
            .get(i)
            .is_some_and(|(c, _, _)| crate::text::is_word_char(*c))
    };
    // Positions are tried in order, so matches arrive sorted by start (no sort needed) and are
    // merged as they are found.
    let mut merged: Vec<Range<usize>> = Vec::new();
    for i in 0..folded.len() {
        for needle in &needles {
            if needle.is_empty() || needle.len() > folded.len() - i {
                continue;
            }
            // A one-character term ("2") only matches a whole word, or it would light up every
            // digit of "27001".
            let whole_word = needle.len() == 1;
            let window = &folded[i..i + needle.len()];
            let bounded =
                !whole_word || ((i == 0 || !is_word(i - 1)) && !is_word(i + needle.len()));
            if bounded && window.iter().zip(needle).all(|((f, _, _), n)| f == n) {
                let range = window[0].1..window[needle.len() - 1].2;
                match merged.last_mut() {
                    Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
                    _ => merged.push(range),
                }
            }
        }
    }
    merged
}

/// Whether every term occurs somewhere in at least one of `texts` (an empty query matches).
/// Uses the same rules as [`find_matches`], so whatever matches is also highlighted.
pub fn matches_all(texts: &[&str], terms: &[String]) -> bool {
    terms.iter().all(|term| {
        let single = std::slice::from_ref(term);
        texts
            .iter()
            .any(|text| !find_matches(text, single).is_empty())
    })
}

/// Cuts `text` into plain and highlighted segments for the given terms. Without matches the
/// result is one plain segment (or none for empty text).
pub fn highlight(text: &str, terms: &[String]) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut cursor = 0;
    for range in find_matches(text, terms) {
        if range.start > cursor {
            segments.push(Segment {
                text: text[cursor..range.start].to_string(),
                highlighted: false,
            });
        }
        segments.push(Segment {
            text: text[range.clone()].to_string(),
            highlighted: true,
        });
        cursor = range.end;
    }
    if cursor < text.len() {
        segments.push(Segment {
            text: text[cursor..].to_string(),
            highlighted: false,
        });
    }
    segments
}

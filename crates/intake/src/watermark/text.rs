//! The words of a stamp and their encoding for a standard PDF font.
//!
//! Stamps use the standard Type 1 font Courier with `/WinAnsiEncoding`: every PDF reader has it, nothing
//! is embedded, and its fixed advance (600/1000 em) lets the layout measure lines exactly. WinAnsi covers
//! ASCII, Latin-1 and a few typographic signs (— ‘ ’ “ ” € …). Any other character (Cyrillic, CJK, emoji)
//! cannot be drawn with it and is shown as `?` in the visible stamp; the exact text, in any script, is kept
//! in the file's metadata (UTF-16), which is what `trustctl requests trace` reads first. Control characters
//! also become `?`, so nothing a requester typed can change the layout.
//!
//! Strings are written to the content stream as hexadecimal strings (`<4A61…>`), so no byte of the
//! requester's text can end a string or start an operator.

/// Who received the copy and under which terms: the facts printed on every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StampFacts {
    pub request_id: String,
    pub name: String,
    pub company: String,
    pub email: String,
    pub nda_version: String,
    /// Unix seconds (UTC) of the download.
    pub downloaded_at: i64,
}

impl StampFacts {
    /// The line shown diagonally across the page centre, large and very light.
    pub fn diagonal_lines(&self) -> [String; 2] {
        [
            format!(
                "Confidential \u{2014} shared under NDA {}",
                self.nda_version
            ),
            format!("{} \u{00b7} {}", self.name, self.email),
        ]
    }

    /// The sentences of the margin stamp, small and legible; the layout wraps them to the page width.
    pub fn margin_text(&self) -> String {
        format!(
            "Confidential \u{2014} shared under NDA {nda} with {name}, {company} <{email}>. \
             Downloaded {at} \u{00b7} request {id}",
            nda = self.nda_version,
            name = self.name,
            company = self.company,
            email = self.email,
            at = human_utc(self.downloaded_at),
            id = self.request_id,
        )
    }
}

/// `2026-12-01 21:30:05 UTC`.
pub fn human_utc(secs: i64) -> String {
    crate::clock::format_utc(secs)
        .replacen('T', " ", 1)
        .replace('Z', " UTC")
}

/// The WinAnsi byte for `c`, or `None` when the encoding has no such character.
pub fn win_ansi_byte(c: char) -> Option<u8> {
    let code = u32::from(c);
    match code {
        0x20..=0x7e | 0xa0..=0xff => u8::try_from(code).ok(),
        _ => {
            let byte = match c {
                '\u{20ac}' => 0x80,
                '\u{201a}' => 0x82,
                '\u{0192}' => 0x83,
                '\u{201e}' => 0x84,
                '\u{2026}' => 0x85,
                '\u{2020}' => 0x86,
                '\u{2021}' => 0x87,
                '\u{02c6}' => 0x88,
                '\u{2030}' => 0x89,
                '\u{0160}' => 0x8a,
                '\u{2039}' => 0x8b,
                '\u{0152}' => 0x8c,
                '\u{017d}' => 0x8e,
                '\u{2018}' => 0x91,
                '\u{2019}' => 0x92,
                '\u{201c}' => 0x93,
                '\u{201d}' => 0x94,
                '\u{2022}' => 0x95,
                '\u{2013}' => 0x96,
                '\u{2014}' => 0x97,
                '\u{02dc}' => 0x98,
                '\u{2122}' => 0x99,
                '\u{0161}' => 0x9a,
                '\u{203a}' => 0x9b,
                '\u{0153}' => 0x9c,
                '\u{017e}' => 0x9e,
                '\u{0178}' => 0x9f,
                _ => return None,
            };
            Some(byte)
        }
    }
}

/// `text` in WinAnsi, one byte per character; characters the encoding lacks become `?`.
pub fn to_win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| win_ansi_byte(c).unwrap_or(b'?'))
        .collect()
}

/// A PDF hexadecimal string operand: `<48656C6C6F>`.
pub fn hex_string(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2 + 2);
    out.push('<');
    for byte in bytes {
        out.push_str(&format!("{byte:02X}"));
    }
    out.push('>');
    out
}

/// Splits WinAnsi bytes into lines of at most `width` characters, breaking at spaces where possible and
/// inside a word only when one word is longer than a line.
pub fn wrap(bytes: &[u8], width: usize) -> Vec<Vec<u8>> {
    let width = width.max(8);
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in bytes.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
        let needed = if line.is_empty() {
            word.len()
        } else {
            line.len() + 1 + word.len()
        };
        if needed <= width {
            if !line.is_empty() {
                line.push(b' ');
            }
            line.extend_from_slice(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        let mut rest = word;
        while rest.len() > width {
            lines.push(rest[..width].to_vec());
            rest = &rest[width..];
        }
        line.extend_from_slice(rest);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A PDF text string (Info dictionary values): UTF-16BE with a byte-order mark, so any script survives.
pub fn utf16_text_string(text: &str) -> Vec<u8> {
    let mut out = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out
}

/// Decodes a PDF text string: UTF-16BE with a byte-order mark, otherwise bytes read as Latin-1
/// (PDFDocEncoding agrees with it for the characters our stamps write).
pub fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(body) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    bytes.iter().map(|b| char::from(*b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn win_ansi_keeps_latin_and_typography_and_marks_the_rest() {
        assert_eq!(
            to_win_ansi("Zoë — €"),
            vec![b'Z', b'o', 0xeb, b' ', 0x97, b' ', 0x80]
        );
        assert_eq!(to_win_ansi("Иван 李"), b"???? ?".to_vec());
        assert_eq!(to_win_ansi("a\u{7}b\nc"), b"a?b?c".to_vec());
    }

    #[test]
    fn hex_strings_cannot_be_broken_out_of() {
        let hostile = to_win_ansi("x) Tj ET (y\\");
        let operand = hex_string(&hostile);
        assert!(operand.starts_with('<') && operand.ends_with('>'));
        assert!(operand[1..operand.len() - 1]
            .chars()
            .all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_splits_only_overlong_words() {
        let lines = wrap(b"aaa bbb ccc dddddddddddddddddddd e", 10);
        assert_eq!(
            lines,
            vec![
                b"aaa bbb".to_vec(),
                b"ccc".to_vec(),
                b"dddddddddd".to_vec(),
                b"dddddddddd".to_vec(),
                b"e".to_vec()
            ]
        );
    }

    #[test]
    fn text_strings_round_trip_any_script() {
        let name = "Иван Petrov 李小龙 (Zoë)";
        assert_eq!(decode_text_string(&utf16_text_string(name)), name);
        assert_eq!(decode_text_string(b"req_1"), "req_1");
    }

    #[test]
    fn utc_times_read_like_a_stamp() {
        assert_eq!(human_utc(0), "1970-01-01 00:00:00 UTC");
    }
}

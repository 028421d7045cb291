//! Base64 as DSSE envelopes and key files use it: [`encode_base64`] writes the standard alphabet
//! with padding; [`decode_base64`] reads the standard or the URL-safe alphabet, padded or not,
//! and nothing else.

use base64::Engine;

/// Standard base64 with padding, the form this crate writes.
pub fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard (`+/`) or URL-safe (`-_`) base64, either with complete `=` padding or with
/// none. Mixed alphabets, partial padding, whitespace and non-canonical trailing bits are
/// refused, so each byte string has only a few accepted spellings.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    // Written out rather than through the base64 crate's four engines (their tables and generic
    // decoder cost the widget's wasm about 4 KB); the unit tests compare the two on every short
    // input over the interesting characters.
    let bytes = text.as_bytes();
    // Byte scan, not a char pattern: a payload can be hundreds of kilobytes, and in the browser
    // a `char` search over it costs milliseconds.
    let url_safe = bytes.iter().any(|&byte| byte == b'-' || byte == b'_');
    // Complete padding only: one or two `=` that bring the length to a multiple of four.
    let padding = match bytes {
        [.., b'=', b'='] => 2,
        [.., b'='] => 1,
        _ => 0,
    };
    if padding > 0 && !bytes.len().is_multiple_of(4) {
        return None;
    }
    let data = &bytes[..bytes.len() - padding];
    let (full, rest) = data.split_at(data.len() / 4 * 4);
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    for quad in full.chunks_exact(4) {
        let mut word = 0u32;
        for &byte in quad {
            word = word << 6 | u32::from(sextet(byte, url_safe)?);
        }
        out.extend_from_slice(&word.to_be_bytes()[1..]);
    }
    match *rest {
        [] => {}
        [a, b] => {
            let (a, b) = (sextet(a, url_safe)?, sextet(b, url_safe)?);
            // Trailing bits must be zero (one spelling per byte string).
            if b & 0x0f != 0 {
                return None;
            }
            out.push(a << 2 | b >> 4);
        }
        [a, b, c] => {
            let (a, b, c) = (
                sextet(a, url_safe)?,
                sextet(b, url_safe)?,
                sextet(c, url_safe)?,
            );
            if c & 0x03 != 0 {
                return None;
            }
            out.push(a << 2 | b >> 4);
            out.push(b << 4 | c >> 2);
        }
        _ => return None,
    }
    Some(out)
}

/// The 6-bit value of one base64 character of the standard (`+/`) or URL-safe (`-_`) alphabet.
fn sextet(byte: u8, url_safe: bool) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'+' if !url_safe => Some(62),
        b'/' if !url_safe => Some(63),
        b'-' if url_safe => Some(62),
        b'_' if url_safe => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_accepts_both_alphabets_with_or_without_padding() {
        let bytes = [0xfb_u8, 0xff, 0xbf, 0x01];
        for text in ["+/+/AQ==", "+/+/AQ", "-_-_AQ==", "-_-_AQ"] {
            assert_eq!(decode_base64(text), Some(bytes.to_vec()), "{text}");
        }
        for bad in ["+_+/AQ==", "AQ=", "AR==", "A Q==", "AQ==\n", "*"] {
            assert_eq!(decode_base64(bad), None, "{bad}");
        }
        assert_eq!(decode_base64(""), Some(Vec::new()));
    }

    /// The rules as the base64 crate's engines implement them (what `decode_base64` used before).
    fn decode_with_engines(text: &str) -> Option<Vec<u8>> {
        use base64::alphabet;
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        use base64::engine::DecodePaddingMode;
        let padding = if text.ends_with('=') {
            DecodePaddingMode::RequireCanonical
        } else {
            DecodePaddingMode::RequireNone
        };
        let config = GeneralPurposeConfig::new()
            .with_decode_padding_mode(padding)
            .with_decode_allow_trailing_bits(false);
        let alphabet = if text.bytes().any(|byte| byte == b'-' || byte == b'_') {
            &alphabet::URL_SAFE
        } else {
            &alphabet::STANDARD
        };
        GeneralPurpose::new(alphabet, config).decode(text).ok()
    }

    #[test]
    fn base64_matches_the_base64_crate_on_every_short_input() {
        // Every string of up to 6 characters over a set that reaches each rule: both alphabets'
        // special characters, padding, characters with and without low bits set, a space, and
        // a non-ASCII character.
        const CHARS: [&str; 11] = ["A", "Q", "B", "w", "+", "/", "-", "_", "=", " ", "é"];
        let mut texts = vec![String::new()];
        let mut checked = 0;
        for _ in 0..6 {
            let mut longer = Vec::new();
            for text in &texts {
                for c in CHARS {
                    let next = format!("{text}{c}");
                    assert_eq!(decode_base64(&next), decode_with_engines(&next), "{next:?}");
                    checked += 1;
                    longer.push(next);
                }
            }
            texts = longer;
        }
        assert!(checked > 1_000_000);
        // Longer inputs: real keys and signatures, both alphabets, padded and not.
        for len in 0..80 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let standard = encode_base64(&bytes);
            for text in [
                standard.clone(),
                standard.trim_end_matches('=').to_owned(),
                standard.replace('+', "-").replace('/', "_"),
                standard
                    .replace('+', "-")
                    .replace('/', "_")
                    .trim_end_matches('=')
                    .to_owned(),
            ] {
                assert_eq!(decode_base64(&text), decode_with_engines(&text), "{text:?}");
                assert_eq!(decode_base64(&text), Some(bytes.clone()), "{text:?}");
            }
        }
    }
}

//! The DSSE v1 envelope: its JSON shape, the pre-authentication encoding (PAE) that is signed,
//! and lenient base64 decoding.

use base64::Engine;
use serde::{Deserialize, Serialize};

/// The DSSE `payloadType` of a trust-center manifest. Any other type is refused before any
/// signature is checked.
pub const PAYLOAD_TYPE: &str = "application/vnd.trust-center.manifest+json";

/// The largest envelope accepted, in bytes (1 MiB). The size is checked before anything is
/// decoded, so an oversized download costs no parsing or cryptography.
pub const MAX_ENVELOPE_BYTES: usize = 1_048_576;

/// A DSSE v1 envelope as JSON: `{"payloadType", "payload", "signatures": [{"keyid", "sig"}]}`.
///
/// Unknown fields are ignored, as DSSE allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// What the payload is; must be [`PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Base64 of the exact payload bytes (the manifest JSON).
    pub payload: String,
    /// One entry per signing key.
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signature inside an [`Envelope`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// Hint naming the key: lowercase hex SHA-256 of the raw 32-byte public key. Empty means
    /// "try every trusted key".
    pub keyid: String,
    /// Base64 of the 64-byte Ed25519 signature over [`pae`] of the payload type and payload.
    pub sig: String,
}

impl Envelope {
    /// The envelope as compact JSON bytes, ready to publish.
    pub fn to_json(&self) -> String {
        // Serialising plain strings cannot fail; fall back to an empty object just in case.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }
}

/// DSSE v1 pre-authentication encoding:
/// `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths in ASCII decimal.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let type_len = payload_type.len().to_string();
    let body_len = payload.len().to_string();
    let mut out = Vec::with_capacity(
        6 + 4 + type_len.len() + payload_type.len() + body_len.len() + payload.len(),
    );
    out.extend_from_slice(b"DSSEv1 ");
    out.extend_from_slice(type_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload_type.as_bytes());
    out.push(b' ');
    out.extend_from_slice(body_len.as_bytes());
    out.push(b' ');
    out.extend_from_slice(payload);
    out
}

/// Standard base64 with padding, the form this crate writes.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
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
    let padding = bytes
        .iter()
        .rev()
        .take(2)
        .take_while(|&&byte| byte == b'=')
        .count();
    if padding > 0 && bytes.len() % 4 != 0 {
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

/// Lowercase hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// Lowercase hex SHA-256 of `bytes`.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_specification_example() {
        // Example from the DSSE v1 protocol description.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ".to_vec());
    }

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

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
    }
}

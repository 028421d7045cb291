//! The DSSE v1 envelope: its JSON shape, the pre-authentication encoding (PAE) that is signed,
//! and lenient base64 decoding.

use base64::Engine;
use serde::Serialize;

/// The DSSE `payloadType` of a trust-center manifest. Any other type is refused before any
/// signature is checked.
pub const PAYLOAD_TYPE: &str = "application/vnd.trust-center.manifest+json";

/// The largest envelope accepted, in bytes (1 MiB). The size is checked before anything is
/// decoded, so an oversized download costs no parsing or cryptography.
pub const MAX_ENVELOPE_BYTES: usize = 1_048_576;

/// A DSSE v1 envelope as JSON: `{"payloadType", "payload", "signatures": [{"keyid", "sig"}]}`.
///
/// Unknown fields are ignored, as DSSE allows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "serde-oracle", derive(serde::Deserialize))]
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
    let padding = match bytes {
        [.., b'=', b'='] => 2,
        [.., b'='] => 1,
        _ => 0,
    };
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

/// Lowercase hex SHA-256 of `bytes`.
///
/// The message padding (FIPS 180-4, section 5.1.1) is written out here around the sha2 crate's
/// block function, `sha2::compress256`: going through `sha2::Sha256` instead brings the digest
/// crate's generic buffering code into the widget's wasm for this one hash. A unit test compares
/// the two on every length up to 300 bytes and on some large inputs.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    /// The initial hash value H(0) of SHA-256 (FIPS 180-4, section 5.3.3).
    const INITIAL_STATE: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut state = INITIAL_STATE;
    // Every complete 64-byte block of the message as it is.
    let blocks = bytes.chunks_exact(64);
    let rest = blocks.remainder();
    for block in blocks {
        sha256_block(&mut state, block);
    }
    // Then the padded end: the remaining bytes (0 to 63), the byte 0x80, zeros, and the message
    // length in bits as a big-endian 64-bit number in the last 8 bytes. That fits in one block
    // if the remaining bytes leave room for the 0x80 and the length (fewer than 56), else two.
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let tail_len = if rest.len() < 56 { 64 } else { 128 };
    let bit_len = (bytes.len() as u64).wrapping_mul(8);
    tail[tail_len - 8..tail_len].copy_from_slice(&bit_len.to_be_bytes());
    for block in tail[..tail_len].chunks_exact(64) {
        sha256_block(&mut state, block);
    }
    // The digest is the final state, each word big-endian.
    let mut out = String::with_capacity(64);
    for word in state {
        push_hex(&mut out, &word.to_be_bytes());
    }
    out
}

/// Appends the lowercase hexadecimal of `bytes` to `out`.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

/// Runs the SHA-256 compression function on `state` for one 64-byte `block`.
fn sha256_block(state: &mut [u32; 8], block: &[u8]) {
    use sha2::digest::generic_array::GenericArray;
    sha2::compress256(state, std::slice::from_ref(GenericArray::from_slice(block)));
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
    fn sha256_hex_matches_the_sha2_crate() {
        use sha2::Digest;
        let expected = |bytes: &[u8]| {
            let digest = sha2::Sha256::digest(bytes);
            digest
                .iter()
                .map(|byte| format!("{byte:02x}"))
                .collect::<String>()
        };
        // Every length up to 300 bytes covers the padding's edge cases: a tail of 55 bytes (one
        // padded block), 56 to 63 (two), exactly 64 and 128 (a block of padding only), and the
        // same for the following blocks (119, 120, ...).
        let data: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for len in 0..=data.len() {
            assert_eq!(
                sha256_hex(&data[..len]),
                expected(&data[..len]),
                "length {len}"
            );
        }
        // Large inputs, one of them a whole number of blocks.
        for len in [4096, 65_536 + 55, 1_048_576, 1_000_003] {
            let big: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            assert_eq!(sha256_hex(&big), expected(&big), "length {len}");
        }
        // Known answers (FIPS 180-2 examples).
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
    }

    #[test]
    fn sha256_hex_is_lowercase() {
        let digest = sha256_hex(b"abc");
        assert_eq!(digest.len(), 64);
        assert!(digest
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    }
}

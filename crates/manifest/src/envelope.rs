//! The DSSE v1 envelope: its JSON shape, the pre-authentication encoding (PAE) that is signed,
//! and lenient base64 decoding.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
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

const PADDED: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
    .with_decode_allow_trailing_bits(false);
const UNPADDED: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::RequireNone)
    .with_decode_allow_trailing_bits(false);
const STANDARD_PADDED: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, PADDED);
const STANDARD_UNPADDED: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, UNPADDED);
const URL_SAFE_PADDED: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, PADDED);
const URL_SAFE_UNPADDED: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, UNPADDED);

/// Standard base64 with padding, the form this crate writes.
pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes standard (`+/`) or URL-safe (`-_`) base64, either with complete `=` padding or with
/// none. Mixed alphabets, partial padding, whitespace and non-canonical trailing bits are
/// refused, so each byte string has only a few accepted spellings.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    // Byte scan, not a char pattern: a payload can be hundreds of kilobytes, and in the browser
    // a `char` search over it costs milliseconds.
    let url_safe = text.bytes().any(|byte| byte == b'-' || byte == b'_');
    let padded = text.ends_with('=');
    let engine = match (url_safe, padded) {
        (false, true) => &STANDARD_PADDED,
        (false, false) => &STANDARD_UNPADDED,
        (true, true) => &URL_SAFE_PADDED,
        (true, false) => &URL_SAFE_UNPADDED,
    };
    engine.decode(text).ok()
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

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
    }
}

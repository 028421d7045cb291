//! The DSSE v1 envelope: its JSON shape and the pre-authentication encoding (PAE) that is signed.
//! Its base64 rules are in [`crate::base64_codec`]; it is read by [`crate::decode::envelope`].

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
}

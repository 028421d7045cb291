//! Ed25519 public keys: parsing from base64, key ids and fingerprints.

use ed25519_dalek::VerifyingKey;

use crate::base64_codec::{decode_base64, encode_base64};
use crate::error::KeyError;
use crate::sha256::sha256_hex;

/// A trusted Ed25519 public key (the raw 32 bytes, as pinned in the page or passed to the CLI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
}

impl PublicKey {
    /// Reads base64 (standard or URL-safe, padded or not) of the raw 32-byte key. Surrounding
    /// whitespace is ignored, so a key pasted from a file with a trailing newline works.
    pub fn from_base64(text: &str) -> Result<PublicKey, KeyError> {
        let bytes = decode_base64(text.trim()).ok_or(KeyError::InvalidBase64)?;
        let raw: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| KeyError::WrongLength { found: bytes.len() })?;
        PublicKey::from_bytes(&raw)
    }

    /// Builds a key from its raw 32 bytes. Bytes that are not a point on the curve, and weak
    /// (small-order) keys that could "verify" forged signatures, are refused.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<PublicKey, KeyError> {
        let key = VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::InvalidKey)?;
        if key.is_weak() {
            return Err(KeyError::InvalidKey);
        }
        Ok(PublicKey { key })
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// Standard base64 (padded) of the raw 32 bytes: the form used in the `public-key`
    /// attribute and `.pub` files.
    pub fn to_base64(&self) -> String {
        encode_base64(self.key.as_bytes())
    }

    /// Lowercase hex SHA-256 of the raw 32 bytes; the DSSE `keyid` this crate writes.
    pub fn key_id(&self) -> String {
        sha256_hex(self.key.as_bytes())
    }

    /// The first 16 hex characters of [`PublicKey::key_id`], short enough to read aloud.
    pub fn short_fingerprint(&self) -> String {
        let mut id = self.key_id();
        id.truncate(16);
        id
    }

    /// Whether `signature` (64 bytes) is this key's Ed25519 signature of exactly `message`,
    /// checked with `verify_strict` (which refuses non-canonical and small-order values).
    pub fn verify_raw(&self, message: &[u8], signature: &[u8]) -> bool {
        // The length checked here rather than by `Signature::from_slice`, whose error type
        // brings more code into the widget's wasm; any other length is simply not a signature.
        match <&[u8; 64]>::try_from(signature) {
            Ok(bytes) => {
                let signature = ed25519_dalek::Signature::from_bytes(bytes);
                self.key.verify_strict(message, &signature).is_ok()
            }
            Err(_) => false,
        }
    }

    #[cfg(feature = "sign")]
    pub(crate) fn from_verifying_key(key: VerifyingKey) -> PublicKey {
        PublicKey { key }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8032 section 7.1, TEST 1 public key.
    const TEST1_PUBLIC: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    #[test]
    fn parses_and_round_trips() {
        let key = PublicKey::from_base64(TEST1_PUBLIC).expect("valid key");
        assert_eq!(key.to_base64(), TEST1_PUBLIC);
        assert_eq!(key.key_id().len(), 64);
        assert_eq!(key.short_fingerprint(), key.key_id()[..16]);
        let unpadded = PublicKey::from_base64("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\n");
        assert_eq!(unpadded, Ok(key));
    }

    #[test]
    fn refuses_bad_keys() {
        assert_eq!(
            PublicKey::from_base64("not base64!"),
            Err(KeyError::InvalidBase64)
        );
        assert_eq!(
            PublicKey::from_base64("AAAA"),
            Err(KeyError::WrongLength { found: 3 })
        );
        // The identity point is a weak (small-order) key.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert_eq!(PublicKey::from_bytes(&identity), Err(KeyError::InvalidKey));
    }
}

//! Ed25519 public keys: parsing from base64, key ids and fingerprints, and (feature `ed25519`)
//! checking a signature in Rust.

use crate::base64_codec::{decode_base64, encode_base64};
use crate::ed25519_rules::has_small_order;
use crate::error::KeyError;
use crate::sha256::sha256_hex;

/// A trusted Ed25519 public key (the raw 32 bytes, as pinned in the page or passed to the CLI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    bytes: [u8; 32],
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

    /// Builds a key from its raw 32 bytes. Weak (small-order) keys, which could "verify"
    /// signatures nobody made, are refused. With the `ed25519` feature, bytes that are not a
    /// point on the curve are refused too; without it (the widget, which has no curve
    /// arithmetic) such a key is accepted here and no signature ever verifies with it.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<PublicKey, KeyError> {
        if has_small_order(bytes) {
            return Err(KeyError::InvalidKey);
        }
        #[cfg(feature = "ed25519")]
        ed25519_dalek::VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::InvalidKey)?;
        Ok(PublicKey { bytes: *bytes })
    }

    /// The raw 32 bytes.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.bytes
    }

    /// The raw 32 bytes, borrowed.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// Standard base64 (padded) of the raw 32 bytes: the form used in the `public-key`
    /// attribute and `.pub` files.
    pub fn to_base64(&self) -> String {
        encode_base64(&self.bytes)
    }

    /// Lowercase hex SHA-256 of the raw 32 bytes; the DSSE `keyid` this crate writes.
    pub fn key_id(&self) -> String {
        sha256_hex(&self.bytes)
    }

    /// The first 16 hex characters of [`PublicKey::key_id`], short enough to read aloud.
    pub fn short_fingerprint(&self) -> String {
        let mut id = self.key_id();
        id.truncate(16);
        id
    }

    /// Whether `signature` (64 bytes) is this key's Ed25519 signature of exactly `message`,
    /// checked with ed25519-dalek's `verify_strict` (which refuses non-canonical and small-order
    /// values; [`crate::ed25519_rules`] are the same rules as byte checks).
    #[cfg(feature = "ed25519")]
    pub fn verify_raw(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = <&[u8; 64]>::try_from(signature) else {
            return false;
        };
        let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&self.bytes) else {
            return false;
        };
        let signature = ed25519_dalek::Signature::from_bytes(signature);
        key.verify_strict(message, &signature).is_ok()
    }

    #[cfg(feature = "sign")]
    pub(crate) fn from_verifying_key(key: ed25519_dalek::VerifyingKey) -> PublicKey {
        PublicKey {
            bytes: key.to_bytes(),
        }
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

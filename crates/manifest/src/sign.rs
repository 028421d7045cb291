//! Signing (feature `sign`): Ed25519 signing keys and producing DSSE envelopes. Never compiled
//! into the widget.

use std::fmt;

use ed25519_dalek::Signer;

use crate::base64_codec::encode_base64;
use crate::envelope::{pae, Envelope, EnvelopeSignature, PAYLOAD_TYPE};
use crate::keys::PublicKey;

/// An Ed25519 signing key (the 32-byte seed). Its `Debug` output shows only the key id.
#[derive(Clone)]
pub struct SigningKey {
    key: ed25519_dalek::SigningKey,
}

impl SigningKey {
    /// A new random key from the operating system's random number generator.
    pub fn generate() -> SigningKey {
        SigningKey {
            key: ed25519_dalek::SigningKey::generate(&mut rand_core::OsRng),
        }
    }

    /// The key with this 32-byte seed (RFC 8032 "secret key").
    pub fn from_bytes(seed: &[u8; 32]) -> SigningKey {
        SigningKey {
            key: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// The 32-byte seed. Keep it secret.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        // A key derived from a seed (a clamped scalar times the base point) is never weak.
        PublicKey::from_verifying_key(self.key.verifying_key())
    }

    /// Signs `message` directly (no PAE); 64 bytes. Used for test vectors.
    pub fn sign_raw(&self, message: &[u8]) -> [u8; 64] {
        self.key.sign(message).to_bytes()
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.public_key().key_id())
            .finish_non_exhaustive()
    }
}

/// Wraps `payload` (the exact manifest bytes) in a DSSE envelope signed by every key in `keys`,
/// each signature tagged with the key's id.
pub fn sign_envelope(payload: &[u8], keys: &[SigningKey]) -> Envelope {
    let message = pae(PAYLOAD_TYPE, payload);
    Envelope {
        payload_type: PAYLOAD_TYPE.to_owned(),
        payload: encode_base64(payload),
        signatures: keys
            .iter()
            .map(|key| EnvelopeSignature {
                keyid: key.public_key().key_id(),
                sig: encode_base64(&key.sign_raw(&message)),
            })
            .collect(),
    }
}

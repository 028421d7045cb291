//! Download tokens: HMAC-SHA256 over (request id, document id, expiry), encoded base64url.
//!
//! Format: `base64url(payload) "." base64url(mac)` with `payload = "v1\n<request_id>\n<document_id>\n<expires_at>"`
//! (expiry in Unix seconds). The MAC is checked in constant time before the payload is trusted.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a valid token grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    pub request_id: String,
    pub document_id: String,
    /// Unix seconds after which the token no longer works.
    pub expires_at: i64,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token at all, or the signature does not match (tampered or made with another secret).
    Invalid,
    /// Genuine but past its expiry.
    Expired,
}

/// Longest token accepted for checking; longer input is refused before any decoding.
pub const MAX_TOKEN_CHARS: usize = 512;

/// Creates a token for `claims` with `secret`.
pub fn mint(secret: &[u8], claims: &TokenClaims) -> String {
    let payload = format!(
        "v1\n{}\n{}\n{}",
        claims.request_id, claims.document_id, claims.expires_at
    );
    let mac = sign(secret, payload.as_bytes());
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(payload),
        URL_SAFE_NO_PAD.encode(mac)
    )
}

/// Checks the signature, then the expiry against `now` (Unix seconds).
pub fn verify(secret: &[u8], token: &str, now: i64) -> Result<TokenClaims, TokenError> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(TokenError::Invalid);
    }
    let (payload_b64, mac_b64) = token.split_once('.').ok_or(TokenError::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| TokenError::Invalid)?;
    let mac = URL_SAFE_NO_PAD
        .decode(mac_b64)
        .map_err(|_| TokenError::Invalid)?;
    let mut check = HmacSha256::new_from_slice(secret).map_err(|_| TokenError::Invalid)?;
    check.update(&payload);
    check.verify_slice(&mac).map_err(|_| TokenError::Invalid)?;
    let text = String::from_utf8(payload).map_err(|_| TokenError::Invalid)?;
    let mut parts = text.split('\n');
    let (Some("v1"), Some(request_id), Some(document_id), Some(expiry), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(TokenError::Invalid);
    };
    let expires_at: i64 = expiry.parse().map_err(|_| TokenError::Invalid)?;
    if now >= expires_at {
        return Err(TokenError::Expired);
    }
    Ok(TokenClaims {
        request_id: request_id.to_string(),
        document_id: document_id.to_string(),
        expires_at,
    })
}

fn sign(secret: &[u8], payload: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this constructor cannot fail; fall back to an empty MAC
    // (which never verifies) rather than panicking.
    match HmacSha256::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(payload);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(expires_at: i64) -> TokenClaims {
        TokenClaims {
            request_id: "req_abc".into(),
            document_id: "soc2".into(),
            expires_at,
        }
    }

    #[test]
    fn round_trip_and_expiry() {
        let token = mint(b"secret-secret-secret-secret-secret", &claims(100));
        assert_eq!(
            verify(b"secret-secret-secret-secret-secret", &token, 99),
            Ok(claims(100))
        );
        assert_eq!(
            verify(b"secret-secret-secret-secret-secret", &token, 100),
            Err(TokenError::Expired)
        );
        assert_eq!(
            verify(b"another-secret-another-secret-xx", &token, 99),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn tampering_is_detected() {
        let token = mint(b"k", &claims(100));
        let forged_payload = URL_SAFE_NO_PAD.encode("v1\nreq_abc\nother\n100");
        let mac = token.split_once('.').unwrap().1;
        assert_eq!(
            verify(b"k", &format!("{forged_payload}.{mac}"), 1),
            Err(TokenError::Invalid)
        );
        assert_eq!(verify(b"k", "garbage", 1), Err(TokenError::Invalid));
        assert_eq!(
            verify(b"k", &format!("{token}x"), 1),
            Err(TokenError::Invalid)
        );
    }
}

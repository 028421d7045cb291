//! Signed subscription links: a confirm token (expires) and a manage token (unsubscribe and
//! preferences; long-lived, as RFC 8058 one-click links must keep working), both HMAC-SHA256 with the
//! service's link-signing secret.
//!
//! Format: `base64url(payload) "." base64url(mac)` with
//! `payload = "sub1\n<purpose>\n<subscription_id>\n<expires_at>"` (`expires_at` 0: never). The
//! `sub1` prefix and the purpose separate these tokens from download tokens and from each other: a
//! manage token never confirms, a confirm token never unsubscribes. The MAC is checked in constant
//! time before the payload is read.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Longest token accepted for checking.
pub const MAX_TOKEN_CHARS: usize = 256;

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirm a pending subscription.
    Confirm,
    /// Unsubscribe or change the categories.
    Manage,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Manage => "manage",
        }
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Malformed, forged, altered, or made for another purpose.
    Invalid,
    /// Genuine but expired.
    Expired,
}

fn mac(secret: &[u8], payload: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(payload);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; an empty MAC never verifies.
        Err(_) => Vec::new(),
    }
}

/// A token for `subscription_id`; `expires_at` 0 never expires.
pub fn mint(secret: &[u8], purpose: Purpose, subscription_id: &str, expires_at: i64) -> String {
    let payload = format!(
        "sub1\n{}\n{subscription_id}\n{expires_at}",
        purpose.as_str()
    );
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(&payload),
        URL_SAFE_NO_PAD.encode(mac(secret, payload.as_bytes()))
    )
}

/// Checks the MAC, the purpose and the expiry; returns the subscription id.
pub fn verify(secret: &[u8], purpose: Purpose, token: &str, now: i64) -> Result<String, LinkError> {
    if token.len() > MAX_TOKEN_CHARS {
        return Err(LinkError::Invalid);
    }
    let (payload_b64, mac_b64) = token.split_once('.').ok_or(LinkError::Invalid)?;
    let payload = URL_SAFE_NO_PAD
        .decode(payload_b64)
        .map_err(|_| LinkError::Invalid)?;
    let given = URL_SAFE_NO_PAD
        .decode(mac_b64)
        .map_err(|_| LinkError::Invalid)?;
    let mut check = HmacSha256::new_from_slice(secret).map_err(|_| LinkError::Invalid)?;
    check.update(&payload);
    check.verify_slice(&given).map_err(|_| LinkError::Invalid)?;
    let text = String::from_utf8(payload).map_err(|_| LinkError::Invalid)?;
    let parts: Vec<&str> = text.split('\n').collect();
    let [version, kind, id, expiry] = parts.as_slice() else {
        return Err(LinkError::Invalid);
    };
    if *version != "sub1" || *kind != purpose.as_str() || !is_subscription_id(id) {
        return Err(LinkError::Invalid);
    }
    let expires_at: i64 = expiry.parse().map_err(|_| LinkError::Invalid)?;
    if expires_at != 0 && now >= expires_at {
        return Err(LinkError::Expired);
    }
    Ok((*id).to_string())
}

/// True for ids shaped like [`super::new_subscription_id`] output.
pub fn is_subscription_id(id: &str) -> bool {
    id.strip_prefix("sub_").is_some_and(|rest| {
        rest.len() == 32
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// `…/v1/subscriptions/confirm?token=…`.
pub fn confirm_url(public_base: &str, token: &str) -> String {
    format!("{public_base}/v1/subscriptions/confirm?token={token}")
}

/// `…/v1/subscriptions/unsubscribe?token=…` (the `List-Unsubscribe` target, RFC 8058).
pub fn unsubscribe_url(public_base: &str, token: &str) -> String {
    format!("{public_base}/v1/subscriptions/unsubscribe?token={token}")
}

/// `…/v1/subscriptions/preferences?token=…`.
pub fn preferences_url(public_base: &str, token: &str) -> String {
    format!("{public_base}/v1/subscriptions/preferences?token={token}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "sub_0123456789abcdef0123456789abcdef";

    #[test]
    fn forged_altered_and_misused_tokens_are_refused() {
        let secret = b"a-secret-a-secret-a-secret-a-secret";
        let confirm = mint(secret, Purpose::Confirm, ID, 100);
        assert_eq!(
            verify(secret, Purpose::Confirm, &confirm, 99),
            Ok(ID.into())
        );
        assert_eq!(
            verify(secret, Purpose::Confirm, &confirm, 100),
            Err(LinkError::Expired)
        );
        assert_eq!(
            verify(secret, Purpose::Manage, &confirm, 1),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            verify(
                b"another-secret-another-secret-xx",
                Purpose::Confirm,
                &confirm,
                1
            ),
            Err(LinkError::Invalid)
        );
        let manage = mint(secret, Purpose::Manage, ID, 0);
        assert_eq!(
            verify(secret, Purpose::Manage, &manage, i64::MAX),
            Ok(ID.into())
        );
        let other = URL_SAFE_NO_PAD.encode(format!("sub1\nmanage\nsub_{}\n0", "f".repeat(32)));
        let mac_part = manage.split_once('.').unwrap().1;
        assert_eq!(
            verify(secret, Purpose::Manage, &format!("{other}.{mac_part}"), 1),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            verify(secret, Purpose::Manage, "nonsense", 1),
            Err(LinkError::Invalid)
        );
    }
}

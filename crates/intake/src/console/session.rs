//! Sessions and CSRF: random session ids kept server-side (only their SHA-256 is stored), the cookie
//! that carries them, idle and absolute expiry, the short-lived anonymous "pre-sign-in" sessions that
//! hold a WebAuthn ceremony, and the extractors handlers use to demand a signed-in reviewer and a valid
//! CSRF token.
//!
//! Signing in never upgrades an existing id: the pre-sign-in session is thrown away and a new id is
//! issued (no session fixation). Removing a reviewer or `trustctl console sign-out-everywhere` deletes
//! the rows, so the next request of that browser is anonymous.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::{PasskeyAuthentication, PasskeyRegistration};

use super::respond::ConsoleError;
use super::ConsoleState;
use crate::clock::now_secs;

/// How long a pre-sign-in session (and the ceremony in it) lives.
const PRE_SIGN_IN_TTL: Duration = Duration::from_secs(10 * 60);
/// Upper bound on pre-sign-in sessions kept in memory.
const PRE_SIGN_IN_CAPACITY: usize = 10_000;

/// 32 random bytes, base64url: a session id, CSRF token or enrolment token.
pub fn random_token() -> Result<String, ConsoleError> {
    let mut raw = [0u8; 32];
    getrandom::getrandom(&mut raw)
        .map_err(|e| ConsoleError::internal(&format!("random number generator failed: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(raw))
}

/// SHA-256 hex of a token: what the database stores instead of the token.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Equality that takes the same time wherever the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Name of the session cookie: the `__Host-` prefix (Secure, Path=/, no Domain) over https.
pub fn cookie_name(state: &ConsoleState) -> &'static str {
    if state.secure_cookies {
        "__Host-tc_console"
    } else {
        "tc_console"
    }
}

/// The session cookie's value in a request, if any.
pub fn cookie_value(state: &ConsoleState, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(state);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value carrying `value`; `max_age` None makes it end with the browser session.
pub fn set_cookie(state: &ConsoleState, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict",
        cookie_name(state)
    );
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if state.secure_cookies {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie)
        .unwrap_or_else(|_| HeaderValue::from_static("tc_console=; Max-Age=0"))
}

/// A `Set-Cookie` value that deletes the session cookie.
pub fn clear_cookie(state: &ConsoleState) -> HeaderValue {
    set_cookie(state, "", Some(0))
}

/// A signed-in reviewer, from a valid, unexpired session.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub reviewer_id: String,
    pub name: String,
    pub csrf_token: String,
    pub session_sha256: String,
}

impl SignedIn {
    /// The actor recorded in the audit trail for this reviewer's actions.
    pub fn actor(&self) -> String {
        format!("reviewer:{}", self.name)
    }
}

/// Looks up the session the request's cookie names; expired sessions are deleted and give None.
pub async fn current_session(
    state: &Arc<ConsoleState>,
    headers: &HeaderMap,
) -> Result<Option<SignedIn>, ConsoleError> {
    let Some(value) = cookie_value(state, headers) else {
        return Ok(None);
    };
    let hash = token_hash(&value);
    let db = state.db.clone();
    let (idle, absolute) = (
        state.settings.idle_seconds(),
        state.settings.absolute_seconds(),
    );
    super::blocking(move || {
        let Some(record) = db.session(&hash)? else {
            return Ok(None);
        };
        let now = now_secs();
        if now - record.last_seen_at >= idle || now - record.created_at >= absolute {
            db.delete_session(&hash)?;
            return Ok(None);
        }
        if now > record.last_seen_at {
            db.touch_session(&hash, now)?;
        }
        Ok(Some(SignedIn {
            reviewer_id: record.reviewer_id,
            name: record.reviewer_name,
            csrf_token: record.csrf_token,
            session_sha256: hash,
        }))
    })
    .await
}

/// Where an anonymous caller is sent: the sign-in page for GET (remembering a local `next` path),
/// 401 for anything else.
fn refuse_anonymous(parts: &Parts) -> Response {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!("/sign-in?next={}", percent_encode(next));
        Redirect::to(&target).into_response()
    } else {
        ConsoleError::Unauthenticated.into_response()
    }
}

impl FromRequestParts<Arc<ConsoleState>> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<ConsoleState>,
    ) -> Result<Self, Self::Rejection> {
        match current_session(state, &parts.headers).await {
            Ok(Some(signed_in)) => Ok(signed_in),
            Ok(None) => Err(refuse_anonymous(parts)),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// A form that carries the CSRF token in a field named `csrf`.
pub trait CsrfForm {
    /// The submitted token (empty when missing).
    fn csrf(&self) -> &str;
}

/// A state-changing form post from a signed-in reviewer whose CSRF token matched the session's and
/// whose `Origin` (when the browser sent one) is the console's.
pub struct Verified<T> {
    pub reviewer: SignedIn,
    pub form: T,
    pub client_ip: String,
}

/// Refuses a request whose `Origin` header names another origin, or that the browser marks as sent
/// from another site (`Sec-Fetch-Site`). Form posts carry `Origin: null` because the console's
/// `Referrer-Policy` is `no-referrer`; those rely on the CSRF token and the SameSite=Strict cookie.
pub fn check_origin(state: &ConsoleState, headers: &HeaderMap) -> Result<(), ConsoleError> {
    let origin_ok = match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        None | Some(Ok("null")) => true,
        Some(Ok(origin)) => origin == state.origin,
        Some(Err(_)) => false,
    };
    let site_ok = match headers.get("sec-fetch-site").map(|v| v.to_str()) {
        None | Some(Ok("same-origin" | "none")) => true,
        Some(_) => false,
    };
    if origin_ok && site_ok {
        Ok(())
    } else {
        Err(ConsoleError::CsrfRefused)
    }
}

impl<T> FromRequest<Arc<ConsoleState>> for Verified<T>
where
    T: DeserializeOwned + CsrfForm + Send + 'static,
{
    type Rejection = Response;

    async fn from_request(
        request: Request,
        state: &Arc<ConsoleState>,
    ) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let reviewer = SignedIn::from_request_parts(&mut parts, state).await?;
        check_origin(state, &parts.headers).map_err(IntoResponse::into_response)?;
        let client_ip = client_ip(state, &parts);
        let request = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(request, state)
            .await
            .map_err(|rejection| {
                ConsoleError::BadRequest(format!("the form could not be read: {rejection}"))
                    .into_response()
            })?;
        if !constant_time_eq(form.csrf(), &reviewer.csrf_token) {
            return Err(ConsoleError::CsrfRefused.into_response());
        }
        Ok(Verified {
            reviewer,
            form,
            client_ip,
        })
    }
}

/// The caller's address (the configured reverse-proxy rule applies, as on the public API).
pub fn client_ip(state: &ConsoleState, parts: &Parts) -> String {
    match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(peer) => crate::http::client_ip(&state.config, &parts.headers, *peer).to_string(),
        None => "unknown".to_string(),
    }
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A WebAuthn ceremony in progress, kept in the pre-sign-in session that started it.
pub enum Ceremony {
    /// Registering a passkey through an enrolment link.
    Enrol {
        token_sha256: String,
        reviewer_id: String,
        state: Box<PasskeyRegistration>,
    },
    /// Signing in with a passkey. `reviewer_id` is `None` for a name with no passkey: that
    /// ceremony got a decoy challenge (see `auth::sign_in_options`) and never signs anyone in.
    SignIn {
        reviewer_id: Option<String>,
        state: Box<PasskeyAuthentication>,
    },
}

/// An anonymous session: its CSRF token and the ceremony it started, if any.
pub struct PreSignIn {
    pub csrf_token: String,
    created: Instant,
    pub ceremony: Option<Ceremony>,
}

/// Pre-sign-in sessions, in memory (they only live for a ceremony), keyed by the id's SHA-256.
#[derive(Default)]
pub struct PreSignInSessions {
    sessions: Mutex<HashMap<String, PreSignIn>>,
}

impl PreSignInSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PreSignIn>> {
        self.sessions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a new anonymous session; returns its id and CSRF token.
    pub fn issue(&self) -> Result<(String, String), ConsoleError> {
        let id = random_token()?;
        let csrf_token = random_token()?;
        let mut sessions = self.lock();
        let now = Instant::now();
        sessions.retain(|_, s| now.duration_since(s.created) < PRE_SIGN_IN_TTL);
        if sessions.len() >= PRE_SIGN_IN_CAPACITY {
            let oldest = sessions
                .iter()
                .min_by_key(|(_, s)| s.created)
                .map(|(k, _)| k.clone());
            if let Some(key) = oldest {
                sessions.remove(&key);
            }
        }
        sessions.insert(
            token_hash(&id),
            PreSignIn {
                csrf_token: csrf_token.clone(),
                created: now,
                ceremony: None,
            },
        );
        Ok((id, csrf_token))
    }

    /// The CSRF token of a live anonymous session.
    pub fn csrf_of(&self, id: &str) -> Option<String> {
        self.lock()
            .get(&token_hash(id))
            .filter(|s| s.created.elapsed() < PRE_SIGN_IN_TTL)
            .map(|s| s.csrf_token.clone())
    }

    /// Stores the ceremony a live anonymous session started; false if the session is gone.
    pub fn set_ceremony(&self, id: &str, ceremony: Ceremony) -> bool {
        match self
            .lock()
            .get_mut(&token_hash(id))
            .filter(|s| s.created.elapsed() < PRE_SIGN_IN_TTL)
        {
            Some(session) => {
                session.ceremony = Some(ceremony);
                true
            }
            None => false,
        }
    }

    /// Removes and returns the ceremony of a live anonymous session (each ceremony is finished once).
    pub fn take_ceremony(&self, id: &str) -> Option<Ceremony> {
        self.lock()
            .get_mut(&token_hash(id))
            .filter(|s| s.created.elapsed() < PRE_SIGN_IN_TTL)
            .and_then(|s| s.ceremony.take())
    }

    /// Forgets an anonymous session (after sign-in, so its id can never be used again).
    pub fn remove(&self, id: &str) {
        self.lock().remove(&token_hash(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token().unwrap();
        let b = random_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash("x"), token_hash("x"));
        assert_eq!(token_hash("x").len(), 64);
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }

    #[test]
    fn pre_sign_in_sessions_hold_a_csrf_token_until_removed() {
        let sessions = PreSignInSessions::default();
        let (id, csrf) = sessions.issue().unwrap();
        assert_eq!(sessions.csrf_of(&id), Some(csrf));
        assert_eq!(sessions.csrf_of("forged"), None);
        sessions.remove(&id);
        assert_eq!(sessions.csrf_of(&id), None);
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            percent_encode("/requests/req_1?x=1"),
            "/requests/req_1%3Fx%3D1"
        );
    }
}

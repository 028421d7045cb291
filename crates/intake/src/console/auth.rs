//! Passkey enrolment and sign-in (WebAuthn through webauthn-rs), and sign-out.
//!
//! Both ceremonies run inside an anonymous pre-sign-in session: its cookie is set by the sign-in or
//! enrolment page, every JSON call carries its CSRF token in `X-CSRF-Token`, and the challenge state
//! stays on the server. A successful ceremony deletes that session and issues a brand-new session id.
//! Every call is rate-limited per client address.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;
use webauthn_rs::prelude::{Passkey, PublicKeyCredential, RegisterPublicKeyCredential, Uuid};

use super::pages::{layout, sign_in};
use super::respond::{ConsoleError, JsonRefusal};
use super::session::{
    check_origin, clear_cookie, constant_time_eq, cookie_value, current_session, random_token,
    set_cookie, token_hash, Ceremony, CsrfForm, Verified,
};
use super::{blocking, ConsoleState};
use crate::clock::now_secs;

/// `?next=` on the sign-in page: where to go once signed in.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    pub next: Option<String>,
}

/// A local path to continue to after sign-in; anything else becomes `/inbox`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && path.len() <= 512
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/-_.~?=&%".contains(&b)) =>
        {
            path.to_string()
        }
        _ => "/inbox".to_string(),
    }
}

/// The pre-sign-in session of this browser (reused if still alive, else a new one) and the
/// `Set-Cookie` to send when it is new.
fn pre_sign_in(
    state: &ConsoleState,
    headers: &HeaderMap,
) -> Result<(String, Option<axum::http::HeaderValue>), ConsoleError> {
    if let Some(id) = cookie_value(state, headers) {
        if let Some(csrf) = state.pre_sign_in.csrf_of(&id) {
            return Ok((csrf, None));
        }
    }
    let (id, csrf) = state.pre_sign_in.issue()?;
    Ok((csrf, Some(set_cookie(state, &id, None))))
}

fn with_cookie(markup: maud::Markup, cookie: Option<axum::http::HeaderValue>) -> Response {
    let mut response = layout::html(markup).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// `GET /sign-in`: the sign-in page (a signed-in reviewer goes straight on).
pub async fn sign_in_page(
    State(state): State<Arc<ConsoleState>>,
    Query(query): Query<NextQuery>,
    headers: HeaderMap,
) -> Result<Response, ConsoleError> {
    let next = safe_next(query.next.as_deref());
    if current_session(&state, &headers).await?.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    let (csrf, cookie) = pre_sign_in(&state, &headers)?;
    Ok(with_cookie(sign_in::sign_in_page(&csrf, &next), cookie))
}

/// `GET /enrol/{token}`: the enrolment page of a valid, unused link (viewing it changes nothing).
pub async fn enrol_page(
    State(state): State<Arc<ConsoleState>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ConsoleError> {
    let reviewer = enrolment_reviewer(&state, &token).await?;
    let (csrf, cookie) = pre_sign_in(&state, &headers)?;
    Ok(with_cookie(
        sign_in::enrol_page(&csrf, &token, &reviewer.name),
        cookie,
    ))
}

async fn enrolment_reviewer(
    state: &Arc<ConsoleState>,
    token: &str,
) -> Result<super::db::Reviewer, ConsoleError> {
    let db = state.db.clone();
    let hash = token_hash(token);
    blocking(move || db.enrolment_reviewer(&hash, now_secs()))
        .await?
        .ok_or_else(|| {
            ConsoleError::NotFound(
                "This enrolment link is not valid: it was used already, it expired, or the reviewer was removed. \
                 Ask an administrator for a new one (trustctl console enrol-link NAME)."
                    .into(),
            )
        })
}

/// The checks every ceremony call passes first: rate limit, `Origin`, and the pre-sign-in session's
/// CSRF token. Returns the pre-sign-in session id.
fn admit_ceremony(
    state: &ConsoleState,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
) -> Result<String, ConsoleError> {
    let ip = crate::http::client_ip(&state.config, headers, peer);
    state
        .sign_in_limiter
        .check(ip, Instant::now())
        .map_err(ConsoleError::RateLimited)?;
    check_origin(state, headers)?;
    let id = cookie_value(state, headers).ok_or(ConsoleError::CsrfRefused)?;
    let expected = state
        .pre_sign_in
        .csrf_of(&id)
        .ok_or(ConsoleError::CsrfRefused)?;
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !constant_time_eq(sent, &expected) {
        return Err(ConsoleError::CsrfRefused);
    }
    Ok(id)
}

/// Body of `POST /sign-in/options`.
#[derive(Debug, Deserialize)]
struct SignInStart {
    name: String,
}

/// Body of the two `…/verify` calls.
#[derive(Debug, Deserialize)]
struct Finish<T> {
    credential: T,
    #[serde(default)]
    next: Option<String>,
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ConsoleError> {
    serde_json::from_slice(body)
        .map_err(|e| ConsoleError::BadRequest(format!("the request body is not valid: {e}")))
}

/// `POST /sign-in/options`: the WebAuthn challenge for the named reviewer's passkeys.
///
/// A name without passkeys (no such reviewer, or one not enrolled yet) gets a challenge of the same
/// shape: webauthn-rs's own options for no credential, plus one decoy credential id derived from the
/// name with the service's secret (the same id for the same name every time, as a real reviewer's
/// ids are). So the answer does not tell whether a reviewer exists; the browser then finds no
/// passkey for it, and a verify call for that ceremony is refused like a wrong passkey.
pub async fn sign_in_options(
    State(state): State<Arc<ConsoleState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, JsonRefusal> {
    let pre_id = admit_ceremony(&state, peer, &headers)?;
    let start: SignInStart = parse_json(&body)?;
    let name = start.name.trim().to_string();
    let db = state.db.clone();
    let lookup_name = name.clone();
    let found = blocking(move || {
        let Some(reviewer) = db.reviewer_by_name(&lookup_name)? else {
            return Ok(None);
        };
        let stored = db.passkeys(&reviewer.id)?;
        Ok(Some((reviewer, stored)))
    })
    .await?;
    let (reviewer_id, passkeys) = match found {
        Some((reviewer, stored)) => (
            Some(reviewer.id),
            stored
                .iter()
                .filter_map(|json| serde_json::from_str::<Passkey>(json).ok())
                .collect::<Vec<_>>(),
        ),
        None => (None, Vec::new()),
    };
    let reviewer_id = reviewer_id.filter(|_| !passkeys.is_empty());
    let (challenge, ceremony) = state
        .webauthn
        .start_passkey_authentication(&passkeys)
        .map_err(|e| ConsoleError::internal(&format!("cannot start a passkey sign-in: {e}")))?;
    let mut answer = serde_json::to_value(&challenge)
        .map_err(|e| ConsoleError::internal(&format!("cannot write the passkey challenge: {e}")))?;
    let allowed = answer
        .pointer_mut("/publicKey/allowCredentials")
        .and_then(serde_json::Value::as_array_mut)
        .ok_or_else(|| ConsoleError::internal("the passkey challenge has no allowCredentials"))?;
    if reviewer_id.is_none() {
        allowed.push(serde_json::json!({
            "type": "public-key",
            "id": decoy_credential_id(&state.secret, &name)?,
        }));
    }
    // No transport hints: they depend on each authenticator and would tell a decoy from a real
    // credential; without them the browser offers every way it has to find the passkey.
    for credential in allowed.iter_mut() {
        if let Some(fields) = credential.as_object_mut() {
            fields.remove("transports");
        }
    }
    if !state.pre_sign_in.set_ceremony(
        &pre_id,
        Ceremony::SignIn {
            reviewer_id,
            state: Box::new(ceremony),
        },
    ) {
        return Err(ConsoleError::CsrfRefused.into());
    }
    Ok(Json(answer).into_response())
}

/// The decoy credential id for `name`: HMAC-SHA-256 of the case-folded name under the service's
/// secret, 32 bytes like a platform authenticator's id, base64url as webauthn-rs writes ids.
fn decoy_credential_id(secret: &[u8], name: &str) -> Result<String, ConsoleError> {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret)
        .map_err(|e| ConsoleError::internal(&format!("cannot key the decoy credential: {e}")))?;
    mac.update(b"trust-center console decoy credential\0");
    mac.update(name.to_lowercase().as_bytes());
    Ok(URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

/// `POST /sign-in/verify`: checks the passkey's answer and opens a new session.
pub async fn sign_in_verify(
    State(state): State<Arc<ConsoleState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, JsonRefusal> {
    let pre_id = admit_ceremony(&state, peer, &headers)?;
    let finish: Finish<PublicKeyCredential> = parse_json(&body)?;
    let Some(Ceremony::SignIn {
        reviewer_id,
        state: ceremony,
    }) = state.pre_sign_in.take_ceremony(&pre_id)
    else {
        return Err(ConsoleError::BadRequest(
            "No sign-in was started in this browser (or it took too long). Try again.".into(),
        )
        .into());
    };
    // The same refusal for a wrong passkey and for a decoy ceremony (a name without passkeys), so
    // this answer does not tell either whether the reviewer exists. The library's reason is logged.
    let refused = || {
        ConsoleError::BadRequest(
            "The passkey could not be verified. Check the reviewer name and try again.".into(),
        )
    };
    let result = state
        .webauthn
        .finish_passkey_authentication(&finish.credential, &ceremony)
        .map_err(|e| {
            crate::redact::log(&format!("console: a passkey sign-in was refused: {e}"));
            refused()
        })?;
    let Some(reviewer_id) = reviewer_id else {
        return Err(refused().into());
    };
    let db = state.db.clone();
    let owner = reviewer_id.clone();
    blocking(move || {
        let now = now_secs();
        for json in db.passkeys(&owner)? {
            let Ok(mut passkey) = serde_json::from_str::<Passkey>(&json) else {
                continue;
            };
            if passkey.update_credential(&result).is_some() {
                let updated = serde_json::to_string(&passkey).map_err(|e| {
                    crate::error::IntakeError::Database(format!("cannot store a passkey: {e}"))
                })?;
                db.update_passkey(&credential_id(&passkey), &updated, now)?;
            }
        }
        Ok(())
    })
    .await?;
    Ok(open_session(&state, &pre_id, &reviewer_id, peer, &headers, finish.next).await?)
}

/// The base64url id of a passkey's credential (the stored key).
fn credential_id(passkey: &Passkey) -> String {
    URL_SAFE_NO_PAD.encode(passkey.cred_id().as_ref())
}

/// Ends the pre-sign-in session and opens a new, signed-in one with a fresh id.
async fn open_session(
    state: &Arc<ConsoleState>,
    pre_id: &str,
    reviewer_id: &str,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    next: Option<String>,
) -> Result<Response, ConsoleError> {
    state.pre_sign_in.remove(pre_id);
    let session_id = random_token()?;
    let csrf = random_token()?;
    let hash = token_hash(&session_id);
    let ip = crate::http::client_ip(&state.config, headers, peer).to_string();
    let db = state.db.clone();
    let reviewer_id = reviewer_id.to_string();
    let (idle, absolute) = (
        state.settings.idle_seconds(),
        state.settings.absolute_seconds(),
    );
    blocking(move || {
        let now = now_secs();
        db.prune_sessions(now - idle, now - absolute)?;
        db.create_session(&hash, &reviewer_id, &csrf, now, &ip)
    })
    .await?;
    let mut response =
        Json(serde_json::json!({ "redirect": safe_next(next.as_deref()) })).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        set_cookie(state, &session_id, Some(state.settings.absolute_seconds())),
    );
    Ok(response)
}

/// `POST /enrol/{token}/options`: the WebAuthn registration challenge for the link's reviewer.
pub async fn enrol_options(
    State(state): State<Arc<ConsoleState>>,
    peer: ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, JsonRefusal> {
    let pre_id = admit_ceremony(&state, peer, &headers)?;
    let reviewer = enrolment_reviewer(&state, &token).await?;
    let user_id = Uuid::parse_str(&reviewer.id)
        .map_err(|e| ConsoleError::internal(&format!("reviewer id is not a UUID: {e}")))?;
    let db = state.db.clone();
    let owner = reviewer.id.clone();
    let existing = blocking(move || db.passkeys(&owner)).await?;
    let exclude = existing
        .iter()
        .filter_map(|json| serde_json::from_str::<Passkey>(json).ok())
        .map(|passkey| passkey.cred_id().clone())
        .collect::<Vec<_>>();
    let (challenge, ceremony) = state
        .webauthn
        .start_passkey_registration(
            user_id,
            &reviewer.name,
            &reviewer.name,
            Some(exclude).filter(|list| !list.is_empty()),
        )
        .map_err(|e| ConsoleError::internal(&format!("cannot start a passkey enrolment: {e}")))?;
    if !state.pre_sign_in.set_ceremony(
        &pre_id,
        Ceremony::Enrol {
            token_sha256: token_hash(&token),
            reviewer_id: reviewer.id,
            state: Box::new(ceremony),
        },
    ) {
        return Err(ConsoleError::CsrfRefused.into());
    }
    Ok(Json(challenge).into_response())
}

/// `POST /enrol/{token}/verify`: stores the new passkey, uses up the link and signs the reviewer in.
pub async fn enrol_verify(
    State(state): State<Arc<ConsoleState>>,
    peer: ConnectInfo<SocketAddr>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, JsonRefusal> {
    let pre_id = admit_ceremony(&state, peer, &headers)?;
    let finish: Finish<RegisterPublicKeyCredential> = parse_json(&body)?;
    let token_sha256 = token_hash(&token);
    let Some(Ceremony::Enrol {
        token_sha256: started_for,
        reviewer_id,
        state: ceremony,
    }) = state.pre_sign_in.take_ceremony(&pre_id)
    else {
        return Err(ConsoleError::BadRequest(
            "No enrolment was started in this browser (or it took too long). Reload the page and try again.".into(),
        ).into());
    };
    if started_for != token_sha256 {
        return Err(ConsoleError::BadRequest(
            "This enrolment was started for another link. Reload the page and try again.".into(),
        )
        .into());
    }
    let passkey = state
        .webauthn
        .finish_passkey_registration(&finish.credential, &ceremony)
        .map_err(|e| {
            ConsoleError::BadRequest(format!("The passkey could not be registered: {e}."))
        })?;
    let json = serde_json::to_string(&passkey)
        .map_err(|e| ConsoleError::internal(&format!("cannot store a passkey: {e}")))?;
    let credential = credential_id(&passkey);
    let db = state.db.clone();
    let owner = reviewer_id.clone();
    let stored = blocking(move || {
        db.complete_enrolment(&token_sha256, &owner, &credential, &json, now_secs())
    })
    .await?;
    if !stored {
        return Err(ConsoleError::Conflict(
            "This enrolment link was used or expired meanwhile. Ask for a new one.".into(),
        )
        .into());
    }
    Ok(open_session(&state, &pre_id, &reviewer_id, peer, &headers, finish.next).await?)
}

/// The sign-out form: only its CSRF token.
#[derive(Debug, Deserialize)]
pub struct SignOutForm {
    #[serde(default)]
    csrf: String,
}

impl CsrfForm for SignOutForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /sign-out`: deletes the session and the cookie.
pub async fn sign_out(
    State(state): State<Arc<ConsoleState>>,
    verified: Verified<SignOutForm>,
) -> Result<Response, ConsoleError> {
    let db = state.db.clone();
    let hash = verified.reviewer.session_sha256.clone();
    blocking(move || db.delete_session(&hash)).await?;
    let mut response = Redirect::to("/sign-in").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&state));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_the_console() {
        assert_eq!(safe_next(Some("/requests/req_1")), "/requests/req_1");
        assert_eq!(safe_next(Some("//evil.example")), "/inbox");
        assert_eq!(safe_next(Some("https://evil.example")), "/inbox");
        assert_eq!(safe_next(Some("/x\"onmouseover")), "/inbox");
        assert_eq!(safe_next(None), "/inbox");
    }
}

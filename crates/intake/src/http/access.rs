//! `POST /v1/access-requests` (submit) and `GET /v1/access-requests/{id}` (status).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::errors::ApiError;
use super::{admit_client, user_agent, AppState};
use crate::clock::{format_utc, now_secs};
use crate::redact;
use crate::rules::{evaluate, RuleOutcome};
use crate::store::{AccessRequest, AuditEvent, CreateOutcome, RequestStatus};
use crate::validate::{parse_access_request, AccessRequestInput, FieldError};
use crate::workflow::{approval_email, download_link, new_request_messages, status_url, DAY};

/// Handles a form submission: rate limit → media type → size → validation → rules → durable insert → 201.
pub async fn create(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let ip = admit_client(&state, &headers, peer)?;

    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !is_json {
        return Err(ApiError::unsupported_media_type());
    }
    let limit = state.config.max_body_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return Err(ApiError::too_large(limit));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::too_large(limit))?;

    let input = parse_access_request(&bytes, |id| state.config.documents.files.contains_key(id))
        .map_err(ApiError::validation)?;

    let outcome = evaluate(&state.config.rules, &input.email_domain);
    if outcome == RuleOutcome::RejectFreeMail {
        return Err(ApiError::validation(vec![FieldError {
            field: "email".into(),
            message: "please use your work e-mail address; free-mail addresses are not accepted"
                .into(),
        }]));
    }

    let request = build_request(
        &state,
        &input,
        outcome,
        &ip.to_string(),
        user_agent(&headers),
    )?;
    let mut messages = new_request_messages(&state.config, &request, &state.public_base);
    if let Some(expires_at) = request
        .access_expires_at
        .filter(|_| request.status == RequestStatus::Approved)
    {
        let link = download_link(
            &state.public_base,
            &state.secret,
            &request.id,
            &request.document_id,
            expires_at,
        );
        messages.push(approval_email(&request, &link, expires_at));
    }
    let mut audit = vec![AuditEvent {
        request_id: request.id.clone(),
        at: request.created_at,
        event: "submitted".into(),
        actor: "requester".into(),
        client_ip: Some(request.client_ip.clone()),
        detail: Some(format!(
            "NDA {} accepted (sha256 {})",
            request.nda_version, request.nda_sha256
        )),
    }];
    if request.status != RequestStatus::Pending {
        audit.push(AuditEvent {
            request_id: request.id.clone(),
            at: request.created_at,
            event: request.status.as_str().into(),
            actor: "rules".into(),
            client_ip: None,
            detail: request.decision_note.clone(),
        });
    }

    let store = state.store.clone();
    let stored =
        tokio::task::spawn_blocking(move || store.create_request(&request, &audit, &messages))
            .await
            .map_err(|e| ApiError::internal(&e.to_string()))?
            .map_err(|e| ApiError::store(&e))?;

    // Only reached after the transaction committed (synchronous=FULL), so the 201 is durable.
    match stored {
        CreateOutcome::Created(request) => {
            redact::log(&format!(
                "new request {} from {} for {} ({})",
                request.id,
                redact::email(&request.email),
                request.document_id,
                request.status.as_str()
            ));
            Ok((StatusCode::CREATED, receipt(&state, &request)).into_response())
        }
        CreateOutcome::Replayed(request) => {
            Ok((StatusCode::OK, receipt(&state, &request)).into_response())
        }
        CreateOutcome::KeyConflict => Err(ApiError::idempotency_conflict()),
    }
}

fn receipt(state: &AppState, request: &AccessRequest) -> Json<serde_json::Value> {
    Json(json!({
        "request_id": request.id,
        "status": request.status,
        "status_url": status_url(&state.public_base, &request.id),
    }))
}

fn build_request(
    state: &AppState,
    input: &AccessRequestInput,
    outcome: RuleOutcome,
    client_ip: &str,
    user_agent: Option<String>,
) -> Result<AccessRequest, ApiError> {
    let now = now_secs();
    let id = new_request_id().map_err(|e| ApiError::internal(&e))?;
    let (status, decided_by, note, decided_at, expires_at) = match outcome {
        RuleOutcome::AutoApprove => {
            let days = state.config.rules.access_days;
            let expires_at = now + i64::from(days) * DAY;
            let note = format!(
                "domain {} is on the auto-approve list; access for {days} days",
                input.email_domain
            );
            (
                RequestStatus::Approved,
                Some("rules".to_string()),
                Some(note),
                Some(now),
                Some(expires_at),
            )
        }
        RuleOutcome::Deny => {
            let note = format!("domain {} is on the deny list", input.email_domain);
            (
                RequestStatus::Denied,
                Some("rules".to_string()),
                Some(note),
                Some(now),
                None,
            )
        }
        RuleOutcome::Pending | RuleOutcome::RejectFreeMail => {
            (RequestStatus::Pending, None, None, None, None)
        }
    };
    Ok(AccessRequest {
        id,
        idempotency_key: input.idempotency_key.clone(),
        fingerprint: fingerprint(input),
        name: input.name.clone(),
        email: input.email.clone(),
        email_domain: input.email_domain.clone(),
        company: input.company.clone(),
        reason: input.reason.clone(),
        document_id: input.document_id.clone(),
        nda_version: input.nda_version.clone(),
        nda_sha256: input.nda_sha256.clone(),
        accepted_at: now,
        client_ip: client_ip.to_string(),
        user_agent,
        status,
        decided_by,
        decision_note: note,
        decided_at,
        access_expires_at: expires_at,
        created_at: now,
        updated_at: now,
    })
}

/// SHA-256 over the submitted fields, so a reused idempotency key with different content is detected.
fn fingerprint(input: &AccessRequestInput) -> String {
    let mut hasher = Sha256::new();
    for part in [
        input.name.as_str(),
        input.email.as_str(),
        input.company.as_str(),
        input.reason.as_deref().unwrap_or(""),
        input.document_id.as_str(),
        input.nda_version.as_str(),
        input.nda_sha256.as_str(),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hex(&hasher.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `req_` followed by 32 lowercase hex characters (128 random bits).
pub fn new_request_id() -> Result<String, String> {
    let mut raw = [0u8; 16];
    getrandom::getrandom(&mut raw).map_err(|e| format!("random number generator failed: {e}"))?;
    Ok(format!("req_{}", hex(&raw)))
}

/// True for ids shaped like [`new_request_id`] output.
pub fn is_request_id(id: &str) -> bool {
    id.strip_prefix("req_").is_some_and(|rest| {
        rest.len() == 32
            && rest
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// Public status of one request. Contact details and the link are never returned here: the link goes to
/// the requester's e-mail, which proves they own the address.
pub async fn status(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    if !is_request_id(&id) {
        return Err(ApiError::not_found("there is no request with this id"));
    }
    let store = state.store.clone();
    let found = tokio::task::spawn_blocking(move || store.get_request(&id))
        .await
        .map_err(|e| ApiError::internal(&e.to_string()))?
        .map_err(|e| ApiError::store(&e))?;
    let request = found.ok_or_else(|| ApiError::not_found("there is no request with this id"))?;
    let mut response = Json(json!({
        "request_id": request.id,
        "status": request.status,
        "document_id": request.document_id,
        "created_at": format_utc(request.created_at),
        "access_expires_at": request.access_expires_at
            .filter(|_| request.status == RequestStatus::Approved)
            .map(format_utc),
    }))
    .into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

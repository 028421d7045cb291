//! `GET /v1/downloads/{token}`: checks the signed link, the request's state and the document, records the
//! download in the audit trail, then serves the file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::errors::ApiError;
use super::{admit_client, user_agent, AppState};
use crate::clock::now_secs;
use crate::config::is_plain_file_name;
use crate::redact;
use crate::store::{AuditEvent, RequestStatus};
use crate::token::{verify, TokenError};
use crate::validate::is_document_id;

/// Serves a document for a valid, unexpired link of an approved request.
pub async fn download(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let ip = admit_client(&state, &headers, peer)?;
    let now = now_secs();
    let claims = verify(&state.secret, &token, now).map_err(|error| match error {
        TokenError::Expired => ApiError::expired(),
        TokenError::Invalid => {
            redact::log(&format!(
                "refused an invalid download link {} from {ip}",
                redact::token(&token)
            ));
            ApiError::forbidden("invalid_link", "this download link is not valid")
        }
    })?;

    let store = state.store.clone();
    let request_id = claims.request_id.clone();
    let request = tokio::task::spawn_blocking(move || store.get_request(&request_id))
        .await
        .map_err(|e| ApiError::internal(&e.to_string()))?
        .map_err(|e| ApiError::internal(&e.to_string()))?
        .ok_or_else(|| ApiError::forbidden("invalid_link", "this download link is not valid"))?;

    let agent = user_agent(&headers);
    let refuse = |reason: &str, error: ApiError| {
        let event = AuditEvent {
            request_id: request.id.clone(),
            at: now,
            event: "download_refused".into(),
            actor: "requester".into(),
            client_ip: Some(ip.to_string()),
            detail: Some(format!("{reason}; document {}", claims.document_id)),
        };
        (event, error)
    };
    let refusal = if claims.document_id != request.document_id {
        Some(refuse(
            "link names another document",
            ApiError::forbidden("wrong_document", "this link is not for this document"),
        ))
    } else {
        match request.status {
            RequestStatus::Approved if request.access_expires_at.is_some_and(|end| now >= end) => {
                Some(refuse("access period ended", ApiError::expired()))
            }
            RequestStatus::Approved => None,
            RequestStatus::Revoked => Some(refuse(
                "access revoked",
                ApiError::forbidden(
                    "access_revoked",
                    "access to this document has been withdrawn",
                ),
            )),
            RequestStatus::Pending | RequestStatus::Denied => Some(refuse(
                "request not approved",
                ApiError::forbidden("not_approved", "this request has not been approved"),
            )),
        }
    };
    if let Some((event, error)) = refusal {
        let store = state.store.clone();
        // Best effort: a failed audit write must not turn a refusal into a success.
        let _ = tokio::task::spawn_blocking(move || store.record_audit(&event)).await;
        return Err(error);
    }

    let path = document_path(&state, &claims.document_id)?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        redact::log(&format!(
            "document {} cannot be read from {}: {e}",
            claims.document_id,
            path.display()
        ));
        ApiError::not_found("the document is not available right now; please contact the vendor")
    })?;

    let event = AuditEvent {
        request_id: request.id.clone(),
        at: now,
        event: "downloaded".into(),
        actor: "requester".into(),
        client_ip: Some(ip.to_string()),
        detail: Some(format!(
            "document {} ({} bytes) by {}; user agent: {}",
            claims.document_id,
            bytes.len(),
            request.email,
            agent.as_deref().unwrap_or("-")
        )),
    };
    let store = state.store.clone();
    // The download is served only once it is on record.
    tokio::task::spawn_blocking(move || store.record_audit(&event))
        .await
        .map_err(|e| ApiError::internal(&e.to_string()))?
        .map_err(|e| ApiError::internal(&e.to_string()))?;
    redact::log(&format!(
        "download of {} for {} from {ip}",
        claims.document_id, request.id
    ));

    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("document")
        .to_string();
    let content_type = content_type_for(&file_name);
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        file_name.replace('"', "")
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The configured file for `document_id`, refusing anything that would leave the documents folder.
fn document_path(state: &AppState, document_id: &str) -> Result<PathBuf, ApiError> {
    let unavailable = || {
        ApiError::not_found("the document is not available right now; please contact the vendor")
    };
    if !is_document_id(document_id) {
        return Err(unavailable());
    }
    let file = state
        .config
        .documents
        .files
        .get(document_id)
        .ok_or_else(unavailable)?;
    if !is_plain_file_name(file) {
        return Err(unavailable());
    }
    let folder = state.config.documents_folder();
    let folder = folder.canonicalize().map_err(|_| unavailable())?;
    let path = folder
        .join(file)
        .canonicalize()
        .map_err(|_| unavailable())?;
    if !path.starts_with(&folder) || !path.is_file() {
        return Err(unavailable());
    }
    Ok(path)
}

/// Media type by file extension; unknown types are sent as opaque bytes.
fn content_type_for(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    match lower.rsplit_once('.').map(|(_, ext)| ext) {
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain; charset=utf-8",
        Some("zip") => "application/zip",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

//! `/v1/downloads/{token}`: the e-mailed link.
//!
//! - `GET` checks the signed link and the request's state and shows the download page
//!   ([`super::download_page`]); it records a `page_viewed` audit event, never a download, so mail
//!   scanners and link previews do not count.
//! - `POST` (the page's Download button) runs the same checks, prepares the file under the document's
//!   watermark policy ([`crate::watermark`]), records `downloaded` with the served file's SHA-256, and only
//!   then sends it.
//!
//! Both answer refusals (tampered, expired, revoked, …) the same way and audit them; browsers get an HTML
//! error page, API clients the JSON error.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::download_page::{self, error_response, PageFacts};
use super::errors::ApiError;
use super::{admit_client, user_agent, AppState};
use crate::clock::now_secs;
use crate::config::is_plain_file_name;
use crate::redact;
use crate::store::{AccessRequest, AuditEvent, RequestStatus};
use crate::token::{verify, TokenClaims, TokenError};
use crate::validate::is_document_id;
use crate::watermark::{self, policy, StampFacts, WatermarkPolicy};

/// `GET`: the download page.
pub async fn page(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let html = download_page::wants_html(&headers);
    show_page(&state, peer, &headers, &token)
        .await
        .unwrap_or_else(|error| error_response(error, html))
}

/// `POST`: the (watermarked) file.
pub async fn download(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let html = download_page::wants_html(&headers);
    serve_file(&state, peer, &headers, &token)
        .await
        .unwrap_or_else(|error| error_response(error, html))
}

/// A link that passed every check.
struct Grant {
    ip: IpAddr,
    now: i64,
    claims: TokenClaims,
    request: AccessRequest,
}

impl Grant {
    /// An audit event about this grant's request, at the time it was checked, from its address.
    fn audit_event(&self, event: &str, actor: &str, detail: String) -> AuditEvent {
        AuditEvent {
            request_id: self.request.id.clone(),
            at: self.now,
            event: event.into(),
            actor: actor.into(),
            client_ip: Some(self.ip.to_string()),
            detail: Some(detail),
        }
    }
}

/// Writes `event` to the audit trail, ignoring a failure (for events that must not change the answer).
async fn record_best_effort(state: &Arc<AppState>, event: AuditEvent) {
    let store = state.store.clone();
    let _ = tokio::task::spawn_blocking(move || store.record_audit(&event)).await;
}

async fn show_page(
    state: &Arc<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    token: &str,
) -> Result<Response, ApiError> {
    let grant = authorise(state, peer, headers, token, "page").await?;
    let path = document_path(state, &grant.claims.document_id)?;
    let size = tokio::fs::metadata(&path)
        .await
        .map(|m| m.len())
        .map_err(|_| unavailable())?;
    let settings = policy::settings_for(&state.config, &grant.claims.document_id);
    let agent = user_agent(headers);
    let event = grant.audit_event(
        "page_viewed",
        "requester",
        format!(
            "download page for document {} shown (not a download); user agent: {}",
            grant.claims.document_id,
            agent.as_deref().unwrap_or("-")
        ),
    );
    // Best effort: the page view is informational, the download itself is what must be on record.
    record_best_effort(state, event).await;

    let file_name = file_name_of(&path);
    let access_until = grant
        .request
        .access_expires_at
        .map_or(grant.claims.expires_at, |end| {
            end.min(grant.claims.expires_at)
        });
    let title = settings
        .title
        .as_deref()
        .unwrap_or(&grant.claims.document_id);
    let markup = download_page::render(&PageFacts {
        title,
        file_name: &file_name,
        size_bytes: size,
        name: &grant.request.name,
        company: &grant.request.company,
        email: &grant.request.email,
        nda_version: &grant.request.nda_version,
        access_until,
        watermarked: settings.watermark == WatermarkPolicy::Required,
    });
    Ok(download_page::html_response(StatusCode::OK, markup))
}

async fn serve_file(
    state: &Arc<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    token: &str,
) -> Result<Response, ApiError> {
    let grant = authorise(state, peer, headers, token, "download").await?;
    let document_id = grant.claims.document_id.clone();
    let path = document_path(state, &document_id)?;
    let original = tokio::fs::read(&path).await.map_err(|e| {
        redact::log(&format!(
            "document {document_id} cannot be read from {}: {e}",
            path.display()
        ));
        unavailable()
    })?;
    let original_len = original.len();
    let settings = policy::settings_for(&state.config, &document_id);
    let facts = StampFacts {
        request_id: grant.request.id.clone(),
        name: grant.request.name.clone(),
        company: grant.request.company.clone(),
        email: grant.request.email.clone(),
        nda_version: grant.request.nda_version.clone(),
        downloaded_at: grant.now,
    };
    let policy = settings.watermark;
    let prepared =
        tokio::task::spawn_blocking(move || watermark::prepare(original, policy, &facts))
            .await
            .map_err(|e| ApiError::internal(&e.to_string()))?;
    let agent = user_agent(headers);
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(reason) => {
            redact::log(&format!(
                "refused a download of {document_id} for {}: the file cannot be watermarked ({reason}); \
                 fix the file or set watermark = \"off\" for it",
                grant.request.id
            ));
            let event = grant.audit_event(
                "download_refused",
                "system",
                format!(
                    "document {document_id} cannot be watermarked: {reason} (watermark = \"required\")"
                ),
            );
            record_best_effort(state, event).await;
            return Err(ApiError {
                status: StatusCode::SERVICE_UNAVAILABLE,
                code: "document_unavailable",
                message: "this document cannot be prepared for download right now; the vendor has been told"
                    .into(),
                fields: Vec::new(),
                retry_after: None,
            });
        }
    };

    let event = grant.audit_event(
        "downloaded",
        "requester",
        format!(
            "document {document_id} ({} bytes, {}, sha256 {}) by {}; user agent: {}",
            prepared.bytes.len(),
            if prepared.stamped {
                format!("watermarked from {original_len} bytes")
            } else {
                "not watermarked: watermark = \"off\"".to_string()
            },
            prepared.sha256,
            grant.request.email,
            agent.as_deref().unwrap_or("-")
        ),
    );
    let store = state.store.clone();
    // The download is served only once it is on record.
    tokio::task::spawn_blocking(move || store.record_audit(&event))
        .await
        .map_err(|e| ApiError::internal(&e.to_string()))?
        .map_err(|e| ApiError::store(&e))?;
    redact::log(&format!(
        "download of {document_id} for {} from {}",
        grant.request.id, grant.ip
    ));

    let file_name = file_name_of(&path);
    let content_type = content_type_for(&file_name);
    let mut response = (StatusCode::OK, prepared.bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}\"",
        file_name.replace('"', "")
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Rate limit, signature, expiry, request state and document: the checks GET and POST share. A genuine
/// link that is refused is written to the audit trail (`what` says whether the page or the file was asked
/// for).
async fn authorise(
    state: &Arc<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    token: &str,
    what: &str,
) -> Result<Grant, ApiError> {
    let ip = admit_client(state, headers, peer)?;
    let now = now_secs();
    let claims = verify(&state.secret, token, now).map_err(|error| match error {
        TokenError::Expired => ApiError::expired(),
        TokenError::Invalid => {
            redact::log(&format!(
                "refused an invalid download link {} from {ip}",
                redact::token(token)
            ));
            ApiError::forbidden("invalid_link", "this download link is not valid")
        }
    })?;

    let store = state.store.clone();
    let request_id = claims.request_id.clone();
    let request = tokio::task::spawn_blocking(move || store.get_request(&request_id))
        .await
        .map_err(|e| ApiError::internal(&e.to_string()))?
        .map_err(|e| ApiError::store(&e))?
        .ok_or_else(|| ApiError::forbidden("invalid_link", "this download link is not valid"))?;

    let refusal = if claims.document_id != request.document_id {
        Some((
            "link names another document",
            ApiError::forbidden("wrong_document", "this link is not for this document"),
        ))
    } else {
        match request.status {
            RequestStatus::Approved if request.access_expires_at.is_some_and(|end| now >= end) => {
                Some(("access period ended", ApiError::expired()))
            }
            RequestStatus::Approved => None,
            RequestStatus::Revoked => Some((
                "access revoked",
                ApiError::forbidden(
                    "access_revoked",
                    "access to this document has been withdrawn",
                ),
            )),
            RequestStatus::Pending | RequestStatus::Denied => Some((
                "request not approved",
                ApiError::forbidden("not_approved", "this request has not been approved"),
            )),
        }
    };
    if let Some((reason, error)) = refusal {
        let event = AuditEvent {
            request_id: request.id.clone(),
            at: now,
            event: "download_refused".into(),
            actor: "requester".into(),
            // An erased requester's link used later must not store their address again.
            client_ip: (!request.is_erased()).then(|| ip.to_string()),
            detail: Some(format!(
                "{reason}; document {} ({what})",
                claims.document_id
            )),
        };
        // Best effort: a failed audit write must not turn a refusal into a success.
        record_best_effort(state, event).await;
        return Err(error);
    }
    Ok(Grant {
        ip,
        now,
        claims,
        request,
    })
}

fn unavailable() -> ApiError {
    ApiError::not_found("the document is not available right now; please contact the vendor")
}

fn file_name_of(path: &std::path::Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("document")
        .to_string()
}

/// The configured file for `document_id`, refusing anything that would leave the documents folder.
fn document_path(state: &AppState, document_id: &str) -> Result<PathBuf, ApiError> {
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

//! JSON error responses: `{"error":{"code","message","fields":[{"field","message"}]}}`.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::validate::FieldError;

/// An error the API reports to the caller.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
    pub retry_after: Option<Duration>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
            retry_after: None,
        }
    }

    /// 400 with the offending fields.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        ApiError {
            fields,
            ..ApiError::new(
                StatusCode::BAD_REQUEST,
                "validation_failed",
                "some fields need attention",
            )
        }
    }

    /// 413.
    pub fn too_large(limit: usize) -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("the request body is larger than the {limit}-byte limit"),
        )
    }

    /// 415.
    pub fn unsupported_media_type() -> Self {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the request as JSON with Content-Type: application/json",
        )
    }

    /// 429 with `Retry-After`.
    pub fn rate_limited(wait: Duration) -> Self {
        ApiError {
            retry_after: Some(wait),
            ..ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests; please wait and try again",
            )
        }
    }

    /// 403 for a browser origin that is not configured.
    pub fn origin_not_allowed() -> Self {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this website is not allowed to send requests to this service",
        )
    }

    /// 409 when an idempotency key is reused for a different submission.
    pub fn idempotency_conflict() -> Self {
        ApiError::new(
            StatusCode::CONFLICT,
            "idempotency_conflict",
            "this idempotency_key was already used for a different request; generate a new key per submission",
        )
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 403 with a specific code (invalid_link, wrong_document, access_revoked, not_approved).
    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, code, message)
    }

    /// 410 for an expired link.
    pub fn expired() -> Self {
        ApiError::new(
            StatusCode::GONE,
            "link_expired",
            "this download link has expired; please request access again",
        )
    }

    /// The answer for a failed store call: `503` with `Retry-After` when the database cannot be reached
    /// right now (nothing was committed, retrying is safe), otherwise `500`.
    pub fn store(error: &crate::error::IntakeError) -> Self {
        match error {
            crate::error::IntakeError::Unavailable(detail) => {
                crate::redact::log(&format!("database unavailable: {detail}"));
                ApiError {
                    retry_after: Some(Duration::from_secs(2)),
                    ..ApiError::new(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "database_unavailable",
                        "the service cannot reach its database right now; nothing was saved, please retry shortly",
                    )
                }
            }
            other => ApiError::internal(&other.to_string()),
        }
    }

    /// 500; the detail goes to the log, not to the caller.
    pub fn internal(detail: &str) -> Self {
        crate::redact::log(&format!("internal error: {detail}"));
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "the service could not complete the request",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut error = json!({ "code": self.code, "message": self.message });
        if !self.fields.is_empty() {
            error["fields"] = json!(self.fields);
        }
        let mut response = (self.status, axum::Json(json!({ "error": error }))).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(wait) = self.retry_after {
            let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            if let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string()) {
                headers.insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

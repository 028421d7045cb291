//! `POST /v1/subscriptions`: anyone may call it (a browser only from `allowed_origins`, through the CORS
//! layer); the per-IP rate limit runs first, then media type, size, validation, and the store's
//! per-address and per-IP daily caps. The answer is `202 {"status":"confirmation_sent"}` whether the
//! address is new, pending or already confirmed, so nobody learns which.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::category::encode;
use super::input::parse_subscribe;
use super::mails::confirmation_email;
use crate::clock::now_secs;
use crate::http::errors::ApiError;
use crate::http::{admit_client, user_agent, AppState};
use crate::redact;
use crate::store::subscriptions::{SubscribeOutcome, SubscribeRequest};

const DAY: i64 = 86_400;

/// Handles a subscribe request.
pub async fn subscribe(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let ip = admit_client(&state, &headers, peer)?;
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"));
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
    let input = parse_subscribe(&bytes).map_err(ApiError::validation)?;

    let now = now_secs();
    let settings = &state.config.subscriptions;
    let request = SubscribeRequest {
        new_id: super::new_subscription_id().map_err(|e| ApiError::internal(&e))?,
        fingerprint: input.fingerprint(),
        email: input.email,
        email_key: input.email_key,
        categories: encode(&input.categories),
        idempotency_key: input.idempotency_key,
        client_ip: ip.to_string(),
        user_agent: user_agent(&headers),
        at: now,
        per_address_per_day: settings.per_address_per_day,
        per_ip_per_day: settings.per_ip_per_day,
    };
    let expires_at = now + i64::from(settings.confirm_link_days) * DAY;
    let store = state.subscriptions.clone();
    let link_state = state.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        store.subscribe(&request, &|subscription| {
            confirmation_email(
                &link_state.secret,
                &link_state.public_base,
                subscription,
                expires_at,
            )
        })
    })
    .await
    .map_err(|e| ApiError::internal(&e.to_string()))?
    .map_err(|e| ApiError::internal(&e.to_string()))?;

    match outcome {
        SubscribeOutcome::ConfirmationQueued
        | SubscribeOutcome::AlreadyConfirmed
        | SubscribeOutcome::Replayed => {
            if outcome == SubscribeOutcome::ConfirmationQueued {
                redact::log("subscription requested; confirmation e-mail queued");
            }
            let mut response = (
                StatusCode::ACCEPTED,
                Json(json!({ "status": "confirmation_sent" })),
            )
                .into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        SubscribeOutcome::KeyConflict => Err(ApiError::idempotency_conflict()),
        SubscribeOutcome::Capped { retry_after_secs } => Err(ApiError::rate_limited(
            std::time::Duration::from_secs(u64::try_from(retry_after_secs).unwrap_or(1)),
        )),
    }
}

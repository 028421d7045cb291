//! CORS: only configured origins; preflight answered here; other origins get 403 `origin_not_allowed`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::errors::ApiError;
use super::AppState;

/// Requests without an `Origin` header (server-to-server, curl, link navigation) pass unchanged.
pub async fn cors(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let Some(origin) = request.headers().get(header::ORIGIN).cloned() else {
        return next.run(request).await;
    };
    // The download page's own form: a browser sends `Origin: null` (the page is no-referrer) or the
    // service's origin, never a listed one. The signed token in the path is the credential, and no CORS
    // header is added, so another site's script still cannot read the answer.
    if request.method() == Method::POST && request.uri().path().starts_with("/v1/downloads/") {
        return next.run(request).await;
    }
    // The same for the subscription pages' forms (confirm, unsubscribe, preferences): their handlers
    // accept only `Origin: null` or the service's own origin (crate::subscriptions::pages).
    if request.method() == Method::POST
        && crate::subscriptions::pages::is_page_path(request.uri().path())
    {
        return next.run(request).await;
    }
    let allowed = origin.to_str().is_ok_and(|o| {
        state
            .config
            .allowed_origins
            .iter()
            .any(|allowed| allowed == o)
    });
    if !allowed {
        return ApiError::origin_not_allowed().into_response();
    }
    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        headers.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        return response;
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    response
}

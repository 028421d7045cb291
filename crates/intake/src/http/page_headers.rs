//! The security headers every server-rendered HTML page carries (the download page and the review
//! console): its own Content-Security-Policy, no referrer, no MIME sniffing, no framing. Callers add
//! what only they need (caching, cross-origin isolation).

use axum::http::{header, HeaderMap, HeaderValue};

/// Inserts `content_security_policy`, `Referrer-Policy: no-referrer`,
/// `X-Content-Type-Options: nosniff` and `X-Frame-Options: DENY`.
pub fn insert_strict_page_headers(headers: &mut HeaderMap, content_security_policy: &'static str) {
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(content_security_policy),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}

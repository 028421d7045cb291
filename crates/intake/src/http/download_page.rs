//! The download page: what the e-mailed link opens (GET), rendered on the server with maud (which
//! HTML-escapes every interpolated value). The page names the document, its size, the recipient, the NDA
//! and the access expiry, and offers a Download button in a form that POSTs to the same address; only
//! that POST serves the file. Link scanners and preview bots that GET the link therefore never download.
//!
//! No JavaScript; strict CSP (`default-src 'none'; style-src 'self'; form-action 'self';
//! frame-ancestors 'none'; base-uri 'none'`), `Referrer-Policy: no-referrer` (the token in the address
//! never leaks to another site), `Cache-Control: no-store` (the page shows personal data).

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::errors::ApiError;
use super::page_headers::insert_strict_page_headers;
use crate::clock::format_utc;

/// The stylesheet, served at `/v1/download-page.css`.
pub const STYLESHEET: &str = include_str!("download_page.css");

/// The page's Content-Security-Policy.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What the page shows.
pub struct PageFacts<'a> {
    pub title: &'a str,
    pub file_name: &'a str,
    pub size_bytes: u64,
    pub name: &'a str,
    pub company: &'a str,
    pub email: &'a str,
    pub nda_version: &'a str,
    /// Unix seconds: the earlier of the link's and the approval's end.
    pub access_until: i64,
    pub watermarked: bool,
}

/// True when the caller is a browser navigating (it accepts HTML); API clients get JSON errors.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                // Relative to /v1/downloads/{token}, so it also works behind a path prefix.
                link rel="stylesheet" href="../download-page.css";
            }
            body { (body) }
        }
    }
}

/// The page with the Download button.
pub fn render(facts: &PageFacts<'_>) -> Markup {
    let heading = format!("Download: {}", facts.title);
    layout(
        &heading,
        html! {
            main {
                h1 { (heading) }
                dl {
                    dt { "Document" } dd { (facts.title) " (" (facts.file_name) ")" }
                    dt { "Size" } dd { (human_size(facts.size_bytes)) }
                    dt { "Prepared for" } dd { (facts.name) ", " (facts.company) " <" (facts.email) ">" }
                    dt { "Shared under" } dd { "NDA version " (facts.nda_version) }
                    dt { "Access until" } dd { (format_utc(facts.access_until).replacen('T', " ", 1).replace('Z', " UTC")) }
                }
                @if facts.watermarked {
                    p.note {
                        "Each download is stamped on every page with your name, company, e-mail address, \
                         the date and time, and the request id, and is recorded."
                    }
                } @else {
                    p.note { "Each download is recorded." }
                }
                form method="post" {
                    button type="submit" { "Download" }
                }
                p.note { "Not you, or not expecting this? Do not download; let the sender know." }
            }
        },
    )
}

/// An error page for a browser (the same status and message as the JSON error an API client gets).
pub fn render_error(error: &ApiError) -> Markup {
    let heading = match error.status {
        StatusCode::GONE => "This link has expired",
        StatusCode::NOT_FOUND => "This document is not available",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        StatusCode::SERVICE_UNAVAILABLE => "This document cannot be downloaded right now",
        _ => "This link cannot be used",
    };
    layout(
        heading,
        html! {
            main.error {
                h1 { (heading) }
                p { (error.message) }
            }
        },
    )
}

/// An HTML response with the page's security headers.
pub fn html_response(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, markup.into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    insert_security_headers(headers);
    response
}

/// CSP, no-referrer, no-store, nosniff, no framing.
pub fn insert_security_headers(headers: &mut HeaderMap) {
    insert_strict_page_headers(headers, CONTENT_SECURITY_POLICY);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}

/// The error as HTML for browsers, as JSON for everything else.
pub fn error_response(error: ApiError, html: bool) -> Response {
    if html {
        let retry_after = error.retry_after;
        let mut response = html_response(error.status, render_error(&error));
        if let Some(wait) = retry_after {
            if let Ok(value) = HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    } else {
        let mut response = error.into_response();
        insert_security_headers(response.headers_mut());
        response
    }
}

/// `GET /v1/download-page.css`.
pub async fn stylesheet() -> Response {
    let mut response = STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// `1.2 MB`, `35 KB`, `812 bytes`.
pub fn human_size(bytes: u64) -> String {
    const KB: u64 = 1000;
    const MB: u64 = 1000 * KB;
    match bytes {
        b if b >= MB => format!("{:.1} MB", b as f64 / MB as f64),
        b if b >= KB => format!("{} KB", b.div_ceil(KB)),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_typed_by_a_requester_is_escaped() {
        let page = render(&PageFacts {
            title: "SOC 2 <report>",
            file_name: "soc2.pdf",
            size_bytes: 1_234_567,
            name: "<script>alert(1)</script>",
            company: "\"Quotes\" & 'apostrophes'",
            email: "x@y.example",
            nda_version: "2026-01",
            access_until: 0,
            watermarked: true,
        })
        .into_string();
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&quot;Quotes&quot; &amp;"));
        assert!(page.contains("1.2 MB") && page.contains("method=\"post\""));
        assert!(
            !page.contains("action="),
            "the form posts to the page's own address"
        );
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(812), "812 bytes");
        assert_eq!(human_size(35_001), "36 KB");
        assert_eq!(human_size(2_500_000), "2.5 MB");
    }
}

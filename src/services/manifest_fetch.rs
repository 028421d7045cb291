//! Downloads the signed envelope's bytes, enforcing the size limit before and after reading.

use gloo::net::http::Request;
use web_sys::RequestCache;

use crate::state::LoadError;

/// Checks a body length (declared or actual) against `limit`.
pub fn check_size(size: usize, limit: usize) -> Result<(), LoadError> {
    if size > limit {
        Err(LoadError::too_large(size, limit))
    } else {
        Ok(())
    }
}

/// Parses a `Content-Length` header value; `None` when absent or not a number.
pub fn parse_content_length(value: Option<&str>) -> Option<usize> {
    value.and_then(|text| text.trim().parse().ok())
}

/// Fetches `url` and returns its bytes, or the precise reason it could not.
pub async fn fetch_envelope_bytes(url: &str, limit: usize) -> Result<Vec<u8>, LoadError> {
    let response = Request::get(url)
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|error| LoadError::network(url, &error.to_string()))?;
    if !response.ok() {
        return Err(LoadError::http_status(
            url,
            response.status(),
            &response.status_text(),
        ));
    }
    let declared = parse_content_length(response.headers().get("content-length").as_deref());
    if let Some(size) = declared {
        check_size(size, limit)?;
    }
    let bytes = response
        .binary()
        .await
        .map_err(|error| LoadError::network(url, &error.to_string()))?;
    check_size(bytes.len(), limit)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_limit_is_inclusive() {
        assert!(check_size(1_048_576, 1_048_576).is_ok());
        let err = check_size(1_048_577, 1_048_576).unwrap_err();
        assert_eq!(err.code, "too_large");
        assert!(err.detail.contains("1048577"));
    }

    #[test]
    fn content_length_parsing() {
        assert_eq!(parse_content_length(Some(" 42 ")), Some(42));
        assert_eq!(parse_content_length(Some("x")), None);
        assert_eq!(parse_content_length(None), None);
    }
}

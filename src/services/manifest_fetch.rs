//! Downloads the signed envelope's bytes, enforcing the size limit before and after reading.
//!
//! The loader (public/trust-center.js) starts the download as soon as the element connects, in
//! parallel with the wasm module, and hands the pending response to [`crate::embed`], which offers
//! it here ([`offer_prefetch`]). [`fetch_envelope_bytes`] takes it only for exactly the request it
//! would make itself (same `manifest` text, same document base URL), and only once; otherwise (and
//! on retry) it downloads the envelope itself. Both paths go through the same status and size checks
//! and the same error mapping.

use std::cell::RefCell;

use web_sys::{RequestCache, RequestInit, Response};

use crate::services::http;
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
    value
        .and_then(|text| crate::small_std::whole_number(text.trim()))
        .and_then(|size| usize::try_from(size).ok())
}

/// A download the loader started: `fetch(manifest, {cache: "no-cache"})` resolved against `base_uri`.
struct Prefetch {
    manifest: String,
    base_uri: String,
    response: js_sys::Promise,
}

thread_local! {
    static PREFETCHED: RefCell<Vec<Prefetch>> = const { RefCell::new(Vec::new()) };
}

/// Records a download the loader started for the `manifest` attribute text `manifest`, resolved
/// against the document base URL `base_uri`; `response` is the promise `fetch` returned.
pub fn offer_prefetch(manifest: &str, base_uri: &str, response: js_sys::Promise) {
    PREFETCHED.with(|slot| {
        slot.borrow_mut().push(Prefetch {
            manifest: manifest.to_owned(),
            base_uri: base_uri.to_owned(),
            response,
        })
    });
}

/// Forgets the loader's download `response` if it was not taken yet: its widget was unmounted
/// (the loader aborts it), and a later widget for the same address must not be handed it.
pub fn withdraw_prefetch(response: &js_sys::Promise) {
    PREFETCHED.with(|slot| {
        slot.borrow_mut()
            .retain(|offer| !js_sys::Object::is(&offer.response, response))
    });
}

/// Takes (once) a prefetched download of `url`, if one exists for exactly the request this module
/// would make now: the same text, resolved against the same document base URL. Offers for `url`
/// made against another base URL are dropped.
fn take_prefetch(url: &str) -> Option<js_sys::Promise> {
    let base_uri = current_base_uri()?;
    PREFETCHED.with(|slot| {
        let mut offers = slot.borrow_mut();
        offers.retain(|offer| offer.manifest != url || offer.base_uri == base_uri);
        let index = offers.iter().position(|offer| offer.manifest == url)?;
        Some(offers.remove(index).response)
    })
}

/// The document's base URL, against which `fetch` resolves a relative address.
fn current_base_uri() -> Option<String> {
    web_sys::window()?.document()?.base_uri().ok().flatten()
}

/// Waits for the prefetched response (or issues the request) for `url`.
async fn response_for(url: &str) -> Result<Response, LoadError> {
    let response = match take_prefetch(url) {
        Some(pending) => http::response(pending).await,
        None => {
            let init = RequestInit::new();
            init.set_cache(RequestCache::NoCache);
            http::send(url, &init).await
        }
    };
    response.map_err(|text| LoadError::network(url, &text))
}

/// Fetches `url` (or takes the loader's download of it) and returns its bytes, or the precise
/// reason it could not.
pub async fn fetch_envelope_bytes(url: &str, limit: usize) -> Result<Vec<u8>, LoadError> {
    let response = response_for(url).await?;
    if !response.ok() {
        return Err(LoadError::http_status(
            url,
            response.status(),
            &response.status_text(),
        ));
    }
    let declared = parse_content_length(
        response
            .headers()
            .get("content-length")
            .ok()
            .flatten()
            .as_deref(),
    );
    if let Some(size) = declared {
        check_size(size, limit)?;
    }
    let bytes = http::bytes(&response)
        .await
        .map_err(|text| LoadError::network(url, &text))?;
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
        assert!(err.detail(crate::i18n::Tr::english()).contains("1048577"));
    }

    #[test]
    fn content_length_parsing() {
        assert_eq!(parse_content_length(Some(" 42 ")), Some(42));
        assert_eq!(parse_content_length(Some("x")), None);
        assert_eq!(parse_content_length(None), None);
    }
}

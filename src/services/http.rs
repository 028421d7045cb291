//! The widget's two requests (the envelope `GET`, the NDA request `POST`) on the browser's `fetch`.
//! The address is used exactly as given (the browser resolves it against the document), and a
//! failure is worded as the JavaScript error's `toString()`. Written here because gloo-net's
//! request builder (query parameters, methods, worker support) cost about 3 KB of the widget's
//! wasm for two fixed requests.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// Sends `init` to `url` and waits for the response headers. The error is the rejection or
/// exception, worded by [`error_text`].
pub async fn send(url: &str, init: &RequestInit) -> Result<Response, String> {
    response(start(url, init).map_err(error_text)?).await
}

/// Waits for a pending `fetch` (the widget's own or one the loader started) and returns its
/// response, or the rejection worded by [`error_text`].
pub async fn response(pending: js_sys::Promise) -> Result<Response, String> {
    let value = JsFuture::from(pending).await.map_err(error_text)?;
    value
        .dyn_into::<Response>()
        .map_err(|_| "fetch did not return a response".to_owned())
}

fn start(url: &str, init: &RequestInit) -> Result<js_sys::Promise, JsValue> {
    let request = web_sys::Request::new_with_str_and_init(url, init)?;
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window to fetch from"))?;
    Ok(window.fetch_with_request(&request))
}

/// The whole body as bytes.
pub async fn bytes(response: &Response) -> Result<Vec<u8>, String> {
    let promise = response.array_buffer().map_err(error_text)?;
    let buffer = JsFuture::from(promise).await.map_err(error_text)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The whole body as text.
pub async fn text(response: &Response) -> Result<String, String> {
    let promise = response.text().map_err(error_text)?;
    let value = JsFuture::from(promise).await.map_err(error_text)?;
    Ok(value.as_string().unwrap_or_default())
}

/// The text of a rejected `fetch` or body read (a `TypeError` such as "Failed to fetch"): the
/// error's `toString()`, as gloo words it; a thrown value that is not an `Error` as its string.
pub fn error_text(value: JsValue) -> String {
    let text = value.as_string();
    match gloo::utils::errors::JsError::try_from(value) {
        Ok(error) => error.to_string(),
        Err(_) => text.unwrap_or_else(|| "the download failed".to_owned()),
    }
}

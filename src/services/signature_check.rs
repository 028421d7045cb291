//! Opening a signed envelope in the browser: `trust_manifest::read_envelope` does every step
//! but the curve arithmetic, the browser's Web Crypto API checks the Ed25519 signatures, and
//! `PendingEnvelope::finish` counts them against the threshold. The wasm carries no Ed25519
//! code (the manifest crate's `ed25519` feature is off in the widget; docs/build.md).
//!
//! - **Strict, like trustctl.** Web Crypto checks a signature as RFC 8032 says; the rules
//!   `verify_strict` adds (no small-order key or `R`, a canonical `S`) are byte checks the
//!   manifest crate applies before it asks, so the widget accepts exactly what trustctl accepts
//!   (`tests/wasm_tamper.rs` runs the edge cases of `crates/manifest/tests/ed25519_differential.rs`
//!   through this module in Chromium).
//! - **Not the page's `crypto`.** A script on the host page may have replaced
//!   `crypto.subtle.verify` (an "every signature is valid" polyfill is one of the overwritten
//!   built-ins `tests/e2e/security_hostile_host.test.mjs` installs). The checks use the
//!   `crypto.subtle` of a fresh realm instead: a hidden `about:blank` frame created for the
//!   checks and removed after them, whose built-ins no page script has touched.

use trust_manifest::VerifyError;
use trust_manifest::{read_envelope, Date, SignatureCheck, TrustPolicy, VerifiedManifest};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why an envelope was not opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The manifest crate refused it (shape, keys, signatures, threshold, content, expiry).
    Verify(VerifyError),
    /// This browser cannot check Ed25519 signatures here: no Web Crypto `Ed25519`, or the page
    /// is not a secure context (`crypto.subtle` exists only over HTTPS and on localhost).
    NoWebCrypto,
}

/// Opens `bytes` as `trust_manifest::open_envelope` would, with the browser checking the
/// signatures.
pub async fn open_envelope(
    bytes: &[u8],
    policy: &TrustPolicy,
    today: Date,
) -> Result<VerifiedManifest, Refusal> {
    let pending = read_envelope(bytes, policy).map_err(Refusal::Verify)?;
    let valid = match pending.checks() {
        [] => Vec::new(),
        checks => verify_all(pending.message(), checks)
            .await
            .ok_or(Refusal::NoWebCrypto)?,
    };
    pending.finish(&valid, today).map_err(Refusal::Verify)
}

/// Whether each check's signature is the RFC 8032 Ed25519 signature of `message` by its key;
/// `None` when this browser cannot check Ed25519 signatures here. A key Web Crypto refuses to
/// import (not a curve point) gives "does not hold". One check at a time, each promise awaited
/// through its own (the fresh realm's) `then`: no page built-in such as `Promise.all` or
/// `Array.prototype.push` stands between the browser's answer and the verdict.
pub async fn verify_all(message: &[u8], checks: &[SignatureCheck]) -> Option<Vec<bool>> {
    let realm = FreshRealm::open()?;
    let subtle = realm.subtle()?;
    let mut valid = Vec::with_capacity(checks.len());
    for check in checks {
        let key = match answer(import_key(&subtle, check.public_key.as_bytes())).await {
            Ok(key) => key.unchecked_into::<web_sys::CryptoKey>(),
            Err(error) => {
                valid.push(refused(&error)?);
                continue;
            }
        };
        // The slices are views into the wasm memory; Web Crypto copies them before it returns.
        let verdict = subtle.verify_with_str_and_u8_array_and_u8_array(
            "Ed25519",
            &key,
            &check.signature,
            message,
        );
        valid.push(match answer(verdict).await {
            Ok(verdict) => verdict == JsValue::TRUE,
            Err(error) => refused(&error)?,
        });
    }
    Some(valid)
}

/// `crypto.subtle.importKey` of a raw Ed25519 public key, for verifying.
fn import_key(
    subtle: &web_sys::SubtleCrypto,
    public_key: &[u8; 32],
) -> Result<js_sys::Promise, JsValue> {
    let usages = js_sys::Array::of1(&JsValue::from_str("verify"));
    let key_data = js_sys::Uint8Array::from(&public_key[..]);
    subtle.import_key_with_str("raw", &key_data, "Ed25519", false, &usages)
}

/// The outcome of a Web Crypto call that may throw at once or reject later.
fn answer(call: Result<js_sys::Promise, JsValue>) -> JsFuture {
    JsFuture::from(call.unwrap_or_else(|error| js_sys::Promise::reject(&error)))
}

/// After a failed Web Crypto call: `None` for the `NotSupportedError` of a browser without
/// Ed25519, else "does not hold".
fn refused(error: &JsValue) -> Option<bool> {
    let name = js_sys::Reflect::get(error, &JsValue::from_str("name")).ok()?;
    (name.as_string().as_deref() != Some("NotSupportedError")).then_some(false)
}

/// A hidden `about:blank` frame in the page, for the built-ins of its realm; removed on drop.
struct FreshRealm {
    frame: web_sys::Element,
}

impl FreshRealm {
    fn open() -> Option<FreshRealm> {
        let document = web_sys::window()?.document()?;
        let frame = document.create_element("iframe").ok()?;
        // `hidden`: not displayed, and not in the accessibility tree.
        frame.set_attribute("hidden", "").ok()?;
        document.document_element()?.append_child(&frame).ok()?;
        Some(FreshRealm { frame })
    }

    /// The frame's `crypto.subtle`; `None` outside a secure context, where it does not exist.
    fn subtle(&self) -> Option<web_sys::SubtleCrypto> {
        let frame = self.frame.unchecked_ref::<web_sys::HtmlIFrameElement>();
        let subtle = frame.content_window()?.crypto().ok()?.subtle();
        (!JsValue::from(subtle.clone()).is_undefined()).then_some(subtle)
    }
}

impl Drop for FreshRealm {
    fn drop(&mut self) {
        self.frame.remove();
    }
}

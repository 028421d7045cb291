//! The idempotency key of an NDA request: made once per submission from the browser's
//! cryptographic random generator, kept with the draft until the service confirms, and reused on
//! every retry so the service records the request once.
//!
//! The key's rule is [`trust_manifest::ids::is_idempotency_key`], the one the intake service
//! applies too.

/// Whether a client-made idempotency key has the shape the intake service accepts:
/// 16 to 64 characters of `A–Z a–z 0–9 _ -` (the rule shared with the intake service).
pub fn is_valid_idempotency_key(key: &str) -> bool {
    trust_manifest::ids::is_idempotency_key(key)
}

/// Formats random bytes as an idempotency key (lowercase hex, prefixed `tc_`).
pub fn idempotency_key_from_bytes(bytes: &[u8; 16]) -> String {
    let mut key = String::from("tc_");
    for byte in bytes {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// A fresh idempotency key from the browser's cryptographic random generator, or `None` when
/// the browser offers none (the form then explains that it cannot send).
pub fn new_idempotency_key() -> Option<String> {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    let crypto = js_sys::Reflect::get(&global, &"crypto".into()).ok()?;
    let get_random = js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let array = js_sys::Uint8Array::new_with_length(16);
    get_random.call1(&crypto, &array).ok()?;
    let mut bytes = [0u8; 16];
    array.copy_to(&mut bytes);
    if bytes.iter().all(|b| *b == 0) {
        return None;
    }
    Some(idempotency_key_from_bytes(&bytes))
}

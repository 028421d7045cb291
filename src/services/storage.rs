//! Best-effort `localStorage`: reads, writes and removals that quietly do nothing when the browser
//! refuses storage (private mode, disabled cookies, a full quota, a sandboxed frame).

/// The page's local storage, when the browser lets us use it. Off the browser (the components'
/// SSR render in the native tests) there is none, so nothing is read or kept there.
fn local_storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window().and_then(|window| window.local_storage().ok().flatten())
}

/// The stored text for `key`, if any.
pub fn read(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; a refusal only means it is not remembered.
pub fn write(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// Forgets `key`.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

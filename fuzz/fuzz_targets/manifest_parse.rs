//! Fuzz target: arbitrary bytes as manifest JSON — `parse_manifest`, then `validate`, the status
//! rules (`evaluate`) and `is_safe_link` on every URL-like string, as the widget and trustctl do
//! after a signature has verified. (Behind `open_envelope` the parser is only reachable with a
//! valid signature, so it gets its own target.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use trust_manifest::{
    evaluate, is_safe_link, parse_manifest, validate, Date, StatusPolicy, ValidationOptions,
};

/// A link the widget would render must start with an allowed scheme.
fn check_link(url: &str) {
    let lower = url.to_ascii_lowercase();
    if is_safe_link(url, false) {
        assert!(
            lower.starts_with("https://") || lower.starts_with("mailto:"),
            "is_safe_link accepted {url:?}"
        );
    }
    if is_safe_link(url, true) {
        assert!(
            lower.starts_with("https://")
                || lower.starts_with("mailto:")
                || lower.starts_with("http://127.0.0.1")
                || lower.starts_with("http://localhost")
                || lower.starts_with("http://[::1]"),
            "is_safe_link (development) accepted {url:?}"
        );
    }
    assert!(!url.chars().any(char::is_control) || !is_safe_link(url, true));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check_link(text);
    }
    let Ok(manifest) = parse_manifest(data) else {
        return;
    };
    for allow_loopback_http in [false, true] {
        let _ = validate(
            &manifest,
            &ValidationOptions {
                allow_loopback_http,
            },
        );
    }
    for today in [
        Date::MIN,
        manifest.issued_at,
        manifest.expires_at,
        manifest.expires_at.add_days(1),
        Date::MAX,
    ] {
        let report = evaluate(&manifest, today, &StatusPolicy::default());
        let _ = serde_json::to_string(&report);
    }
    let org = &manifest.organization;
    for url in [
        Some(&org.website),
        Some(&org.security_contact),
        org.logo_url.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        check_link(url);
    }
    for document in &manifest.documents {
        if let Some(url) = &document.url {
            check_link(url);
        }
    }
});

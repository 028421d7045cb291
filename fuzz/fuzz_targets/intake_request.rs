//! Fuzz target: the intake service's request parser and validator (`parse_access_request`), the
//! id checks it relies on, and download-token verification.
//!
//! Properties: an accepted request only ever holds a document id without path separators or
//! `..`, a well-formed idempotency key, bounded text without control characters; a token the
//! fuzzer made is never accepted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trust_intake::token;
use trust_intake::validate::{is_document_id, is_idempotency_key, parse_access_request};

const SECRET: &[u8] = b"fuzzing secret: 32 bytes or more, not a real one";

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = parse_access_request(data, |id| id.len() < 100) {
        assert!(is_document_id(&request.document_id));
        for forbidden in ["/", "\\", "..", "%", "\0"] {
            assert!(
                !request.document_id.contains(forbidden),
                "{:?}",
                request.document_id
            );
        }
        assert!(is_idempotency_key(&request.idempotency_key));
        assert!(request.email.contains('@'));
        assert!(request.email_domain == request.email_domain.to_ascii_lowercase());
        for text in [&request.name, &request.company, &request.nda_version] {
            assert!(!text.is_empty() && text.chars().count() <= 200);
            assert!(!text.chars().any(char::is_control), "{text:?}");
        }
        if let Some(reason) = &request.reason {
            assert!(reason.chars().count() <= 2000);
        }
        assert!(request.nda_sha256.len() == 64);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if is_document_id(text) {
            assert!(!text.contains('/') && !text.contains("..") && !text.contains('\\'));
        }
        // Without the secret, no token is accepted (expired counts as refused too).
        assert!(token::verify(SECRET, text, 0).is_err());
    }
});

//! Replays the intake fuzz regression inputs (`fuzz/regressions/intake_request/`) and seeds through
//! the same checks as the `intake_request` fuzz target, in the ordinary test suite.

use std::path::{Path, PathBuf};

use trust_intake::token;
use trust_intake::validate::{is_document_id, is_idempotency_key, parse_access_request};

const FUZZ_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz");

fn inputs(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(FUZZ_DIR).join(kind).join("intake_request");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn intake_request_regressions_and_seeds() {
    let files = [inputs("regressions"), inputs("seeds")].concat();
    assert!(files.len() >= 3, "inputs missing under {FUZZ_DIR}");
    let mut accepted = 0;
    for file in files {
        let data = std::fs::read(&file).expect("readable");
        if let Ok(request) = parse_access_request(&data, |id| id.len() < 100) {
            accepted += 1;
            assert!(is_document_id(&request.document_id), "{}", file.display());
            for forbidden in ["/", "\\", "..", "%", "\0"] {
                assert!(
                    !request.document_id.contains(forbidden),
                    "{}",
                    file.display()
                );
            }
            assert!(is_idempotency_key(&request.idempotency_key));
            for text in [&request.name, &request.company, &request.nda_version] {
                assert!(!text.chars().any(char::is_control), "{}", file.display());
            }
        }
        if let Ok(text) = std::str::from_utf8(&data) {
            assert!(
                token::verify(b"fuzzing secret: 32 bytes or more, not a real one", text, 0)
                    .is_err()
            );
        }
    }
    // The valid seed is accepted, so the checks above really ran on an accepted request.
    assert!(accepted >= 1);
    // The NUL-name / ".." regression is refused on both fields.
    let data = std::fs::read(
        Path::new(FUZZ_DIR).join("regressions/intake_request/nul-name-and-dotdot-document.json"),
    )
    .expect("regression input present");
    let errors = parse_access_request(&data, |_| true).expect_err("refused");
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"document_id"),
        "{fields:?}"
    );
}

//! Fuzz target: differential check of the strict JSON reader and the hand-written decoders
//! (`trust_manifest::json`, `trust_manifest::decode`) against serde_json as the oracle.
//!
//! For any bytes:
//! - `json::parse` accepts exactly when `serde_json::from_slice::<serde_json::Value>` does (a
//!   document the reader keeps with `Value::TooDeep` or a number beyond `f64` must be one
//!   serde_json refuses), and reads the same value;
//! - `decode::manifest` and `decode::envelope` agree with the former serde path (schema_version
//!   probe + derived deserialiser; UTF-8 check + derived deserialiser): same value, same error
//!   code, except for the documented differences (see `crates/manifest/src/decode.rs`), which
//!   `decode_oracle` recognises from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use trust_manifest::json;
use trust_manifest::{decode, VerifyError};

#[path = "../../crates/manifest/tests/common/serde_oracle.rs"]
mod serde_oracle;
use serde_oracle::as_serde;

#[path = "../../crates/manifest/tests/common/decode_oracle.rs"]
mod decode_oracle;
use decode_oracle::{
    lenient_by_design, same_refusal, serde_envelope, serde_manifest, stricter_by_design,
    Document, Refusal,
};

/// The decoder and the oracle agree, or differ only as documented (decided from the input).
fn agree<T: PartialEq + std::fmt::Debug>(
    data: &[u8],
    document: Document,
    ours: Result<T, VerifyError>,
    oracle: Result<T, Refusal>,
) {
    match (ours, oracle) {
        (Ok(ours), Ok(expected)) => assert_eq!(ours, expected),
        (Ok(_), Err(refusal)) => assert!(
            lenient_by_design(data, document).is_some(),
            "decoder accepted what serde refuses: {refusal:?}"
        ),
        (Err(ours), Err(theirs)) if same_refusal(&ours, &theirs) => {}
        (Err(ours), theirs) => assert!(
            stricter_by_design(data, document).is_some()
                && matches!(
                    ours,
                    VerifyError::MalformedManifest(_) | VerifyError::MalformedEnvelope(_)
                ),
            "decoder refused ({ours:?}), serde gives {:?}",
            theirs.map(|_| "acceptance")
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let oracle = serde_json::from_slice::<serde_json::Value>(data);
    match (json::parse(data), oracle) {
        (Ok(value), Ok(expected)) => assert_eq!(as_serde(&value), Some(expected)),
        (Ok(value), Err(error)) => assert!(
            as_serde(&value).is_none(),
            "reader accepted what serde_json refuses: {error}"
        ),
        (Err(error), Ok(_)) => panic!("reader refused what serde_json accepts: {error}"),
        (Err(_), Err(_)) => {}
    }
    agree(data, Document::Manifest, decode::manifest(data), serde_manifest(data));
    agree(data, Document::Envelope, decode::envelope(data), serde_envelope(data));
});

//! Fuzz target: differential check of the strict JSON reader and the hand-written decoders
//! (`trust_manifest::json`, `trust_manifest::decode`) against serde_json as the oracle.
//!
//! For any bytes:
//! - `json::parse` accepts exactly when `serde_json::from_slice::<serde_json::Value>` does (a
//!   document the reader keeps with `Value::TooDeep` or a number beyond `f64` must be one
//!   serde_json refuses), and reads the same value;
//! - `decode::manifest` and `decode::envelope` agree with the former serde path (schema_version
//!   probe + derived deserialiser; UTF-8 check + derived deserialiser): same value, same error
//!   code, except where the decoder is stricter by design (see `crates/manifest/src/decode.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use trust_manifest::json;
use trust_manifest::{decode, Envelope, Manifest, VerifyError, SCHEMA_VERSION};

#[path = "../../crates/manifest/tests/common/serde_oracle.rs"]
mod serde_oracle;
use serde_oracle::as_serde;

#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<serde_json::Value>,
}

fn serde_manifest(payload: &[u8]) -> Result<Manifest, VerifyError> {
    let malformed = |detail: String| VerifyError::MalformedManifest { detail };
    let probe: VersionProbe =
        serde_json::from_slice(payload).map_err(|e| malformed(e.to_string()))?;
    match probe.schema_version.as_ref().map(serde_json::Value::as_u64) {
        None | Some(None) => return Err(malformed("schema_version".to_owned())),
        Some(Some(found)) if found != u64::from(SCHEMA_VERSION) => {
            return Err(VerifyError::UnsupportedSchemaVersion { found })
        }
        Some(Some(_)) => {}
    }
    serde_json::from_slice(payload).map_err(|e| malformed(e.to_string()))
}

fn serde_envelope(bytes: &[u8]) -> Result<Envelope, VerifyError> {
    let malformed = |detail: String| VerifyError::MalformedEnvelope { detail };
    std::str::from_utf8(bytes).map_err(|e| malformed(e.to_string()))?;
    serde_json::from_slice(bytes).map_err(|e| malformed(e.to_string()))
}

/// The documented cases where the decoder refuses what serde accepts.
fn stricter_by_design(error: &VerifyError) -> bool {
    let (VerifyError::MalformedManifest { detail } | VerifyError::MalformedEnvelope { detail }) =
        error
    else {
        return false;
    };
    let enumeration = detail.contains(": expected one of ");
    detail.contains("not UTF-8")
        || detail.contains("surrogate")
        || detail.contains("expected an object {…}, found an array")
        || (enumeration && detail.ends_with("found an object"))
        || (enumeration && detail.starts_with("soc2.report.type:"))
}

fn agree<T: PartialEq + std::fmt::Debug>(
    ours: Result<T, VerifyError>,
    oracle: Result<T, VerifyError>,
) {
    match (ours, oracle) {
        (Ok(ours), Ok(expected)) => assert_eq!(ours, expected),
        (Ok(_), Err(error)) => panic!("decoder accepted what serde refuses: {error:?}"),
        (Err(ours), Err(theirs)) if ours == theirs || ours.code() == theirs.code() => {
            if let VerifyError::UnsupportedSchemaVersion { .. } = ours {
                assert_eq!(ours, theirs);
            }
        }
        (Err(ours), theirs) => assert!(
            stricter_by_design(&ours),
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
    agree(decode::manifest(data), serde_manifest(data));
    agree(decode::envelope(data), serde_envelope(data));
});

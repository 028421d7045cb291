//! Reading an unsigned manifest (for `sign` and `lint`): the library's checks, with error
//! messages that name the file and the JSON path of the field at fault.

use trust_manifest::{parse_manifest, Manifest, VerifyError};

use crate::exit::{verify_code, CliError, CliResult, MALFORMED};

/// Parses `bytes` from `source` as a manifest. Nothing about signatures is implied.
pub fn parse_unsigned(source: &str, bytes: &[u8]) -> CliResult<Manifest> {
    match parse_manifest(bytes) {
        Ok(manifest) => Ok(manifest),
        Err(VerifyError::MalformedManifest { detail }) => {
            Err(CliError::new(MALFORMED, format!("{source}: {}", describe(bytes, &detail)))
                .with_hint("`trustctl schema` prints every field and its type; `trustctl init` writes a complete example"))
        }
        Err(error) => Err(CliError::new(
            verify_code(&error),
            format!("{source}: {error} [{}]", error.code()),
        )),
    }
}

/// "field `soc2.report.auditor`: missing field …", or the plain detail when there is no path.
fn describe(bytes: &[u8], detail: &str) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, Manifest>(&mut deserializer) {
        Err(error) => {
            let path = error.path().to_string();
            if path.is_empty() || path == "." {
                format!("not a readable manifest: {}", error.inner())
            } else {
                format!("not a readable manifest: field {path}: {}", error.inner())
            }
        }
        Ok(_) => format!("not a readable manifest: {detail}"),
    }
}

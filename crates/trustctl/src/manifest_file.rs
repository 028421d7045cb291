//! Reading an unsigned manifest (for `sign` and `lint`): the library's decoder, whose error
//! ([`trust_manifest::DecodeError`]: the JSON path and the problem) is printed exactly as the
//! widget's error panel shows it, after the name of the file.

use trust_manifest::{parse_manifest, Manifest, VerifyError};

use crate::exit::{verify_code, CliError, CliResult, MALFORMED};

/// Parses `bytes` from `source` as a manifest. Nothing about signatures is implied.
pub fn parse_unsigned(source: &str, bytes: &[u8]) -> CliResult<Manifest> {
    match parse_manifest(bytes) {
        Ok(manifest) => Ok(manifest),
        Err(VerifyError::MalformedManifest(error)) => Err(CliError::new(
            MALFORMED,
            format!("{source}: not a readable manifest: {error}"),
        )
        .with_hint(
            "`trustctl schema` prints every field and its type; `trustctl init` writes a complete example",
        )),
        Err(error) => Err(CliError::new(
            verify_code(&error),
            format!("{source}: {error} [{}]", error.code()),
        )),
    }
}

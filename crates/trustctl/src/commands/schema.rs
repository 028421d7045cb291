//! `trustctl schema`: prints the manifest's JSON Schema (draft 7), generated from the same
//! types the verifier reads, so it cannot drift from what is accepted.

use std::io::Write;

use crate::exit::{CliError, CliResult, IO, OK};

/// Prints the schema as pretty JSON.
pub fn run() -> CliResult<u8> {
    let text = trust_manifest::json_schema_pretty();
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|error| CliError::new(IO, format!("cannot print the schema: {error}")))?;
    Ok(OK)
}

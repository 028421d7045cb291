//! Exit codes and the command-line error type: one code per failure class, so scripts and CI
//! can tell a tampered envelope from an expired one without parsing text.

use std::fmt;
use std::path::Path;

use trust_intake::error::IntakeError;
use trust_manifest::VerifyError;

/// Everything worked (for `verify`: the envelope is valid and trusted).
pub const OK: u8 = 0;
/// The manifest has problems: `lint` found errors (or warnings with `--deny-warnings`), or
/// `sign` refused an invalid manifest.
pub const PROBLEMS_FOUND: u8 = 1;
/// The command line itself is wrong (unknown option, missing argument, impossible value).
pub const USAGE: u8 = 2;
/// A file or network problem: cannot read or write a file, a file already exists, an HTTP
/// download failed.
pub const IO: u8 = 3;
/// A key file or key argument is not a usable Ed25519 key.
pub const KEY: u8 = 4;
/// `serve` / `requests`: the intake configuration file is missing or invalid.
pub const INTAKE_CONFIG: u8 = 5;
/// `serve` / `requests`: the intake database could not be opened, read or written.
pub const INTAKE_DATABASE: u8 = 6;
/// `requests` / `notices`: the request or subscriber does not exist, or the action is not
/// allowed in its state.
pub const INTAKE_REFUSED: u8 = 7;
/// The envelope or the manifest is not readable (bad JSON, wrong payload type, bad base64,
/// missing fields).
pub const MALFORMED: u8 = 10;
/// A signature does not match the content (tampered or damaged), or there is no signature.
pub const BAD_SIGNATURE: u8 = 11;
/// Not signed by a trusted key, or fewer trusted keys signed than `--threshold` requires.
pub const UNTRUSTED: u8 = 12;
/// Signed correctly but past its `expires_at` date.
pub const EXPIRED: u8 = 13;
/// The manifest uses a `schema_version` this trustctl does not understand.
pub const UNSUPPORTED_VERSION: u8 = 14;
/// The envelope is larger than the 1 MiB limit.
pub const TOO_LARGE: u8 = 15;

/// The exit code table as shown in `--help` and in docs/trustctl.md.
pub const TABLE: &str = "\
Exit codes:
   0  success (verify: the envelope is valid and signed by enough trusted keys)
   1  problems found in the manifest (lint errors, or warnings with --deny-warnings;
      sign refuses an invalid manifest)
   2  usage error (unknown option, missing or impossible argument)
   3  file or network problem (cannot read or write, file exists, HTTP error)
   4  key problem (not a usable Ed25519 key file or key)
   5  serve/requests: intake configuration file missing or invalid
   6  serve/requests: intake database problem
   7  requests/notices: no such request or subscriber, or the action is not allowed
      in its state
  10  malformed envelope or manifest (not JSON, wrong payload type, bad base64, bad field)
  11  bad or missing signature: the content was changed after signing, or is unsigned
  12  not signed by a trusted key, or --threshold not met
  13  expired: signed correctly, but past its expires_at date
  14  unsupported manifest schema_version
  15  envelope larger than the 1 MiB limit";

/// The exit code for a verification failure.
pub fn verify_code(error: &VerifyError) -> u8 {
    match error {
        VerifyError::TooLarge { .. } => TOO_LARGE,
        VerifyError::MalformedEnvelope { .. }
        | VerifyError::WrongPayloadType { .. }
        | VerifyError::InvalidBase64 { .. }
        | VerifyError::MalformedManifest { .. } => MALFORMED,
        VerifyError::NoSignatures | VerifyError::BadSignature => BAD_SIGNATURE,
        VerifyError::UntrustedKey | VerifyError::ThresholdNotMet { .. } => UNTRUSTED,
        VerifyError::Expired { .. } => EXPIRED,
        VerifyError::UnsupportedSchemaVersion { .. } => UNSUPPORTED_VERSION,
    }
}

/// The exit code for an intake service or admin failure.
pub fn intake_code(error: &IntakeError) -> u8 {
    match error {
        IntakeError::Config(_) => INTAKE_CONFIG,
        IntakeError::Database(_) | IntakeError::Unavailable(_) | IntakeError::Sqlite { .. } => {
            INTAKE_DATABASE
        }
        IntakeError::Io(_) | IntakeError::System { .. } => IO,
        IntakeError::InvalidAction(_) | IntakeError::NotFound(_) => INTAKE_REFUSED,
    }
}

/// A failure that ends the command: a message for people and the exit code for scripts.
#[derive(Debug)]
pub struct CliError {
    /// Process exit code (one of the constants in this module).
    pub code: u8,
    /// What went wrong, naming the file and field where there is one.
    pub message: String,
    /// What to do about it, if there is something useful to say.
    pub hint: Option<String>,
}

impl CliError {
    /// An error with the given exit code and message.
    pub fn new(code: u8, message: impl Into<String>) -> CliError {
        CliError {
            code,
            message: message.into(),
            hint: None,
        }
    }

    /// Adds a suggestion on what to do next.
    pub fn with_hint(mut self, hint: impl Into<String>) -> CliError {
        self.hint = Some(hint.into());
        self
    }

    /// A usage error (exit code 2).
    pub fn usage(message: impl Into<String>) -> CliError {
        CliError::new(USAGE, message)
    }

    /// A file-system error on `path` while doing `action` (e.g. "read", "write").
    pub fn io(action: &str, path: &Path, error: &std::io::Error) -> CliError {
        let reason = match error.kind() {
            std::io::ErrorKind::NotFound => "it does not exist".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => error.to_string(),
        };
        CliError::new(IO, format!("cannot {action} {}: {reason}", path.display()))
    }

    /// A verification failure of the envelope read from `source`.
    pub fn verify(source: &str, error: &VerifyError) -> CliError {
        CliError::new(
            verify_code(error),
            format!("{source}: {error} [{}]", error.code()),
        )
    }
}

impl From<IntakeError> for CliError {
    fn from(error: IntakeError) -> CliError {
        CliError::new(intake_code(&error), error.to_string())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CliError {}

/// Shorthand for command results.
pub type CliResult<T> = Result<T, CliError>;

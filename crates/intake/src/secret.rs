//! The download-link signing secret: from the environment, the config file, or generated on first start.
//!
//! This module reads the configuration; the configuration never calls into it (the strength rule for
//! a configured secret lives in [`crate::config`], so the two modules do not import each other).

use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::config::Config;
pub use crate::config::{check_secret_strength as check_strength, MIN_SECRET_CHARS};
use crate::error::IntakeError;

/// Environment variable that overrides `signing_secret` in the configuration file.
pub const SECRET_ENV: &str = "TRUST_INTAKE_SIGNING_SECRET";
/// File name of the generated secret inside the data directory.
pub const SECRET_FILE: &str = "signing-secret";

/// Returns the secret bytes: env var, then config, then `<data_dir>/signing-secret` (created 0600 if absent).
pub fn load_or_create(config: &Config) -> Result<Vec<u8>, IntakeError> {
    if let Ok(value) = std::env::var(SECRET_ENV) {
        if !value.trim().is_empty() {
            check_strength(&value)
                .map_err(|m| IntakeError::Config(format!("{SECRET_ENV}: {m}")))?;
            return Ok(value.trim().as_bytes().to_vec());
        }
    }
    if let Some(value) = &config.signing_secret {
        return Ok(value.trim().as_bytes().to_vec());
    }
    let dir = config.data_dir();
    crate::private_fs::create_dir(&dir).map_err(|e| {
        IntakeError::system(format!("cannot create data directory {}", dir.display()), e)
    })?;
    let path = dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            check_strength(&text)
                .map_err(|m| IntakeError::Config(format!("{}: {m}", path.display())))?;
            Ok(text.trim().as_bytes().to_vec())
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(error) => Err(IntakeError::system(
            format!("cannot read {}", path.display()),
            error,
        )),
    }
}

fn create(path: &Path) -> Result<Vec<u8>, IntakeError> {
    let mut raw = [0u8; 32];
    getrandom::getrandom(&mut raw)
        .map_err(|e| IntakeError::Io(format!("the system random number generator failed: {e}")))?;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| {
        IntakeError::system(
            format!("cannot create signing secret {}", path.display()),
            e,
        )
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            IntakeError::system(format!("cannot write signing secret {}", path.display()), e)
        })?;
    crate::redact::log(&format!(
        "generated a new signing secret in {}",
        path.display()
    ));
    Ok(text.into_bytes())
}

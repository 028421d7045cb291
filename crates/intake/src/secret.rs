//! The download-link signing secret: from the environment, the config file, or generated on first start.

use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::config::Config;
use crate::error::IntakeError;

/// Environment variable that overrides `signing_secret` in the configuration file.
pub const SECRET_ENV: &str = "TRUST_INTAKE_SIGNING_SECRET";
/// File name of the generated secret inside the data directory.
pub const SECRET_FILE: &str = "signing-secret";

/// A secret must carry at least this many characters (a generated one has 43).
pub const MIN_SECRET_CHARS: usize = 32;

/// Refuses secrets that are too short to resist guessing.
pub fn check_strength(secret: &str) -> Result<(), String> {
    if secret.trim().chars().count() < MIN_SECRET_CHARS {
        return Err(format!(
            "the signing secret must be at least {MIN_SECRET_CHARS} characters long (leave it unset to have one generated)"
        ));
    }
    Ok(())
}

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
    std::fs::create_dir_all(&dir).map_err(|e| {
        IntakeError::Io(format!(
            "cannot create data directory {}: {e}",
            dir.display()
        ))
    })?;
    let path = dir.join(SECRET_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            check_strength(&text)
                .map_err(|m| IntakeError::Config(format!("{}: {m}", path.display())))?;
            Ok(text.trim().as_bytes().to_vec())
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => create(&path),
        Err(error) => Err(IntakeError::Io(format!(
            "cannot read {}: {error}",
            path.display()
        ))),
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
        IntakeError::Io(format!(
            "cannot create signing secret {}: {e}",
            path.display()
        ))
    })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            IntakeError::Io(format!(
                "cannot write signing secret {}: {e}",
                path.display()
            ))
        })?;
    crate::redact::log(&format!(
        "generated a new signing secret in {}",
        path.display()
    ));
    Ok(text.into_bytes())
}

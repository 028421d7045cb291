//! Reading an envelope or manifest: from a file, from standard input (`-`), or over HTTP(S).
//! Reads stop one byte past the size limit, so a huge input is refused without being loaded.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use trust_manifest::{VerifyError, MAX_ENVELOPE_BYTES};

use crate::exit::{CliError, CliResult, IO, USAGE};

/// Bytes read from somewhere, with a name for messages.
pub struct Input {
    /// Where the bytes came from: a path, `standard input` or the URL.
    pub source: String,
    /// The bytes (at most the size limit plus one).
    pub bytes: Vec<u8>,
}

impl Input {
    /// Refuses input over [`MAX_ENVELOPE_BYTES`] with the verification error the widget would give.
    pub fn check_size(&self) -> CliResult<()> {
        if self.bytes.len() > MAX_ENVELOPE_BYTES {
            let error = VerifyError::TooLarge {
                size: self.bytes.len(),
                limit: MAX_ENVELOPE_BYTES,
            };
            return Err(CliError::verify(&self.source, &error));
        }
        Ok(())
    }
}

/// Reads a file, or standard input when `argument` is `-`.
pub fn read_file_or_stdin(argument: &str) -> CliResult<Input> {
    let limit = read_limit();
    if argument == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|error| CliError::new(IO, format!("cannot read standard input: {error}")))?;
        return Ok(Input {
            source: "standard input".to_owned(),
            bytes,
        });
    }
    let path = Path::new(argument);
    let file = File::open(path).map_err(|error| CliError::io("read", path, &error))?;
    let mut bytes = Vec::new();
    file.take(limit)
        .read_to_end(&mut bytes)
        .map_err(|error| CliError::io("read", path, &error))?;
    Ok(Input {
        source: argument.to_owned(),
        bytes,
    })
}

/// Downloads `url` (http:// or https://), following up to five redirects.
pub fn download(url: &str) -> CliResult<Input> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err(CliError::new(
            USAGE,
            format!("--url {url}: only http:// and https:// addresses can be downloaded"),
        ));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .max_redirects(5)
        .user_agent(concat!("trustctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|error| {
        let reason = match error {
            ureq::Error::StatusCode(status) => format!("the server answered HTTP {status}"),
            other => other.to_string(),
        };
        CliError::new(IO, format!("cannot download {url}: {reason}"))
    })?;
    let limit = u64::try_from(MAX_ENVELOPE_BYTES).unwrap_or(u64::MAX);
    let bytes = match response.body_mut().with_config().limit(limit).read_to_vec() {
        Ok(bytes) => bytes,
        Err(ureq::Error::BodyExceedsLimit(_)) => {
            let error = VerifyError::TooLarge {
                size: MAX_ENVELOPE_BYTES.saturating_add(1),
                limit: MAX_ENVELOPE_BYTES,
            };
            return Err(CliError::verify(url, &error));
        }
        Err(error) => {
            return Err(CliError::new(IO, format!("cannot download {url}: {error}")));
        }
    };
    Ok(Input {
        source: url.to_owned(),
        bytes,
    })
}

/// One byte more than the limit, so "exactly at the limit" and "over it" can be told apart.
fn read_limit() -> u64 {
    u64::try_from(MAX_ENVELOPE_BYTES).map_or(u64::MAX, |limit| limit.saturating_add(1))
}

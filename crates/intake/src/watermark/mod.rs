//! Per-recipient watermarks on downloaded documents, and tracing a leaked copy back to its request.
//!
//! - [`stamp`]: lopdf-based stamping of every page (name, company, e-mail, UTC time, request id, NDA).
//! - [`text`]: the stamp's words, their WinAnsi encoding and wrapping.
//! - [`metadata`]: the request id (and recipient) in the PDF's information dictionary.
//! - [`policy`]: `watermark = "required" | "off"` per document and the start-up check.
//! - [`trace`]: `trustctl requests trace FILE` — which request a copy came from.
//!
//! [`prepare`] is what the download handler calls.

pub mod metadata;
pub mod policy;
pub mod stamp;
pub mod text;
pub mod trace;

use std::fmt;

use sha2::{Digest, Sha256};

pub use policy::{DocumentSettings, WatermarkPolicy};
pub use text::StampFacts;

/// Why a file cannot be stamped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unstampable {
    /// The file does not start like a PDF.
    NotPdf,
    /// The PDF is encrypted (even with an empty user password: rewriting it would drop the protection).
    Encrypted,
    /// The PDF cannot be parsed or rewritten.
    Malformed(String),
}

impl fmt::Display for Unstampable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unstampable::NotPdf => write!(f, "it is not a PDF file"),
            Unstampable::Encrypted => write!(f, "the PDF is encrypted"),
            Unstampable::Malformed(detail) => write!(f, "the PDF cannot be read ({detail})"),
        }
    }
}

/// The bytes to send for one download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub bytes: Vec<u8>,
    /// Whether the bytes carry this download's stamp.
    pub stamped: bool,
    /// Lowercase hex SHA-256 of `bytes`, recorded in the audit trail.
    pub sha256: String,
}

/// Applies `policy` to `original`: stamps it (`required`) or passes it through (`off`).
pub fn prepare(
    original: Vec<u8>,
    policy: WatermarkPolicy,
    facts: &StampFacts,
) -> Result<Prepared, Unstampable> {
    let (bytes, stamped) = match policy {
        WatermarkPolicy::Required => (stamp::stamp_pdf(&original, facts)?, true),
        WatermarkPolicy::Off => (original, false),
    };
    let sha256 = sha256_hex(&bytes);
    Ok(Prepared {
        bytes,
        stamped,
        sha256,
    })
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

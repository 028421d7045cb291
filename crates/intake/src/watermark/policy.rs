//! Per-document watermark policy and its checks.
//!
//! ```toml
//! [documents.settings."iso27001-certificate"]
//! watermark = "off"            # "required" (default) or "off"
//! title = "ISO/IEC 27001 certificate"
//! ```
//!
//! Every document the service hands out is shared under NDA, so `required` is the default: the file must
//! be a PDF that can be stamped (not encrypted, parseable), and a download that cannot be stamped is
//! refused rather than served bare. `off` serves the stored bytes unchanged (for a non-PDF file, or a
//! PDF the vendor chose to ship encrypted). [`check_documents`] runs at start-up and names the file that
//! does not fit its policy.

use serde::Deserialize;

use super::text::StampFacts;
use crate::config::{Config, DocumentsConfig};
use crate::error::IntakeError;

/// What to do with a document on download.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WatermarkPolicy {
    /// Stamp every download; refuse the download when the file cannot be stamped.
    #[default]
    Required,
    /// Serve the stored file unchanged.
    Off,
}

impl WatermarkPolicy {
    /// The configuration spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            WatermarkPolicy::Required => "required",
            WatermarkPolicy::Off => "off",
        }
    }
}

/// Optional settings of one document (`[documents.settings.<id>]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// `required` (default) or `off`.
    #[serde(default)]
    pub watermark: WatermarkPolicy,
    /// Human title shown on the download page (default: the document id).
    #[serde(default)]
    pub title: Option<String>,
}

/// The settings of `document_id` (defaults when it has none).
pub fn settings_for(config: &Config, document_id: &str) -> DocumentSettings {
    config
        .documents
        .settings
        .get(document_id)
        .cloned()
        .unwrap_or_default()
}

/// Shape checks done while parsing the configuration (no file access).
pub fn check_settings(documents: &DocumentsConfig) -> Result<(), String> {
    for (id, settings) in &documents.settings {
        if !documents.files.contains_key(id) {
            return Err(format!(
                "documents.settings.{id} names a document that is not listed under [documents.files]"
            ));
        }
        if let Some(title) = &settings.title {
            if title.trim().is_empty()
                || title.chars().count() > 200
                || title.chars().any(char::is_control)
            {
                return Err(format!(
                    "documents.settings.{id}.title must be 1-200 characters without control characters"
                ));
            }
        }
    }
    Ok(())
}

/// Start-up check: every document under `required` must be a PDF that can be stamped. A file that is
/// missing is only reported (downloads answer 404 until it is there); one that exists but cannot be
/// stamped stops the start with a message naming it.
pub fn check_documents(config: &Config) -> Result<(), IntakeError> {
    let folder = config.documents_folder();
    for (id, file) in &config.documents.files {
        if settings_for(config, id).watermark != WatermarkPolicy::Required {
            continue;
        }
        let path = folder.join(file);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => {
                crate::redact::log(&format!(
                    "document {id}: {} cannot be read ({error}); its downloads will fail until it is there",
                    path.display()
                ));
                continue;
            }
        };
        let trial = StampFacts {
            request_id: "req_00000000000000000000000000000000".into(),
            name: "Start-up check".into(),
            company: "-".into(),
            email: "check@invalid".into(),
            nda_version: "-".into(),
            downloaded_at: 0,
        };
        if let Err(reason) = super::stamp::stamp_pdf(&bytes, &trial) {
            return Err(IntakeError::Config(format!(
                "documents.files.{id} = \"{file}\" ({}) cannot be watermarked: {reason}. Every download of it \
                 would be refused. Replace it with an unencrypted PDF, or set watermark = \"off\" under \
                 [documents.settings.{id}] to serve it without a watermark.",
                path.display()
            )));
        }
    }
    Ok(())
}

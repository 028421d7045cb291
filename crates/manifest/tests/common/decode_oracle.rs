//! The oracle of the decoder's differential tests, shared with the `json_reader` fuzz target
//! (which includes this file by path): what `parse_manifest` and `open_envelope` did with
//! serde_json and the model's derives (feature `serde-oracle`) before the crate had its own
//! decoder, and the documented differences, recognised from the input alone.
//!
//! `trust_manifest::decode` documents them: it is stricter (refuses what serde accepts) for
//! text that is not UTF-8 or has a lone surrogate escape, a struct written as an array, an
//! enumeration written as an object, a SOC 2 report `type` written as a number; and more
//! lenient (accepts what serde refuses) for deep nesting or a number beyond `f64` in an unknown
//! member of a SOC 2 `report` object, which serde's `flatten` buffers. Nothing here looks at the
//! decoder's error text.

use serde::Deserialize;
use trust_manifest::json::{self, Value};
use trust_manifest::{Envelope, Manifest, VerifyError, SCHEMA_VERSION};

/// Why serde refused a document.
#[derive(Debug)]
pub enum Refusal {
    /// Not a readable document (serde_json's message).
    Malformed(#[allow(dead_code)] String), // shown through `Debug` in failure messages
    /// A readable `schema_version` other than the supported one.
    Unsupported(u64),
}

/// Whether our error is the one serde gave (the same code, and the same version found).
pub fn same_refusal(ours: &VerifyError, theirs: &Refusal) -> bool {
    match (ours, theirs) {
        (
            VerifyError::MalformedManifest(_) | VerifyError::MalformedEnvelope(_),
            Refusal::Malformed(_),
        ) => true,
        (VerifyError::UnsupportedSchemaVersion { found }, Refusal::Unsupported(theirs)) => {
            found == theirs
        }
        _ => false,
    }
}

#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<serde_json::Value>,
}

/// The manifest as serde read it: a probe for `schema_version`, then the derived reader.
pub fn serde_manifest(payload: &[u8]) -> Result<Manifest, Refusal> {
    let malformed = |error: serde_json::Error| Refusal::Malformed(error.to_string());
    let probe: VersionProbe = serde_json::from_slice(payload).map_err(malformed)?;
    match probe.schema_version.as_ref().map(serde_json::Value::as_u64) {
        None => return Err(Refusal::Malformed("schema_version is missing".to_owned())),
        Some(None) => {
            return Err(Refusal::Malformed(
                "schema_version is not a number".to_owned(),
            ))
        }
        Some(Some(found)) if found != u64::from(SCHEMA_VERSION) => {
            return Err(Refusal::Unsupported(found))
        }
        Some(Some(_)) => {}
    }
    serde_json::from_slice(payload).map_err(malformed)
}

/// The envelope as serde read it: a UTF-8 check, then the derived reader.
pub fn serde_envelope(bytes: &[u8]) -> Result<Envelope, Refusal> {
    std::str::from_utf8(bytes).map_err(|error| Refusal::Malformed(error.to_string()))?;
    serde_json::from_slice(bytes).map_err(|error| Refusal::Malformed(error.to_string()))
}

/// Which document a text is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Document {
    /// A manifest (`decode::manifest`).
    Manifest,
    /// A DSSE envelope (`decode::envelope`).
    Envelope,
}

/// Where the model has structs (objects), with `[]` for any list index.
fn struct_paths(document: Document) -> &'static [&'static str] {
    match document {
        Document::Manifest => &[
            "",
            "organization",
            "soc2",
            "soc2.report",
            "soc2.bridge_letter",
            "iso27001",
            "iso27001.certificate",
            "iso27001.certificate.surveillance_audits[]",
            "documents[]",
            "subprocessors[]",
            "faq[]",
            "access_requests",
            "access_requests.nda",
            "changes[]",
            "updates",
        ],
        Document::Envelope => &["", "signatures[]"],
    }
}

/// Where the manifest has enumerations.
const ENUM_PATHS: &[&str] = &[
    "soc2.status",
    "soc2.report.type",
    "soc2.report.criteria[]",
    "iso27001.status",
    "iso27001.certificate.edition",
    "documents[].kind",
    "documents[].access",
    "changes[].category",
];

/// The members of a SOC 2 report object that serde does not buffer for `flatten`.
const REPORT_OWN_FIELDS: &[&str] = &["criteria", "auditor", "report_date"];

/// Why the decoder may refuse `bytes` although serde accepts them: the documented stricter
/// case the input shows, if any.
pub fn stricter_by_design(bytes: &[u8], document: Document) -> Option<&'static str> {
    if std::str::from_utf8(bytes).is_err() {
        return Some("text not UTF-8");
    }
    if has_lone_surrogate_escape(bytes) {
        return Some("lone surrogate escape");
    }
    let tree = json::parse(bytes).ok()?;
    let mut found = None;
    walk(&tree, String::new(), document, &mut found);
    found
}

/// Why the decoder may accept `bytes` although serde refuses them: the documented more lenient
/// case the input shows, if any.
pub fn lenient_by_design(bytes: &[u8], document: Document) -> Option<&'static str> {
    if document != Document::Manifest {
        return None;
    }
    let tree = json::parse(bytes).ok()?;
    let report = member(member(&tree, "soc2")?, "report")?;
    let Value::Object(members) = report else {
        return None;
    };
    members
        .iter()
        .filter(|(key, _)| !REPORT_OWN_FIELDS.contains(&key.as_ref()))
        .any(|(_, value)| too_deep_or_huge(value))
        .then_some("unknown report member serde's flatten cannot buffer")
}

/// The last member called `name` (as serde_json keeps it), if `value` is an object.
fn member<'v, 'a>(value: &'v Value<'a>, name: &str) -> Option<&'v Value<'a>> {
    match value {
        Value::Object(members) => members
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v),
        _ => None,
    }
}

fn too_deep_or_huge(value: &Value<'_>) -> bool {
    match value {
        Value::TooDeep => true,
        Value::Number(text) => text.parse::<f64>().is_ok_and(f64::is_infinite),
        Value::Array(items) => items.iter().any(too_deep_or_huge),
        Value::Object(members) => members.iter().any(|(_, value)| too_deep_or_huge(value)),
        _ => false,
    }
}

fn walk(value: &Value<'_>, path: String, document: Document, found: &mut Option<&'static str>) {
    if found.is_some() {
        return;
    }
    let path_is = |list: &[&str]| list.contains(&path.as_str());
    match value {
        Value::Array(_) if path_is(struct_paths(document)) => {
            *found = Some("struct written as an array");
        }
        Value::Object(_) if document == Document::Manifest && path_is(ENUM_PATHS) => {
            *found = Some("enumeration written as an object");
        }
        Value::Number(_) if document == Document::Manifest && path == "soc2.report.type" => {
            *found = Some("report type written as a number");
        }
        Value::Array(items) => {
            for item in items {
                walk(item, format!("{path}[]"), document, found);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                let inner = if path.is_empty() {
                    key.to_string()
                } else {
                    format!("{path}.{key}")
                };
                walk(item, inner, document, found);
            }
        }
        _ => {}
    }
}

/// Whether the text has a `\u` escape of a UTF-16 surrogate that is not a high surrogate
/// directly followed by a low one.
fn has_lone_surrogate_escape(bytes: &[u8]) -> bool {
    let escape_at = |at: usize| -> Option<u32> {
        let hex = bytes.get(at..at + 6)?;
        if &hex[..2] != b"\\u" {
            return None;
        }
        u32::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'\\' {
            at += 1;
            continue;
        }
        match escape_at(at) {
            Some(0xd800..=0xdbff) => match escape_at(at + 6) {
                Some(0xdc00..=0xdfff) => at += 12,
                _ => return true,
            },
            Some(0xdc00..=0xdfff) => return true,
            Some(_) => at += 6,
            None => at += 2,
        }
    }
    false
}

//! JSON Schema of the manifest payload (feature `schema`), generated from the Rust types so it
//! cannot drift from what the verifier accepts. The checked-in copy lives at
//! `schema/manifest.v1.schema.json` in the repository.

use crate::model::Manifest;

/// The `$id` of the version 1 schema.
pub const SCHEMA_ID: &str = "https://trust-center.invalid/schema/manifest.v1.schema.json";

/// The JSON Schema (draft 7) of a version 1 manifest payload.
///
/// It describes the shape of the JSON; rules that span fields (https-only links, ids that must
/// exist, date order) are checked by [`crate::validate()`].
pub fn json_schema() -> serde_json::Value {
    let root = schemars::schema_for!(Manifest);
    let mut value = serde_json::to_value(root).unwrap_or(serde_json::Value::Null);
    if let Some(object) = value.as_object_mut() {
        object.insert("$id".to_owned(), SCHEMA_ID.into());
    }
    value
}

/// [`json_schema`] as pretty-printed JSON with a final newline: the exact content of the
/// checked-in schema file.
pub fn json_schema_pretty() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

//! The checked-in JSON Schema must equal the one generated from the types.
//! Regenerate with `TRUST_MANIFEST_WRITE_SCHEMA=1 cargo test -p trust-manifest --test schema_file`.

mod common;

use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schema/manifest.v1.schema.json")
}

#[test]
fn checked_in_schema_matches_the_types() {
    let generated = trust_manifest::json_schema_pretty();
    let path = schema_path();
    if std::env::var_os("TRUST_MANIFEST_WRITE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().expect("schema dir")).expect("create schema dir");
        std::fs::write(&path, &generated).expect("write schema");
    }
    let on_disk = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    // Compare as JSON values, so key order (serde_json's `preserve_order` feature may be switched
    // on by another crate in a workspace build) does not matter, but any content change does.
    let on_disk: serde_json::Value = serde_json::from_str(&on_disk).expect("schema file is JSON");
    assert!(
        on_disk == trust_manifest::json_schema(),
        "schema/manifest.v1.schema.json is out of date; regenerate it with TRUST_MANIFEST_WRITE_SCHEMA=1 cargo test -p trust-manifest --test schema_file"
    );
}

#[test]
fn schema_describes_the_manifest() {
    let schema = trust_manifest::json_schema();
    let required = schema["required"].as_array().expect("required list");
    for field in [
        "schema_version",
        "version",
        "issued_at",
        "expires_at",
        "organization",
    ] {
        assert!(
            required.iter().any(|v| v == field),
            "{field} should be required"
        );
    }
    assert!(schema["definitions"]["Soc2Report"].is_object());
    assert_eq!(schema["definitions"]["Date"]["format"], "date");
    // The example manifest is accepted by the parser the schema was generated from.
    trust_manifest::parse_manifest(common::MANIFEST_JSON.as_bytes()).expect("example parses");
}

//! The JSON reader's tree as serde_json would read it: the oracle of the differential tests and of
//! the `json_reader` fuzz target (which includes this file by path).

use trust_manifest::json::Value;

/// The reader's value as a `serde_json::Value`, or `None` where serde_json refuses the document
/// by design (nesting beyond its limit, a number beyond `f64`). serde_json keeps the last of
/// duplicate member names, and so does this conversion.
pub fn as_serde(value: &Value<'_>) -> Option<serde_json::Value> {
    Some(match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(flag) => serde_json::Value::Bool(*flag),
        Value::Number(text) => serde_json::from_str(text).ok()?,
        Value::String(text) => serde_json::Value::String(text.to_string()),
        Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(as_serde).collect::<Option<_>>()?)
        }
        Value::Object(members) => {
            let mut map = serde_json::Map::new();
            for (key, value) in members {
                map.insert(key.to_string(), as_serde(value)?);
            }
            serde_json::Value::Object(map)
        }
        Value::TooDeep => return None,
    })
}

//! JSON for request bodies that refuses ambiguity: parsed like `serde_json::Value`, but a member name
//! that appears twice in one object is reported instead of silently keeping the last value.
//!
//! `{"nda_accepted": false, "nda_accepted": true}` must not be an NDA acceptance just because one
//! parser keeps the last duplicate (serde_json, JavaScript) while another keeps the first; the NDA
//! evidence never depends on that choice. The service refuses such bodies with a field error.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A parsed body and the paths of the members that were given more than once (`nda_accepted`,
/// `meta.tag`, `list[2].x`), in the order they were found, each once.
#[derive(Debug)]
pub struct Parsed {
    /// The value, with the first occurrence of each duplicated member.
    pub value: Value,
    /// Paths of duplicated members; empty for a well-formed body.
    pub duplicates: Vec<String>,
}

/// Parses one JSON document (the whole input, serde_json's syntax and depth limit).
pub fn parse(bytes: &[u8]) -> Result<Parsed, serde_json::Error> {
    let mut duplicates = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = ValueSeed {
        path: String::new(),
        duplicates: &mut duplicates,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(Parsed { value, duplicates })
}

struct ValueSeed<'a> {
    path: String,
    duplicates: &'a mut Vec<String>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = ValueSeed {
                path: format!("{}[{}]", self.path, items.len()),
                duplicates: &mut *self.duplicates,
            };
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            let value = map.next_value_seed(ValueSeed {
                path: path.clone(),
                duplicates: &mut *self.duplicates,
            })?;
            if object.contains_key(&key) {
                if !self.duplicates.contains(&path) {
                    self.duplicates.push(path);
                }
            } else {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn finds_duplicates_at_any_depth_and_in_escaped_spellings() {
        let parsed =
            parse(br#"{"nda_accepted": false, "a": {"x": 1, "x": 2}, "nda_accepted": true}"#)
                .unwrap();
        assert_eq!(parsed.duplicates, vec!["a.x", "nda_accepted"]);
        assert_eq!(parsed.value["nda_accepted"], false);
        let escaped = parse(br#"{"name": "a", "n\u0061me": "b", "l": [{"k":1,"k":1}]}"#).unwrap();
        assert_eq!(escaped.duplicates, vec!["name", "l[0].k"]);
        let triple = parse(br#"{"k":1,"k":2,"k":3}"#).unwrap();
        assert_eq!(triple.duplicates, vec!["k"]);
    }

    #[test]
    fn agrees_with_serde_json_on_well_formed_documents() {
        for text in [
            r#"{"a": [1, -2, 3.5, true, null, "x\n"], "b": {"c": {}}}"#,
            "[]",
            "\"s\"",
            "12345678901234567890",
        ] {
            let ours = parse(text.as_bytes()).unwrap();
            assert!(ours.duplicates.is_empty());
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours.value, theirs, "{text}");
        }
        for bad in ["{", "{} {}", "[1,]", "{\"a\" 1}"] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_err());
    }
}

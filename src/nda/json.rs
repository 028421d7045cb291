//! JSON text for the NDA form: writing the request body and the saved draft, reading the saved
//! draft and the intake service's answers. Reading uses the manifest crate's strict reader and
//! writing escapes by hand, so the widget's WebAssembly carries no serde_json.

use std::borrow::Cow;

use trust_manifest::json::{self, Value};

use super::idempotency::is_valid_idempotency_key;
use super::validation::NdaDraft;

/// Builds one JSON object, member by member, with every string escaped.
#[derive(Default)]
pub struct ObjectWriter {
    text: String,
}

impl ObjectWriter {
    fn name(&mut self, name: &str) {
        self.text.push(if self.text.is_empty() { '{' } else { ',' });
        push_string(&mut self.text, name);
        self.text.push(':');
    }

    /// Adds a string member.
    pub fn string(mut self, name: &str, value: &str) -> Self {
        self.name(name);
        push_string(&mut self.text, value);
        self
    }

    /// Adds a string member only when there is a value.
    pub fn optional_string(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.string(name, value),
            None => self,
        }
    }

    /// Goes on writing members after `text`, an object's text without its closing brace.
    pub fn continue_from(text: String) -> Self {
        ObjectWriter { text }
    }

    /// Adds a member whose value is JSON text written by the caller (e.g. a list of strings).
    pub fn raw(mut self, name: &str, json: &str) -> Self {
        self.name(name);
        self.text.push_str(json);
        self
    }

    /// Adds a boolean member.
    pub fn bool(mut self, name: &str, value: bool) -> Self {
        self.name(name);
        self.text.push_str(if value { "true" } else { "false" });
        self
    }

    /// The finished object's text.
    pub fn finish(mut self) -> String {
        if self.text.is_empty() {
            self.text.push('{');
        }
        self.text.push('}');
        self.text
    }
}

/// Appends `value` as a JSON string literal. Besides what RFC 8259 requires, `<`, `>` and `&`
/// are escaped too, so the text stays inert wherever it is pasted.
pub fn push_string(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0}'..='\u{1f}' | '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let code = ch as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(char::from(HEX[((code >> shift) & 0xf) as usize]));
                }
            }
            _ => out.push(ch),
        }
    }
    out.push('"');
}

/// The members of an object (empty for any other value).
fn members<'v, 'a>(value: &'v Value<'a>) -> &'v [(Cow<'a, str>, Value<'a>)] {
    match value {
        Value::Object(members) => members,
        _ => &[],
    }
}

/// The first member called `name`.
fn member<'v, 'a>(value: &'v Value<'a>, name: &str) -> Option<&'v Value<'a>> {
    members(value)
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// The member `name` when it is a string.
fn string_member(value: &Value<'_>, name: &str) -> Option<String> {
    match member(value, name) {
        Some(Value::String(text)) => Some(text.to_string()),
        _ => None,
    }
}

/// The saved draft as stored in local storage.
pub fn draft_to_json(draft: &NdaDraft) -> String {
    ObjectWriter::default()
        .string("name", &draft.name)
        .string("email", &draft.email)
        .string("company", &draft.company)
        .string("reason", &draft.reason)
        .bool("accepted", draft.accepted)
        .optional_string("pending_key", draft.pending_key.as_deref())
        .finish()
}

/// Reads a saved draft. Missing or mistyped fields fall back to empty; a saved idempotency key
/// the intake service would refuse is dropped (the next submission makes a new one); text that is
/// not a JSON object gives `None` (the form then starts empty).
pub fn draft_from_json(text: &str) -> Option<NdaDraft> {
    let value = json::parse(text.as_bytes()).ok()?;
    if !matches!(value, Value::Object(_)) {
        return None;
    }
    Some(NdaDraft {
        name: string_member(&value, "name").unwrap_or_default(),
        email: string_member(&value, "email").unwrap_or_default(),
        company: string_member(&value, "company").unwrap_or_default(),
        reason: string_member(&value, "reason").unwrap_or_default(),
        accepted: matches!(member(&value, "accepted"), Some(Value::Bool(true))),
        pending_key: string_member(&value, "pending_key")
            .filter(|key| is_valid_idempotency_key(key)),
    })
}

/// The fields of the service's confirmation: request id, status and optional status URL.
pub fn receipt_fields(text: &str) -> Option<(String, String, Option<String>)> {
    let value = json::parse(text.as_bytes()).ok()?;
    let request_id = string_member(&value, "request_id")?;
    let status = string_member(&value, "status")?;
    Some((request_id, status, string_member(&value, "status_url")))
}

/// What the service said in an error answer `{"error": {code, message, fields: [{field, message}]}}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceError {
    /// Machine-readable code, e.g. `validation_failed` (empty when absent).
    pub code: String,
    /// The service's own message (empty when absent).
    pub message: String,
    /// `(field name, message)` pairs for individual fields.
    pub fields: Vec<(String, String)>,
}

/// Reads an error answer; `None` when the body is not one (e.g. a proxy's HTML error page).
pub fn service_error(text: &str) -> Option<ServiceError> {
    let value = json::parse(text.as_bytes()).ok()?;
    let error = member(&value, "error")?;
    if !matches!(error, Value::Object(_)) {
        return None;
    }
    let fields = match member(error, "fields") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|item| {
                Some((
                    string_member(item, "field")?,
                    string_member(item, "message")?,
                ))
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(ServiceError {
        code: string_member(error, "code").unwrap_or_default(),
        message: string_member(error, "message").unwrap_or_default(),
        fields,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_so_any_parser_reads_them_back() {
        let tricky = "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7} </script> & é 😀 \u{2028}";
        let mut text = String::new();
        push_string(&mut text, tricky);
        assert!(!text.contains("</script>"));
        let parsed = json::parse(text.as_bytes());
        assert_eq!(parsed, Ok(Value::String(Cow::Owned(tricky.to_string()))));
    }

    #[test]
    fn objects_list_members_in_order() {
        let text = ObjectWriter::default()
            .string("a", "x")
            .optional_string("skipped", None)
            .bool("b", true)
            .finish();
        assert_eq!(text, r#"{"a":"x","b":true}"#);
        assert_eq!(ObjectWriter::default().finish(), "{}");
    }

    #[test]
    fn drafts_round_trip_and_survive_damage() {
        let draft = NdaDraft {
            name: "Ada \"Countess\" Lovelace".to_string(),
            email: "ada@example.com".to_string(),
            company: "Engines & Co".to_string(),
            reason: "line one\nline two".to_string(),
            accepted: true,
            pending_key: Some("k".repeat(22)),
        };
        assert_eq!(draft_from_json(&draft_to_json(&draft)), Some(draft));
        assert_eq!(
            draft_from_json(r#"{"name":"Ada","accepted":"yes","email":7}"#),
            Some(NdaDraft {
                name: "Ada".to_string(),
                ..NdaDraft::default()
            })
        );
        let damaged_key = r#"{"name":"Ada","pending_key":"no spaces allowed here"}"#;
        assert_eq!(draft_from_json(damaged_key).unwrap().pending_key, None);
        assert_eq!(draft_from_json("[1,2]"), None);
        assert_eq!(draft_from_json("{\"name\":"), None);
    }

    #[test]
    fn service_answers_are_read() {
        assert_eq!(
            receipt_fields(r#"{"request_id":"req_1","status":"pending"}"#),
            Some(("req_1".to_string(), "pending".to_string(), None))
        );
        assert_eq!(receipt_fields(r#"{"request_id":"req_1"}"#), None);
        let error = service_error(
            r#"{"error":{"code":"validation_failed","fields":[{"field":"email","message":"bad"},{"field":"x"}]}}"#,
        );
        assert_eq!(
            error,
            Some(ServiceError {
                code: "validation_failed".to_string(),
                message: String::new(),
                fields: vec![("email".to_string(), "bad".to_string())],
            })
        );
        assert_eq!(service_error("<html>Bad gateway</html>"), None);
        assert_eq!(service_error(r#"{"error":"nope"}"#), None);
    }
}

//! Validation of a submitted access request: every problem is reported with the field it concerns.

use serde::Serialize;
use serde_json::{Map, Value};

/// One problem with one field of the submitted form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON field name, e.g. `email`.
    pub field: String,
    /// Plain-language reason.
    pub message: String,
}

impl FieldError {
    fn new(field: &str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// A request that passed validation (strings trimmed, e-mail domain lowercased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessRequestInput {
    pub name: String,
    pub email: String,
    pub email_domain: String,
    pub company: String,
    pub reason: Option<String>,
    pub document_id: String,
    pub nda_version: String,
    pub nda_sha256: String,
    pub idempotency_key: String,
}

const MAX_NAME: usize = 200;
const MAX_REASON: usize = 2000;
const MAX_NDA_VERSION: usize = 64;

/// Parses and checks the JSON body. `known_document` says whether a document id is configured.
pub fn parse_access_request(
    body: &[u8],
    known_document: impl Fn(&str) -> bool,
) -> Result<AccessRequestInput, Vec<FieldError>> {
    let parsed = crate::strict_json::parse(body).map_err(|e| {
        vec![FieldError::new(
            "body",
            format!("the request body is not valid JSON ({e})"),
        )]
    })?;
    if !parsed.duplicates.is_empty() {
        // Which copy counts would depend on the parser; refuse instead of choosing.
        return Err(parsed
            .duplicates
            .iter()
            .map(|path| {
                FieldError::new(
                    path,
                    "is given more than once in the request body; send each field once",
                )
            })
            .collect());
    }
    let value = parsed.value;
    let Value::Object(object) = value else {
        return Err(vec![FieldError::new(
            "body",
            "the request body must be a JSON object",
        )]);
    };
    let mut errors = Vec::new();

    let name = text_field(&object, "name", MAX_NAME, true, &mut errors);
    let company = text_field(&object, "company", MAX_NAME, true, &mut errors);
    let reason = text_field(&object, "reason", MAX_REASON, false, &mut errors);
    let nda_version = text_field(&object, "nda_version", MAX_NDA_VERSION, true, &mut errors);

    let email = match string_field(&object, "email", &mut errors) {
        Some(raw) => match normalise_email(raw) {
            Ok(email) => Some(email),
            Err(message) => {
                errors.push(FieldError::new("email", message));
                None
            }
        },
        None => None,
    };

    let document_id = string_field(&object, "document_id", &mut errors).and_then(|id| {
        if !is_document_id(id) || !known_document(id) {
            errors.push(FieldError::new(
                "document_id",
                "this document is not offered for request",
            ));
            None
        } else {
            Some(id.to_string())
        }
    });

    let nda_sha256 = string_field(&object, "nda_sha256", &mut errors).and_then(|hash| {
        if hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            Some(hash.to_ascii_lowercase())
        } else {
            errors.push(FieldError::new(
                "nda_sha256",
                "must be the SHA-256 of the NDA text: 64 hexadecimal characters",
            ));
            None
        }
    });

    match object.get("nda_accepted") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) | None | Some(Value::Null) => errors.push(FieldError::new(
            "nda_accepted",
            "the NDA must be accepted before the document can be requested",
        )),
        Some(_) => errors.push(FieldError::new("nda_accepted", "must be true or false")),
    }

    let idempotency_key = string_field(&object, "idempotency_key", &mut errors).and_then(|key| {
        if is_idempotency_key(key) {
            Some(key.to_string())
        } else {
            errors.push(FieldError::new(
                "idempotency_key",
                "must be 16 to 64 characters of letters, digits, '-' or '_'",
            ));
            None
        }
    });

    match (
        name,
        email,
        company,
        document_id,
        nda_version,
        nda_sha256,
        idempotency_key,
    ) {
        (
            Some(name),
            Some((email, email_domain)),
            Some(company),
            Some(document_id),
            Some(nda_version),
            Some(nda_sha256),
            Some(idempotency_key),
        ) if errors.is_empty() => Ok(AccessRequestInput {
            name,
            email,
            email_domain,
            company,
            reason: reason.filter(|r| !r.is_empty()),
            document_id,
            nda_version,
            nda_sha256,
            idempotency_key,
        }),
        _ => Err(errors),
    }
}

fn string_field<'a>(
    object: &'a Map<String, Value>,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Option<&'a str> {
    match object.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            errors.push(FieldError::new(field, "is required"));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(field, "must be text"));
            None
        }
    }
}

/// Free text: trimmed, length-limited, no control characters (line breaks allowed in `reason`).
fn text_field(
    object: &Map<String, Value>,
    field: &str,
    max_chars: usize,
    required: bool,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let value = if required {
        string_field(object, field, errors)?
    } else {
        match object.get(field) {
            None | Some(Value::Null) => return Some(String::new()),
            Some(Value::String(s)) => s.trim(),
            Some(_) => {
                errors.push(FieldError::new(field, "must be text"));
                return None;
            }
        }
    };
    if value.chars().count() > max_chars {
        errors.push(FieldError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
        return None;
    }
    let allow_newlines = field == "reason";
    if value
        .chars()
        .any(|c| c.is_control() && !(allow_newlines && (c == '\n' || c == '\r' || c == '\t')))
    {
        errors.push(FieldError::new(field, "contains control characters"));
        return None;
    }
    Some(value.to_string())
}

/// Checks an e-mail address and returns `(address with lowercase domain, domain)`.
pub fn normalise_email(raw: &str) -> Result<(String, String), &'static str> {
    const BAD: &str = "must be a valid e-mail address such as jane@company.com";
    if raw.len() > 254 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(BAD);
    }
    let (local, domain) = raw.rsplit_once('@').ok_or(BAD)?;
    if local.is_empty() || local.len() > 64 || local.contains('@') || local.contains('"') {
        return Err(BAD);
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Err(BAD);
    }
    let domain = domain.to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(BAD);
    }
    if labels
        .last()
        .is_some_and(|tld| tld.len() < 2 || tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(BAD);
    }
    Ok((format!("{local}@{domain}"), domain))
}

/// The document-id and idempotency-key rules are the ones `trust-manifest` states for every part of
/// the product (the manifest, `trustctl lint`, the widget and this service), so a manifest that lints
/// clean never names a document this service refuses.
pub use trust_manifest::ids::{is_document_id, is_idempotency_key};

#[cfg(test)]
mod tests {
    use super::*;

    fn body(overrides: &[(&str, Value)]) -> Vec<u8> {
        let mut object = serde_json::json!({
            "name": "Jane Doe", "email": "Jane@Example.COM", "company": "Example",
            "document_id": "soc2-2026", "nda_version": "2026-01",
            "nda_sha256": "a".repeat(64), "nda_accepted": true, "idempotency_key": "abcdefghijklmnop"
        });
        for (k, v) in overrides {
            object[*k] = v.clone();
        }
        serde_json::to_vec(&object).unwrap()
    }

    #[test]
    fn accepts_a_good_request() {
        let input = parse_access_request(&body(&[]), |id| id == "soc2-2026").unwrap();
        assert_eq!(input.email, "Jane@example.com");
        assert_eq!(input.email_domain, "example.com");
        assert_eq!(input.reason, None);
    }

    #[test]
    fn names_every_bad_field() {
        let errors = parse_access_request(
            &body(&[
                ("email", "no-at-sign".into()),
                ("nda_accepted", false.into()),
                ("name", Value::Null),
            ]),
            |_| true,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "email", "nda_accepted"]);
    }

    #[test]
    fn duplicate_fields_are_refused_whichever_copy_is_true() {
        let good = String::from_utf8(body(&[])).unwrap();
        for (dup, field) in [
            (r#""nda_accepted": false, "#, "nda_accepted"),
            (r#""nda_accepted": true, "#, "nda_accepted"),
            (r#""email": "ceo@rival.example", "#, "email"),
            (r#""document_id": "other", "#, "document_id"),
        ] {
            let text = good.replacen('{', &format!("{{{dup}"), 1);
            let errors = parse_access_request(text.as_bytes(), |_| true).unwrap_err();
            assert_eq!(errors.len(), 1, "{text}");
            assert_eq!(errors[0].field, field);
            assert!(errors[0].message.contains("more than once"));
        }
    }

    #[test]
    fn email_rules() {
        for bad in [
            "a@b",
            "@x.com",
            "a b@x.com",
            "a@-x.com",
            "a@x..com",
            "a..b@x.com",
            "a@x.1",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
        assert!(normalise_email("o'brien+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn document_ids_refuse_traversal() {
        for bad in [
            "../etc/passwd",
            "..",
            "a/b",
            "",
            ".hidden",
            "a b",
            "é",
            "a\\b",
            "x..y",
        ] {
            assert!(!is_document_id(bad), "{bad}");
        }
        assert!(is_document_id("soc2-type2_2026.v1"));
        assert!(is_document_id("SOC2-Report"));
        // The shared rule's length limit (the service allowed 128 before issue 13).
        assert!(is_document_id(&"a".repeat(64)));
        assert!(!is_document_id(&"a".repeat(65)));
    }
}

//! Validation of a `POST /v1/subscriptions` body: `{"email", "categories", "idempotency_key"}`. Every
//! problem is reported with its field, in the service's error shape; unknown members are ignored like
//! the access-request endpoint does.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::category::{encode, Category};
use crate::validate::{normalise_email, FieldError};

/// A body that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscribeInput {
    /// The address with its domain lowercased.
    pub email: String,
    /// The whole address lowercased: one subscription per address.
    pub email_key: String,
    pub categories: Vec<Category>,
    pub idempotency_key: String,
}

impl SubscribeInput {
    /// SHA-256 over the normalised fields: a reused idempotency key with another body is detected.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.email_key, &encode(&self.categories))
    }
}

/// The fingerprint of a body for the address key `email_key` asking for `categories` (stored form).
pub fn fingerprint(email_key: &str, categories: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(email_key.as_bytes());
    hasher.update([0u8]);
    hasher.update(categories.as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every fingerprint a request for `email_key` can have: one per non-empty set of categories. Each
/// derives from the address (anyone who knows it can compute them), so an erasure deletes the
/// idempotency records with any of them.
pub fn every_fingerprint(email_key: &str) -> Vec<String> {
    let sets = 1u32 << Category::ALL.len();
    (1..sets)
        .map(|set| {
            let chosen: Vec<Category> = Category::ALL
                .into_iter()
                .enumerate()
                .filter(|(bit, _)| set & (1 << bit) != 0)
                .map(|(_, category)| category)
                .collect();
            fingerprint(email_key, &encode(&chosen))
        })
        .collect()
}

fn error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// Parses and checks the body.
pub fn parse_subscribe(body: &[u8]) -> Result<SubscribeInput, Vec<FieldError>> {
    let parsed = crate::strict_json::parse(body).map_err(|e| {
        vec![error(
            "body",
            &format!("the request body is not valid JSON ({e})"),
        )]
    })?;
    if !parsed.duplicates.is_empty() {
        return Err(parsed
            .duplicates
            .iter()
            .map(|path| {
                error(
                    path,
                    "is given more than once in the request body; send each field once",
                )
            })
            .collect());
    }
    let Value::Object(object) = parsed.value else {
        return Err(vec![error(
            "body",
            "the request body must be a JSON object",
        )]);
    };
    let mut errors = Vec::new();
    let email = email_field(&object, &mut errors);
    let categories = categories_field(&object, &mut errors);
    let idempotency_key = match object.get("idempotency_key") {
        Some(Value::String(key)) if trust_manifest::is_idempotency_key(key) => Some(key.clone()),
        Some(_) | None => {
            errors.push(error(
                "idempotency_key",
                "must be 16 to 64 characters of letters, digits, '-' or '_'",
            ));
            None
        }
    };
    match (email, categories, idempotency_key) {
        (Some(email), Some(categories), Some(idempotency_key)) if errors.is_empty() => {
            Ok(SubscribeInput {
                email_key: email.to_lowercase(),
                email,
                categories,
                idempotency_key,
            })
        }
        _ => Err(errors),
    }
}

fn email_field(object: &Map<String, Value>, errors: &mut Vec<FieldError>) -> Option<String> {
    match object.get("email") {
        Some(Value::String(raw)) => match normalise_email(raw.trim()) {
            Ok((email, _domain)) => Some(email),
            Err(message) => {
                errors.push(error("email", message));
                None
            }
        },
        Some(_) => {
            errors.push(error("email", "must be a string"));
            None
        }
        None => {
            errors.push(error("email", "is required"));
            None
        }
    }
}

fn categories_field(
    object: &Map<String, Value>,
    errors: &mut Vec<FieldError>,
) -> Option<Vec<Category>> {
    const NAMES: &str = "subprocessors, certifications, documents, policies or other";
    let Some(Value::Array(items)) = object.get("categories") else {
        errors.push(error(
            "categories",
            &format!("must be a list of one or more of {NAMES}"),
        ));
        return None;
    };
    if items.is_empty() {
        errors.push(error("categories", "choose at least one category"));
        return None;
    }
    let mut chosen = Vec::new();
    for item in items {
        let Some(category) = item.as_str().and_then(Category::parse) else {
            errors.push(error(
                "categories",
                &format!("each category must be one of {NAMES}"),
            ));
            return None;
        };
        if chosen.contains(&category) {
            errors.push(error(
                "categories",
                &format!("\"{}\" is listed twice", category.as_str()),
            ));
            return None;
        }
        chosen.push(category);
    }
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(body: &str) -> Vec<String> {
        parse_subscribe(body.as_bytes())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn accepts_the_contract_body_and_reports_each_field() {
        let ok = parse_subscribe(
            br#"{"email":"Ana@Example.COM","categories":["subprocessors","certifications"],"idempotency_key":"abcdefghijklmnop"}"#,
        )
        .unwrap();
        assert_eq!(ok.email, "Ana@example.com");
        assert_eq!(ok.email_key, "ana@example.com");
        assert_eq!(
            fields(r#"{"email":"x","categories":[],"idempotency_key":"short"}"#),
            ["email", "categories", "idempotency_key"]
        );
        assert_eq!(
            fields(
                r#"{"email":"a@b.example","categories":["other","other"],"idempotency_key":"abcdefghijklmnop"}"#
            ),
            ["categories"]
        );
        assert_eq!(
            fields(
                r#"{"email":"a@b.example","categories":["marketing"],"idempotency_key":"abcdefghijklmnop"}"#
            ),
            ["categories"]
        );
        assert_eq!(fields("[]"), ["body"]);
    }

    #[test]
    fn every_fingerprint_covers_each_set_of_categories_in_any_order() {
        let all = every_fingerprint("ana@example.com");
        assert_eq!(all.len(), 31);
        let mut unique = all.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 31);
        let input = parse_subscribe(
            br#"{"email":"Ana@Example.com","categories":["other","subprocessors","policies"],"idempotency_key":"abcdefghijklmnop"}"#,
        )
        .unwrap();
        assert!(all.contains(&input.fingerprint()));
        assert!(!every_fingerprint("bo@example.com").contains(&input.fingerprint()));
    }
}

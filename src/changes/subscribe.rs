//! The subscribe form's data (pure code, tested natively): what was entered, the checks, the
//! request body of the subscription API (CONTRACT: `{"email", "categories",
//! "idempotency_key"}`) and the reading of the service's answer. The body is written and the answer read with the NDA form's JSON code, the e-mail
//! checked with its rule, and the key is its idempotency key.

use trust_manifest::ChangeCategory;

use crate::i18n::{Msg, Tr};
use crate::nda::json::{push_string, service_error, ObjectWriter};
use crate::nda::submit::as_sentence;
use crate::nda::validation::{looks_like_email, MAX_SHORT_FIELD};

/// The service's refusal, ready to show: the reason in the page's language, and the service's
/// own words (English, shown marked `lang="en"`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// The overall reason.
    pub message: String,
    /// What the service said about the request as a whole, when it said nothing about a field.
    pub service_said: Option<String>,
    /// The service's message about the e-mail address.
    pub email: Option<String>,
    /// The service's message about the topics.
    pub categories: Option<String>,
    /// Whether retrying unchanged may help (network trouble, rate limits, server errors).
    pub retryable: bool,
}

/// What the visitor entered: the address as typed and the ticked topics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscribeDraft {
    /// The e-mail address as typed.
    pub email: String,
    /// The ticked topics (in [`ChangeCategory::ALL`] order).
    pub topics: Vec<ChangeCategory>,
}

impl SubscribeDraft {
    /// The problems with what was entered: (e-mail, topics).
    pub fn check(&self) -> (Option<Msg>, Option<Msg>) {
        let email = self.email.trim();
        let email_ok = email.chars().count() <= MAX_SHORT_FIELD && looks_like_email(email);
        (
            (!email_ok).then_some(Msg::SubscribeEmailInvalid),
            self.topics.is_empty().then_some(Msg::SubscribeTopicsEmpty),
        )
    }

    /// The request body without the idempotency key: what a pending key was made for (the
    /// form reuses the key while this stays the same, and makes a new one when it changes).
    pub fn fingerprint(&self) -> String {
        let mut list = String::from("[");
        for category in &self.topics {
            if list.len() > 1 {
                list.push(',');
            }
            push_string(&mut list, category.as_str());
        }
        list.push(']');
        ObjectWriter::default()
            .string("email", self.email.trim())
            .raw("categories", &list)
            .finish()
    }

    /// The request body of the subscription API with this idempotency key.
    pub fn body(&self, key: &str) -> String {
        let mut body = self.fingerprint();
        body.pop();
        ObjectWriter::continue_from(body)
            .string("idempotency_key", key)
            .finish()
    }
}

/// Reads the service's answer: 202 (or 200) is accepted; anything else is a [`Failure`] worded
/// in `tr`'s language, with the service's field messages placed next to their fields.
pub fn interpret(tr: Tr, status: u16, body: &str) -> Result<(), Failure> {
    if status == 202 || status == 200 {
        return Ok(());
    }
    let parsed = service_error(body).unwrap_or_default();
    let mut failure = Failure {
        message: match status {
            400 => tr.get(Msg::SubscribeRefusedFields).to_owned(),
            429 => tr.get(Msg::SubscribeRateLimited).to_owned(),
            _ => tr.fill(Msg::SubscribeRefused, &[("status", &status.to_string())]),
        },
        retryable: status == 429 || status == 408 || status >= 500,
        ..Failure::default()
    };
    for (field, message) in &parsed.fields {
        match field.as_str() {
            "email" => failure.email = Some(as_sentence(message)),
            "categories" => failure.categories = Some(as_sentence(message)),
            _ => {}
        }
    }
    let message = parsed.message.trim();
    if failure.email.is_none() && failure.categories.is_none() && !message.is_empty() {
        failure.service_said = Some(as_sentence(message));
    }
    Err(failure)
}

/// The failure when the service cannot be reached.
pub fn network_failure(tr: Tr) -> Failure {
    Failure {
        message: tr.get(Msg::SubscribeNetwork).to_owned(),
        retryable: true,
        ..Failure::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: Tr = Tr::english();

    fn draft(email: &str, topics: &[ChangeCategory]) -> SubscribeDraft {
        SubscribeDraft {
            email: email.to_owned(),
            topics: topics.to_vec(),
        }
    }

    #[test]
    fn the_body_is_the_contract_json() {
        let all = ChangeCategory::ALL;
        let body =
            draft(" ana@example.com ", &[all[0], all[1], all[3]]).body("tc_0123456789abcdef");
        assert_eq!(
            body,
            r#"{"email":"ana@example.com","categories":["subprocessors","certifications","policies"],"idempotency_key":"tc_0123456789abcdef"}"#
        );
        let parsed: serde_json::Value =
            serde_json::from_str(&draft("a\"b<@x.io", &all).body("k")).unwrap();
        assert_eq!(parsed["email"], "a\"b<@x.io");
        assert_eq!(parsed["categories"].as_array().map(Vec::len), Some(5));
        // The fingerprint is the body without the key: equal drafts, equal fingerprints.
        assert_eq!(
            draft("ana@example.com", &all).fingerprint(),
            draft(" ana@example.com", &all).fingerprint()
        );
        assert_ne!(
            draft("ana@example.com", &all).fingerprint(),
            draft("ana@example.com", &all[1..]).fingerprint()
        );
    }

    #[test]
    fn checks_before_sending() {
        let all = ChangeCategory::ALL;
        assert_eq!(
            draft("", &all).check(),
            (Some(Msg::SubscribeEmailInvalid), None)
        );
        assert_eq!(
            draft("ana@", &all).check().0,
            Some(Msg::SubscribeEmailInvalid)
        );
        assert_eq!(
            draft("ana@example.com", &[]).check(),
            (None, Some(Msg::SubscribeTopicsEmpty))
        );
        assert_eq!(draft(" ana@example.com ", &all[..1]).check(), (None, None));
        let long = format!("{}@example.com", "a".repeat(200));
        assert_eq!(
            draft(&long, &all).check().0,
            Some(Msg::SubscribeEmailInvalid)
        );
    }

    #[test]
    fn answers_are_read() {
        assert_eq!(
            interpret(EN, 202, r#"{"status":"confirmation_sent"}"#),
            Ok(())
        );
        let failure = interpret(
            EN,
            400,
            r#"{"error":{"code":"validation_failed","message":"invalid","fields":[{"field":"email","message":"not an address"},{"field":"categories","message":"unknown category \"x\""}]}}"#,
        )
        .unwrap_err();
        assert_eq!(failure.message, EN.get(Msg::SubscribeRefusedFields));
        assert_eq!(failure.service_said, None, "the fields carry the details");
        assert_eq!(failure.email.as_deref(), Some("Not an address."));
        assert_eq!(
            failure.categories.as_deref(),
            Some("Unknown category \"x\".")
        );
        assert!(!failure.retryable);
        let limited = interpret(
            EN,
            429,
            r#"{"error":{"code":"rate_limited","message":"slow down"}}"#,
        )
        .unwrap_err();
        assert!(limited.retryable);
        assert_eq!(limited.service_said.as_deref(), Some("Slow down."));
        let broken = interpret(EN, 502, "<html>bad gateway</html>").unwrap_err();
        assert!(broken.retryable && broken.message.contains("HTTP 502"));
        assert!(!interpret(EN, 409, "{}").unwrap_err().retryable);
        assert!(network_failure(EN).retryable);
    }
}

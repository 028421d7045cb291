//! The NDA form's decisions, as pure code tested natively below: what pressing "Send request"
//! (or "Retry") leads to, and which problems a refusal puts next to the fields. The form
//! ([`super::form`]) reads what the visitor typed from its fields, asks these functions, and
//! writes the outcome into its elements.

use crate::i18n::Msg;

use super::submit::SubmitFailure;
use super::validation::{validate_draft, FieldErrors, NdaDraft};

/// What a submission leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum Submission {
    /// Nothing is sent: every problem is shown next to its field and the first gets focus.
    Invalid(FieldErrors),
    /// Nothing can be sent: the browser has no secure random generator for the key.
    Impossible(SubmitFailure),
    /// Send with this idempotency key, kept pending (with the draft) until the service confirms.
    Send(String),
}

/// Decides a submission of `draft`: validate, then reuse its pending idempotency key (a retry of
/// the same input is recorded once) or take `fresh_key` (`None`: the browser has no random
/// generator). A draft whose input changed has no pending key: every edit drops it.
pub fn plan_submission(draft: &NdaDraft, fresh_key: Option<String>) -> Submission {
    let problems = validate_draft(draft);
    if !problems.is_empty() {
        return Submission::Invalid(problems);
    }
    match draft.pending_key.clone().or(fresh_key) {
        Some(key) => Submission::Send(key),
        None => Submission::Impossible(SubmitFailure {
            message: "This browser cannot create the secure random number the request needs. \
                      Please try a current browser."
                .to_string(),
            fields: Vec::new(),
            retryable: false,
            localized: Some((Msg::MirrorNdaFailRandom, Vec::new(), String::new())),
        }),
    }
}

/// The problems a refusal puts next to the fields (only the service's own field messages; the
/// client-side ones were fine, or nothing would have been sent). The first gets focus.
pub fn refusal_problems(failure: &SubmitFailure) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for (field, message) in &failure.fields {
        errors.add(*field, message.clone());
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nda::validation::Field;

    fn filled() -> NdaDraft {
        NdaDraft {
            name: "Ada Lovelace".into(),
            email: " ada@example.com ".into(),
            company: "Analytical Engines".into(),
            reason: String::new(),
            accepted: true,
            pending_key: None,
        }
    }

    #[test]
    fn an_invalid_submission_shows_every_problem_and_sends_nothing() {
        let Submission::Invalid(problems) =
            plan_submission(&NdaDraft::default(), Some("tc_0123456789abcdef".into()))
        else {
            panic!("an empty draft is invalid")
        };
        assert_eq!(problems.first(), Some(Field::Name));
        assert_eq!(problems.len(), 4, "name, e-mail, company, acceptance");
        let mut unaccepted = filled();
        unaccepted.accepted = false;
        assert!(matches!(
            plan_submission(&unaccepted, Some("tc_0123456789abcdef".into())),
            Submission::Invalid(problems) if problems.first() == Some(Field::Accepted)
        ));
    }

    #[test]
    fn a_valid_submission_reuses_its_pending_key_else_takes_the_fresh_one() {
        assert_eq!(
            plan_submission(&filled(), Some("tc_first_key_0123".into())),
            Submission::Send("tc_first_key_0123".into())
        );
        let mut retried = filled();
        retried.pending_key = Some("tc_first_key_0123".into());
        assert_eq!(
            plan_submission(&retried, Some("tc_other_key_0123".into())),
            Submission::Send("tc_first_key_0123".into()),
            "a retry of the same input is recorded once"
        );
        assert_eq!(
            plan_submission(&retried, None),
            Submission::Send("tc_first_key_0123".into())
        );
    }

    #[test]
    fn without_a_random_generator_nothing_is_sent() {
        assert!(matches!(
            plan_submission(&filled(), None),
            Submission::Impossible(SubmitFailure {
                retryable: false,
                ..
            })
        ));
    }

    #[test]
    fn service_field_errors_are_shown_in_form_order() {
        let failure = SubmitFailure {
            message: "refused".into(),
            fields: vec![
                (Field::Company, "Unknown company.".into()),
                (Field::Email, "Use a work address.".into()),
            ],
            retryable: false,
            localized: None,
        };
        let problems = refusal_problems(&failure);
        assert_eq!(problems.first(), Some(Field::Email));
        assert_eq!(problems.get(Field::Email), Some("Use a work address."));
        assert_eq!(problems.get(Field::Company), Some("Unknown company."));
        assert!(refusal_problems(&SubmitFailure::default()).is_empty());
    }
}

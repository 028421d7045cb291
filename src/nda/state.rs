//! The NDA form's state and every change to it, as one reducer: the component dispatches an
//! [`Action`] and [`FormState::reduce`] decides the next state. Pure code (no browser calls), so
//! each transition is tested natively below; the effects that follow a state (saving the draft,
//! sending the request, moving focus) live in the component and read only the state.

use crate::i18n::Msg;
use std::rc::Rc;

use yew::Reducible;

use super::submit::{Receipt, SubmitFailure};
use super::validation::{validate_draft, Field, FieldErrors, NdaDraft};

/// Where the form is in its life.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Phase {
    /// Filling in (possibly after a failed validation).
    #[default]
    Editing,
    /// Waiting for the service.
    Submitting,
    /// The service could not be reached or refused; input is kept.
    Failed(SubmitFailure),
    /// Accepted by the service.
    Done {
        /// The service's confirmation.
        receipt: Receipt,
        /// The address the answer goes to.
        email: String,
    },
}

/// A change the visitor (or the service's answer) makes to the form.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A text field now holds this text.
    Type(Field, String),
    /// The NDA box was ticked or unticked.
    Accept(bool),
    /// "Send request" or "Retry": validate, then send. `fresh_key` is a new idempotency key for
    /// the case that no earlier attempt left one pending (`None`: the browser has no random
    /// generator).
    Submit {
        /// A newly made idempotency key, used only if none is pending.
        fresh_key: Option<String>,
    },
    /// The service answered the pending submission.
    Answered(Result<Receipt, SubmitFailure>),
    /// "Clear the form": forget everything typed.
    Clear,
    /// "Make another request" after a confirmation.
    StartOver,
}

/// Everything the form remembers between renders.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormState {
    /// What the visitor typed (persisted by the component whenever it changes).
    pub draft: NdaDraft,
    /// Problems to show next to the fields.
    pub errors: FieldErrors,
    /// Where the form is in its life.
    pub phase: Phase,
    /// Which field to focus after the next render: a counter, so that asking for the same field
    /// twice is still a new request, and the field (`None`: nothing to focus).
    pub focus: (u32, Option<Field>),
    /// Counts submissions: the component sends the request when this changes while the phase is
    /// [`Phase::Submitting`].
    pub submission: u32,
}

impl FormState {
    /// A form that starts from a saved draft.
    pub fn with_draft(draft: NdaDraft) -> Self {
        FormState {
            draft,
            ..FormState::default()
        }
    }

    /// The focus request for `field`, newer than the current one.
    fn focus_on(&self, field: Option<Field>) -> (u32, Option<Field>) {
        (self.focus.0.wrapping_add(1), field)
    }

    /// The next state after `action` (a plain function; [`Reducible::reduce`] wraps it).
    pub fn next(&self, action: Action) -> FormState {
        let submitting = matches!(self.phase, Phase::Submitting);
        match action {
            // The fields are disabled while a submission is pending; an edit that still
            // arrives must not change what is being sent, nor lose its answer.
            Action::Type(..) | Action::Accept(_) | Action::Clear | Action::StartOver
                if submitting =>
            {
                self.clone()
            }
            Action::Type(field, text) => {
                let mut next = self.edited(field);
                match field {
                    Field::Name => next.draft.name = text,
                    Field::Email => next.draft.email = text,
                    Field::Company => next.draft.company = text,
                    Field::Reason => next.draft.reason = text,
                    Field::Accepted => {}
                }
                next
            }
            Action::Accept(accepted) => {
                let mut next = self.edited(Field::Accepted);
                next.draft.accepted = accepted;
                next
            }
            Action::Submit { .. } if submitting => self.clone(),
            Action::Submit { fresh_key } => self.submitted(fresh_key),
            Action::Answered(answer) if submitting => self.answered(answer),
            // An answer for a submission that is no longer pending (cannot happen while the
            // form is disabled) changes nothing.
            Action::Answered(_) => self.clone(),
            Action::Clear => FormState {
                focus: self.focus,
                submission: self.submission,
                ..FormState::default()
            },
            Action::StartOver => FormState {
                errors: FieldErrors::default(),
                phase: Phase::Editing,
                focus: self.focus_on(Some(Field::ALL[0])),
                ..self.clone()
            },
        }
    }

    /// After an edit of `field`: its error is gone, and a pending key no longer matches the
    /// input, so the next submission gets a new one.
    fn edited(&self, field: Field) -> FormState {
        let mut next = self.clone();
        next.draft.pending_key = None;
        next.errors.clear(field);
        next
    }

    fn submitted(&self, fresh_key: Option<String>) -> FormState {
        let problems = validate_draft(&self.draft);
        if let Some(first) = problems.first() {
            return FormState {
                errors: problems,
                phase: Phase::Editing,
                focus: self.focus_on(Some(first)),
                ..self.clone()
            };
        }
        let Some(key) = self.draft.pending_key.clone().or(fresh_key) else {
            return FormState {
                errors: FieldErrors::default(),
                phase: Phase::Failed(SubmitFailure {
                    message: "This browser cannot create the secure random number the request \
                              needs. Please try a current browser."
                        .to_string(),
                    fields: Vec::new(),
                    retryable: false,
                    localized: Some((Msg::MirrorNdaFailRandom, Vec::new(), String::new())),
                }),
                ..self.clone()
            };
        };
        let mut next = self.clone();
        next.draft.pending_key = Some(key);
        next.errors = FieldErrors::default();
        next.phase = Phase::Submitting;
        next.submission = self.submission.wrapping_add(1);
        next
    }

    fn answered(&self, answer: Result<Receipt, SubmitFailure>) -> FormState {
        match answer {
            Ok(receipt) => FormState {
                draft: NdaDraft::default(),
                errors: FieldErrors::default(),
                phase: Phase::Done {
                    receipt,
                    email: self.draft.email.trim().to_string(),
                },
                // The confirmation takes focus (see the component); no field request is left
                // over for when the visitor leaves it.
                focus: self.focus_on(None),
                submission: self.submission,
            },
            Err(failure) => {
                let mut errors = FieldErrors::default();
                for (field, message) in &failure.fields {
                    errors.add(*field, message.clone());
                }
                let focus = match errors.first() {
                    Some(first) => self.focus_on(Some(first)),
                    None => self.focus,
                };
                FormState {
                    errors,
                    phase: Phase::Failed(failure),
                    focus,
                    ..self.clone()
                }
            }
        }
    }
}

impl Reducible for FormState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(self.next(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled() -> FormState {
        FormState::with_draft(NdaDraft {
            name: "Ada Lovelace".into(),
            email: " ada@example.com ".into(),
            company: "Analytical Engines".into(),
            reason: String::new(),
            accepted: true,
            pending_key: None,
        })
    }

    fn receipt() -> Receipt {
        Receipt {
            request_id: "req_1".into(),
            status: "pending".into(),
            status_url: None,
        }
    }

    #[test]
    fn typing_sets_the_field_and_forgets_its_error_and_the_pending_key() {
        let mut state = FormState::default().next(Action::Submit {
            fresh_key: Some("tc_0123456789abcdef".into()),
        });
        assert!(state.errors.get(Field::Name).is_some());
        state.draft.pending_key = Some("tc_old_key_0123456".into());
        let next = state.next(Action::Type(Field::Name, "Ada".into()));
        assert_eq!(next.draft.name, "Ada");
        assert_eq!(next.errors.get(Field::Name), None);
        assert!(next.errors.get(Field::Email).is_some(), "other errors stay");
        assert_eq!(next.draft.pending_key, None);
        let next = next.next(Action::Accept(true));
        assert!(next.draft.accepted);
        assert_eq!(next.errors.get(Field::Accepted), None);
    }

    /// The form sends its request from one effect that follows the draft and the submission
    /// counter (`form.rs`); it sends once per `Submitting` phase only because no action but the
    /// answer changes anything while a request is out.
    #[test]
    fn nothing_changes_while_submitting() {
        let sending = filled().next(Action::Submit {
            fresh_key: Some("tc_first_key_0123".into()),
        });
        assert_eq!(sending.phase, Phase::Submitting);
        let mut actions = vec![
            Action::Accept(false),
            Action::Submit { fresh_key: None },
            Action::Submit {
                fresh_key: Some("tc_other_key_0123".into()),
            },
            Action::Clear,
            Action::StartOver,
        ];
        for field in Field::ALL {
            actions.push(Action::Type(field, "changed".into()));
        }
        for action in actions {
            let next = sending.next(action.clone());
            assert_eq!(
                (&next.draft, next.submission, &next.phase),
                (&sending.draft, sending.submission, &sending.phase),
                "{action:?}"
            );
        }
    }

    #[test]
    fn an_invalid_submission_shows_every_problem_and_focuses_the_first() {
        let state = FormState::default();
        let next = state.next(Action::Submit {
            fresh_key: Some("tc_0123456789abcdef".into()),
        });
        assert_eq!(next.phase, Phase::Editing);
        assert_eq!(next.errors.first(), Some(Field::Name));
        assert_eq!(next.focus, (1, Some(Field::Name)));
        assert_eq!(next.submission, 0, "nothing is sent");
        // Asking again is a new focus request for the same field.
        let again = next.next(Action::Submit { fresh_key: None });
        assert_eq!(again.focus, (2, Some(Field::Name)));
    }

    #[test]
    fn a_valid_submission_is_sent_once_with_a_key_that_retries_reuse() {
        let sending = filled().next(Action::Submit {
            fresh_key: Some("tc_first_key_0123".into()),
        });
        assert_eq!(sending.phase, Phase::Submitting);
        assert_eq!(sending.submission, 1);
        assert_eq!(
            sending.draft.pending_key.as_deref(),
            Some("tc_first_key_0123")
        );
        // A second press while pending changes nothing, and edits cannot slip in.
        assert_eq!(sending.next(Action::Submit { fresh_key: None }), sending);
        assert_eq!(
            sending.next(Action::Type(Field::Name, "Eve".into())),
            sending
        );
        assert_eq!(sending.next(Action::Clear), sending);

        let failure = SubmitFailure {
            message: "down".into(),
            fields: Vec::new(),
            retryable: true,
            localized: None,
        };
        let failed = sending.next(Action::Answered(Err(failure.clone())));
        assert_eq!(failed.phase, Phase::Failed(failure));
        assert_eq!(failed.draft.name, "Ada Lovelace", "input is kept");
        let retried = failed.next(Action::Submit {
            fresh_key: Some("tc_other_key_0123".into()),
        });
        assert_eq!(
            retried.draft.pending_key.as_deref(),
            Some("tc_first_key_0123")
        );
        assert_eq!(retried.submission, 2);
    }

    #[test]
    fn without_a_random_generator_nothing_is_sent() {
        let next = filled().next(Action::Submit { fresh_key: None });
        assert!(matches!(
            next.phase,
            Phase::Failed(SubmitFailure {
                retryable: false,
                ..
            })
        ));
        assert_eq!(next.submission, 0);
    }

    #[test]
    fn service_field_errors_are_shown_and_focused() {
        let sending = filled().next(Action::Submit {
            fresh_key: Some("tc_first_key_0123".into()),
        });
        let failed = sending.next(Action::Answered(Err(SubmitFailure {
            message: "refused".into(),
            fields: vec![(Field::Email, "Use a work address.".into())],
            retryable: false,
            localized: None,
        })));
        assert_eq!(failed.errors.get(Field::Email), Some("Use a work address."));
        assert_eq!(failed.focus.1, Some(Field::Email));
        assert!(failed.focus.0 > sending.focus.0);
    }

    #[test]
    fn a_confirmation_empties_the_draft_and_another_request_focuses_the_first_field() {
        let sending = filled().next(Action::Submit {
            fresh_key: Some("tc_first_key_0123".into()),
        });
        let done = sending.next(Action::Answered(Ok(receipt())));
        assert_eq!(
            done.phase,
            Phase::Done {
                receipt: receipt(),
                email: "ada@example.com".into()
            }
        );
        assert_eq!(done.draft, NdaDraft::default());
        assert_eq!(done.focus.1, None);
        let again = done.next(Action::StartOver);
        assert_eq!(again.phase, Phase::Editing);
        assert_eq!(again.focus.1, Some(Field::Name));
        assert!(again.focus.0 > done.focus.0);
        // A late answer for nothing pending changes nothing.
        assert_eq!(again.next(Action::Answered(Ok(receipt()))), again);
    }

    #[test]
    fn clearing_forgets_the_input_without_moving_focus() {
        let state = filled().next(Action::Submit { fresh_key: None });
        let cleared = state.next(Action::Clear);
        assert_eq!(cleared.draft, NdaDraft::default());
        assert_eq!(cleared.phase, Phase::Editing);
        assert_eq!(cleared.focus, state.focus);
    }
}

//! The decisions a reviewer takes on a request's page. Each one is a CSRF-checked form post from a
//! signed-in reviewer ([`Verified`]) and calls the same [`crate::workflow`] function as the command
//! line, with the reviewer as the audit trail's actor (`reviewer:<name>`). Success redirects back to
//! the request (post/redirect/get); a refusal shows the page again with the reviewer's input kept.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::pages::request::{render, FailedForm};
use super::respond::ConsoleError;
use super::session::{CsrfForm, Verified};
use super::{blocking, ConsoleState};
use crate::config::Config;
use crate::error::IntakeError;
use crate::store::Store;
use crate::workflow;

/// The fields any action form may carry.
#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    message: String,
}

impl CsrfForm for ActionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl ActionForm {
    fn note(&self) -> Option<String> {
        Some(self.note.trim().to_string()).filter(|n| !n.is_empty())
    }

    fn failed(&self, action: &'static str, error: String) -> FailedForm {
        FailedForm {
            action,
            error,
            days: self.days.clone(),
            note: self.note.clone(),
            message: self.message.clone(),
        }
    }

    fn days(&self) -> Result<u32, String> {
        match self.days.trim().parse::<u32>() {
            Ok(days) if (1..=3650).contains(&days) => Ok(days),
            _ => Err("Enter a whole number of days between 1 and 3650.".into()),
        }
    }
}

const MAX_TEXT: usize = 1000;

fn check_lengths(form: &ActionForm) -> Result<(), String> {
    if form.note.chars().count() > MAX_TEXT || form.message.chars().count() > MAX_TEXT {
        return Err(format!(
            "Notes and messages can be at most {MAX_TEXT} characters."
        ));
    }
    Ok(())
}

/// Runs `work` (a workflow call) and answers: redirect on success, the page with the error otherwise.
async fn finish<F>(
    state: Arc<ConsoleState>,
    verified: Verified<ActionForm>,
    id: String,
    action: &'static str,
    done: &'static str,
    work: F,
) -> Result<Response, ConsoleError>
where
    F: FnOnce(Arc<ConsoleState>, String, String) -> Result<(), IntakeError> + Send + 'static,
{
    let Verified { reviewer, form, .. } = verified;
    if let Err(error) = check_lengths(&form) {
        let failed = form.failed(action, error);
        return render(
            &state,
            &reviewer,
            &id,
            None,
            Some((StatusCode::UNPROCESSABLE_ENTITY, failed)),
        )
        .await;
    }
    let actor = reviewer.actor();
    let worker_state = state.clone();
    let target = id.clone();
    match blocking(move || work(worker_state, target, actor)).await {
        Ok(()) => Ok(Redirect::to(&format!("/requests/{id}?done={done}")).into_response()),
        Err(ConsoleError::Conflict(message)) => {
            let failed = form.failed(action, message);
            render(
                &state,
                &reviewer,
                &id,
                None,
                Some((StatusCode::CONFLICT, failed)),
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// A workflow call that grants access for a number of days ([`workflow::approve`],
/// [`workflow::extend_access`]).
type GrantDays = fn(
    &dyn Store,
    &Config,
    &[u8],
    &str,
    &str,
    u32,
    Option<String>,
) -> Result<workflow::Approval, IntakeError>;

/// The form's days (refused with the page again when out of range), then [`finish`] with `grant`.
async fn finish_with_days(
    state: Arc<ConsoleState>,
    verified: Verified<ActionForm>,
    id: String,
    action: &'static str,
    done: &'static str,
    grant: GrantDays,
) -> Result<Response, ConsoleError> {
    let days = match verified.form.days() {
        Ok(days) => days,
        Err(error) => {
            let failed = verified.form.failed(action, error);
            return render(
                &state,
                &verified.reviewer,
                &id,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, failed)),
            )
            .await;
        }
    };
    let note = verified.form.note();
    finish(
        state,
        verified,
        id,
        action,
        done,
        move |state, id, actor| {
            grant(
                state.store.as_ref(),
                &state.config,
                &state.secret,
                &id,
                &actor,
                days,
                note,
            )
            .map(|_| ())
        },
    )
    .await
}

/// `POST /requests/{id}/approve` (days, note).
pub async fn approve(
    State(state): State<Arc<ConsoleState>>,
    Path(id): Path<String>,
    verified: Verified<ActionForm>,
) -> Result<Response, ConsoleError> {
    finish_with_days(
        state,
        verified,
        id,
        "approve",
        "approved",
        workflow::approve,
    )
    .await
}

/// `POST /requests/{id}/deny` (note, optional message to the requester).
pub async fn deny(
    State(state): State<Arc<ConsoleState>>,
    Path(id): Path<String>,
    verified: Verified<ActionForm>,
) -> Result<Response, ConsoleError> {
    let note = verified.form.note();
    let message = Some(verified.form.message.trim().to_string()).filter(|m| !m.is_empty());
    finish(
        state,
        verified,
        id,
        "deny",
        "denied",
        move |state, id, actor| {
            workflow::deny_with_message(state.store.as_ref(), &id, &actor, note, message)
                .map(|_| ())
        },
    )
    .await
}

/// `POST /requests/{id}/revoke` (note).
pub async fn revoke(
    State(state): State<Arc<ConsoleState>>,
    Path(id): Path<String>,
    verified: Verified<ActionForm>,
) -> Result<Response, ConsoleError> {
    let note = verified.form.note();
    finish(
        state,
        verified,
        id,
        "revoke",
        "revoked",
        move |state, id, actor| {
            workflow::revoke(state.store.as_ref(), &id, &actor, note).map(|_| ())
        },
    )
    .await
}

/// `POST /requests/{id}/resend`.
pub async fn resend(
    State(state): State<Arc<ConsoleState>>,
    Path(id): Path<String>,
    verified: Verified<ActionForm>,
) -> Result<Response, ConsoleError> {
    finish(
        state,
        verified,
        id,
        "resend",
        "resent",
        move |state, id, actor| {
            workflow::resend_link(
                state.store.as_ref(),
                &state.config,
                &state.secret,
                &id,
                &actor,
            )
            .map(|_| ())
        },
    )
    .await
}

/// `POST /requests/{id}/extend` (days, note).
pub async fn extend(
    State(state): State<Arc<ConsoleState>>,
    Path(id): Path<String>,
    verified: Verified<ActionForm>,
) -> Result<Response, ConsoleError> {
    finish_with_days(
        state,
        verified,
        id,
        "extend",
        "extended",
        workflow::extend_access,
    )
    .await
}

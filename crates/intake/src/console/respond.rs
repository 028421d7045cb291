//! Console errors and how they are answered: an HTML page with the right status for browser
//! navigation, or `{"error": …}` for the passkey script's JSON calls. Internal details go to the log
//! (through [`crate::redact::log`]), never to the page.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::pages::layout;
use crate::error::IntakeError;

/// Why a console request failed.
#[derive(Debug)]
pub enum ConsoleError {
    /// No valid session (a state-changing request; GETs are redirected to the sign-in page instead).
    Unauthenticated,
    /// Missing or wrong CSRF token, or a foreign `Origin`.
    CsrfRefused,
    /// Nothing here (unknown route, request or enrolment link).
    NotFound(String),
    /// The input cannot be used; the message says why.
    BadRequest(String),
    /// The action is not possible in the request's current state.
    Conflict(String),
    /// Too many sign-in attempts from this address.
    RateLimited(Duration),
    /// Something broke on our side; the detail was logged.
    Internal,
}

impl ConsoleError {
    /// Logs `detail` and returns [`ConsoleError::Internal`].
    pub fn internal(detail: &str) -> ConsoleError {
        crate::redact::log(&format!("console: {detail}"));
        ConsoleError::Internal
    }

    fn status(&self) -> StatusCode {
        match self {
            ConsoleError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ConsoleError::CsrfRefused => StatusCode::FORBIDDEN,
            ConsoleError::NotFound(_) => StatusCode::NOT_FOUND,
            ConsoleError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ConsoleError::Conflict(_) => StatusCode::CONFLICT,
            ConsoleError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ConsoleError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// What the reviewer reads.
    pub fn message(&self) -> String {
        match self {
            ConsoleError::Unauthenticated => {
                "You are not signed in (or your session ended). Sign in again.".into()
            }
            ConsoleError::CsrfRefused => {
                "This form was not sent from a console page you have open \
                 (or it is too old). Reload the page and try again."
                    .into()
            }
            ConsoleError::NotFound(m) | ConsoleError::BadRequest(m) | ConsoleError::Conflict(m) => {
                m.clone()
            }
            ConsoleError::RateLimited(wait) => format!(
                "Too many sign-in attempts from your address. Try again in {} seconds.",
                wait.as_secs().max(1)
            ),
            ConsoleError::Internal => {
                "Something went wrong on the server; the details are in the service log.".into()
            }
        }
    }

    /// The JSON form of the error, for the passkey script.
    pub fn json(self) -> Response {
        let status = self.status();
        let retry = self.retry_after();
        let mut response =
            (status, Json(serde_json::json!({ "error": self.message() }))).into_response();
        if let Some(value) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }

    fn retry_after(&self) -> Option<HeaderValue> {
        match self {
            ConsoleError::RateLimited(wait) => {
                HeaderValue::from_str(&wait.as_secs().max(1).to_string()).ok()
            }
            _ => None,
        }
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry = self.retry_after();
        let title = match self {
            ConsoleError::Unauthenticated => "Sign-in required",
            ConsoleError::CsrfRefused => "Request refused",
            ConsoleError::NotFound(_) => "Not found",
            ConsoleError::RateLimited(_) => "Slow down",
            ConsoleError::Internal => "Server error",
            ConsoleError::BadRequest(_) | ConsoleError::Conflict(_) => "Cannot do that",
        };
        let mut response = (
            status,
            layout::html(layout::message_page(title, &self.message())),
        )
            .into_response();
        if let Some(value) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<IntakeError> for ConsoleError {
    fn from(error: IntakeError) -> Self {
        match error {
            IntakeError::NotFound(m) => ConsoleError::NotFound(m),
            IntakeError::InvalidAction(m) => ConsoleError::Conflict(m),
            other => ConsoleError::internal(&other.to_string()),
        }
    }
}

/// A [`ConsoleError`] answered in its JSON form ([`ConsoleError::json`]): the error type of the
/// passkey script's calls, so that `?` on a [`ConsoleError`] answers in JSON.
#[derive(Debug)]
pub struct JsonRefusal(pub ConsoleError);

impl From<ConsoleError> for JsonRefusal {
    fn from(error: ConsoleError) -> Self {
        JsonRefusal(error)
    }
}

impl IntoResponse for JsonRefusal {
    fn into_response(self) -> Response {
        self.0.json()
    }
}

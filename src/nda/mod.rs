//! The NDA request feature: a visitor asks the vendor's intake service for a document that is
//! shared only under a non-disclosure agreement.
//!
//! - [`form`]: the form, a plain view with uncontrolled fields and delegated handlers that
//!   write their outcome into the form's own elements;
//! - [`state`]: its decisions (what a submission leads to, which problems a refusal shows);
//! - [`validation`]: what the visitor typed and the client-side checks;
//! - [`submit`]: the request body, sending it and reading the service's answer;
//! - [`json`]: the JSON text of the body, the saved draft and the answers;
//! - [`draft_store`]: the draft kept in local storage across reloads;
//! - [`idempotency`]: the key that makes a retried request count once.

pub mod draft_store;
pub mod form;
pub mod idempotency;
pub mod json;
pub mod state;
pub mod submit;
pub mod validation;

/// A visitor asked to open the request form: for which document, and the control they used
/// (focus returns there when the form is closed).
#[derive(Clone, PartialEq)]
pub struct OpenRequest {
    /// The requested document's id.
    pub document_id: String,
    /// The button that was pressed, if the event named one.
    pub opener: Option<web_sys::HtmlElement>,
}

impl OpenRequest {
    /// The request made by pressing the button that received `event`. Found from the event's
    /// target, not `current_target`: Yew delegates events to its root element, which is what
    /// `current_target` names.
    pub fn from_click(document_id: String, event: &yew::MouseEvent) -> Self {
        use wasm_bindgen::JsCast;
        let opener = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
            .and_then(|element| element.closest("button").ok().flatten())
            .and_then(|button| button.dyn_into::<web_sys::HtmlElement>().ok());
        OpenRequest {
            document_id,
            opener,
        }
    }
}

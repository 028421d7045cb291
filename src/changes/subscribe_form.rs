//! The subscribe form: an e-mail address and the topics to hear about, posted to the manifest's
//! `updates.subscribe_url` as the subscription API's JSON. Like the NDA form it checks before
//! sending, keeps what was typed when anything fails, shows the service's field errors next to
//! the fields, announces progress and results in live regions, reuses its idempotency key on a
//! retry of the same request, and needs no inline script or style (strict CSP).
//!
//! Size trick (docs/build.md): the form is a plain view whose fields are left to the browser
//! (uncontrolled), and one submit handler reads them and writes the messages into the form's
//! own empty message elements; no component, hook or reducer is instantiated for it. The
//! browser keeps what was typed, so nothing is lost on a failure or a re-render, and the
//! pending idempotency key lives on the form element (`data-key`, with the body it was made for
//! in `data-for`) so a re-render of the page does not lose it either. The decisions (checks,
//! body, reading the answer) are the pure code of [`super::subscribe`].

use std::rc::Rc;

use trust_manifest::ChangeCategory;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::subscribe::{interpret, network_failure, Failure, SubscribeDraft};
use super::text;
use crate::nda::idempotency::new_idempotency_key;
use crate::nda::submit::post_json;

/// The form, posting to `url` (already checked as a safe link).
pub fn view(url: &str) -> Html {
    let url: Rc<str> = Rc::from(url);
    let onsubmit = Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        if let Some(form) = event.target_dyn_into::<HtmlElement>() {
            submit(form, Rc::clone(&url));
        }
    });
    let mut topics = Vec::new();
    for category in ChangeCategory::ALL {
        topics.push(html! {
            <label class="tc-subscribe__topic">
                <input type="checkbox" name="categories" value={category.as_str()} checked=true />
                {" "}{text::category(category)}
            </label>
        });
    }
    html! {
        <form class="tc-subscribe" novalidate=true aria-labelledby="tc-subscribe-title" {onsubmit}>
            <h3 id="tc-subscribe-title" class="tc-subscribe__title">{text::SUBSCRIBE_TITLE}</h3>
            <p class="tc-subscribe__lead">{text::SUBSCRIBE_LEAD}</p>
            <div class="tc-field">
                <label class="tc-field__label" for="tc-subscribe-email">{text::EMAIL_LABEL}</label>
                <input class="tc-field__input" id="tc-subscribe-email" name="email" type="email"
                    autocomplete="email" aria-required="true" aria-describedby="tc-subscribe-email-error" />
                <p class="tc-field__error" id="tc-subscribe-email-error"></p>
            </div>
            <fieldset class="tc-subscribe__topics" aria-describedby="tc-subscribe-topics-error">
                <legend class="tc-field__label">{text::CATEGORIES_LABEL}</legend>
                {topics}
                <p class="tc-field__error" id="tc-subscribe-topics-error"></p>
            </fieldset>
            <p class="tc-subscribe__alert" role="alert"></p>
            <button type="submit" class="tc-button tc-button--primary">{text::SUBSCRIBE}</button>
            <p class="tc-subscribe__status" role="status"></p>
        </form>
    }
}

/// The element matching `selector` inside the form.
fn find<T: JsCast>(form: &Element, selector: &str) -> Option<T> {
    form.query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// Puts `message` into the element matching `selector` (empty hides it, see the stylesheet).
fn say(form: &Element, selector: &str, message: &str) {
    if let Some(element) = find::<Element>(form, selector) {
        element.set_text_content(Some(message));
    }
}

/// Shows (or clears) a field's problem and marks the field invalid for assistive technology.
fn field_problem(form: &Element, field: &str, error_id: &str, problem: Option<&str>) {
    say(form, error_id, problem.unwrap_or_default());
    if let Some(input) = find::<Element>(form, field) {
        let _ = match problem {
            Some(_) => input.set_attribute("aria-invalid", "true"),
            None => input.remove_attribute("aria-invalid"),
        };
    }
}

fn focus(form: &Element, selector: &str) {
    if let Some(element) = find::<HtmlElement>(form, selector) {
        let _ = element.focus();
    }
}

const EMAIL: &str = "#tc-subscribe-email";
const EMAIL_ERROR: &str = "#tc-subscribe-email-error";
const TOPICS: &str = "fieldset";
const TOPICS_ERROR: &str = "#tc-subscribe-topics-error";
const ALERT: &str = "[role=alert]";
const STATUS: &str = "[role=status]";
const BUTTON: &str = "button";

/// What the visitor entered, read from the form.
fn read_draft(form: &Element) -> SubscribeDraft {
    let email = find::<HtmlInputElement>(form, EMAIL)
        .map(|input| input.value())
        .unwrap_or_default();
    let mut topics = Vec::new();
    for category in ChangeCategory::ALL {
        let selector = format!("input[value={}]", category.as_str());
        if find::<HtmlInputElement>(form, &selector).is_some_and(|input| input.checked()) {
            topics.push(category);
        }
    }
    SubscribeDraft { email, topics }
}

/// While waiting for the service: the form is busy and the button disabled (a second press
/// sends nothing), and the status says so.
fn busy(form: &Element, on: bool) {
    let _ = if on {
        form.set_attribute("aria-busy", "true")
    } else {
        form.remove_attribute("aria-busy")
    };
    if let Some(button) = find::<Element>(form, BUTTON) {
        let _ = if on {
            button.set_attribute("disabled", "")
        } else {
            button.remove_attribute("disabled")
        };
    }
    say(form, STATUS, if on { text::SENDING } else { "" });
}

/// Checks what was entered and, if it is fine, sends it; the answer is shown in the form.
fn submit(form: HtmlElement, url: Rc<str>) {
    if form.has_attribute("aria-busy") {
        return;
    }
    let draft = read_draft(&form);
    let (email_problem, topics_problem) = draft.check();
    field_problem(&form, EMAIL, EMAIL_ERROR, email_problem);
    field_problem(&form, TOPICS, TOPICS_ERROR, topics_problem);
    say(&form, ALERT, "");
    say(&form, STATUS, "");
    if email_problem.is_some() {
        return focus(&form, EMAIL);
    }
    if topics_problem.is_some() {
        return focus(&form, "input[name=categories]");
    }
    // The same request again (a retry) reuses its key; a changed one gets a new key.
    let fingerprint = draft.fingerprint();
    let pending = form
        .get_attribute("data-key")
        .filter(|_| form.get_attribute("data-for").as_deref() == Some(fingerprint.as_str()));
    let Some(key) = pending.or_else(new_idempotency_key) else {
        return say(&form, ALERT, text::NO_RANDOM);
    };
    let _ = form.set_attribute("data-key", &key);
    let _ = form.set_attribute("data-for", &fingerprint);
    busy(&form, true);
    // Everything the answer needs is made now, so the pending request holds only these.
    let body = draft.body(&key);
    let confirmation = text::confirmation_sent(draft.email.trim());
    wasm_bindgen_futures::spawn_local(async move {
        let answer = match post_json(&url, body).await {
            Some((status, body)) => interpret(status, &body),
            None => Err(network_failure()),
        };
        busy(&form, false);
        match answer {
            Ok(()) => {
                let _ = form.remove_attribute("data-key");
                say(&form, STATUS, &confirmation);
            }
            Err(Failure {
                message,
                email,
                categories,
                ..
            }) => {
                field_problem(&form, EMAIL, EMAIL_ERROR, email.as_deref());
                field_problem(&form, TOPICS, TOPICS_ERROR, categories.as_deref());
                say(&form, ALERT, &message);
                if email.is_some() {
                    focus(&form, EMAIL);
                }
            }
        }
    });
}

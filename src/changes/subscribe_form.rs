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
use crate::i18n::{labels, Msg, Tr};
use crate::nda::idempotency::new_idempotency_key;
use crate::nda::submit::post_json;

/// The form in `tr`'s language, posting to `url` (already checked as a safe link).
pub fn view(tr: Tr, url: &str) -> Html {
    let url: Rc<str> = Rc::from(url);
    let onsubmit = Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        if let Some(form) = event.target_dyn_into::<HtmlElement>() {
            submit(tr, form, Rc::clone(&url));
        }
    });
    let mut topics = Vec::new();
    for category in ChangeCategory::ALL {
        topics.push(html! {
            <label class="tc-subscribe__topic">
                <input type="checkbox" name="categories" value={category.as_str()} checked=true />
                {" "}{labels::change_category(tr, category)}
            </label>
        });
    }
    html! {
        <form class="tc-subscribe" novalidate=true aria-labelledby="tc-subscribe-title" {onsubmit}>
            <h3 id="tc-subscribe-title" class="tc-subscribe__title">{tr.text(Msg::SubscribeTitle)}</h3>
            <p class="tc-subscribe__lead">{tr.text(Msg::SubscribeLead)}</p>
            <div class="tc-field">
                <label class="tc-field__label" for="tc-subscribe-email">{tr.text(Msg::SubscribeEmail)}</label>
                <input class="tc-field__input" id="tc-subscribe-email" name="email" type="email"
                    autocomplete="email" aria-required="true" aria-describedby="tc-subscribe-email-error" />
                <p class="tc-field__error" id="tc-subscribe-email-error"></p>
            </div>
            <fieldset class="tc-subscribe__topics" aria-describedby="tc-subscribe-topics-error">
                <legend class="tc-field__label">{tr.text(Msg::SubscribeTopics)}</legend>
                {topics}
                <p class="tc-field__error" id="tc-subscribe-topics-error"></p>
            </fieldset>
            <p class="tc-subscribe__alert" role="alert"><span></span> <span lang="en"></span></p>
            <button type="submit" class="tc-button tc-button--primary">{tr.text(Msg::SubscribeSubmit)}</button>
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

/// Shows (or clears) a field's problem and marks the field invalid for assistive technology; a
/// problem in the service's own (English) words is marked `lang="en"`.
fn field_problem(
    form: &Element,
    field: &str,
    error_id: &str,
    problem: Option<&str>,
    english: bool,
) {
    say(form, error_id, problem.unwrap_or_default());
    if let Some(error) = find::<Element>(form, error_id) {
        let _ = if english {
            error.set_attribute("lang", "en")
        } else {
            error.remove_attribute("lang")
        };
    }
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
const ALERT: &str = "[role=alert] span";
const SERVICE_SAID: &str = "[role=alert] span[lang]";
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
fn busy(tr: Tr, form: &Element, on: bool) {
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
    say(
        form,
        STATUS,
        if on {
            tr.get(Msg::SubscribeSending)
        } else {
            ""
        },
    );
}

/// Shows the overall problem, and the service's own words next to it (empty clears both).
fn alert(form: &Element, message: &str, service_said: Option<&str>) {
    say(form, ALERT, message);
    match service_said {
        Some(words) => {
            say(form, SERVICE_SAID, words);
        }
        None => say(form, SERVICE_SAID, ""),
    }
}

/// Checks what was entered and, if it is fine, sends it; the answer is shown in the form.
fn submit(tr: Tr, form: HtmlElement, url: Rc<str>) {
    if form.has_attribute("aria-busy") {
        return;
    }
    let draft = read_draft(&form);
    let (email_problem, topics_problem) = draft.check();
    field_problem(
        &form,
        EMAIL,
        EMAIL_ERROR,
        email_problem.map(|msg| tr.get(msg)),
        false,
    );
    field_problem(
        &form,
        TOPICS,
        TOPICS_ERROR,
        topics_problem.map(|msg| tr.get(msg)),
        false,
    );
    alert(&form, "", None);
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
        return alert(&form, tr.get(Msg::SubscribeNoRandom), None);
    };
    let _ = form.set_attribute("data-key", &key);
    let _ = form.set_attribute("data-for", &fingerprint);
    busy(tr, &form, true);
    // Everything the answer needs is made now, so the pending request holds only these.
    let body = draft.body(&key);
    let confirmation = tr.fill(
        Msg::SubscribeConfirmationSent,
        &[("email", draft.email.trim())],
    );
    wasm_bindgen_futures::spawn_local(async move {
        let answer = match post_json(&url, body).await {
            Some((status, body)) => interpret(tr, status, &body),
            None => Err(network_failure(tr)),
        };
        busy(tr, &form, false);
        match answer {
            Ok(()) => {
                let _ = form.remove_attribute("data-key");
                say(&form, STATUS, &confirmation);
            }
            Err(Failure {
                message,
                service_said,
                email,
                categories,
                ..
            }) => {
                field_problem(&form, EMAIL, EMAIL_ERROR, email.as_deref(), true);
                field_problem(&form, TOPICS, TOPICS_ERROR, categories.as_deref(), true);
                alert(&form, &message, service_said.as_deref());
                if email.is_some() {
                    focus(&form, EMAIL);
                }
            }
        }
    });
}

//! The NDA request form: name, work e-mail, company, optional reason, the NDA text and an
//! explicit acceptance box; validates on the client, posts to the manifest's intake service,
//! keeps the visitor's input (also across reloads) when anything fails and offers a retry.
//!
//! Size trick (docs/build.md, like the subscribe form): the form is a plain [`view`], rendered
//! once with the saved draft as the fields' values, whose fields the browser then keeps
//! (uncontrolled); no component, hook or reducer is instantiated for it. Three delegated
//! handlers do the rest and write their outcome into the form's own elements, which the view
//! leaves empty (or `hidden`) so that a re-render of the page never overwrites them:
//! - `input` (any field): that field's problem is gone, a pending idempotency key no longer
//!   matches the input, and the draft is persisted ([`draft_store::persist`]);
//! - `submit`: the decision is [`plan_submission`] (pure, tested natively); the request is sent
//!   with the fields disabled, and the answer fills the failure or the confirmation panel;
//! - `click` on the form's own buttons ("Retry", "Clear the form", "Make another request").
//!
//! The pending idempotency key lives on the form element (`data-key`, first set from the saved
//! draft) and in the saved draft, so a retry reuses it even where storage is refused.

use std::rc::Rc;

use trust_manifest::{is_safe_link, AccessRequestSettings, Document};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::draft_store;
use super::idempotency::new_idempotency_key;
use super::state::{plan_submission, refusal_problems, Submission};
use super::submit::{self, AccessRequestBody, Receipt, SubmitFailure};
use super::validation::{Field, NdaDraft};
use crate::components::faq_items::{paragraphs, sanitize_id};
use crate::i18n::{Lang, Msg, Tr};

/// What [`view`] renders the form from (a `Properties` type so that tests can mount it).
#[derive(Properties, PartialEq, Clone)]
pub struct NdaRequestFormProps {
    /// Intake endpoint and NDA terms from the verified manifest.
    pub settings: AccessRequestSettings,
    /// The NDA-gated document being requested.
    pub document: Document,
    /// Development mode: allow a loopback `http:` intake URL.
    #[prop_or_default]
    pub allow_loopback_http: bool,
    /// The page language's texts.
    #[prop_or_default]
    pub tr: Tr,
    /// The document's title in the page language (empty: its own title).
    #[prop_or_default]
    pub document_title: String,
    /// The NDA text's language when it is not the page's: it is never translated, because
    /// visitors accept its exact text (recorded by its hash).
    #[prop_or_default]
    pub nda_lang: Option<String>,
}

/// Plain-words status of a confirmed request (English).
pub fn receipt_message(status: &str, email: &str) -> String {
    receipt_message_in(Tr::english(), status, email)
}

/// [`receipt_message`] in the language of `tr`.
pub fn receipt_message_in(tr: Tr, status: &str, email: &str) -> String {
    let msg = match status {
        "approved" => Msg::NdaReceiptApproved,
        "denied" => Msg::NdaReceiptDenied,
        _ => Msg::NdaReceiptPending,
    };
    tr.fill(msg, &[("email", email)])
}

/// A field problem in the language of `tr`, and whether it stays English (a message from the
/// intake service, which writes English).
fn problem_in(tr: Tr, message: &str) -> (String, bool) {
    if tr.lang() == Lang::En {
        return (message.to_owned(), false);
    }
    match super::validation::translated_problem(message) {
        Some(msg) => (tr.get(msg).to_owned(), false),
        None => (message.to_owned(), true),
    }
}

/// What the handlers share: the page language, where the draft is kept, and what the request
/// is for.
struct FormContext {
    tr: Tr,
    /// The fields' id prefix, `tc-nda-<document>`.
    id_prefix: String,
    storage_key: String,
    settings: AccessRequestSettings,
    document: Document,
}

impl FormContext {
    fn field_id(&self, field: Field) -> String {
        format!("{}-{}", self.id_prefix, field.key())
    }

    /// The field's input (or textarea) inside `form`.
    fn input(&self, form: &Element, field: Field) -> Option<Element> {
        find(form, &format!("#{}", self.field_id(field)))
    }
}

// The form's own elements that the handlers write into (selectors inside the form or its root).
const FORM: &str = "form";
const INTRO: &str = ".tc-nda__intro";
const SUMMARY: &str = ".tc-nda__summary";
const FAILURE: &str = ".tc-nda__failure";
const FAILURE_MESSAGE: &str = ".tc-nda__failure-message";
const SERVICE_SAID: &str = ".tc-nda__service-said";
const SERVICE_WORDS: &str = ".tc-nda__service-said [lang]";
const RETRY: &str = "[data-action=retry]";
const SEND: &str = "[type=submit]";
const CLEAR: &str = "[data-action=clear]";
const SENDING: &str = ".tc-nda__sending";
const DONE: &str = ".tc-nda__done";
const REQUEST_ID: &str = ".tc-nda__request-id";
const RECEIPT: &str = ".tc-nda__receipt";

/// The element matching `selector` inside `root`.
fn find<T: JsCast>(root: &Element, selector: &str) -> Option<T> {
    root.query_selector(selector)
        .ok()
        .flatten()?
        .dyn_into()
        .ok()
}

/// Sets attribute `name` to `value`, or removes it (`None`).
fn set_attr(element: &Element, name: &str, value: Option<&str>) {
    let _ = match value {
        Some(value) => element.set_attribute(name, value),
        None => element.remove_attribute(name),
    };
}

/// Puts `text` into the element matching `selector` (an empty paragraph is not shown, see the
/// stylesheet).
fn say(root: &Element, selector: &str, text: &str) {
    if let Some(element) = find::<Element>(root, selector) {
        element.set_text_content(Some(text));
    }
}

/// Shows or hides (`hidden`) the element matching `selector`.
fn show(root: &Element, selector: &str, shown: bool) {
    if let Some(element) = find::<Element>(root, selector) {
        set_attr(&element, "hidden", (!shown).then_some(""));
    }
}

fn focus(element: Option<Element>) {
    if let Some(element) = element.and_then(|element| element.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// What the visitor typed, read from the fields (no pending key: see [`submit`]).
fn read_draft(ctx: &FormContext, form: &Element) -> NdaDraft {
    let text = |field: Field| {
        let input = ctx.input(form, field);
        match input
            .clone()
            .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
        {
            Some(input) => input.value(),
            None => input
                .and_then(|i| i.dyn_into::<HtmlTextAreaElement>().ok())
                .map(|area| area.value())
                .unwrap_or_default(),
        }
    };
    let accepted = ctx
        .input(form, Field::Accepted)
        .and_then(|i| i.dyn_into::<HtmlInputElement>().ok())
        .is_some_and(|input| input.checked());
    NdaDraft {
        name: text(Field::Name),
        email: text(Field::Email),
        company: text(Field::Company),
        reason: text(Field::Reason),
        accepted,
        pending_key: None,
    }
}

/// Shows (or clears) a field's problem next to it: the message (marked `lang="en"` when it is
/// the service's English), `aria-invalid`, `aria-describedby` and the wrapper's invalid class.
fn show_problem(ctx: &FormContext, form: &Element, field: Field, problem: Option<&str>) {
    let id = ctx.field_id(field);
    let error_id = format!("{id}-error");
    let (text, english) = problem.map_or((String::new(), false), |m| problem_in(ctx.tr, m));
    if let Some(error) = find::<Element>(form, &format!("#{error_id}")) {
        error.set_text_content(Some(&text));
        set_attr(&error, "lang", english.then_some("en"));
    }
    let Some(input) = ctx.input(form, field) else {
        return;
    };
    set_attr(&input, "aria-invalid", problem.map(|_| "true"));
    let mut described = String::new();
    if field == Field::Email {
        described = format!("{id}-hint");
    }
    if problem.is_some() {
        if !described.is_empty() {
            described.push(' ');
        }
        described.push_str(&error_id);
    }
    set_attr(
        &input,
        "aria-describedby",
        (!described.is_empty()).then_some(described.as_str()),
    );
    if let Some(wrapper) = input.closest(".tc-field").ok().flatten() {
        let class = match (field == Field::Accepted, problem.is_some()) {
            (false, false) => "tc-field",
            (false, true) => "tc-field tc-field--invalid",
            (true, false) => "tc-field tc-field--checkbox",
            (true, true) => "tc-field tc-field--checkbox tc-field--invalid",
        };
        let _ = wrapper.set_attribute("class", class);
    }
}

/// "Please correct …" with the number of fields still marked, shown unless the failure panel
/// explains instead.
fn update_summary(ctx: &FormContext, form: &Element) {
    let mut count: i64 = 0;
    for field in Field::ALL {
        if ctx
            .input(form, field)
            .is_some_and(|input| input.has_attribute("aria-invalid"))
        {
            count += 1;
        }
    }
    let failed = find::<Element>(form, FAILURE).is_some_and(|panel| !panel.has_attribute("hidden"));
    let text = if count > 0 && !failed {
        ctx.tr.plural(Msg::NdaCorrectFields, count, &[])
    } else {
        String::new()
    };
    say(form, SUMMARY, &text);
}

/// While a request is out: the fields and buttons are disabled (a second press sends nothing),
/// the button says "Sending…" and the status region says so too.
fn busy(ctx: &FormContext, form: &Element, on: bool) {
    let disabled = on.then_some("");
    set_attr(form, "aria-busy", on.then_some("true"));
    for field in Field::ALL {
        if let Some(input) = ctx.input(form, field) {
            set_attr(&input, "disabled", disabled);
        }
    }
    for selector in [SEND, CLEAR] {
        if let Some(button) = find::<Element>(form, selector) {
            set_attr(&button, "disabled", disabled);
        }
    }
    // The button's own text node (the one the view made) gets the other words, so a later
    // render of the page still finds the node it made.
    if let Some(text) = find::<Element>(form, SEND).and_then(|button| button.first_child()) {
        let words = ctx.tr.get(if on { Msg::NdaSending } else { Msg::NdaSend });
        text.set_node_value(Some(words));
    }
    let status = if on {
        ctx.tr.get(Msg::NdaSendingStatus)
    } else {
        ""
    };
    say(form, SENDING, status);
}

/// Shows the failure panel with the reason (and the service's own words, marked English, on a
/// page in another language) and "Retry" when trying again may help.
fn show_failure(ctx: &FormContext, form: &Element, failure: &SubmitFailure) {
    let (message, service) = failure.message_in(ctx.tr);
    say(form, FAILURE_MESSAGE, &message);
    say(form, SERVICE_WORDS, service.as_deref().unwrap_or_default());
    show(form, SERVICE_SAID, service.is_some());
    show(form, RETRY, failure.retryable);
    show(form, FAILURE, true);
}

/// Empties every field, clears their problems, the pending key and the failure panel.
fn reset_fields(ctx: &FormContext, form: &Element) {
    for field in Field::ALL {
        show_problem(ctx, form, field, None);
        let Some(input) = ctx.input(form, field) else {
            continue;
        };
        if let Some(area) = input.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value("");
        } else if let Some(input) = input.dyn_ref::<HtmlInputElement>() {
            input.set_value("");
            input.set_checked(false);
        }
    }
    let _ = form.remove_attribute("data-key");
    show(form, FAILURE, false);
    update_summary(ctx, form);
}

/// An edit of any field: its problem is gone, the pending key no longer matches, and the draft
/// is kept.
fn edited(ctx: &FormContext, form: &Element, target: &Element) {
    if form.has_attribute("aria-busy") {
        return;
    }
    for field in Field::ALL {
        if target.id() == ctx.field_id(field) {
            show_problem(ctx, form, field, None);
        }
    }
    let _ = form.remove_attribute("data-key");
    update_summary(ctx, form);
    draft_store::persist(&ctx.storage_key, &read_draft(ctx, form));
}

/// "Send request" or "Retry": checks what was typed and, if it is fine, sends it; the answer
/// fills the failure or the confirmation panel.
fn submit(ctx: Rc<FormContext>, form: Element) {
    if form.has_attribute("aria-busy") {
        return;
    }
    let mut draft = read_draft(&ctx, &form);
    draft.pending_key = form.get_attribute("data-key");
    let plan = plan_submission(&draft, new_idempotency_key());
    let problems = match &plan {
        Submission::Invalid(problems) => problems.clone(),
        _ => Default::default(),
    };
    for field in Field::ALL {
        show_problem(&ctx, &form, field, problems.get(field));
    }
    show(&form, FAILURE, false);
    let key = match plan {
        Submission::Invalid(problems) => {
            update_summary(&ctx, &form);
            if let Some(first) = problems.first() {
                focus(ctx.input(&form, first));
            }
            return;
        }
        Submission::Impossible(failure) => {
            show_failure(&ctx, &form, &failure);
            return update_summary(&ctx, &form);
        }
        Submission::Send(key) => key,
    };
    update_summary(&ctx, &form);
    let _ = form.set_attribute("data-key", &key);
    draft.pending_key = Some(key.clone());
    draft_store::persist(&ctx.storage_key, &draft);
    busy(&ctx, &form, true);
    let body = AccessRequestBody::new(&draft, &ctx.settings, &ctx.document, key);
    let email = draft.email.trim().to_owned();
    wasm_bindgen_futures::spawn_local(async move {
        let answer = submit::submit(&ctx.settings.intake_url, &body).await;
        busy(&ctx, &form, false);
        match answer {
            Ok(receipt) => confirmed(&ctx, &form, &receipt, &email),
            Err(failure) => {
                let problems = refusal_problems(&failure);
                for field in Field::ALL {
                    show_problem(&ctx, &form, field, problems.get(field));
                }
                show_failure(&ctx, &form, &failure);
                update_summary(&ctx, &form);
                if let Some(first) = problems.first() {
                    focus(ctx.input(&form, first));
                }
            }
        }
    });
}

/// The service confirmed: the draft is forgotten, and the confirmation replaces the form and
/// takes focus, so a screen reader reads it.
fn confirmed(ctx: &FormContext, form: &Element, receipt: &Receipt, email: &str) {
    reset_fields(ctx, form);
    draft_store::persist(&ctx.storage_key, &NdaDraft::default());
    let Some(root) = form.parent_element() else {
        return;
    };
    if let Some(code) = find::<Element>(&root, REQUEST_ID) {
        code.set_text_content(Some(&receipt.request_id));
        let _ = code.set_attribute("data-request-id", &receipt.request_id);
    }
    say(
        &root,
        RECEIPT,
        &receipt_message_in(ctx.tr, &receipt.status, email),
    );
    show(&root, INTRO, false);
    show(&root, FORM, false);
    show(&root, DONE, true);
    focus(find(&root, DONE));
}

/// The form's buttons other than "Send request", told apart by their `data-action`.
fn clicked(ctx: Rc<FormContext>, button: &Element) {
    let Some(root) = button.closest(".tc-nda").ok().flatten() else {
        return;
    };
    let Some(form) = find::<Element>(&root, FORM) else {
        return;
    };
    match button.get_attribute("data-action").as_deref() {
        Some("retry") => submit(ctx, form),
        // Forgets everything typed, including the copy kept in this browser.
        Some("clear") if !form.has_attribute("aria-busy") => {
            reset_fields(&ctx, &form);
            draft_store::persist(&ctx.storage_key, &NdaDraft::default());
        }
        // "Make another request": the (emptied) form again, focus in its first field.
        Some("again") => {
            if let Some(code) = find::<Element>(&root, REQUEST_ID) {
                let _ = code.remove_attribute("data-request-id");
            }
            show(&root, DONE, false);
            show(&root, INTRO, true);
            show(&root, FORM, true);
            focus(ctx.input(&form, Field::ALL[0]));
        }
        _ => {}
    }
}

/// The NDA request form for one document (or the notice that online requests are switched off
/// when the intake URL is not safe to post to).
pub fn view(props: &NdaRequestFormProps) -> Html {
    let tr = props.tr;
    let intake_url = &props.settings.intake_url;
    if !is_safe_link(intake_url, props.allow_loopback_http) {
        return html! {
            <div class="tc-nda tc-nda--unavailable">
                <p class="tc-nda__notice" role="note">
                    { tr.fill(Msg::NdaUnavailable, &[("url", intake_url)]) }
                </p>
            </div>
        };
    }
    let storage_key = draft_store::storage_key(intake_url, &props.document.id);
    // What the visitor typed before a reload: the fields' first values. The root is keyed by
    // the storage key, so another document (or request service) gets a new form.
    let draft = draft_store::load_draft(&storage_key).unwrap_or_default();
    let ctx = Rc::new(FormContext {
        tr,
        id_prefix: format!("tc-nda-{}", sanitize_id(&props.document.id)),
        storage_key: storage_key.clone(),
        settings: props.settings.clone(),
        document: props.document.clone(),
    });
    let field_id = |field: Field| ctx.field_id(field);

    let oninput = {
        let ctx = Rc::clone(&ctx);
        Callback::from(move |event: InputEvent| {
            let target = event.target_dyn_into::<Element>();
            let form = target.as_ref().and_then(|t| t.closest(FORM).ok().flatten());
            if let (Some(target), Some(form)) = (target, form) {
                edited(&ctx, &form, &target);
            }
        })
    };
    let onsubmit = {
        let ctx = Rc::clone(&ctx);
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(form) = event.target_dyn_into::<Element>() {
                submit(Rc::clone(&ctx), form);
            }
        })
    };
    let onclick = {
        let ctx = Rc::clone(&ctx);
        Callback::from(move |event: MouseEvent| {
            let button = event
                .target_dyn_into::<Element>()
                .and_then(|target| target.closest("button[data-action]").ok().flatten());
            if let Some(button) = button {
                clicked(Rc::clone(&ctx), &button);
            }
        })
    };

    // The surrounding page provides the visible heading; the form carries the same words as
    // its accessible name.
    let title = if props.document_title.is_empty() {
        &props.document.title
    } else {
        &props.document_title
    };
    let label = tr.fill(Msg::RequestTitle, &[("title", title)]);
    let nda = &props.settings.nda;

    let text_field = |field: Field,
                      label: &'static str,
                      kind: &'static str,
                      autocomplete: &'static str,
                      value: &str,
                      hint: Option<&'static str>| {
        let id = field_id(field);
        let hint_id = hint.map(|_| format!("{id}-hint"));
        html! {
            <div class="tc-field">
                <label class="tc-field__label" for={id.clone()}>
                    { label }<span class="tc-field__required" aria-hidden="true">{ " *" }</span>
                </label>
                if let (Some(text), Some(hint_id)) = (hint, hint_id.clone()) {
                    <p class="tc-field__hint" id={hint_id}>{ text }</p>
                }
                <input class="tc-field__input" id={id.clone()} name={field.key()} type={kind}
                       autocomplete={autocomplete} aria-required="true"
                       aria-describedby={hint_id} value={value.to_string()} />
                <p class="tc-field__error" id={format!("{id}-error")}></p>
            </div>
        }
    };

    let nda_text = match (&nda.text, &nda.text_url) {
        (Some(text), _) if !text.trim().is_empty() => {
            let mut shown = Vec::new();
            for paragraph in paragraphs(text) {
                shown.push(html! { <p>{ paragraph }</p> });
            }
            html! {
                <div class="tc-nda__text" tabindex="0" role="region" lang={props.nda_lang.clone()}
                     aria-label={tr.fill(Msg::NdaTextLabel, &[("version", &nda.version)])}>
                    { shown }
                </div>
            }
        }
        (_, Some(url)) if is_safe_link(url, props.allow_loopback_http) => html! {
            <p class="tc-nda__text-link">
                <a href={url.clone()} target="_blank" rel="noopener noreferrer">
                    { tr.fill(Msg::NdaReadLink, &[("version", &nda.version)]) }
                    <span class="tc-visually-hidden">{ " " }{ tr.get(Msg::NdaNewTab) }</span>
                </a>
            </p>
        },
        _ => html! {
            <p class="tc-nda__notice">
                { tr.get(Msg::NdaNoText) }
            </p>
        },
    };

    let accept_id = field_id(Field::Accepted);
    let reason_id = field_id(Field::Reason);
    html! {
        <div class="tc-nda" key={storage_key} {onclick}>
            <p class="tc-nda__intro">
                { tr.get(Msg::NdaIntro) }
            </p>
            <form class="tc-nda__form" novalidate=true aria-label={label}
                  data-key={draft.pending_key.clone()} {oninput} {onsubmit}>
                <p class="tc-nda__summary" role="alert"></p>
                { text_field(Field::Name, tr.get(Msg::NdaName), "text", "name", &draft.name, None) }
                { text_field(Field::Email, tr.get(Msg::NdaEmail), "email", "email", &draft.email,
                    Some(tr.get(Msg::NdaEmailHint))) }
                { text_field(Field::Company, tr.get(Msg::NdaCompany), "text", "organization",
                    &draft.company, None) }
                <div class="tc-field">
                    <label class="tc-field__label" for={reason_id.clone()}>
                        { tr.get(Msg::NdaReason) }
                    </label>
                    <textarea class="tc-field__input tc-field__textarea" id={reason_id.clone()}
                              name="reason" rows="3" value={draft.reason.clone()} />
                    <p class="tc-field__error" id={format!("{reason_id}-error")}></p>
                </div>
                <div class="tc-nda__terms">
                    <p class="tc-nda__terms-title">
                        { tr.fill(Msg::NdaTermsTitle, &[("version", &nda.version)]) }
                    </p>
                    { nda_text }
                </div>
                <div class="tc-field tc-field--checkbox">
                    <input class="tc-field__checkbox" type="checkbox" id={accept_id.clone()}
                           name="nda_accepted" checked={draft.accepted} aria-required="true" />
                    <label for={accept_id.clone()}>
                        { tr.fill(Msg::NdaAccept, &[("version", &nda.version)]) }
                    </label>
                    <p class="tc-field__error" id={format!("{accept_id}-error")}></p>
                </div>
                <div class="tc-nda__failure" role="alert" hidden=true>
                    <p>
                        <span class="tc-nda__failure-message"></span>
                        <span class="tc-nda__service-said" hidden=true>
                            { " " }{ tr.get(Msg::NdaServiceSaid) }{ " " }<span lang="en"></span>
                        </span>
                    </p>
                    <button type="button" class="tc-button" data-action="retry" hidden=true>
                        { tr.get(Msg::NdaRetry) }
                    </button>
                </div>
                <div class="tc-nda__actions">
                    <button type="submit" class="tc-button tc-button--primary">
                        { tr.get(Msg::NdaSend) }
                    </button>
                    <button type="button" class="tc-button tc-button--ghost" data-action="clear">
                        { tr.get(Msg::NdaClear) }
                    </button>
                    <span class="tc-nda__sending" role="status"></span>
                </div>
            </form>
            <div class="tc-nda__done" role="status" tabindex="-1" hidden=true>
                <p class="tc-nda__done-title"><strong>{ tr.get(Msg::NdaReceived) }</strong></p>
                <p>
                    { tr.get(Msg::NdaReference) }{ " " }<code class="tc-nda__request-id"></code>
                </p>
                <p class="tc-nda__receipt"></p>
                <button type="button" class="tc-button tc-button--secondary" data-action="again">
                    { tr.get(Msg::NdaAnother) }
                </button>
            </div>
        </div>
    }
}

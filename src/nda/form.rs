//! The NDA request form: name, work e-mail, company, optional reason, the NDA text and an
//! explicit acceptance box; validates on the client, posts to the manifest's intake service,
//! keeps the visitor's input (also across reloads) when anything fails and offers a retry.
//!
//! The component only renders [`FormState`] and dispatches [`Action`]s; three effects follow the
//! state: the draft is persisted whenever it changes ([`draft_store::persist`]), the request is
//! sent when a submission starts, and focus moves where the state asks.

use trust_manifest::{is_safe_link, AccessRequestSettings, Document};
use web_sys::HtmlElement;
use yew::prelude::*;

use super::draft_store;
use super::idempotency::new_idempotency_key;
use super::state::{Action, FormState, Phase};
use super::submit::{self, AccessRequestBody};
use super::validation::Field;
use crate::components::class_attr::with_class;
use crate::components::faq_items::{paragraphs, sanitize_id};
use crate::i18n::{Lang, Msg, Tr};

/// Properties of [`NdaRequestForm`].
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

/// One node ref per field, to move focus to the first problem, and one for the confirmation.
#[derive(Default)]
struct FieldRefs {
    name: NodeRef,
    email: NodeRef,
    company: NodeRef,
    reason: NodeRef,
    accepted: NodeRef,
    done: NodeRef,
}

impl FieldRefs {
    fn get(&self, field: Field) -> &NodeRef {
        match field {
            Field::Name => &self.name,
            Field::Email => &self.email,
            Field::Company => &self.company,
            Field::Reason => &self.reason,
            Field::Accepted => &self.accepted,
        }
    }

    fn focus(&self, field: Field) {
        if let Some(element) = self.get(field).cast::<HtmlElement>() {
            let _ = element.focus();
        }
    }
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

/// The NDA request form for one document.
#[component]
pub fn NdaRequestForm(props: &NdaRequestFormProps) -> Html {
    let intake_url = props.settings.intake_url.clone();
    let storage_key = draft_store::storage_key(&intake_url, &props.document.id);
    // What the visitor typed before a reload is the form's first state, so the first render
    // already shows it. The page keys this component by the same storage key: another document
    // (or another request service) gets a new form, which reads its own draft.
    let state = use_reducer(|| {
        FormState::with_draft(draft_store::load_draft(&storage_key).unwrap_or_default())
    });
    // `use_ref` rather than `use_memo` or `use_node_ref`: both of those instantiate more hook
    // code for a value that never changes.
    let refs = use_ref(FieldRefs::default);
    let tr = props.tr;
    let nda_lang = props.nda_lang.clone();

    let intake_ok = is_safe_link(&intake_url, props.allow_loopback_http);
    let id_prefix = format!("tc-nda-{}", sanitize_id(&props.document.id));
    let field_id = |field: Field| format!("{id_prefix}-{}", field.key());

    // One effect follows the draft and the submission counter (each `use_effect_with` adds its
    // own hook code to the wasm): the draft reaches storage after every change of it (typing, a
    // pending idempotency key, clearing, a confirmed request, which empties it), and the request
    // is sent when a submission starts. It runs once per `Submitting` phase: the reducer ignores
    // every edit while a request is out (`nothing_changes_while_submitting` in `state`), so the
    // draft read here is the one sent, and only the start of a submission (new key, new
    // counter) or its answer (a new phase) can change the dependencies.
    {
        let storage_key = storage_key.clone();
        let state = state.clone();
        let settings = props.settings.clone();
        let document = props.document.clone();
        use_effect_with(
            (state.draft.clone(), state.submission),
            move |(draft, _)| {
                draft_store::persist(&storage_key, draft);
                if let (Phase::Submitting, Some(key)) = (&state.phase, &draft.pending_key) {
                    let body = AccessRequestBody::new(draft, &settings, &document, key.clone());
                    let dispatcher = state.dispatcher();
                    wasm_bindgen_futures::spawn_local(async move {
                        let answer = submit::submit(&settings.intake_url, &body).await;
                        dispatcher.dispatch(Action::Answered(answer));
                    });
                }
            },
        );
    }
    // Focus the field the state asks for once it is rendered (and enabled again), or the
    // confirmation when it appears. One effect for both: each `use_effect_with` adds its own hook
    // code to the wasm.
    {
        let refs = refs.clone();
        let done = matches!(state.phase, Phase::Done { .. });
        use_effect_with((state.focus, done), move |((_, field), done)| {
            if *done {
                if let Some(panel) = refs.done.cast::<HtmlElement>() {
                    let _ = panel.focus();
                }
            } else if let Some(field) = field {
                refs.focus(*field);
            }
        });
    }

    let text_input = |field: Field| {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            let value = event
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .map(|input| input.value())
                .or_else(|| {
                    event
                        .target_dyn_into::<web_sys::HtmlTextAreaElement>()
                        .map(|area| area.value())
                });
            if let Some(value) = value {
                dispatcher.dispatch(Action::Type(field, value));
            }
        })
    };
    let on_name = text_input(Field::Name);
    let on_email = text_input(Field::Email);
    let on_company = text_input(Field::Company);
    let on_reason = text_input(Field::Reason);
    let on_accept = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                dispatcher.dispatch(Action::Accept(input.checked()));
            }
        })
    };
    // Validates, then sends; the reducer keeps a pending idempotency key, so a retry is never
    // recorded twice.
    let submit_action = || Action::Submit {
        fresh_key: new_idempotency_key(),
    };
    let onsubmit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            dispatcher.dispatch(submit_action());
        })
    };
    // The buttons' clicks: one handler type for all three, each making its own action.
    let on_click = |action: fn() -> Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(action()))
    };
    let retry = on_click(submit_action);
    // Forgets everything typed, including the copy kept in this browser.
    let clear_form = on_click(|| Action::Clear);
    let start_over = on_click(|| Action::StartOver);

    // The surrounding page provides the visible heading; the form carries the same words as
    // its accessible name.
    let title = if props.document_title.is_empty() {
        &props.document.title
    } else {
        &props.document_title
    };
    let label = tr.fill(Msg::RequestTitle, &[("title", title)]);
    let nda = &props.settings.nda;

    if !intake_ok {
        return html! {
            <div class="tc-nda tc-nda--unavailable">
                <p class="tc-nda__notice" role="note">
                    { tr.fill(Msg::NdaUnavailable, &[("url", &intake_url)]) }
                </p>
            </div>
        };
    }

    let FormState {
        draft,
        errors,
        phase,
        ..
    } = &*state;
    if let Phase::Done { receipt, email } = phase {
        return html! {
            <div class="tc-nda tc-nda--done">
                <div class="tc-nda__done" role="status" tabindex="-1" ref={refs.done.clone()}>
                    <p class="tc-nda__done-title"><strong>{ tr.get(Msg::NdaReceived) }</strong></p>
                    <p>
                        { tr.get(Msg::NdaReference) }{ " " }
                        <code class="tc-nda__request-id" data-request-id={receipt.request_id.clone()}>
                            { receipt.request_id.clone() }
                        </code>
                    </p>
                    <p>{ receipt_message_in(tr, &receipt.status, email) }</p>
                    <button type="button" class="tc-button tc-button--secondary"
                            onclick={start_over}>
                        { tr.get(Msg::NdaAnother) }
                    </button>
                </div>
            </div>
        };
    }

    let submitting = matches!(*phase, Phase::Submitting);
    let error_id = |field: Field| format!("{}-error", field_id(field));
    let described = |field: Field, hint: Option<String>| -> Option<AttrValue> {
        let mut ids: Vec<String> = hint.into_iter().collect();
        if errors.get(field).is_some() {
            ids.push(error_id(field));
        }
        (!ids.is_empty()).then(|| AttrValue::from(crate::small_std::join(&ids, " ")))
    };
    let invalid = |field: Field| errors.get(field).is_some().then_some("true");
    // The class of a field's wrapper: `valid`, or `valid` plus "tc-field--invalid" (set with
    // `with_class` on a wrapper written with its base class).
    let field_class = |field: Field, valid: &'static str, flagged: &'static str| {
        if errors.get(field).is_some() {
            flagged
        } else {
            valid
        }
    };
    let error_text = |field: Field| -> Html {
        match errors.get(field) {
            Some(message) => {
                let (text, english) = problem_in(tr, message);
                html! {
                    <p class="tc-field__error" id={error_id(field)} lang={english.then_some("en")}>{ text }</p>
                }
            }
            None => Html::default(),
        }
    };
    let text_field = |field: Field,
                      label: &'static str,
                      kind: &'static str,
                      autocomplete: &'static str,
                      value: &str,
                      oninput: Callback<InputEvent>,
                      hint: Option<(&'static str, String)>| {
        let id = field_id(field);
        let hint_id = hint.as_ref().map(|(_, hint_id)| hint_id.clone());
        let wrapper = html! {
            <div class="tc-field">
                <label class="tc-field__label" for={id.clone()}>
                    { label }<span class="tc-field__required" aria-hidden="true">{ " *" }</span>
                </label>
                if let Some((text, hint_id)) = hint.clone() {
                    <p class="tc-field__hint" id={hint_id}>{ text }</p>
                }
                <input class="tc-field__input" id={id} name={field.key()} type={kind}
                       autocomplete={autocomplete} aria-required="true"
                       aria-invalid={invalid(field)}
                       aria-describedby={described(field, hint_id)}
                       value={value.to_string()} disabled={submitting}
                       ref={refs.get(field).clone()} {oninput} />
                { error_text(field) }
            </div>
        };
        with_class(
            wrapper,
            field_class(field, "tc-field", "tc-field tc-field--invalid"),
        )
    };

    let nda_text = match (&nda.text, &nda.text_url) {
        (Some(text), _) if !text.trim().is_empty() => {
            let mut shown = Vec::new();
            for paragraph in paragraphs(text) {
                shown.push(html! { <p>{ paragraph }</p> });
            }
            html! {
                <div class="tc-nda__text" tabindex="0" role="region" lang={nda_lang}
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

    let failure = match phase {
        Phase::Failed(failure) => {
            let (message, service) = failure.message_in(tr);
            html! {
                <div class="tc-nda__failure" role="alert">
                    <p>
                        { message }
                        if let Some(service) = service {
                            { " " }{ tr.get(Msg::NdaServiceSaid) }{ " " }<span lang="en">{ service }</span>
                        }
                    </p>
                    if failure.retryable {
                        <button type="button" class="tc-button" onclick={retry}>{ tr.get(Msg::NdaRetry) }</button>
                    }
                </div>
            }
        }
        _ => Html::default(),
    };
    let summary = if !errors.is_empty() && !matches!(*phase, Phase::Failed(_)) {
        let count = errors.len();
        html! {
            <p class="tc-nda__summary" role="alert">
                { tr.plural(Msg::NdaCorrectFields, count as i64, &[]) }
            </p>
        }
    } else {
        Html::default()
    };

    let accept_id = field_id(Field::Accepted);
    let reason_id = field_id(Field::Reason);
    html! {
        <div class="tc-nda">
            <p class="tc-nda__intro">
                { tr.get(Msg::NdaIntro) }
            </p>
            <form class="tc-nda__form" novalidate=true aria-label={label}
                  aria-busy={submitting.then_some("true")} {onsubmit}>
                { summary }
                { text_field(Field::Name, tr.get(Msg::NdaName), "text", "name", &draft.name, on_name, None) }
                { text_field(Field::Email, tr.get(Msg::NdaEmail), "email", "email", &draft.email, on_email,
                    Some((tr.get(Msg::NdaEmailHint),
                          format!("{}-hint", field_id(Field::Email))))) }
                { text_field(Field::Company, tr.get(Msg::NdaCompany), "text", "organization", &draft.company,
                    on_company, None) }
                { with_class(html! { <div class="tc-field">
                    <label class="tc-field__label" for={reason_id.clone()}>
                        { tr.get(Msg::NdaReason) }
                    </label>
                    <textarea class="tc-field__input tc-field__textarea" id={reason_id}
                              name="reason" rows="3" aria-invalid={invalid(Field::Reason)}
                              aria-describedby={described(Field::Reason, None)}
                              value={draft.reason.clone()} disabled={submitting}
                              ref={refs.reason.clone()} oninput={on_reason} />
                    { error_text(Field::Reason) }
                </div> }, field_class(Field::Reason, "tc-field", "tc-field tc-field--invalid")) }
                <div class="tc-nda__terms">
                    <p class="tc-nda__terms-title">
                        { tr.fill(Msg::NdaTermsTitle, &[("version", &nda.version)]) }
                    </p>
                    { nda_text }
                </div>
                { with_class(html! { <div class="tc-field tc-field--checkbox">
                    <input class="tc-field__checkbox" type="checkbox" id={accept_id.clone()}
                           name="nda_accepted" checked={draft.accepted} aria-required="true"
                           aria-invalid={invalid(Field::Accepted)}
                           aria-describedby={described(Field::Accepted, None)}
                           disabled={submitting} ref={refs.accepted.clone()}
                           onchange={on_accept} />
                    <label for={accept_id}>
                        { tr.fill(Msg::NdaAccept, &[("version", &nda.version)]) }
                    </label>
                    { error_text(Field::Accepted) }
                </div> }, field_class(Field::Accepted, "tc-field tc-field--checkbox",
                    "tc-field tc-field--checkbox tc-field--invalid")) }
                { failure }
                <div class="tc-nda__actions">
                    <button type="submit" class="tc-button tc-button--primary" disabled={submitting}>
                        { tr.get(if submitting { Msg::NdaSending } else { Msg::NdaSend }) }
                    </button>
                    <button type="button" class="tc-button tc-button--ghost" disabled={submitting}
                            onclick={clear_form}>
                        { tr.get(Msg::NdaClear) }
                    </button>
                    if submitting {
                        <span class="tc-nda__sending" role="status">{ tr.get(Msg::NdaSendingStatus) }</span>
                    }
                </div>
            </form>
        </div>
    }
}

//! Talking to the vendor's intake service for the NDA request: the request body, sending it and
//! reading the answer (including field errors). Browser calls happen only when [`submit`] is
//! called (from the form's submission effect).

use crate::i18n::{Lang, Msg, Params, Tr};
use trust_manifest::{AccessRequestSettings, Document};

use super::json::{self as nda_json, ObjectWriter};
use super::validation::{Field, NdaDraft};
use crate::services::http;

/// JSON body of `POST {intake_url}/v1/access-requests` (see [`AccessRequestBody::to_json`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRequestBody {
    /// Full name.
    pub name: String,
    /// Work e-mail.
    pub email: String,
    /// Company.
    pub company: String,
    /// Optional reason (left out when empty).
    pub reason: Option<String>,
    /// The requested document.
    pub document_id: String,
    /// NDA version accepted.
    pub nda_version: String,
    /// SHA-256 of the NDA text accepted.
    pub nda_sha256: String,
    /// Always true: the form refuses to send without acceptance.
    pub nda_accepted: bool,
    /// Made once per submission and reused on retry.
    pub idempotency_key: String,
}

impl AccessRequestBody {
    /// Builds the body from the draft (trimmed) and the manifest's settings.
    pub fn new(
        draft: &NdaDraft,
        settings: &AccessRequestSettings,
        document: &Document,
        idempotency_key: String,
    ) -> Self {
        let reason = draft.reason.trim();
        AccessRequestBody {
            name: draft.name.trim().to_string(),
            email: draft.email.trim().to_string(),
            company: draft.company.trim().to_string(),
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            document_id: document.id.clone(),
            nda_version: settings.nda.version.clone(),
            nda_sha256: settings.nda.sha256.clone(),
            nda_accepted: draft.accepted,
            idempotency_key,
        }
    }

    /// The body as JSON text, members in the order above.
    pub fn to_json(&self) -> String {
        ObjectWriter::default()
            .string("name", &self.name)
            .string("email", &self.email)
            .string("company", &self.company)
            .optional_string("reason", self.reason.as_deref())
            .string("document_id", &self.document_id)
            .string("nda_version", &self.nda_version)
            .string("nda_sha256", &self.nda_sha256)
            .bool("nda_accepted", self.nda_accepted)
            .string("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// The service's confirmation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Request reference, e.g. `req_…`.
    pub request_id: String,
    /// `pending`, `approved` or `denied`.
    pub status: String,
    /// Where the status can be polled.
    pub status_url: Option<String>,
}

/// Why a submission did not go through, ready to show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubmitFailure {
    /// The overall reason, in plain words.
    pub message: String,
    /// Problems the service reported for individual fields.
    pub fields: Vec<(Field, String)>,
    /// Whether trying again unchanged may help (network trouble, rate limits, server errors).
    pub retryable: bool,
    /// For pages in other languages: the catalogue message of the overall reason and its
    /// placeholder values, and the service's own words (English) that follow it.
    pub localized: Option<(Msg, Params, String)>,
}

impl SubmitFailure {
    /// The overall reason in the language of `tr`, and the service's own words (shown as they
    /// came, marked English) when the page is in another language.
    pub fn message_in(&self, tr: Tr) -> (String, Option<String>) {
        match (&self.localized, tr.lang()) {
            (Some((msg, params, service)), lang) if lang != Lang::En => {
                let said = (!service.is_empty()).then(|| service.clone());
                (crate::i18n::fill_owned(tr.get(*msg), params), said)
            }
            _ => (self.message.clone(), None),
        }
    }
}

/// A service message as a sentence: first letter upper case (ASCII; the service writes English),
/// final full stop.
pub fn as_sentence(message: &str) -> String {
    let message = message.trim();
    let mut chars = message.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    // Pushed rather than collected from a chained iterator, which would add its own collecting
    // code to the wasm.
    let mut sentence = String::new();
    sentence.push(first.to_ascii_uppercase());
    sentence.push_str(chars.as_str());
    if !sentence.ends_with(['.', '!', '?']) {
        sentence.push('.');
    }
    sentence
}

/// The endpoint for a given intake base URL (tolerates a trailing slash).
pub fn endpoint(intake_url: &str) -> String {
    format!("{}/v1/access-requests", intake_url.trim_end_matches('/'))
}

/// Reads the service's answer: a receipt for 200/201, otherwise the reason and field errors.
pub fn interpret_response(status: u16, body: &str) -> Result<Receipt, SubmitFailure> {
    if status == 200 || status == 201 {
        let receipt =
            nda_json::receipt_fields(body).map(|(request_id, status, status_url)| Receipt {
                request_id,
                status,
                status_url,
            });
        return receipt.ok_or_else(|| SubmitFailure {
            message: "The request service answered, but its confirmation could not be read. \
                      Your request may have been received; try again to be sure — it will not \
                      be recorded twice."
                .to_string(),
            fields: Vec::new(),
            retryable: true,
            localized: Some((Msg::MirrorNdaFailUnreadable, Vec::new(), String::new())),
        });
    }
    let retryable = status == 429 || status == 408 || status >= 500;
    let parsed = nda_json::service_error(body).unwrap_or_default();
    let mut fields = Vec::new();
    let mut unmapped = Vec::new();
    for (name, text) in &parsed.fields {
        match Field::from_service_name(name) {
            Some(field) => fields.push((field, as_sentence(text))),
            None => unmapped.push(format!("{name}: {}", as_sentence(text))),
        }
    }
    let code = parsed.code.as_str();
    let service_message = Some(parsed.message.trim().to_string()).filter(|m| !m.is_empty());
    let (lead, lead_msg) = match (status, code) {
        (_, "validation_failed") | (400, _) => (
            "The request service did not accept some of your details.".to_string(),
            Msg::MirrorNdaFailValidation,
        ),
        (_, "rate_limited") | (429, _) => (
            "Too many requests were sent from here in a short time. Wait a minute, then retry."
                .to_string(),
            Msg::MirrorNdaFailRateLimited,
        ),
        (_, "too_large") | (413, _) => (
            "The request is too large for the service. Shorten the reason and try again."
                .to_string(),
            Msg::MirrorNdaFailTooLarge,
        ),
        (_, "origin_not_allowed") | (403, _) => (
            "The vendor's request service does not accept requests from this website. Please \
             contact the vendor's security team directly."
                .to_string(),
            Msg::MirrorNdaFailOrigin,
        ),
        (s, _) if s >= 500 => (
            format!(
                "The vendor's request service had a problem (HTTP {s}). Your details are kept; \
                 try again in a moment."
            ),
            Msg::MirrorNdaFailServer,
        ),
        (s, _) => (
            format!("The vendor's request service refused the request (HTTP {s})."),
            Msg::MirrorNdaFailRefused,
        ),
    };
    let mut message = lead;
    let mut service = String::new();
    if let Some(detail) = service_message {
        message.push_str(" The service said: ");
        service.push_str(&as_sentence(&detail));
    }
    for extra in unmapped {
        service.push(' ');
        service.push_str(&extra);
    }
    message.push_str(&service);
    Err(SubmitFailure {
        message,
        fields,
        retryable,
        localized: Some((
            lead_msg,
            vec![("status", status.to_string())],
            service.trim().to_owned(),
        )),
    })
}

/// Failure shown when the service cannot be reached at all.
pub fn network_failure(intake_url: &str) -> SubmitFailure {
    let address = intake_url.trim_end_matches('/');
    SubmitFailure {
        message: format!(
            "Could not reach the vendor's request service at {address}. Check your internet \
             connection; your details are kept, so you can retry."
        ),
        fields: Vec::new(),
        retryable: true,
        localized: Some((
            Msg::MirrorNdaFailNetwork,
            vec![("url", address.to_owned())],
            String::new(),
        )),
    }
}

/// Sends the request and reads the answer (browser only; call from a callback).
pub async fn submit(intake_url: &str, body: &AccessRequestBody) -> Result<Receipt, SubmitFailure> {
    match post_json(&endpoint(intake_url), body.to_json()).await {
        Some((status, text)) => interpret_response(status, &text),
        None => Err(network_failure(intake_url)),
    }
}

/// POSTs `json` to `url` as `application/json` and returns the status and body text; `None`
/// when the service could not be reached. Shared by the NDA form and the subscribe form.
pub async fn post_json(url: &str, json: String) -> Option<(u16, String)> {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let headers = web_sys::Headers::new().ok()?;
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Accept", "application/json");
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from(json));
    let response = http::send(url, &init).await.ok()?;
    let status = response.status();
    let text = http::text(&response).await.unwrap_or_default();
    Some((status, text))
}

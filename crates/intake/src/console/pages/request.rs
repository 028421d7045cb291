//! One request: its evidence, the actions its state allows, and the timeline assembled from the audit
//! trail and the outbox (created, each e-mail with its delivery state, decisions with who and why,
//! links re-sent, access extended, downloads and refused attempts).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;

use super::layout::{html, page, time, Nav};
use crate::clock::now_secs;
use crate::console::db::OutboxEntry;
use crate::console::respond::ConsoleError;
use crate::console::session::SignedIn;
use crate::console::{blocking, ConsoleState};
use crate::store::{AccessRequest, AuditEvent, RequestStatus};

/// `?done=` after an action succeeded.
#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<String>,
}

/// A form that failed, shown again with the reviewer's input and the reason.
#[derive(Debug, Default, Clone)]
pub struct FailedForm {
    /// Which action ("approve", "deny", …).
    pub action: &'static str,
    pub error: String,
    pub days: String,
    pub note: String,
    pub message: String,
}

/// `GET /requests/{id}`.
pub async fn show(
    State(state): State<Arc<ConsoleState>>,
    reviewer: SignedIn,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, ConsoleError> {
    render(&state, &reviewer, &id, done.done.as_deref(), None).await
}

/// Renders the page (status 200, or 422/409 with `failed` shown next to its form).
pub async fn render(
    state: &Arc<ConsoleState>,
    reviewer: &SignedIn,
    id: &str,
    done: Option<&str>,
    failed: Option<(StatusCode, FailedForm)>,
) -> Result<Response, ConsoleError> {
    let store = state.store.clone();
    let db = state.db.clone();
    let wanted = id.to_string();
    let found = blocking(move || {
        let Some(request) = store.get_request(&wanted)? else {
            return Ok(None);
        };
        let trail = store.audit_trail(&wanted)?;
        let outbox = db.outbox_for(&wanted)?;
        Ok(Some((request, trail, outbox)))
    })
    .await?;
    let (request, trail, outbox) =
        found.ok_or_else(|| ConsoleError::NotFound("There is no request with this id.".into()))?;
    let nav = Nav {
        reviewer: &reviewer.name,
        csrf_token: &reviewer.csrf_token,
        current: "inbox",
    };
    let (status, failed) = match failed {
        Some((status, form)) => (status, Some(form)),
        None => (StatusCode::OK, None),
    };
    let body = html! {
        p { a href="/inbox" { "← Inbox" } }
        @if request.is_erased() {
            h1 { "Request (requester erased)" }
        } @else {
            h1 { "Request from " (request.company) }
        }
        @if let Some(done) = done.and_then(done_message) {
            p class="flash" role="status" { (done) }
        }
        p { "Status: " span class={ "badge badge--" (request.status.as_str()) } { (request.status.as_str()) }
            @if let (RequestStatus::Approved, Some(end)) = (request.status, request.access_expires_at) {
                " — access until " (time(end))
            }
        }
        div class="columns" {
            section aria-labelledby="evidence-heading" {
                h2 id="evidence-heading" { "Evidence" }
                (evidence(&request))
            }
            section aria-labelledby="actions-heading" {
                h2 id="actions-heading" { "Actions" }
                (actions(state, &request, &reviewer.csrf_token, failed.as_ref()))
            }
        }
        section aria-labelledby="timeline-heading" {
            h2 id="timeline-heading" { "Timeline" }
            (timeline(&trail, &outbox))
        }
    };
    Ok((
        status,
        html(page(
            &if request.is_erased() {
                "Request (requester erased)".to_string()
            } else {
                format!("Request from {}", request.company)
            },
            Some(&nav),
            false,
            body,
        )),
    )
        .into_response())
}

fn done_message(done: &str) -> Option<&'static str> {
    Some(match done {
        "approved" => "Approved. The download link is queued as an e-mail to the requester.",
        "denied" => "Denied. The requester is told by e-mail.",
        "revoked" => "Revoked. The download links stopped working.",
        "resent" => "The download link is queued as an e-mail to the requester again.",
        "extended" => "Access extended. A link valid until the new end is queued as an e-mail.",
        _ => return None,
    })
}

fn evidence(r: &AccessRequest) -> Markup {
    if r.is_erased() {
        return html! {
            p { "The requester's personal data was erased (GDPR Art. 17). The NDA evidence and the decisions stay." }
            dl class="evidence" {
                dt { "Document" } dd { (r.document_id) }
                dt { "NDA version" } dd { (r.nda_version) }
                dt { "NDA SHA-256" } dd { code class="hash" { (r.nda_sha256) } }
                dt { "NDA accepted" } dd { (time(r.accepted_at)) }
                dt { "Request id" } dd { code { (r.id) } }
            }
        };
    }
    html! {
        dl class="evidence" {
            dt { "Name" } dd { (r.name) }
            dt { "Company" } dd { (r.company) }
            dt { "E-mail" } dd { (r.email) }
            dt { "Reason" } dd { (r.reason.as_deref().unwrap_or("—")) }
            dt { "Document" } dd { (r.document_id) }
            dt { "NDA version" } dd { (r.nda_version) }
            dt { "NDA SHA-256" } dd { code class="hash" { (r.nda_sha256) } }
            dt { "NDA accepted" } dd { (time(r.accepted_at)) }
            dt { "IP address" } dd { (r.client_ip) }
            dt { "User agent" } dd { (r.user_agent.as_deref().unwrap_or("—")) }
            dt { "Request id" } dd { code { (r.id) } }
        }
    }
}

fn error_for(failed: Option<&FailedForm>, action: &str) -> Option<String> {
    failed
        .filter(|f| f.action == action)
        .map(|f| f.error.clone())
}

fn kept<'a>(
    failed: Option<&'a FailedForm>,
    action: &str,
    pick: fn(&FailedForm) -> &str,
) -> Option<&'a str> {
    failed.filter(|f| f.action == action).map(pick)
}

fn actions(
    state: &ConsoleState,
    r: &AccessRequest,
    csrf: &str,
    failed: Option<&FailedForm>,
) -> Markup {
    let default_days = state.config.rules.access_days.to_string();
    let days = |action: &str| {
        kept(failed, action, |f| f.days.as_str())
            .map(str::to_string)
            .unwrap_or_else(|| default_days.clone())
    };
    let note = |action: &str| {
        kept(failed, action, |f| f.note.as_str())
            .unwrap_or("")
            .to_string()
    };
    let can_approve = matches!(r.status, RequestStatus::Pending | RequestStatus::Denied);
    html! {
        @if can_approve {
            form class="action" method="post" action={ "/requests/" (r.id) "/approve" } aria-labelledby="approve-heading" {
                h3 id="approve-heading" { "Approve" }
                input type="hidden" name="csrf" value=(csrf);
                (field_error(error_for(failed, "approve"), "approve-error"))
                div class="field" {
                    label for="approve-days" { "Access for (days)" }
                    input id="approve-days" name="days" type="number" min="1" max="3650" required value=(days("approve"))
                        aria-describedby=[error_for(failed, "approve").map(|_| "approve-error")];
                }
                div class="field" {
                    label for="approve-note" { "Note for the audit trail (optional)" }
                    textarea id="approve-note" name="note" rows="2" maxlength="1000" { (note("approve")) }
                }
                button type="submit" { "Approve and send the link" }
            }
        }
        @if r.status == RequestStatus::Pending {
            form class="action" method="post" action={ "/requests/" (r.id) "/deny" } aria-labelledby="deny-heading" {
                h3 id="deny-heading" { "Deny" }
                input type="hidden" name="csrf" value=(csrf);
                (field_error(error_for(failed, "deny"), "deny-error"))
                div class="field" {
                    label for="deny-note" { "Note for the audit trail (optional)" }
                    textarea id="deny-note" name="note" rows="2" maxlength="1000" { (note("deny")) }
                }
                div class="field" {
                    label for="deny-message" { "Message to the requester (optional)" }
                    textarea id="deny-message" name="message" rows="2" maxlength="1000" { (kept(failed, "deny", |f| f.message.as_str()).unwrap_or("")) }
                }
                button type="submit" class="danger" { "Deny" }
            }
        }
        @if r.status == RequestStatus::Approved {
            form class="action" method="post" action={ "/requests/" (r.id) "/resend" } aria-labelledby="resend-heading" {
                h3 id="resend-heading" { "Re-send the link" }
                input type="hidden" name="csrf" value=(csrf);
                (field_error(error_for(failed, "resend"), "resend-error"))
                p { "E-mails the same link (same end date) to " (r.email) " again." }
                button type="submit" { "Re-send the link" }
            }
            form class="action" method="post" action={ "/requests/" (r.id) "/extend" } aria-labelledby="extend-heading" {
                h3 id="extend-heading" { "Extend access" }
                input type="hidden" name="csrf" value=(csrf);
                (field_error(error_for(failed, "extend"), "extend-error"))
                div class="field" {
                    label for="extend-days" { "Extend by (days)" }
                    input id="extend-days" name="days" type="number" min="1" max="3650" required value=(days("extend"))
                        aria-describedby=[error_for(failed, "extend").map(|_| "extend-error")];
                }
                div class="field" {
                    label for="extend-note" { "Note for the audit trail (optional)" }
                    textarea id="extend-note" name="note" rows="2" maxlength="1000" { (note("extend")) }
                }
                button type="submit" { "Extend access" }
            }
            form class="action" method="post" action={ "/requests/" (r.id) "/revoke" } aria-labelledby="revoke-heading" {
                h3 id="revoke-heading" { "Revoke" }
                input type="hidden" name="csrf" value=(csrf);
                (field_error(error_for(failed, "revoke"), "revoke-error"))
                div class="field" {
                    label for="revoke-note" { "Note for the audit trail (optional)" }
                    textarea id="revoke-note" name="note" rows="2" maxlength="1000" { (note("revoke")) }
                }
                button type="submit" class="danger" { "Revoke access" }
            }
        }
        @if r.status == RequestStatus::Revoked {
            p { "Access was revoked; revocation is final. The requester can submit a new request." }
        }
    }
}

fn field_error(error: Option<String>, id: &str) -> Markup {
    html! {
        @if let Some(error) = error {
            p class="error" id=(id) role="alert" { (error) }
        }
    }
}

/// One line of the timeline.
struct Entry {
    at: i64,
    order: u8,
    kind: &'static str,
    title: String,
    detail: Option<String>,
    who: Option<String>,
    ip: Option<String>,
}

fn event_title(event: &AuditEvent) -> (&'static str, String) {
    match event.event.as_str() {
        "submitted" => ("created", "Request created, NDA accepted".into()),
        "approved" => ("decision", "Approved".into()),
        "denied" => ("decision", "Denied".into()),
        "revoked" => ("decision", "Revoked".into()),
        "link_resent" => ("link", "Download link re-sent".into()),
        "link_reissued" => ("link", "Download link printed again (command line)".into()),
        "access_extended" => ("decision", "Access extended".into()),
        "downloaded" => ("download", "Downloaded".into()),
        "download_refused" => ("refused", "Download refused".into()),
        other => ("other", other.to_string()),
    }
}

fn who(actor: &str) -> String {
    match actor {
        "requester" => "the requester".into(),
        "rules" => "the approval rules".into(),
        "system" => "the service".into(),
        other => other.to_string(),
    }
}

fn timeline(trail: &[AuditEvent], outbox: &[OutboxEntry]) -> Markup {
    let mut entries: Vec<Entry> = trail
        .iter()
        .map(|event| {
            let (kind, title) = event_title(event);
            Entry {
                at: event.at,
                order: 0,
                kind,
                title,
                detail: event.detail.clone(),
                who: Some(who(&event.actor)),
                ip: event.client_ip.clone(),
            }
        })
        .collect();
    let now = now_secs();
    for message in outbox {
        let what = if message.channel == "webhook" {
            "Webhook".to_string()
        } else {
            format!("E-mail to {}", message.recipient)
        };
        let state = match (message.status.as_str(), message.delivered_at) {
            ("delivered", Some(at)) => format!("delivered at {}", crate::clock::format_utc(at)),
            ("delivered", None) => "delivered".to_string(),
            ("failed", _) => format!(
                "failed after {} attempts: {}",
                message.attempts,
                message.last_error.as_deref().unwrap_or("no error recorded")
            ),
            _ if message.attempts > 0 => format!(
                "waiting, {} failed attempts so far: {}",
                message.attempts,
                message.last_error.as_deref().unwrap_or("")
            ),
            _ => format!("queued {} ago", super::layout::age(now, message.created_at)),
        };
        entries.push(Entry {
            at: message.created_at,
            order: 1,
            kind: "email",
            title: format!("{what} — {state}"),
            detail: message.subject.clone(),
            who: None,
            ip: None,
        });
    }
    entries.sort_by_key(|e| (e.at, e.order));
    html! {
        ol class="timeline" {
            @for entry in &entries {
                li class={ "timeline__item timeline__item--" (entry.kind) } {
                    (time(entry.at))
                    " "
                    strong { (entry.title) }
                    @if let Some(who) = &entry.who { " by " (who) }
                    @if let Some(ip) = &entry.ip { span class="muted" { " from " (ip) } }
                    @if let Some(detail) = &entry.detail { br; span class="detail" { (detail) } }
                }
            }
        }
    }
}

//! Decisions on requests (approve, deny, revoke) and the messages they put in the outbox.
//!
//! Used by the admin commands and, for auto-approval, by the HTTP handler, so both behave the same.

use serde_json::json;

use crate::clock::{format_utc, now_secs};
use crate::config::Config;
use crate::error::IntakeError;
use crate::mail::content::{MailContent, MailKind};
use crate::store::{
    no_such_request, AccessRequest, AuditEvent, Channel, Decision, NewMessage, RequestStatus, Store,
};
use crate::token::{mint, TokenClaims};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The download URL for `request`, valid until `expires_at`.
pub fn download_link(
    public_base: &str,
    secret: &[u8],
    request_id: &str,
    document_id: &str,
    expires_at: i64,
) -> String {
    let token = mint(
        secret,
        &TokenClaims {
            request_id: request_id.to_string(),
            document_id: document_id.to_string(),
            expires_at,
        },
    );
    format!("{public_base}/v1/downloads/{token}")
}

/// [`download_link`] for `request` under the configured public base URL.
fn request_link(
    config: &Config,
    secret: &[u8],
    request: &AccessRequest,
    expires_at: i64,
) -> String {
    download_link(
        &config.public_base(None),
        secret,
        &request.id,
        &request.document_id,
        expires_at,
    )
}

/// The status URL of a request.
pub fn status_url(public_base: &str, request_id: &str) -> String {
    format!("{public_base}/v1/access-requests/{request_id}")
}

/// Outbox messages announcing a new request: the requester's receipt, then the webhook and the vendor's
/// e-mail as configured.
pub fn new_request_messages(
    config: &Config,
    request: &AccessRequest,
    public_base: &str,
) -> Vec<NewMessage> {
    let mut messages = vec![receipt_email(request, public_base)];
    if let Some(url) = &config.notifications.webhook_url {
        let body = json!({
            "event": "access_request.created",
            "request_id": request.id,
            "status": request.status,
            "name": request.name,
            "company": request.company,
            "email_domain": request.email_domain,
            "document_id": request.document_id,
            "nda_version": request.nda_version,
            "created_at": format_utc(request.created_at),
            "status_url": status_url(public_base, &request.id),
        });
        messages.push(NewMessage {
            channel: Channel::Webhook,
            recipient: url.clone(),
            subject: None,
            body: body.to_string(),
        });
    }
    if let Some(address) = &config.notifications.notify_email {
        messages.push(vendor_notice_email(
            address,
            request,
            public_base,
            crate::console::request_page_url(config, &request.id),
        ));
    }
    messages
}

/// An e-mail row: `label` is what `trustctl requests outbox` shows; the sent subject comes from the
/// template.
fn email(recipient: &str, label: String, content: MailContent) -> NewMessage {
    NewMessage {
        channel: Channel::Email,
        recipient: recipient.to_string(),
        subject: Some(label),
        body: content.to_body(),
    }
}

/// The vendor's "new request" notice: the evidence and the commands to decide.
pub fn vendor_notice_email(
    address: &str,
    request: &AccessRequest,
    public_base: &str,
    console_url: Option<String>,
) -> NewMessage {
    let command = |verb: &str| {
        format!(
            "trustctl requests {verb} {} --config <your intake config>",
            request.id
        )
    };
    let content = MailContent::new(
        MailKind::NewRequest,
        [
            ("request_id", request.id.clone()),
            ("requester_name", request.name.clone()),
            ("requester_email", request.email.clone()),
            ("company", request.company.clone()),
            ("reason", request.reason.clone().unwrap_or_default()),
            ("document_id", request.document_id.clone()),
            ("nda_version", request.nda_version.clone()),
            ("nda_sha256", request.nda_sha256.clone()),
            ("accepted_at", format_utc(request.accepted_at)),
            ("client_ip", request.client_ip.clone()),
            ("user_agent", request.user_agent.clone().unwrap_or_default()),
            ("status", request.status.as_str().to_string()),
            ("status_url", status_url(public_base, &request.id)),
            ("approve_command", command("approve")),
            ("deny_command", command("deny")),
            ("show_command", command("show")),
            ("console_url", console_url.unwrap_or_default()),
        ],
    );
    email(
        address,
        format!("New document request from {}", request.company),
        content,
    )
}

/// The requester's receipt, queued with the request: the NDA version and hash they accepted and what
/// happens next.
pub fn receipt_email(request: &AccessRequest, public_base: &str) -> NewMessage {
    let content = MailContent::new(
        MailKind::Receipt,
        [
            ("request_id", request.id.clone()),
            ("requester_name", request.name.clone()),
            ("company", request.company.clone()),
            ("document_id", request.document_id.clone()),
            ("nda_version", request.nda_version.clone()),
            ("nda_sha256", request.nda_sha256.clone()),
            ("accepted_at", format_utc(request.accepted_at)),
            ("status", request.status.as_str().to_string()),
            ("status_url", status_url(public_base, &request.id)),
        ],
    );
    email(
        &request.email,
        format!("Receipt for request {}", request.id),
        content,
    )
}

/// The e-mail to the requester carrying the download link.
pub fn approval_email(request: &AccessRequest, link: &str, expires_at: i64) -> NewMessage {
    let content = MailContent::new(
        MailKind::Approval,
        [
            ("request_id", request.id.clone()),
            ("requester_name", request.name.clone()),
            ("document_id", request.document_id.clone()),
            ("link", link.to_string()),
            ("expires_at", format_utc(expires_at)),
        ],
    );
    email(
        &request.email,
        format!("Your access to \"{}\"", request.document_id),
        content,
    )
}

/// The e-mail to the requester when the request is denied.
/// `reviewer_message` is shown to the requester when given (the console's "message to the requester").
pub fn denial_email(request: &AccessRequest, reviewer_message: Option<&str>) -> NewMessage {
    let content = MailContent::new(
        MailKind::Denial,
        [
            ("request_id", request.id.clone()),
            ("requester_name", request.name.clone()),
            ("document_id", request.document_id.clone()),
            (
                "reviewer_message",
                reviewer_message.unwrap_or_default().to_string(),
            ),
        ],
    );
    email(
        &request.email,
        format!("Your request for \"{}\"", request.document_id),
        content,
    )
}

/// Result of an approval: the updated request and the link that was sent.
#[derive(Debug, Clone)]
pub struct Approval {
    pub request: AccessRequest,
    pub link: String,
    pub expires_at: i64,
}

/// Approves a pending (or denied) request for `days` days and queues the link e-mail.
pub fn approve(
    store: &dyn Store,
    config: &Config,
    secret: &[u8],
    id: &str,
    actor: &str,
    days: u32,
    note: Option<String>,
) -> Result<Approval, IntakeError> {
    let request = store.get_request(id)?.ok_or_else(|| no_such_request(id))?;
    let now = now_secs();
    let expires_at = now + i64::from(days) * DAY;
    let public_base = config.public_base(None);
    let link = download_link(
        &public_base,
        secret,
        &request.id,
        &request.document_id,
        expires_at,
    );
    let decision = Decision {
        status: RequestStatus::Approved,
        actor: actor.to_string(),
        note: Some(note.unwrap_or_else(|| {
            format!("access for {days} days, until {}", format_utc(expires_at))
        })),
        access_expires_at: Some(expires_at),
        at: now,
        messages: vec![approval_email(&request, &link, expires_at)],
    };
    let request = store.decide(id, &decision)?;
    Ok(Approval {
        request,
        link,
        expires_at,
    })
}

/// Denies a pending request and queues the notice e-mail.
pub fn deny(
    store: &dyn Store,
    id: &str,
    actor: &str,
    note: Option<String>,
) -> Result<AccessRequest, IntakeError> {
    let request = store.get_request(id)?.ok_or_else(|| no_such_request(id))?;
    record_denial(store, id, actor, note, denial_email(&request, None))
}

/// Denies `id` and queues `email` (the notice to the requester) in the same transaction.
fn record_denial(
    store: &dyn Store,
    id: &str,
    actor: &str,
    note: Option<String>,
    email: NewMessage,
) -> Result<AccessRequest, IntakeError> {
    store.decide(
        id,
        &Decision {
            status: RequestStatus::Denied,
            actor: actor.to_string(),
            note,
            access_expires_at: None,
            at: now_secs(),
            messages: vec![email],
        },
    )
}

/// Revokes an approved request: its links stop working immediately. Revocation is final.
pub fn revoke(
    store: &dyn Store,
    id: &str,
    actor: &str,
    note: Option<String>,
) -> Result<AccessRequest, IntakeError> {
    store.decide(
        id,
        &Decision {
            status: RequestStatus::Revoked,
            actor: actor.to_string(),
            note,
            access_expires_at: None,
            at: now_secs(),
            messages: Vec::new(),
        },
    )
}

/// Erases the requester's personal data from request `id` ([`Store::erase_request`]). With `revoke`,
/// an approved request whose access still runs is revoked first, as `trustctl requests revoke` does
/// (its links stop working), then erased; returns whether it revoked.
pub fn erase(
    store: &dyn Store,
    id: &str,
    revoke_first: bool,
    actor: &str,
) -> Result<(bool, crate::store::RequestErasure), IntakeError> {
    let request = store
        .get_request(id)?
        .ok_or_else(|| no_such_request(&crate::neutralise::inline(id)))?;
    let now = now_secs();
    let running = request.status == RequestStatus::Approved
        && request.access_expires_at.is_none_or(|end| end > now);
    let revoked = if revoke_first && running && !request.is_erased() {
        revoke(
            store,
            id,
            actor,
            Some("revoked to erase the requester's data".into()),
        )?;
        true
    } else {
        false
    };
    Ok((revoked, store.erase_request(id, now_secs())?))
}

/// The link of an approved request, again, with the approval's end date; records `link_reissued`.
pub fn reissue_link(
    store: &dyn Store,
    config: &Config,
    secret: &[u8],
    id: &str,
    actor: &str,
) -> Result<(String, i64), IntakeError> {
    let request = store.get_request(id)?.ok_or_else(|| no_such_request(id))?;
    let now = now_secs();
    let expires_at =
        current_access_end(&request, now, "ask the requester to submit a new request")?;
    let link = request_link(config, secret, &request, expires_at);
    store.record_audit(&AuditEvent {
        request_id: request.id.clone(),
        at: now,
        event: "link_reissued".into(),
        actor: actor.to_string(),
        client_ip: None,
        detail: None,
    })?;
    Ok((link, expires_at))
}

/// Denies a pending request like [`deny`]; a non-empty `message` is added to the notice e-mail, so the
/// requester learns why (the `note` stays internal, in the audit trail).
pub fn deny_with_message(
    store: &dyn Store,
    id: &str,
    actor: &str,
    note: Option<String>,
    message: Option<String>,
) -> Result<AccessRequest, IntakeError> {
    let Some(message) = message.filter(|m| !m.trim().is_empty()) else {
        return deny(store, id, actor, note);
    };
    let request = store.get_request(id)?.ok_or_else(|| no_such_request(id))?;
    let email = denial_email(&request, Some(message.trim()));
    record_denial(store, id, actor, note, email)
}

/// E-mails the download link of an approved request to the requester again (same end date) and records
/// `link_resent` in the same transaction as the queued e-mail.
pub fn resend_link(
    store: &dyn Store,
    config: &Config,
    secret: &[u8],
    id: &str,
    actor: &str,
) -> Result<(String, i64), IntakeError> {
    let request = store.get_request(id)?.ok_or_else(|| no_such_request(id))?;
    let now = now_secs();
    let expires_at = current_access_end(&request, now, "extend it first")?;
    let link = request_link(config, secret, &request, expires_at);
    store.record_with_messages(
        &AuditEvent {
            request_id: request.id.clone(),
            at: now,
            event: "link_resent".into(),
            actor: actor.to_string(),
            client_ip: None,
            detail: Some(format!(
                "e-mailed to the requester, valid until {}",
                format_utc(expires_at)
            )),
        },
        &[approval_email(&request, &link, expires_at)],
    )?;
    Ok((link, expires_at))
}

/// Extends an approved request's access by `days` (counted from the current end, or from now if it has
/// passed) and e-mails the requester a link valid until the new end; records `access_extended`.
pub fn extend_access(
    store: &dyn Store,
    config: &Config,
    secret: &[u8],
    id: &str,
    actor: &str,
    days: u32,
    note: Option<String>,
) -> Result<Approval, IntakeError> {
    if days == 0 || days > 3650 {
        return Err(IntakeError::InvalidAction(
            "the extension must be between 1 and 3650 days".into(),
        ));
    }
    let request = store.get_request(id)?.ok_or_else(|| no_such_request(id))?;
    if request.status != RequestStatus::Approved {
        return Err(IntakeError::InvalidAction(format!(
            "request {id} is {} and its access cannot be extended",
            request.status.as_str()
        )));
    }
    let now = now_secs();
    let from = request.access_expires_at.unwrap_or(now).max(now);
    let expires_at = from + i64::from(days) * DAY;
    let link = request_link(config, secret, &request, expires_at);
    let detail = match note.filter(|n| !n.trim().is_empty()) {
        Some(note) => format!(
            "extended by {days} days, until {}: {note}",
            format_utc(expires_at)
        ),
        None => format!("extended by {days} days, until {}", format_utc(expires_at)),
    };
    let request = store.extend_access(
        id,
        expires_at,
        &AuditEvent {
            request_id: request.id.clone(),
            at: now,
            event: "access_extended".into(),
            actor: actor.to_string(),
            client_ip: None,
            detail: Some(detail),
        },
        &[approval_email(&request, &link, expires_at)],
    )?;
    Ok(Approval {
        request,
        link,
        expires_at,
    })
}

/// The end of an approved request's running access period, or why there is none.
fn current_access_end(
    request: &AccessRequest,
    now: i64,
    when_ended: &str,
) -> Result<i64, IntakeError> {
    match (request.status, request.access_expires_at) {
        (RequestStatus::Approved, Some(end)) if end > now => Ok(end),
        (RequestStatus::Approved, _) => Err(IntakeError::InvalidAction(format!(
            "the access period of request {} has ended; {when_ended}",
            request.id
        ))),
        (status, _) => Err(IntakeError::InvalidAction(format!(
            "request {} is {} and has no download link",
            request.id,
            status.as_str()
        ))),
    }
}

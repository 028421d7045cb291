//! Turning an outbox row into an RFC 5322 message: headers, a stable `Message-ID`, and the plain-text
//! and HTML alternatives.

use lettre::address::Envelope;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::content::{MailContent, LIST_UNSUBSCRIBE_VARIABLE};
use super::inert;
use super::templates::Templates;

/// The sender identity, parsed once from `[smtp]`.
#[derive(Debug, Clone)]
pub struct Sender {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
    pub envelope_from: Address,
}

/// Why a row cannot become a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildError {
    /// The recipient address cannot be used: retrying will not help.
    BadRecipient(String),
    /// Rendering failed (a template problem the vendor can fix): worth retrying later.
    Render(String),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::BadRecipient(e) | BuildError::Render(e) => f.write_str(e),
        }
    }
}

/// `<outbox-ROW.REQUEST@FROM-DOMAIN>`: the same for every attempt of one outbox row, so a message that
/// is sent twice (crash after the server accepted it, before the row was marked) is recognisably the
/// same message, and unique across databases because request ids are random.
pub fn message_id(row_id: i64, request_id: Option<&str>, sender: &Sender) -> String {
    let domain = sender.from.email.domain();
    match request_id {
        Some(request) => format!("<outbox-{row_id}.{request}@{domain}>"),
        None => format!("<outbox-{row_id}@{domain}>"),
    }
}

/// One message ready for the transport.
pub struct Outgoing {
    pub message: Message,
    pub message_id: String,
}

/// Builds the message for `row_id`; `body` is the row's [`MailContent`] JSON (or legacy plain text,
/// sent with `legacy_subject`).
pub fn build(
    templates: &Templates,
    sender: &Sender,
    row_id: i64,
    request_id: Option<&str>,
    recipient: &str,
    legacy_subject: Option<&str>,
    body: &str,
) -> Result<Outgoing, BuildError> {
    let to_address: Address = recipient.trim().parse().map_err(|e| {
        BuildError::BadRecipient(format!(
            "the recipient \"{}\" is not a usable e-mail address ({e})",
            inert::line(recipient)
        ))
    })?;
    let id = message_id(row_id, request_id, sender);
    let envelope = Envelope::new(Some(sender.envelope_from.clone()), vec![to_address.clone()])
        .map_err(|e| BuildError::BadRecipient(format!("cannot build the envelope: {e}")))?;
    let mut builder = Message::builder()
        .from(sender.from.clone())
        .to(Mailbox::new(None, to_address))
        .message_id(Some(id.clone()))
        .date_now()
        .envelope(envelope)
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".into(),
        ));
    if let Some(reply_to) = &sender.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    let result = match MailContent::from_body(body) {
        Some(content) => {
            if let Some(url) = content.vars.get(LIST_UNSUBSCRIBE_VARIABLE) {
                builder = with_list_unsubscribe(builder, url)?;
            }
            let rendered = templates.render(&content).map_err(BuildError::Render)?;
            builder
                .subject(rendered.subject)
                .multipart(MultiPart::alternative_plain_html(
                    rendered.text,
                    rendered.html,
                ))
        }
        None => builder
            .subject(inert::line(
                legacy_subject.unwrap_or("Message from the trust center"),
            ))
            .singlepart(SinglePart::plain(body.to_string())),
    };
    let message =
        result.map_err(|e| BuildError::Render(format!("cannot build the message: {e}")))?;
    Ok(Outgoing {
        message,
        message_id: id,
    })
}

/// Adds `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 2369,
/// RFC 8058). The URL is the service's own signed link; anything that could break the header (space,
/// control character, angle bracket) or is not http(s) is refused rather than sent.
fn with_list_unsubscribe(
    builder: lettre::message::MessageBuilder,
    url: &str,
) -> Result<lettre::message::MessageBuilder, BuildError> {
    let usable = (url.starts_with("https://") || url.starts_with("http://"))
        && url.is_ascii()
        && !url.chars().any(|c| {
            c.is_ascii_whitespace() || c.is_ascii_control() || matches!(c, '<' | '>' | '"')
        });
    if !usable {
        return Err(BuildError::Render(
            "the unsubscribe link cannot go into a List-Unsubscribe header".into(),
        ));
    }
    Ok(builder
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<{url}>"),
        ))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
            "List-Unsubscribe=One-Click".into(),
        )))
}

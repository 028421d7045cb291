//! E-mail delivery over SMTP: the `[smtp]` settings, the messages and their templates, and the worker
//! that delivers the outbox's `email` rows.
//!
//! - [`config`]: the `[smtp]` table and its checks.
//! - [`content`]: what an e-mail row stores (template + variables), written by the workflow.
//! - [`inert`]: requester text made harmless; [`templates`]: built-in and vendor templates.
//! - [`message`]: headers, stable `Message-ID`, text + HTML (DKIM-signed by [`Mailer::prepare`] when
//!   configured); [`transport`]: lettre SMTP client.
//! - [`worker`]: the delivery loop (pacing, retries, stop signal); [`cli`]: `trustctl mail test`.
//!
//! Delivery is at-least-once: a row is marked delivered only after the server accepted the message, and
//! every attempt of a row carries the same `Message-ID`.

pub mod cli;
pub mod config;
pub mod content;
pub mod inert;
pub mod message;
pub mod outbox_view;
pub mod templates;
pub mod transport;
pub mod worker;

pub use config::SmtpConfig;

use crate::config::Config;
use message::Sender;
use templates::{Branding, Templates};
use transport::SmtpClient;

/// Everything needed to send: the client, the sender identity and the templates.
pub struct Mailer {
    pub client: SmtpClient,
    /// DKIM signature settings when `smtp.dkim_selector` / `dkim_key_file` are set.
    pub dkim: Option<lettre::message::dkim::DkimConfig>,
    pub sender: Sender,
    pub templates: Templates,
    pub settings: SmtpConfig,
}

impl Mailer {
    /// Prepares the mailer from `[smtp]`: resolves the password, reads the CA file and the vendor's
    /// templates. Errors name the key to fix.
    pub fn from_config(config: &Config, smtp: &SmtpConfig) -> Result<Mailer, String> {
        smtp.check()?;
        let password = smtp.resolve_password()?;
        let ca_pem =
            match &smtp.ca_file {
                Some(path) => {
                    let path = config.resolve(path);
                    Some(std::fs::read(&path).map_err(|e| {
                        format!("smtp.ca_file: cannot read {}: {e}", path.display())
                    })?)
                }
                None => None,
            };
        let client = SmtpClient::new(smtp, password, ca_pem.as_deref())?;
        let from: lettre::message::Mailbox = smtp
            .from
            .parse()
            .map_err(|e| format!("smtp.from is not an e-mail address: {e}"))?;
        let reply_to = match &smtp.reply_to {
            Some(text) => Some(
                text.parse()
                    .map_err(|e| format!("smtp.reply_to is not an e-mail address: {e}"))?,
            ),
            None => None,
        };
        let envelope_from = match &smtp.envelope_from {
            Some(text) => {
                text.parse::<lettre::message::Mailbox>()
                    .map_err(|e| format!("smtp.envelope_from is not an e-mail address: {e}"))?
                    .email
            }
            None => from.email.clone(),
        };
        let vendor_name = smtp
            .vendor_name
            .clone()
            .or_else(|| from.name.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "Trust Center".to_string());
        let template_dir = smtp.template_dir.as_ref().map(|d| config.resolve(d));
        if let Some(dir) = &template_dir {
            if !dir.is_dir() {
                return Err(format!(
                    "smtp.template_dir: {} is not a folder",
                    dir.display()
                ));
            }
        }
        let templates = Templates::load(
            template_dir.as_deref(),
            Branding {
                vendor_name,
                logo_url: smtp.logo_url.clone(),
                console_url: None,
            },
        )?;
        let dkim = match (&smtp.dkim_selector, &smtp.dkim_key_file) {
            (Some(selector), Some(key_file)) => Some(dkim_config(
                selector,
                smtp.dkim_domain
                    .clone()
                    .unwrap_or_else(|| from.email.domain().to_string()),
                &config.resolve(key_file),
            )?),
            _ => None,
        };
        Ok(Mailer {
            client,
            dkim,
            sender: Sender {
                from,
                reply_to,
                envelope_from,
            },
            templates,
            settings: smtp.clone(),
        })
    }
}

/// The DKIM settings: relaxed canonicalisation of headers and body, signing the headers a reader
/// trusts (From, To, Subject, Date, Message-ID) and, as RFC 8058 requires for one-click unsubscribe,
/// List-Unsubscribe and List-Unsubscribe-Post (a header a message lacks is signed as absent, so it
/// cannot be added later either). The key file's content never appears in errors.
fn dkim_config(
    selector: &str,
    domain: String,
    key_file: &std::path::Path,
) -> Result<lettre::message::dkim::DkimConfig, String> {
    use lettre::message::dkim::{
        DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
        DkimSigningKey,
    };
    use lettre::message::header::HeaderName;
    let pem = std::fs::read_to_string(key_file).map_err(|e| {
        format!(
            "smtp.dkim_key_file: cannot read {}: {e}",
            key_file.display()
        )
    })?;
    let key = DkimSigningKey::new(&pem, DkimSigningAlgorithm::Rsa).map_err(|_| {
        format!(
            "smtp.dkim_key_file: {} is not an RSA private key in PKCS#1 PEM (BEGIN RSA PRIVATE KEY); `openssl genrsa -traditional 2048` makes one",
            key_file.display()
        )
    })?;
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    Ok(DkimConfig::new(
        selector.to_string(),
        domain,
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

impl Mailer {
    /// Builds the message of an outbox row, DKIM-signed when configured.
    pub fn prepare(
        &self,
        row_id: i64,
        request_id: Option<&str>,
        recipient: &str,
        legacy_subject: Option<&str>,
        body: &str,
    ) -> Result<message::Outgoing, message::BuildError> {
        let mut outgoing = message::build(
            &self.templates,
            &self.sender,
            row_id,
            request_id,
            recipient,
            legacy_subject,
            body,
        )?;
        if let Some(dkim) = &self.dkim {
            outgoing.message.sign(dkim);
        }
        Ok(outgoing)
    }
}

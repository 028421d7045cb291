//! The SMTP connection (lettre over rustls on tokio) and what a delivery attempt's outcome means.

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::config::{SmtpConfig, TlsMode};

/// A configured SMTP client; one connection per message.
#[derive(Clone)]
pub struct SmtpClient {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
    /// `host:port (mode)`, for messages.
    pub describe: String,
}

/// The result of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The server accepted the message; its final reply (`250 …`).
    Accepted(String),
    /// Worth retrying: a 4xx reply, a timeout, a refused or broken connection, a TLS failure.
    Temporary(String),
    /// The server refused the message for good (5xx); its answer.
    Permanent(String),
}

impl SmtpClient {
    /// Builds the client from `[smtp]` and the resolved password.
    pub fn new(
        config: &SmtpConfig,
        password: Option<String>,
        ca_pem: Option<&[u8]>,
    ) -> Result<SmtpClient, String> {
        let mode = config.tls_mode();
        let timeout = Duration::from_secs(config.timeout_secs);
        let tls = match mode {
            TlsMode::None => Tls::None,
            TlsMode::Starttls | TlsMode::Tls => {
                let mut builder = TlsParameters::builder(config.host.clone());
                if let Some(pem) = ca_pem {
                    let certificate = Certificate::from_pem(pem)
                        .map_err(|e| format!("smtp.ca_file is not a PEM certificate: {e}"))?;
                    builder = builder.add_root_certificate(certificate);
                }
                let parameters = builder
                    .build_rustls()
                    .map_err(|e| format!("cannot set up TLS for smtp.host: {e}"))?;
                if mode == TlsMode::Tls {
                    Tls::Wrapper(parameters)
                } else {
                    Tls::Required(parameters)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&config.host)
            .port(config.port())
            .timeout(Some(timeout))
            .tls(tls);
        if let (Some(user), Some(password)) = (&config.username, password) {
            builder = builder.credentials(Credentials::new(user.clone(), password));
        }
        Ok(SmtpClient {
            transport: builder.build(),
            timeout,
            describe: format!("{}:{} ({})", config.host, config.port(), mode.as_str()),
        })
    }

    /// Sends one message, bounded by the per-message timeout.
    pub async fn send(&self, message: Message) -> Attempt {
        match tokio::time::timeout(self.timeout, self.transport.send(message)).await {
            Err(_) => Attempt::Temporary(format!(
                "no answer from {} within {} s",
                self.describe,
                self.timeout.as_secs()
            )),
            Ok(Ok(response)) => Attempt::Accepted(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Ok(Err(error)) => classify(&self.describe, &error),
        }
    }
}

/// Permanent only for a 5xx reply; everything else may work later.
fn classify(server: &str, error: &SmtpError) -> Attempt {
    let text = error_text(error);
    if error.is_permanent() {
        Attempt::Permanent(format!("{server} refused the message: {text}"))
    } else if error.is_transient() {
        Attempt::Temporary(format!("{server} deferred the message: {text}"))
    } else if error.is_timeout() {
        Attempt::Temporary(format!("{server} timed out: {text}"))
    } else {
        Attempt::Temporary(format!("cannot deliver through {server}: {text}"))
    }
}

/// The error with its sources, one line.
fn error_text(error: &SmtpError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    super::inert::line(&text)
}

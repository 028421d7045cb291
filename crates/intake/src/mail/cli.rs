//! `trustctl mail test --to ADDRESS --config FILE`: send one test message with the `[smtp]` settings and
//! print how the SMTP dialogue ended: the server's final answer, or the failure and what the service
//! would do with it (retry or give up).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use super::content::{MailContent, MailKind};
use super::transport::Attempt;
use super::Mailer;
use crate::clock::{format_utc, now_secs};
use crate::config::Config;
use crate::error::IntakeError;

/// `trustctl mail …`: check the e-mail set-up.
#[derive(Debug, Clone, Parser)]
#[command(about = "Check the e-mail (SMTP) set-up of the intake service")]
pub struct MailArgs {
    /// Path of the intake configuration file (TOML); may be given before or after the subcommand.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: MailCommand,
}

/// The mail actions.
#[derive(Debug, Clone, Subcommand)]
pub enum MailCommand {
    /// Send a test message through the configured SMTP server and print the outcome.
    Test {
        /// Where to send it.
        #[arg(long, value_name = "ADDRESS")]
        to: String,
    },
}

/// Runs a mail command, printing to standard output.
pub fn run_mail(args: MailArgs) -> Result<ExitCode, IntakeError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(|e| IntakeError::Io(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(run_mail_to(args, &mut out))
}

/// Runs a mail command, printing to `out`.
pub async fn run_mail_to(args: MailArgs, out: &mut dyn Write) -> Result<ExitCode, IntakeError> {
    let config_path = args.config.ok_or_else(|| {
        IntakeError::Config(
            "--config FILE is required (the same file `trustctl serve` uses)".into(),
        )
    })?;
    let config = Config::load(&config_path)?;
    let MailCommand::Test { to } = args.command;
    let smtp = config.smtp.as_ref().ok_or_else(|| {
        IntakeError::Config(format!(
            "{} has no [smtp] section: add one (see docs/intake.md, \"E-mail\")",
            config_path.display()
        ))
    })?;
    let mailer = Mailer::from_config(&config, smtp).map_err(IntakeError::Config)?;
    let w = |e: std::io::Error| IntakeError::Io(format!("cannot write output: {e}"));
    writeln!(out, "SMTP server  {}", mailer.client.describe).map_err(w)?;
    writeln!(
        out,
        "Sign-in      {}",
        smtp.username
            .as_deref()
            .map(|u| format!("AUTH as {u} (password not shown)"))
            .unwrap_or_else(|| "none".into())
    )
    .map_err(w)?;
    writeln!(out, "From         {}", mailer.sender.from).map_err(w)?;
    let mut nonce = [0u8; 8];
    getrandom::getrandom(&mut nonce)
        .map_err(|e| IntakeError::Io(format!("no random numbers: {e}")))?;
    let row_id = i64::from_le_bytes(nonce) & i64::MAX;
    let content = MailContent::new(MailKind::Test, [("sent_at", format_utc(now_secs()))]);
    let outgoing = mailer
        .prepare(row_id, None, &to, None, &content.to_body())
        .map_err(|e| IntakeError::InvalidAction(e.to_string()))?;
    writeln!(out, "To           {to}").map_err(w)?;
    writeln!(out, "Message-ID   {}", outgoing.message_id).map_err(w)?;
    let (line, code) = match mailer.client.send(outgoing.message).await {
        Attempt::Accepted(reply) => (format!("Sent         the server answered: {reply}"), 0),
        Attempt::Temporary(error) => (
            format!("NOT SENT     temporary failure (the service would retry): {error}"),
            1,
        ),
        Attempt::Permanent(error) => (
            format!("NOT SENT     permanent failure (the service would mark the e-mail failed): {error}"),
            1,
        ),
    };
    writeln!(out, "{line}").map_err(w)?;
    Ok(ExitCode::from(code))
}

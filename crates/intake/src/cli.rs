//! Command-line arguments and runners that `trustctl` embeds as `trustctl serve` and `trustctl requests …`.
//!
//! ```text
//! trustctl serve --config intake.toml
//! trustctl requests list    --config intake.toml [--status pending|approved|denied|revoked|all] [--limit N] [--json]
//! trustctl requests show    --config intake.toml REQUEST_ID [--json]
//! trustctl requests approve --config intake.toml REQUEST_ID [--days N] [--note TEXT] [--by NAME]
//! trustctl requests deny    --config intake.toml REQUEST_ID [--note TEXT] [--by NAME]
//! trustctl requests revoke  --config intake.toml REQUEST_ID [--note TEXT] [--by NAME]
//! trustctl requests link    --config intake.toml REQUEST_ID [--by NAME]
//! trustctl requests outbox  --config intake.toml [--request REQUEST_ID] [--limit N] [--json]
//! trustctl requests resend  --config intake.toml REQUEST_ID [--by NAME]
//! trustctl requests extend  --config intake.toml REQUEST_ID --days N [--note TEXT] [--by NAME]
//! trustctl requests trace   --config intake.toml FILE.pdf
//! trustctl requests erase   --config intake.toml REQUEST_ID [--revoke] [--by NAME] [--json]
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::clock::format_utc;
use crate::config::Config;
use crate::error::IntakeError;
// Everything printed in a table or a detail view goes through `shown` (text a requester typed is
// made inert for the reviewer's terminal); JSON output is escaped by serde_json.
use crate::neutralise::inline as shown;
use crate::store::{AccessRequest, RequestStatus, Store};
use crate::workflow;

/// `trustctl serve`: run the intake HTTP service.
#[derive(Debug, Clone, Parser)]
#[command(about = "Run the access-request intake service (HTTP + SQLite)")]
pub struct ServeArgs {
    /// Path of the intake configuration file (TOML).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
}

/// `trustctl requests …`: review and decide access requests in the service's database.
#[derive(Debug, Clone, Parser)]
#[command(
    about = "Review and decide access requests (list, show, approve, deny, revoke, link, outbox)"
)]
pub struct RequestsArgs {
    /// Path of the intake configuration file (TOML); may be given before or after the subcommand.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: RequestsCommand,
}

/// The admin actions.
#[derive(Debug, Clone, Subcommand)]
pub enum RequestsCommand {
    /// List requests, newest first.
    List {
        /// Only requests in this state.
        #[arg(long, value_enum, default_value_t = StatusFilter::All)]
        status: StatusFilter,
        /// At most this many rows.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Show one request with its NDA evidence and audit trail (including downloads).
    Show {
        /// The request id (req_…).
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve a request and print the time-limited download link (also queued as an e-mail).
    Approve {
        /// The request id (req_…).
        id: String,
        /// Access duration in days (default: rules.access_days from the configuration).
        #[arg(long)]
        days: Option<u32>,
        /// A note kept in the audit trail.
        #[arg(long)]
        note: Option<String>,
        /// Who decides (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Deny a pending request.
    Deny {
        /// The request id (req_…).
        id: String,
        /// A note kept in the audit trail.
        #[arg(long)]
        note: Option<String>,
        /// A message added to the notice e-mail to the requester.
        #[arg(long)]
        message: Option<String>,
        /// Who decides (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Revoke an approved request: its download links stop working at once.
    Revoke {
        /// The request id (req_…).
        id: String,
        /// A note kept in the audit trail.
        #[arg(long)]
        note: Option<String>,
        /// Who decides (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Print the download link of an approved request again (e.g. for an auto-approved request when no
    /// [smtp] is set up). The link keeps the approval's end date; the reissue is audited.
    Link {
        /// The request id (req_…).
        id: String,
        /// Who asks (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// E-mail the download link of an approved request to the requester again (same end date).
    Resend {
        /// The request id (req_…).
        id: String,
        /// Who asks (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Extend an approved request's access and e-mail a link valid until the new end.
    Extend {
        /// The request id (req_…).
        id: String,
        /// Days added to the current end (or to now, if it has passed).
        #[arg(long)]
        days: u32,
        /// A note kept in the audit trail.
        #[arg(long)]
        note: Option<String>,
        /// Who decides (default: $USER).
        #[arg(long)]
        by: Option<String>,
    },
    /// Name the request a (leaked) copy of a document was downloaded under, from its metadata, its stamp
    /// text or its SHA-256; exits with status 1 when it cannot tell.
    Trace {
        /// The file to examine.
        file: PathBuf,
    },
    /// Erase the requester's personal data (GDPR Art. 17) from a decided request, its audit trail and
    /// its e-mails; the NDA evidence and the decisions stay. Refused while pending or while access runs.
    Erase {
        /// The request id (req_…).
        id: String,
        /// Revoke a running access first (its download links stop working), then erase.
        #[arg(long)]
        revoke: bool,
        /// Who revokes, with --revoke (default: $USER).
        #[arg(long)]
        by: Option<String>,
        /// Print what was done as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List outbox messages (e-mails waiting for a mail relay, webhook deliveries).
    Outbox {
        /// Only messages about this request.
        #[arg(long)]
        request: Option<String>,
        /// At most this many rows.
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `--status` values of `requests list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    All,
    Pending,
    Approved,
    Denied,
    Revoked,
}

impl StatusFilter {
    fn status(self) -> Option<RequestStatus> {
        match self {
            StatusFilter::All => None,
            StatusFilter::Pending => Some(RequestStatus::Pending),
            StatusFilter::Approved => Some(RequestStatus::Approved),
            StatusFilter::Denied => Some(RequestStatus::Denied),
            StatusFilter::Revoked => Some(RequestStatus::Revoked),
        }
    }
}

/// Runs the service until Ctrl-C or SIGTERM. Prints `trust-intake listening on http://ADDR` once ready.
pub fn run_serve(args: ServeArgs) -> Result<ExitCode, IntakeError> {
    let config = Config::load(&args.config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| IntakeError::system("cannot start the async runtime", e))?;
    let served = runtime.block_on(async move {
        let server = crate::server::start(config).await?;
        let mut stdout = std::io::stdout();
        let _ = writeln!(
            stdout,
            "trust-intake listening on http://{}",
            server.local_addr()
        );
        if let Some((addr, origin)) = server.console() {
            let _ = writeln!(
                stdout,
                "trust-intake console on {origin} (listening on {addr})"
            );
        }
        let _ = stdout.flush();
        wait_for_stop_signal().await;
        crate::redact::log("stopping");
        server.shutdown().await?;
        Ok(ExitCode::SUCCESS)
    });
    // A webhook call still running after the grace period is left behind: its message stays pending
    // and is sent again after the restart (delivery is at least once), so the exit is not delayed.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    served
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Runs an admin command, printing to standard output.
pub fn run_requests(args: RequestsArgs) -> Result<ExitCode, IntakeError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    run_requests_to(args, &mut out)
}

/// Runs an admin command, printing to `out` (used by tests).
pub fn run_requests_to(args: RequestsArgs, out: &mut dyn Write) -> Result<ExitCode, IntakeError> {
    let config_path = args.config.ok_or_else(|| {
        IntakeError::Config(
            "--config FILE is required (the same file `trustctl serve` uses)".into(),
        )
    })?;
    let config = Config::load(&config_path)?;
    let opened = crate::store::Database::from_config(&config).open_store()?;
    let store: &dyn Store = opened.as_ref();
    let write_err = |e: std::io::Error| IntakeError::system("cannot write output", e);
    match args.command {
        RequestsCommand::List {
            status,
            limit,
            json,
        } => {
            let requests = store.list_requests(status.status(), limit)?;
            if json {
                writeln!(out, "{}", to_json(&requests)?).map_err(write_err)?;
            } else if requests.is_empty() {
                writeln!(out, "No requests.").map_err(write_err)?;
            } else {
                writeln!(
                    out,
                    "{:<36}  {:<8}  {:<20}  {:<30}  {:<20}  DOCUMENT",
                    "ID", "STATUS", "CREATED", "EMAIL", "COMPANY"
                )
                .map_err(write_err)?;
                for r in &requests {
                    writeln!(
                        out,
                        "{:<36}  {:<8}  {:<20}  {:<30}  {:<20}  {}",
                        shown(&r.id),
                        status_label(r),
                        format_utc(r.created_at),
                        personal(r, &r.email),
                        personal(r, &r.company),
                        shown(&r.document_id)
                    )
                    .map_err(write_err)?;
                }
            }
        }
        RequestsCommand::Show { id, json } => {
            let request = store
                .get_request(&id)?
                .ok_or_else(|| crate::store::no_such_request(&shown(&id)))?;
            let trail = store.audit_trail(&id)?;
            if json {
                let value = serde_json::json!({ "request": request, "audit": trail });
                writeln!(out, "{}", to_json(&value)?).map_err(write_err)?;
            } else {
                print_request(out, &request).map_err(write_err)?;
                writeln!(out, "\nAudit trail:").map_err(write_err)?;
                for event in &trail {
                    writeln!(
                        out,
                        "  {}  {:<16}  {:<14}  {:<15}  {}",
                        format_utc(event.at),
                        shown(&event.event),
                        shown(&event.actor),
                        shown(event.client_ip.as_deref().unwrap_or("-")),
                        shown(event.detail.as_deref().unwrap_or(""))
                    )
                    .map_err(write_err)?;
                }
            }
        }
        RequestsCommand::Approve { id, days, note, by } => {
            let secret = crate::secret::load_or_create(&config)?;
            let days = days.unwrap_or(config.rules.access_days);
            if days == 0 {
                return Err(IntakeError::InvalidAction(
                    "--days must be at least 1".into(),
                ));
            }
            let approval = workflow::approve(store, &config, &secret, &id, &actor(by), days, note)?;
            writeln!(
                out,
                "Approved {} until {}.\nDownload link (also queued as an e-mail to {}):\n{}",
                approval.request.id,
                format_utc(approval.expires_at),
                shown(&approval.request.email),
                approval.link
            )
            .map_err(write_err)?;
        }
        RequestsCommand::Deny {
            id,
            note,
            message,
            by,
        } => {
            let request = workflow::deny_with_message(store, &id, &actor(by), note, message)?;
            writeln!(out, "Denied {}.", request.id).map_err(write_err)?;
        }
        RequestsCommand::Revoke { id, note, by } => {
            let request = workflow::revoke(store, &id, &actor(by), note)?;
            writeln!(
                out,
                "Revoked {}: its download links no longer work.",
                request.id
            )
            .map_err(write_err)?;
        }
        RequestsCommand::Link { id, by } => {
            let secret = crate::secret::load_or_create(&config)?;
            let (link, expires_at) =
                workflow::reissue_link(store, &config, &secret, &id, &actor(by))?;
            writeln!(
                out,
                "Download link for {id}, valid until {}:\n{link}",
                format_utc(expires_at)
            )
            .map_err(write_err)?;
        }
        RequestsCommand::Resend { id, by } => {
            let secret = crate::secret::load_or_create(&config)?;
            let (_, expires_at) = workflow::resend_link(store, &config, &secret, &id, &actor(by))?;
            writeln!(
                out,
                "The download link of {id} (valid until {}) is queued as an e-mail to the requester again.",
                format_utc(expires_at)
            )
            .map_err(write_err)?;
        }
        RequestsCommand::Extend { id, days, note, by } => {
            let secret = crate::secret::load_or_create(&config)?;
            let extended =
                workflow::extend_access(store, &config, &secret, &id, &actor(by), days, note)?;
            writeln!(
                out,
                "Access to {id} extended until {}; the new link is queued as an e-mail to {}:\n{}",
                format_utc(extended.expires_at),
                extended.request.email,
                extended.link
            )
            .map_err(write_err)?;
        }
        RequestsCommand::Erase {
            id,
            revoke,
            by,
            json,
        } => {
            let (revoked, report) = workflow::erase(store, &id, revoke, &actor(by))?;
            if json {
                let value = serde_json::json!({ "revoked_first": revoked, "erasure": report });
                writeln!(out, "{}", to_json(&value)?).map_err(write_err)?;
            } else {
                print_erasure(out, revoked, &report).map_err(write_err)?;
            }
        }
        RequestsCommand::Trace { file } => {
            return crate::watermark::trace::run(store, &file, out);
        }
        RequestsCommand::Outbox {
            request,
            limit,
            json,
        } => {
            let messages = store.outbox(request.as_deref(), limit)?;
            if json {
                writeln!(out, "{}", to_json(&messages)?).map_err(write_err)?;
            } else if messages.is_empty() {
                writeln!(out, "The outbox is empty.").map_err(write_err)?;
            } else {
                crate::mail::outbox_view::print(out, &messages).map_err(write_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn actor(by: Option<String>) -> String {
    let name = by
        .or_else(|| std::env::var("USER").ok())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "admin".to_string());
    format!("admin:{}", name.trim())
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, IntakeError> {
    serde_json::to_string_pretty(value)
        .map_err(|e| IntakeError::Io(format!("cannot render JSON: {e}")))
}

/// The status column: `revoked, erased` once the requester's data is gone.
fn status_label(r: &AccessRequest) -> String {
    if r.is_erased() {
        format!("{}, erased", r.status.as_str())
    } else {
        r.status.as_str().to_string()
    }
}

/// A personal field for a table or detail view: `(erased)` once erased.
fn personal(r: &AccessRequest, value: &str) -> String {
    if r.is_erased() {
        "(erased)".to_string()
    } else {
        shown(value).into_owned()
    }
}

fn print_erasure(
    out: &mut dyn Write,
    revoked: bool,
    report: &crate::store::RequestErasure,
) -> std::io::Result<()> {
    let id = shown(&report.request_id);
    if revoked {
        writeln!(out, "Revoked {id}: its download links no longer work.")?;
    }
    if !report.erased_now {
        writeln!(out, "Request {id} was already erased: nothing changed.")?;
    } else {
        writeln!(
            out,
            "Erased the requester's personal data from request {id}:"
        )?;
        writeln!(
            out,
            "  the request: name, e-mail, domain, company, reason, client IP, user agent, decision note and fingerprint removed"
        )?;
        writeln!(
            out,
            "  {} audit event(s): IP, user agent and free text removed; an `erased` event added",
            report.events_scrubbed
        )?;
        writeln!(
            out,
            "  {} queued message(s) cancelled (never sent); {} message(s) lost recipient, subject, body and server answer",
            report.messages_cancelled, report.messages_scrubbed
        )?;
        writeln!(
            out,
            "Kept: the id, document, NDA version and SHA-256, acceptance time, status, decisions (who, when) and access end."
        )?;
    }
    writeln!(
        out,
        "Old copies: {}",
        crate::notices::cli::old_copies_sentence(&report.old_copies)
    )
}

fn print_request(out: &mut dyn Write, r: &AccessRequest) -> std::io::Result<()> {
    writeln!(out, "Request      {}", shown(&r.id))?;
    writeln!(out, "Status       {}", status_label(r))?;
    if r.is_erased() {
        writeln!(
            out,
            "Requester    (erased: name, e-mail, company, reason, IP and user agent removed)"
        )?;
    } else {
        writeln!(out, "Name         {}", shown(&r.name))?;
        writeln!(out, "E-mail       {}", shown(&r.email))?;
        writeln!(out, "Company      {}", shown(&r.company))?;
    }
    writeln!(
        out,
        "Reason       {}",
        shown(r.reason.as_deref().unwrap_or("-"))
    )?;
    writeln!(out, "Document     {}", shown(&r.document_id))?;
    writeln!(
        out,
        "NDA          version {} (sha256 {})",
        shown(&r.nda_version),
        shown(&r.nda_sha256)
    )?;
    writeln!(out, "Accepted at  {}", format_utc(r.accepted_at))?;
    writeln!(out, "Client IP    {}", shown(&r.client_ip))?;
    writeln!(
        out,
        "User agent   {}",
        shown(r.user_agent.as_deref().unwrap_or("-"))
    )?;
    writeln!(out, "Created      {}", format_utc(r.created_at))?;
    if let Some(at) = r.decided_at {
        writeln!(
            out,
            "Decided      {} by {}",
            format_utc(at),
            shown(r.decided_by.as_deref().unwrap_or("-"))
        )?;
    }
    if let Some(note) = &r.decision_note {
        writeln!(out, "Note         {}", shown(note))?;
    }
    if let Some(end) = r.access_expires_at {
        writeln!(out, "Access until {}", format_utc(end))?;
    }
    Ok(())
}

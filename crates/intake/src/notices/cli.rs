//! `trustctl notify` (the intake side: trustctl verifies the envelope first and hands over the
//! [`VersionNotice`]) and `trustctl notices` (the record of every notice with its delivery state, or
//! with `--subscribers` the subscriptions and their consent evidence, or with `--erase-subscriber`
//! the erasure of one subscriber's personal data). Addresses are made inert for the terminal with
//! [`crate::neutralise::inline`]; JSON is escaped by serde_json.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use super::{queue, VersionNotice};
use crate::clock::{format_utc, now_secs};
use crate::config::Config;
use crate::error::IntakeError;
use crate::neutralise::inline as shown;
use crate::store::subscriptions::{ErasureReport, ErasureTarget, OldCopies};
use crate::store::{Database, SubscriptionStore};
use crate::subscriptions::input::every_fingerprint;

fn write_error(e: std::io::Error) -> IntakeError {
    IntakeError::Io(format!("cannot write output: {e}"))
}

/// Queues the notices of `notice` in the database of the configuration at `config_path` and prints
/// what was queued.
pub fn run_notify_to(
    config_path: &Path,
    notice: &VersionNotice,
    out: &mut dyn Write,
) -> Result<ExitCode, IntakeError> {
    let config = Config::load(config_path)?;
    let secret = crate::secret::load_or_create(&config)?;
    let (_, store) = Database::from_config(&config).open_stores()?;
    let public_base = config.public_base(None);
    let w = write_error;
    if notice.changes.is_empty() {
        writeln!(
            out,
            "Version {} introduces no change entries (changes[].version = {}): nothing to notify.",
            notice.version, notice.version
        )
        .map_err(w)?;
        return Ok(ExitCode::SUCCESS);
    }
    if config.public_url.is_none() {
        writeln!(
            out,
            "Warning: public_url is not set, so the links in the notices point at {public_base}; set public_url to the address subscribers can reach."
        )
        .map_err(w)?;
    }
    let run = queue(store.as_ref(), &secret, &public_base, notice, now_secs())?;
    writeln!(
        out,
        "Version {} ({} change entr{}: {})",
        notice.version,
        notice.changes.len(),
        if notice.changes.len() == 1 {
            "y"
        } else {
            "ies"
        },
        notice
            .changes
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
    .map_err(w)?;
    writeln!(out, "Queued {} notice(s):", run.queued.len()).map_err(w)?;
    for (id, email) in &run.queued {
        writeln!(out, "  {id}  {}", shown(email)).map_err(w)?;
    }
    writeln!(
        out,
        "Already notified for this version: {}; no matching category: {}.",
        run.already_notified, run.not_interested
    )
    .map_err(w)?;
    if config.smtp.is_none() {
        writeln!(
            out,
            "No [smtp] section: the e-mails stay queued in the outbox until `trustctl serve` runs with one."
        )
        .map_err(w)?;
    } else {
        writeln!(
            out,
            "`trustctl serve` delivers them; see `trustctl notices`."
        )
        .map_err(w)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `trustctl notices`: the notices sent to subscribers, with their delivery state.
#[derive(Debug, Clone, Parser)]
#[command(about = "List the change notices queued for subscribers and their delivery state")]
pub struct NoticesArgs {
    /// Path of the intake configuration file (TOML).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Only the notices of this manifest version.
    #[arg(long, value_name = "N")]
    pub version: Option<u64>,
    /// List the subscriptions (status, categories, consent evidence) instead.
    #[arg(long)]
    pub subscribers: bool,
    /// Show one subscription (sub_…) with its evidence trail: requests, confirmation, changes.
    #[arg(long, value_name = "ID", conflicts_with = "subscribers")]
    pub subscriber: Option<String>,
    /// Erase the personal data of one subscriber (GDPR Art. 17), by id (sub_…) or e-mail address:
    /// asks nothing, prints what it erased. See docs/intake.md, "Erasing a subscriber".
    #[arg(
        long,
        value_name = "ID_OR_EMAIL",
        conflicts_with_all = ["subscribers", "subscriber", "version"]
    )]
    pub erase_subscriber: Option<String>,
    /// At most this many rows.
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `trustctl notices`, printing to standard output.
pub fn run_notices(args: NoticesArgs) -> Result<ExitCode, IntakeError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    run_notices_to(args, &mut out)
}

/// Runs `trustctl notices`, printing to `out`.
pub fn run_notices_to(args: NoticesArgs, out: &mut dyn Write) -> Result<ExitCode, IntakeError> {
    let config = Config::load(&args.config)?;
    let (_, store) = Database::from_config(&config).open_stores()?;
    let w = write_error;
    if let Some(target) = &args.erase_subscriber {
        return erase_subscriber(store.as_ref(), target, args.json, out);
    }
    if let Some(id) = &args.subscriber {
        return show_subscriber(store.as_ref(), id, args.json, out);
    }
    if args.subscribers {
        let subscriptions = store.list_subscriptions(args.limit)?;
        if args.json {
            let json = serde_json::to_string_pretty(&subscriptions)
                .map_err(|e| IntakeError::Io(e.to_string()))?;
            writeln!(out, "{json}").map_err(w)?;
            return Ok(ExitCode::SUCCESS);
        }
        writeln!(
            out,
            "{:<36}  {:<12}  {:<20}  {:<20}  {:<40}  EMAIL",
            "ID", "STATUS", "REQUESTED", "CONFIRMED", "CATEGORIES"
        )
        .map_err(w)?;
        for s in subscriptions {
            writeln!(
                out,
                "{:<36}  {:<12}  {:<20}  {:<20}  {:<40}  {}",
                s.id,
                s.status.as_str(),
                format_utc(s.requested_at),
                s.confirmed_at.map(format_utc).unwrap_or_else(|| "-".into()),
                s.categories,
                address(&s.email)
            )
            .map_err(w)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let notices = store.list_notices(args.version, args.limit)?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&notices).map_err(|e| IntakeError::Io(e.to_string()))?;
        writeln!(out, "{json}").map_err(w)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<6}  {:>7}  {:<20}  {:<9}  {:>8}  {:<20}  {:<40}  EMAIL",
        "ID", "VERSION", "QUEUED", "DELIVERY", "ATTEMPTS", "DELIVERED", "CHANGES"
    )
    .map_err(w)?;
    for n in notices {
        writeln!(
            out,
            "#{:<5}  {:>7}  {:<20}  {:<9}  {:>8}  {:<20}  {:<40}  {}",
            n.id,
            n.manifest_version,
            format_utc(n.queued_at),
            n.delivery,
            n.attempts,
            n.delivered_at.map(format_utc).unwrap_or_else(|| "-".into()),
            shown(&n.change_ids),
            address(&n.email)
        )
        .map_err(w)?;
        if let Some(error) = &n.last_error {
            writeln!(out, "        last error: {}", shown(error)).map_err(w)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An address for the terminal: made inert, or "(erased)" where the erasure left none.
fn address(email: &str) -> String {
    if email.is_empty() {
        "(erased)".into()
    } else {
        shown(email).into_owned()
    }
}

/// What `--erase-subscriber` was given: an address (it has an `@`; normalised as the subscribe
/// endpoint does) or a subscription id.
fn erasure_target(text: &str) -> Result<ErasureTarget, IntakeError> {
    let text = text.trim();
    if !text.contains('@') {
        return Ok(ErasureTarget::Id(text.to_string()));
    }
    let (email, _domain) = crate::validate::normalise_email(text).map_err(|message| {
        IntakeError::InvalidAction(format!("--erase-subscriber {}: {message}", shown(text)))
    })?;
    Ok(ErasureTarget::EmailKey(email.to_lowercase()))
}

/// `--erase-subscriber`: erases one subscriber's personal data and prints the counts (never the
/// address). Unknown: an error; already erased: says so and changes nothing.
fn erase_subscriber(
    store: &dyn SubscriptionStore,
    text: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<ExitCode, IntakeError> {
    let w = write_error;
    let target = erasure_target(text)?;
    let report = store
        .erase_subscription(&target, now_secs(), &every_fingerprint)?
        .ok_or_else(|| match &target {
            ErasureTarget::Id(id) => IntakeError::NotFound(format!(
                "there is no subscription with id {}; nothing was erased",
                shown(id)
            )),
            ErasureTarget::EmailKey(_) => IntakeError::NotFound(format!(
                "no subscription has the address {}; nothing was erased (an address erased before \
                 leaves nothing to find: erase by its sub_… id to check)",
                shown(text.trim())
            )),
        })?;
    if json {
        let text =
            serde_json::to_string_pretty(&report).map_err(|e| IntakeError::Io(e.to_string()))?;
        writeln!(out, "{text}").map_err(w)?;
        return Ok(ExitCode::SUCCESS);
    }
    print_erasure(&report, out).map_err(w)?;
    Ok(ExitCode::SUCCESS)
}

fn print_erasure(report: &ErasureReport, out: &mut dyn Write) -> std::io::Result<()> {
    let when = report
        .erased_at
        .map(format_utc)
        .unwrap_or_else(|| "-".into());
    if !report.erased_now {
        writeln!(
            out,
            "Subscription {} was already erased ({when}): nothing to do.",
            report.subscription_id
        )?;
    } else {
        writeln!(
            out,
            "Erased subscription {} ({when}):",
            report.subscription_id
        )?;
        writeln!(
            out,
            "  subscription: address, IP addresses and user agents removed; status erased"
        )?;
        writeln!(
            out,
            "  {} evidence event(s): IP address and user agent removed",
            report.events_scrubbed
        )?;
        writeln!(
            out,
            "  {} queued e-mail(s) cancelled: they will not be sent",
            report.emails_cancelled
        )?;
        writeln!(
            out,
            "  {} e-mail(s) in the outbox: recipient, body and server answer removed",
            report.emails_scrubbed
        )?;
        writeln!(
            out,
            "  {} cap record(s) and {} idempotency record(s) derived from the address deleted",
            report.attempts_deleted, report.idempotency_records_deleted
        )?;
        writeln!(
            out,
            "Kept: {} change-notice record(s) (version, time, delivery state) and the subscription's id, \
             categories, consent wording version, times and event trail, none with the address.",
            report.notices_kept
        )?;
    }
    writeln!(
        out,
        "Old copies: {}",
        old_copies_sentence(&report.old_copies)
    )
}

/// What an erasure left outside the tables, as the "Old copies: …" line says it (subscriber and
/// requester erasure alike).
pub(crate) fn old_copies_sentence(old_copies: &OldCopies) -> String {
    match old_copies {
        OldCopies::Purged => {
            "the SQLite file was rebuilt (VACUUM) and its write-ahead log emptied.".to_string()
        }
        OldCopies::NotPurged { reason } => format!(
            "not purged now ({}); run this command again to retry.",
            shown(reason)
        ),
        OldCopies::LeftToVacuum => "PostgreSQL keeps old row versions until (auto)vacuum reuses \
             their space, and the write-ahead log archive and backups until they expire."
            .to_string(),
    }
}

/// One subscription with its consent evidence and event trail.
fn show_subscriber(
    store: &dyn SubscriptionStore,
    id: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<ExitCode, IntakeError> {
    let w = write_error;
    let subscription = store.get_subscription(id)?.ok_or_else(|| {
        IntakeError::NotFound(format!("there is no subscription with id {}", shown(id)))
    })?;
    let events = store.subscription_events(id)?;
    if json {
        let value = serde_json::json!({ "subscription": subscription, "events": events });
        let text =
            serde_json::to_string_pretty(&value).map_err(|e| IntakeError::Io(e.to_string()))?;
        writeln!(out, "{text}").map_err(w)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = &subscription;
    let time = |t: Option<i64>| t.map(format_utc).unwrap_or_else(|| "-".into());
    for (label, value) in [
        ("Subscription", s.id.clone()),
        ("E-mail", address(&s.email)),
        ("Status", s.status.as_str().to_string()),
        ("Categories", s.categories.clone()),
        ("Requested", format_utc(s.requested_at)),
        (
            "  from",
            shown(
                Some(s.request_ip.as_str())
                    .filter(|ip| !ip.is_empty())
                    .unwrap_or("-"),
            )
            .into_owned(),
        ),
        (
            "  user agent",
            shown(s.request_user_agent.as_deref().unwrap_or("-")).into_owned(),
        ),
        ("  asked for", s.requested_categories.clone()),
        ("Confirmed", time(s.confirmed_at)),
        (
            "  from",
            shown(s.confirm_ip.as_deref().unwrap_or("-")).into_owned(),
        ),
        (
            "  user agent",
            shown(s.confirm_user_agent.as_deref().unwrap_or("-")).into_owned(),
        ),
        (
            "  wording",
            shown(s.consent_version.as_deref().unwrap_or("-")).into_owned(),
        ),
        ("Unsubscribed", time(s.unsubscribed_at)),
        ("Erased", time(s.erased_at)),
    ] {
        writeln!(out, "{label:<14}{value}").map_err(w)?;
    }
    writeln!(out, "Events:").map_err(w)?;
    for event in events {
        writeln!(
            out,
            "  {}  {:<20}  {:<15}  {}",
            format_utc(event.at),
            shown(&event.event),
            shown(event.client_ip.as_deref().unwrap_or("-")),
            shown(event.detail.as_deref().unwrap_or(""))
        )
        .map_err(w)?;
    }
    Ok(ExitCode::SUCCESS)
}

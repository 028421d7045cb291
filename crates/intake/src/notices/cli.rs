//! `trustctl notify` (the intake side: trustctl verifies the envelope first and hands over the
//! [`VersionNotice`]) and `trustctl notices` (the record of every notice with its delivery state, or
//! with `--subscribers` the subscriptions and their consent evidence). Addresses are made inert for
//! the terminal with [`crate::neutralise::inline`]; JSON is escaped by serde_json.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use super::{queue, VersionNotice};
use crate::clock::{format_utc, now_secs};
use crate::config::Config;
use crate::error::IntakeError;
use crate::neutralise::inline as shown;
use crate::store::{Database, SubscriptionStore};

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
                shown(&s.email)
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
            shown(&n.email)
        )
        .map_err(w)?;
        if let Some(error) = &n.last_error {
            writeln!(out, "        last error: {}", shown(error)).map_err(w)?;
        }
    }
    Ok(ExitCode::SUCCESS)
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
        ("E-mail", shown(&s.email).into_owned()),
        ("Status", s.status.as_str().to_string()),
        ("Categories", s.categories.clone()),
        ("Requested", format_utc(s.requested_at)),
        ("  from", shown(&s.request_ip).into_owned()),
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

//! `trustctl console …`: reviewer accounts and sessions, from the machine that holds the database.
//!
//! ```text
//! trustctl console add-reviewer NAME        --config intake.toml   # prints a one-time enrolment link
//! trustctl console enrol-link NAME          --config intake.toml   # recovery: a new link (adds a passkey)
//! trustctl console remove-reviewer NAME     --config intake.toml   # deletes the account, signs it out at once
//! trustctl console sign-out-everywhere [--reviewer NAME] --config intake.toml
//! trustctl console reviewers                --config intake.toml
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use webauthn_rs::prelude::Uuid;

use super::db::ConsoleDb;
use super::session::{random_token, token_hash};
use crate::clock::{format_utc, now_secs};
use crate::config::Config;
use crate::error::IntakeError;

/// `trustctl console …`.
#[derive(Debug, Clone, Parser)]
#[command(about = "Manage review-console reviewers and sessions")]
pub struct ConsoleArgs {
    /// Path of the intake configuration file (TOML); may be given before or after the subcommand.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: ConsoleCommand,
}

/// The console's admin actions.
#[derive(Debug, Clone, Subcommand)]
pub enum ConsoleCommand {
    /// Create a reviewer and print a one-time, expiring link to enrol their passkey.
    AddReviewer {
        /// The reviewer's name (letters, digits, '.', '_', '-', '@'; shown in the audit trail).
        name: String,
    },
    /// Print a new enrolment link for an existing reviewer (a lost passkey; the new one is added).
    EnrolLink {
        /// The reviewer's name.
        name: String,
    },
    /// Delete a reviewer with their passkeys; their sessions end at once.
    RemoveReviewer {
        /// The reviewer's name.
        name: String,
    },
    /// End every console session now (or only one reviewer's).
    SignOutEverywhere {
        /// Only this reviewer's sessions.
        #[arg(long)]
        reviewer: Option<String>,
    },
    /// List reviewers with their passkeys and open sessions.
    Reviewers,
}

/// Runs a console admin command, printing to standard output.
pub fn run_console(args: ConsoleArgs) -> Result<ExitCode, IntakeError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    run_console_to(args, &mut out)
}

/// True for names the console accepts.
pub fn is_reviewer_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b))
}

/// Runs a console admin command, printing to `out` (used by tests).
pub fn run_console_to(args: ConsoleArgs, out: &mut dyn Write) -> Result<ExitCode, IntakeError> {
    let config_path = args.config.ok_or_else(|| {
        IntakeError::Config(
            "--config FILE is required (the same file `trustctl serve` uses)".into(),
        )
    })?;
    let config = Config::load(&config_path)?;
    let settings = config.console.clone().ok_or_else(|| {
        IntakeError::Config(format!(
            "{} has no [console] section; add one (see docs/intake.md, \"Review console\") to turn the console on",
            config_path.display()
        ))
    })?;
    // Opening the store applies the migrations, including the console's tables.
    let database = crate::store::Database::from_config(&config);
    drop(database.open_store()?);
    let db = ConsoleDb::open_database(&database)?;
    let write_err = |e: std::io::Error| IntakeError::Io(format!("cannot write output: {e}"));
    let origin = settings.origin(None);
    let now = now_secs();
    let enrolment = |reviewer_id: &str| -> Result<(String, i64), IntakeError> {
        let token = random_token()
            .map_err(|_| IntakeError::Io("the random number generator failed".into()))?;
        let expires_at = now + settings.enrolment_seconds();
        db.create_enrolment(reviewer_id, &token_hash(&token), now, expires_at)?;
        Ok((format!("{origin}/enrol/{token}"), expires_at))
    };
    match args.command {
        ConsoleCommand::AddReviewer { name } => {
            if !is_reviewer_name(&name) {
                return Err(IntakeError::InvalidAction(
                    "a reviewer name is 1-64 letters, digits, '.', '_', '-' or '@'".into(),
                ));
            }
            let mut raw = [0u8; 16];
            getrandom::getrandom(&mut raw)
                .map_err(|e| IntakeError::Io(format!("the random number generator failed: {e}")))?;
            let reviewer = db.add_reviewer(&Uuid::from_bytes(raw).to_string(), &name, now)?;
            let (link, expires_at) = enrolment(&reviewer.id)?;
            writeln!(
                out,
                "Reviewer {name} created. Send them this one-time enrolment link (valid until {}):\n{link}",
                format_utc(expires_at)
            )
            .map_err(write_err)?;
        }
        ConsoleCommand::EnrolLink { name } => {
            let reviewer = db.reviewer_by_name(&name)?.ok_or_else(|| {
                IntakeError::NotFound(format!("there is no reviewer called {name}"))
            })?;
            let (link, expires_at) = enrolment(&reviewer.id)?;
            writeln!(
                out,
                "New one-time enrolment link for {name} (valid until {}); the passkey it creates is added to theirs:\n{link}",
                format_utc(expires_at)
            )
            .map_err(write_err)?;
        }
        ConsoleCommand::RemoveReviewer { name } => {
            if !db.remove_reviewer(&name)? {
                return Err(IntakeError::NotFound(format!(
                    "there is no reviewer called {name}"
                )));
            }
            writeln!(
                out,
                "Removed reviewer {name}; their passkeys no longer work and their sessions have ended."
            )
            .map_err(write_err)?;
        }
        ConsoleCommand::SignOutEverywhere { reviewer } => {
            let ended = match &reviewer {
                Some(name) => {
                    let found = db.reviewer_by_name(name)?.ok_or_else(|| {
                        IntakeError::NotFound(format!("there is no reviewer called {name}"))
                    })?;
                    db.delete_sessions(Some(&found.id))?
                }
                None => db.delete_sessions(None)?,
            };
            writeln!(out, "Ended {ended} console session(s).").map_err(write_err)?;
        }
        ConsoleCommand::Reviewers => {
            let reviewers = db.reviewers()?;
            if reviewers.is_empty() {
                writeln!(
                    out,
                    "No reviewers. Add one with `trustctl console add-reviewer NAME`."
                )
                .map_err(write_err)?;
            }
            for summary in reviewers {
                writeln!(
                    out,
                    "{:<24}  passkeys {}  sessions {}  since {}",
                    summary.reviewer.name,
                    summary.passkeys,
                    summary.sessions,
                    format_utc(summary.reviewer.created_at)
                )
                .map_err(write_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! `trustctl db …`: apply the schema migrations, and copy an installation between engines.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::error::IntakeError;
use crate::store::copy::{self, schema_version};
use crate::store::migrations;
use crate::store::postgres::PostgresSettings;
use crate::store::Database;

/// `trustctl db`: the service's database.
#[derive(Debug, Clone, Parser)]
pub struct DbArgs {
    /// Path of the intake configuration file (TOML); may be given before or after the subcommand.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: DbCommand,
}

/// The database actions.
#[derive(Debug, Clone, Subcommand)]
pub enum DbCommand {
    /// Apply pending schema migrations to the configured database (the service also does at start-up).
    Migrate,
    /// Copy every table from one database into another, in one transaction with row counts checked.
    Copy {
        /// Source: sqlite:PATH or postgres://USER@HOST:PORT/DATABASE.
        #[arg(long, value_name = "DATABASE")]
        from: String,
        /// Target: postgres://… or sqlite:PATH (migrated first; must be empty unless --replace).
        #[arg(long, value_name = "DATABASE")]
        to: String,
        /// Delete the target's rows first (in the same transaction) instead of refusing a non-empty target.
        #[arg(long)]
        replace: bool,
    },
}

/// Runs a `trustctl db` command, printing to standard output.
pub fn run_db(args: DbArgs) -> Result<ExitCode, IntakeError> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    run_db_to(args, &mut out)
}

/// Runs a `trustctl db` command, printing to `out` (used by tests).
pub fn run_db_to(args: DbArgs, out: &mut dyn Write) -> Result<ExitCode, IntakeError> {
    let config = args.config.as_deref().map(Config::load).transpose()?;
    let write_err = |e: std::io::Error| IntakeError::system("cannot write output", e);
    match args.command {
        DbCommand::Migrate => {
            let config = config.ok_or_else(|| {
                IntakeError::Config(
                    "--config FILE is required (the same file `trustctl serve` uses)".into(),
                )
            })?;
            let database = Database::from_config(&config);
            let before = match &database {
                Database::Sqlite(path) if !path.exists() => 0,
                other => schema_version(other)?,
            };
            drop(database.open_store()?);
            let after = schema_version(&database)?;
            writeln!(
                out,
                "{}: schema version {after} ({}; this program knows up to {})",
                database.describe(),
                if after > before {
                    format!(
                        "applied {} migration(s) from version {before}",
                        after - before
                    )
                } else {
                    "already up to date".to_string()
                },
                migrations::latest()
            )
            .map_err(write_err)?;
        }
        DbCommand::Copy { from, to, replace } => {
            let settings = config
                .as_ref()
                .map_or_else(PostgresSettings::default, |c| c.postgres.clone());
            let source = Database::parse(&from, &settings).map_err(IntakeError::Config)?;
            let target = Database::parse(&to, &settings).map_err(IntakeError::Config)?;
            let report = copy::copy(&source, &target, replace)?;
            writeln!(
                out,
                "copied {} into {} in one transaction:",
                source.describe(),
                target.describe()
            )
            .map_err(write_err)?;
            for (table, rows) in &report.tables {
                writeln!(out, "  {table:<20} {rows:>8} rows (counts match)").map_err(write_err)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

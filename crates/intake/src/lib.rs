//! Intake service for NDA-gated report requests.
//!
//! A visitor asks for a restricted document (for example a SOC 2 report) through the trust-center
//! widget, accepts the NDA, and the request is stored with its evidence in SQLite. The vendor decides
//! with `trustctl requests …` (see [`cli`]); an approval yields a signed, time-limited download link and
//! every download is written to an audit trail.
//!
//! Entry points: [`cli::run_serve`] / [`cli::run_requests`] for the command line, [`server::start`] to
//! embed the HTTP service, [`store::SqliteStore`] for the data.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod cli;
pub mod clock;
pub mod config;
pub mod console;
pub mod db_cli;
pub mod error;
pub mod free_mail;
pub mod http;
pub mod listener;
pub mod mail;
pub mod neutralise;
pub mod notices;
pub mod outbox;
pub mod private_fs;
pub mod rate_limit;
pub mod redact;
pub mod rules;
pub mod secret;
pub mod server;
pub mod store;
pub mod strict_json;
pub mod subscriptions;
pub mod token;
pub mod validate;
pub mod watermark;
pub mod workflow;

pub use config::Config;
pub use error::IntakeError;
pub use server::{start, RunningServer};
pub use store::{SqliteStore, Store};

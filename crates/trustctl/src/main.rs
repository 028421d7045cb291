//! `trustctl`: the vendor command line for signed trust-center manifests. `main` only parses
//! the command line, runs the command and turns the result into an exit code.

#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used)]

/// Prints a line to standard output. A closed pipe (`trustctl verify … | head -3`) is not an
/// error worth a panic, so write failures are ignored.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod changes;
mod changes_cli;
mod cli;
mod commands;
mod example;
mod exit;
mod files;
mod input;
mod keys;
mod links;
mod manifest_edit;
mod manifest_file;
mod page;
mod report;
mod today;
mod translation_lint;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.code)
        }
    }
}

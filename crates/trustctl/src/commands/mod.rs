//! One module per subcommand; `run` dispatches the parsed command line to them.

mod changes;
mod feed;
mod init;
mod keygen;
mod lint;
mod notify;
mod schema;
mod sign;
mod sign_changes;
mod verify;
mod verify_page;

use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::exit::CliResult;
use crate::today::today;

/// Runs the command and returns the process exit code.
pub fn run(cli: Cli) -> CliResult<ExitCode> {
    let today = today(cli.today)?;
    let code = match cli.command {
        Command::Init(args) => init::run(&args, today)?,
        Command::Keygen(args) => keygen::run(&args)?,
        Command::Sign(args) => sign::run(&args, today)?,
        Command::Verify(args) => verify::run(&args, today)?,
        Command::Lint(args) => lint::run(&args, today)?,
        Command::Schema => schema::run()?,
        Command::Changes(args) => changes::run(&args, today)?,
        Command::Feed(args) => feed::run(&args)?,
        // The intake crate owns these two commands, their clock and their exit codes on success.
        Command::Serve(args) => return Ok(trust_intake::cli::run_serve(args)?),
        Command::Requests(args) => return Ok(trust_intake::cli::run_requests(args)?),
        Command::Mail(args) => return Ok(trust_intake::mail::cli::run_mail(args)?),
        Command::Console(args) => return Ok(trust_intake::console::admin_cli::run_console(args)?),
        Command::Notify(args) => return notify::run(&args, today),
        Command::Notices(args) => return Ok(trust_intake::notices::cli::run_notices(args)?),
        Command::Db(args) => return Ok(trust_intake::db_cli::run_db(args)?),
    };
    Ok(ExitCode::from(code))
}

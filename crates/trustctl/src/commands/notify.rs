//! `trustctl notify`: verifies the envelope with the given public key(s) exactly like `trustctl
//! verify` (an envelope that does not verify is refused before the database is opened), then hands
//! the version's change entries to the intake service's notice queue
//! ([`trust_intake::notices::cli::run_notify_to`]).

use std::process::ExitCode;

use trust_manifest::{open_envelope, Date, TrustPolicy};

use crate::cli::NotifyArgs;
use crate::exit::{CliError, CliResult};
use crate::input::read_file_or_stdin;
use crate::keys::load_trusted_keys;

/// Verifies, then queues.
pub fn run(args: &NotifyArgs, today: Date) -> CliResult<ExitCode> {
    let keys = load_trusted_keys(&args.keys, args.threshold)?;
    let source = args.envelope.display().to_string();
    let input = read_file_or_stdin(&source)?;
    input.check_size()?;
    let policy = TrustPolicy::new(keys).with_threshold(args.threshold);
    let verified =
        open_envelope(&input.bytes, &policy, today).map_err(|e| CliError::verify(&source, &e))?;
    let notice = trust_intake::notices::from_manifest::version_notice(&verified);
    say!(
        "✓ VALID: {source} (version {}, signed payload sha256 {})",
        notice.version,
        verified.payload_sha256
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    Ok(trust_intake::notices::cli::run_notify_to(
        &args.config,
        &notice,
        &mut out,
    )?)
}

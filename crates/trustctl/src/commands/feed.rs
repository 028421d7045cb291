//! `trustctl feed`: the Atom feed of a manifest's change history, from a bare manifest or from
//! a signed envelope (verified first), to standard output or a file.

use trust_manifest::{decode, Date, Manifest, PublicKey, TrustPolicy};

use crate::changes::feed::{atom_feed, FeedLinks};
use crate::changes_cli::FeedArgs;
use crate::exit::{CliError, CliResult, OK};
use crate::files::write_atomically;
use crate::input::read_file_or_stdin;
use crate::keys::load_trusted_keys;
use crate::manifest_file::parse_unsigned;

/// Runs `trustctl feed`.
pub fn run(args: &FeedArgs) -> CliResult<u8> {
    let input = read_file_or_stdin(&args.file)?;
    let manifest = if decode::is_envelope(&input.bytes) {
        if args.public_keys.is_empty() {
            return Err(CliError::usage(format!(
                "{}: a signed envelope's feed needs --public-key, so only verified history is published",
                input.source
            )));
        }
        input.check_size()?;
        let keys = load_trusted_keys(&args.public_keys, args.threshold)?;
        verified(&input.bytes, &input.source, keys, args.threshold)?
    } else {
        parse_unsigned(&input.source, &input.bytes)?
    };
    let xml = atom_feed(
        &manifest,
        &FeedLinks {
            page_url: args.page_url.as_deref(),
        },
    );
    match &args.out {
        Some(path) => {
            write_atomically(path, xml.as_bytes())?;
            say!(
                "Wrote {} ({} entr{}) from {}",
                path.display(),
                manifest.changes.len(),
                if manifest.changes.len() == 1 {
                    "y"
                } else {
                    "ies"
                },
                input.source
            );
        }
        None => {
            use std::io::Write as _;
            let _ = std::io::stdout().write_all(xml.as_bytes());
        }
    }
    Ok(OK)
}

fn verified(
    bytes: &[u8],
    source: &str,
    keys: Vec<PublicKey>,
    threshold: usize,
) -> CliResult<Manifest> {
    let policy = TrustPolicy::new(keys).with_threshold(threshold);
    trust_manifest::open_envelope(bytes, &policy, Date::MIN)
        .map(|verified| verified.manifest)
        .map_err(|error| CliError::verify(source, &error))
}

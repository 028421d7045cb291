//! `trustctl changes`: compares a manifest with the last signed envelope and proposes change
//! entries; prints them (as text or JSON) and inserts them into the manifest only with
//! `--write`. Also the proposals `sign --bump` lists or, with `--accept-changes`, records.

use std::fs;
use std::path::Path;

use serde_json::json;
use trust_manifest::{open_envelope, Date, Manifest, PublicKey, TrustPolicy};

use crate::changes::diff::{next_version, propose, Proposal};
use crate::changes_cli::ChangesArgs;
use crate::exit::{CliError, CliResult, IO, OK, PROBLEMS_FOUND};
use crate::files::write_atomically;
use crate::input::read_file_or_stdin;
use crate::keys::load_trusted_keys;
use crate::manifest_edit::insert_entries;
use crate::manifest_file::parse_unsigned;
use crate::report::print_json;

/// Runs `trustctl changes`.
pub fn run(args: &ChangesArgs, today: Date) -> CliResult<u8> {
    let keys = load_trusted_keys(&args.public_keys, args.threshold)?;
    let previous = signed_manifest(&args.since, keys, args.threshold)?;
    let name = args.manifest.display().to_string();
    let text = fs::read_to_string(&args.manifest)
        .map_err(|error| CliError::io("read", &args.manifest, &error))?;
    let current = parse_unsigned(&name, text.as_bytes())?;
    let version = next_version(&previous, &current);
    let proposals = propose(&previous, &current, today);
    let already = current.changes.iter().any(|e| e.version >= version);

    let written = if args.write && !proposals.is_empty() {
        if already {
            return Err(CliError::new(
                PROBLEMS_FOUND,
                format!("{name}: not written, because it already has change entries for version {version}"),
            )
            .with_hint("edit those entries by hand, or remove them and run `trustctl changes --write` again"));
        }
        write_proposals(&args.manifest, &text, &proposals)?;
        true
    } else {
        false
    };

    if args.json {
        print_json(&json!({
            "manifest": name,
            "since": args.since.display().to_string(),
            "since_version": previous.version,
            "next_version": version,
            "proposals": proposals,
            "written": written,
        }))?;
        return Ok(OK);
    }
    say!(
        "{name} compared with {} (signed version {}):",
        args.since.display(),
        previous.version
    );
    print_proposals(&proposals);
    if proposals.is_empty() {
        return Ok(OK);
    }
    if written {
        say!(
            "✓ Inserted {} entr{} for version {version} into {name}; edit the summaries, then `trustctl sign --bump`.",
            proposals.len(),
            if proposals.len() == 1 { "y" } else { "ies" }
        );
    } else if already {
        say!("· {name} already has change entries for version {version}; nothing written.");
    } else {
        say!("· Nothing written: add --write to insert these entries into {name}.");
    }
    Ok(OK)
}

/// The manifest of a signed envelope, verified with `keys` (its expiry does not matter: the
/// last published version may well have expired).
pub(super) fn signed_manifest(
    path: &Path,
    keys: Vec<PublicKey>,
    threshold: usize,
) -> CliResult<Manifest> {
    let source = path.display().to_string();
    let input = read_file_or_stdin(&source)?;
    input.check_size()?;
    let policy = TrustPolicy::new(keys).with_threshold(threshold);
    open_envelope(&input.bytes, &policy, Date::MIN)
        .map(|verified| verified.manifest)
        .map_err(|error| CliError::verify(&source, &error))
}

/// Prints each proposal on its own lines: kind, id, category, dates and summary.
pub(super) fn print_proposals(proposals: &[Proposal]) {
    if proposals.is_empty() {
        say!("✓ No changes to announce.");
        return;
    }
    say!(
        "· {} proposed change entr{}:",
        proposals.len(),
        if proposals.len() == 1 { "y" } else { "ies" }
    );
    for proposal in proposals {
        let entry = &proposal.entry;
        let effective = entry
            .effective_date
            .map(|date| format!(", effective {date}"))
            .unwrap_or_default();
        say!(
            "    + {} [{}] version {}, {}{effective}",
            entry.id,
            entry.category.as_str(),
            entry.version,
            entry.date
        );
        say!("      {}", trust_intake::neutralise::inline(&entry.summary));
    }
}

fn write_proposals(path: &Path, text: &str, proposals: &[Proposal]) -> CliResult<()> {
    let entries: Vec<_> = proposals.iter().map(|p| p.entry.clone()).collect();
    let edited = insert_entries(text, &entries).map_err(|error| {
        CliError::new(
            IO,
            format!(
                "cannot insert the entries into {}: {}",
                path.display(),
                error.0
            ),
        )
    })?;
    write_atomically(path, edited.as_bytes())
}

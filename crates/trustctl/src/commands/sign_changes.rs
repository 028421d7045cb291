//! `trustctl sign`'s change-history steps: before signing a bumped manifest, the entries
//! proposed against the envelope already at `--out` are listed (and inserted only with
//! `--accept-changes`); after signing, the Atom feed is written next to the envelope.

use std::path::{Path, PathBuf};

use trust_manifest::{ChangeEntry, Date, Manifest, SigningKey};

use super::changes::{print_proposals, signed_manifest};
use crate::changes::diff::propose;
use crate::changes::feed::{atom_feed, FeedLinks};
use crate::cli::SignArgs;
use crate::exit::CliResult;
use crate::files::write_atomically;

/// With `--bump`: compares the bumped `manifest` with the envelope at `--out` (verified with
/// the signing keys), prints the proposals and, with `--accept-changes`, returns them as the
/// entries to put at the head of the manifest's `changes` (otherwise none). An envelope that is
/// missing or does not verify is reported and nothing is proposed: nothing from an unverified
/// file is trusted.
pub fn propose_before_signing(
    args: &SignArgs,
    keys: &[SigningKey],
    manifest: &Manifest,
    today: Date,
) -> Vec<ChangeEntry> {
    if !args.out.exists() {
        return Vec::new();
    }
    let public: Vec<_> = keys.iter().map(SigningKey::public_key).collect();
    let previous = match signed_manifest(&args.out, public, 1) {
        Ok(previous) => previous,
        Err(error) => {
            say!(
                "! Change history: not compared with {} ({})",
                args.out.display(),
                error.message
            );
            return Vec::new();
        }
    };
    let proposals = propose(&previous, manifest, today);
    say!(
        "Change history since {} (signed version {}):",
        args.out.display(),
        previous.version
    );
    print_proposals(&proposals);
    if proposals.is_empty() {
        return Vec::new();
    }
    if args.changes.accept_changes {
        say!("✓ Recorded in the manifest (--accept-changes).");
        proposals.into_iter().map(|p| p.entry).collect()
    } else {
        say!("· Not recorded: add --accept-changes, or run `trustctl changes --write` and edit them first.");
        Vec::new()
    }
}

/// Writes the feed when asked (`--feed`) or when the manifest names a `updates.feed_url`
/// (then next to the envelope, named after the URL's last path segment).
pub fn write_feed(args: &SignArgs, manifest: &Manifest) -> CliResult<()> {
    let Some(path) = feed_path(args, manifest) else {
        return Ok(());
    };
    let xml = atom_feed(
        manifest,
        &FeedLinks {
            page_url: args.changes.page_url.as_deref(),
        },
    );
    write_atomically(&path, xml.as_bytes())?;
    say!(
        "  feed:           {} ({} entr{})",
        path.display(),
        manifest.changes.len(),
        if manifest.changes.len() == 1 {
            "y"
        } else {
            "ies"
        }
    );
    Ok(())
}

fn feed_path(args: &SignArgs, manifest: &Manifest) -> Option<PathBuf> {
    if let Some(path) = &args.changes.feed {
        return Some(path.clone());
    }
    let url = manifest.updates.as_ref()?.feed_url.as_deref()?;
    let path_part = url.split(['?', '#']).next().unwrap_or(url);
    let name = path_part.rsplit('/').next().unwrap_or_default();
    let name = if trust_manifest::is_document_id(name) && name.contains('.') {
        name
    } else {
        "changes.atom"
    };
    let dir = args.out.parent().unwrap_or(Path::new(""));
    Some(dir.join(name))
}

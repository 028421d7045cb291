//! Command-line syntax of the change-history commands (`trustctl changes`, `trustctl feed`) and
//! of `sign`'s change-history options, kept apart from `cli.rs` so that file only names them.

use std::path::PathBuf;

use clap::Args;

/// Examples shown by `trustctl changes --help`.
pub const CHANGES_EXAMPLES: &str = "\
Examples:
  trustctl changes trust/manifest.json --since trust/trust-center.json --public-key keys/vendor.pub
  trustctl changes trust/manifest.json --since trust/trust-center.json --public-key keys/vendor.pub --json
  trustctl changes trust/manifest.json --since trust/trust-center.json --public-key keys/vendor.pub --write
  trustctl sign trust/manifest.json --key keys/vendor.key --out trust/trust-center.json --bump

The last signed envelope is verified with --public-key (its expiry does not matter) and compared
with MANIFEST: subprocessors added, removed or changed (purpose, locations), SOC 2 report
published or renewed, ISO/IEC 27001 certificate issued, renewed, expired, scope or status changed,
documents added, updated or withdrawn. Each proposal is a change entry for the next version, dated
today; subprocessor additions and changes take effect after the notice period
(updates.subprocessor_notice_days, 30 days if unset). Nothing is written without --write, which
inserts the proposals at the head of MANIFEST's `changes` (the rest of the file is left as it is);
edit their summaries before signing. `sign --bump` then gives the manifest that version.";

/// Examples shown by `trustctl feed --help`.
pub const FEED_EXAMPLES: &str = "\
Examples:
  trustctl feed trust/trust-center.json --public-key keys/vendor.pub --out trust/changes.atom
  trustctl feed trust/manifest.json --page-url https://www.example.com/security > changes.atom

An Atom 1.0 feed (RFC 4287) with one entry per change, newest first, each linking to
PAGE_URL#change-<id> (the widget's deep link; the organisation's website if --page-url is not
given). `trustctl sign` writes the same feed next to the envelope when the manifest has an
updates.feed_url (named after its last path segment) or when --feed is given.";

/// Options of `trustctl changes`.
#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// The new (unsigned) manifest.
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// The last signed envelope, to compare with.
    #[arg(long, value_name = "ENVELOPE")]
    pub since: PathBuf,
    /// A trusted public key that signed the envelope (file or base64). Repeatable.
    #[arg(
        long = "public-key",
        value_name = "FILE_OR_BASE64",
        required = true,
        allow_hyphen_values = true
    )]
    pub public_keys: Vec<String>,
    /// How many distinct trusted keys must have signed the envelope.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threshold: usize,
    /// Print the proposals as JSON.
    #[arg(long)]
    pub json: bool,
    /// Insert the proposals into MANIFEST (at the head of `changes`).
    #[arg(long)]
    pub write: bool,
}

/// Options of `trustctl feed`.
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// A manifest, or a signed envelope (then --public-key is required); `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// For an envelope: a trusted public key (file or base64). Repeatable.
    #[arg(
        long = "public-key",
        value_name = "FILE_OR_BASE64",
        allow_hyphen_values = true
    )]
    pub public_keys: Vec<String>,
    /// For an envelope: how many distinct trusted keys must have signed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threshold: usize,
    /// The page that embeds the widget; entry links are PAGE_URL#change-<id>.
    #[arg(long, value_name = "PAGE_URL")]
    pub page_url: Option<String>,
    /// Write the feed here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `trustctl sign`'s change-history options.
#[derive(Debug, Args)]
pub struct SignChangesArgs {
    /// With --bump: insert the change entries proposed against the envelope already at --out
    /// (verified with the signing keys) before signing. Without it they are only listed.
    #[arg(long, requires = "bump")]
    pub accept_changes: bool,
    /// Also write the Atom feed of the change history to this file (by default it is written
    /// next to the envelope when the manifest has updates.feed_url).
    #[arg(long, value_name = "FILE")]
    pub feed: Option<PathBuf>,
    /// The page that embeds the widget, for the feed's entry links (PAGE_URL#change-<id>).
    #[arg(long, value_name = "PAGE_URL")]
    pub page_url: Option<String>,
}

//! Command-line syntax: every subcommand, option, help text and example, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use trust_manifest::Date;

use crate::exit;

const TOP_EXAMPLES: &str = "\
Publish a trust page in five minutes:
  trustctl init trust                                  # example manifest to edit
  trustctl keygen --out keys/vendor                    # Ed25519 key pair
  trustctl sign trust/manifest.json --key keys/vendor.key --out trust/trust-center.json
  trustctl verify trust/trust-center.json --public-key keys/vendor.pub
  trustctl lint trust/trust-center.json --public-key keys/vendor.pub

Run `trustctl <command> --help` for the options and examples of each command.";

/// The vendor's command line for signed trust-center manifests.
///
/// Create an example manifest, make a signing key, sign the manifest into a DSSE envelope,
/// check it the way the widget will, and see the status a visitor would see.
#[derive(Debug, Parser)]
#[command(name = "trustctl", version, after_help = top_after_help(), after_long_help = top_after_help())]
pub struct Cli {
    /// Pretend today is this date (YYYY-MM-DD) instead of reading the system clock (UTC).
    /// For tests and reproducible CI.
    #[arg(long, global = true, hide = true, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<Date>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

fn top_after_help() -> String {
    format!("{TOP_EXAMPLES}\n\n{}", exit::TABLE)
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse::<Date>().map_err(|error| error.to_string())
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a realistic example manifest (all sections filled, dates relative to today) to edit.
    #[command(after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Create a new Ed25519 signing key pair.
    #[command(after_help = KEYGEN_EXAMPLES)]
    Keygen(KeygenArgs),
    /// Check a manifest and sign it into a DSSE envelope ready to publish.
    #[command(after_help = SIGN_EXAMPLES)]
    Sign(SignArgs),
    /// Check a signed envelope the way the widget does: signatures, format, expiry, status.
    #[command(after_help = verify_after_help(), after_long_help = verify_after_help())]
    Verify(VerifyArgs),
    /// Show the status a visitor would see and every problem in a manifest or envelope.
    #[command(after_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// Print the JSON Schema of the manifest (for editors and CI validation).
    #[command(after_help = SCHEMA_EXAMPLES)]
    Schema,
    /// Run the access-request intake service (HTTP + SQLite) that receives NDA report requests.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(trust_intake::cli::ServeArgs),
    /// Review and decide access requests: list, show, approve, deny, revoke, outbox, trace.
    #[command(after_help = REQUESTS_EXAMPLES)]
    Requests(trust_intake::cli::RequestsArgs),
    /// Check the e-mail (SMTP) set-up: send a test message and print the outcome.
    #[command(after_help = MAIL_EXAMPLES)]
    Mail(trust_intake::mail::cli::MailArgs),
    /// Manage the review console: add or remove reviewers, enrolment links, sign out everywhere.
    #[command(after_help = CONSOLE_EXAMPLES)]
    Console(trust_intake::console::admin_cli::ConsoleArgs),
    /// The intake database: apply migrations, copy an installation from SQLite to PostgreSQL.
    #[command(after_help = DB_EXAMPLES)]
    Db(trust_intake::db_cli::DbArgs),
    /// Verify a signed envelope and queue one change notice per confirmed subscriber (once per version).
    #[command(after_help = NOTIFY_EXAMPLES)]
    Notify(NotifyArgs),
    /// List the change notices queued for subscribers (delivery state) or the subscribers, or erase one.
    #[command(after_help = NOTIFY_EXAMPLES)]
    Notices(trust_intake::notices::cli::NoticesArgs),
    /// Propose change-history entries: what changed since the last signed envelope.
    #[command(after_help = crate::changes_cli::CHANGES_EXAMPLES)]
    Changes(crate::changes_cli::ChangesArgs),
    /// Write the Atom feed of the change history (from a manifest or a signed envelope).
    #[command(after_help = crate::changes_cli::FEED_EXAMPLES)]
    Feed(crate::changes_cli::FeedArgs),
}

const NOTIFY_EXAMPLES: &str = "\
Examples:
  trustctl notify --envelope trust/trust-center.json --key keys/vendor.pub --config intake.toml
  trustctl notices --config intake.toml                 # every notice and its delivery state
  trustctl notices --config intake.toml --version 7 --json
  trustctl notices --config intake.toml --subscribers   # subscriptions and consent evidence
  trustctl notices --config intake.toml --subscriber sub_...   # one subscription's evidence trail
  trustctl notices --config intake.toml --erase-subscriber ana@customer.example   # GDPR Art. 17

`notify` refuses an envelope that does not verify with the given key(s). It queues the entries of
`changes` whose version is the envelope's version, for the subscribers of their categories; running
it again for the same version queues nothing. `trustctl serve` delivers the e-mails.

`--erase-subscriber` (a sub_... id or the address) removes the subscriber's address, IPs and user
agents everywhere, cancels the e-mails still queued for them and keeps the notice records without
the address; it asks nothing and prints counts. An unknown target exits with 7; a second erasure
changes nothing.";

/// Options of `trustctl notify`.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The signed envelope of the new version.
    #[arg(long, value_name = "FILE")]
    pub envelope: PathBuf,
    /// A trusted public key: a file (base64 or SPKI PEM) or the base64 key itself. Repeatable.
    #[arg(long = "key", value_name = "PUB", required = true)]
    pub keys: Vec<String>,
    /// How many distinct trusted keys must have signed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threshold: usize,
    /// Path of the intake configuration file (TOML).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
}

const DB_EXAMPLES: &str = "\
Examples:
  trustctl db migrate --config intake.toml
  trustctl db copy --from sqlite:intake-data/intake.sqlite3 --to postgres://trust@db.internal:5432/trust
  TRUST_INTAKE_DATABASE_PASSWORD=… trustctl db copy --from sqlite:old.sqlite3 --to postgres://trust@db/trust --replace

The password of a postgres:// URL is best given in TRUST_INTAKE_DATABASE_PASSWORD; it is never printed.";

const MAIL_EXAMPLES: &str = "\
Examples:
  trustctl mail test --to you@example.com --config intake.toml

Uses the [smtp] section of the intake configuration (password from TRUST_INTAKE_SMTP_PASSWORD).";

const CONSOLE_EXAMPLES: &str = "\
Examples:
  trustctl console add-reviewer alice --config intake.toml   # prints a one-time enrolment link
  trustctl console enrol-link alice --config intake.toml     # a lost passkey: a new link
  trustctl console remove-reviewer alice --config intake.toml
  trustctl console sign-out-everywhere --config intake.toml
  trustctl console reviewers --config intake.toml

The console is served by `trustctl serve` when the configuration has a [console] section.";

const SERVE_EXAMPLES: &str = "\
Examples:
  trustctl serve --config intake.toml

Prints `trust-intake listening on http://ADDR` once ready; stops on Ctrl-C or SIGTERM.
The manifest's access_requests.intake_url must point at this service.";

const REQUESTS_EXAMPLES: &str = "\
Examples:
  trustctl requests list --config intake.toml --status pending
  trustctl requests show --config intake.toml req_...
  trustctl requests approve --config intake.toml req_... --days 14 --note \"NDA on file\"
  trustctl requests deny --config intake.toml req_... --note \"free-mail address\"
  trustctl requests revoke --config intake.toml req_...
  trustctl requests outbox --config intake.toml
  trustctl requests trace --config intake.toml leaked.pdf   # which request a copy came from";

const INIT_EXAMPLES: &str = "\
Examples:
  trustctl init                 # writes ./manifest.json
  trustctl init trust           # writes trust/manifest.json (creates the directory)
  trustctl init trust --force   # replace an existing trust/manifest.json

Every date in the example is relative to today, so it signs and verifies as it is.
Replace every example.com value with your own before publishing.";

/// Options of `trustctl init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to write manifest.json into (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Replace an existing manifest.json.
    #[arg(long)]
    pub force: bool,
}

const KEYGEN_EXAMPLES: &str = "\
Examples:
  trustctl keygen --out keys/vendor           # writes keys/vendor.key and keys/vendor.pub
  trustctl keygen --out keys/vendor --force   # replace an existing pair

The .key file (mode 0600) holds base64 of the 32-byte Ed25519 seed. Keep it secret and out of
version control. The .pub file holds base64 of the 32-byte public key; it goes into the
widget's public-key attribute.

Keys you already manage work too: `trustctl sign --key` accepts a PKCS#8 PEM private key made
by `openssl genpkey -algorithm ed25519 -out vendor.pem`, and `--public-key` accepts the SPKI
PEM from `openssl pkey -in vendor.pem -pubout -out vendor.pub.pem`.";

/// Options of `trustctl keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Path and base name of the key pair: writes NAME.key and NAME.pub.
    #[arg(long, value_name = "DIR/NAME")]
    pub out: PathBuf,
    /// Replace existing key files (the old private key is lost).
    #[arg(long)]
    pub force: bool,
}

const SIGN_EXAMPLES: &str = "\
Examples:
  trustctl sign manifest.json --key keys/vendor.key --out trust-center.json
  trustctl sign manifest.json --key keys/vendor.key --out trust-center.json --bump
  trustctl sign manifest.json --key keys/vendor.key --key keys/auditor.pem --out trust-center.json
  trustctl sign manifest.json --key keys/dev.key --out public/demo.json --dev

The manifest is checked first; if anything is wrong, every problem is listed with its field
path and nothing is written. The signed payload is the exact bytes of the manifest file.";

/// Options of `trustctl sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The manifest JSON to sign.
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// Private key file (trustctl .key or PKCS#8 PEM); repeat to add several signatures.
    #[arg(long = "key", value_name = "FILE", required = true)]
    pub keys: Vec<PathBuf>,
    /// Where to write the signed envelope (replaced if it exists).
    #[arg(long, value_name = "ENVELOPE")]
    pub out: PathBuf,
    /// Increment `version` and set `issued_at` to today, saving the change to MANIFEST first.
    #[arg(long)]
    pub bump: bool,
    /// Development mode: allow http:// links to 127.0.0.1 / localhost (never for production).
    #[arg(long)]
    pub dev: bool,
    /// Change history: compare with the last signed envelope, accept proposals, write the feed.
    #[command(flatten)]
    pub changes: crate::changes_cli::SignChangesArgs,
}

const VERIFY_EXAMPLES: &str = "\
Examples:
  trustctl verify trust-center.json --public-key keys/vendor.pub
  trustctl verify --url https://www.example.com/.well-known/trust-center.json \\
      --public-key \"$(cat keys/vendor.pub)\"   # the base64 key itself
  curl -s https://www.example.com/.well-known/trust-center.json > env.json
  trustctl verify - --public-key vendor.pub < env.json
  trustctl verify trust-center.json --public-key vendor.pub --public-key auditor.pub --threshold 2
  trustctl verify trust-center.json --public-key vendor.pub --json
  trustctl verify --page https://www.example.com/security --public-key vendor.pub";

fn verify_after_help() -> String {
    format!("{VERIFY_EXAMPLES}\n\n{}", exit::TABLE)
}

/// Options of `trustctl verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The envelope file, or `-` to read standard input.
    #[arg(
        value_name = "ENVELOPE",
        required_unless_present_any = ["url", "page"],
        conflicts_with_all = ["url", "page"]
    )]
    pub envelope: Option<String>,
    /// Download the envelope from an http:// or https:// address instead.
    #[arg(long, value_name = "URL", conflicts_with = "page")]
    pub url: Option<String>,
    /// Check a live trust page: find its <trust-center> elements and verify the envelope each
    /// names against the keys the page pins (and, with --public-key, against your trusted keys).
    #[arg(long, value_name = "PAGE_URL")]
    pub page: Option<String>,
    /// A trusted public key: a file (base64 or SPKI PEM) or the base64 key itself. Repeatable.
    /// Required, except with --page (where it is compared with the page's pinned keys).
    #[arg(
        long = "public-key",
        value_name = "FILE_OR_BASE64",
        required_unless_present = "page",
        allow_hyphen_values = true
    )]
    pub public_keys: Vec<String>,
    /// How many distinct trusted keys must have signed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threshold: usize,
    /// Print the result as JSON (on success and on failure).
    #[arg(long)]
    pub json: bool,
}

const LINT_EXAMPLES: &str = "\
Examples:
  trustctl lint manifest.json
  trustctl lint trust-center.json --public-key keys/vendor.pub   # also checks the signature
  trustctl lint manifest.json --json
  trustctl lint manifest.json --deny-warnings                     # for CI

Checks every field, warns about addresses visitors probably cannot reach (example.com
placeholders, private names such as .internal, intranet hosts, private IP addresses) and shows
the SOC 2 and ISO/IEC 27001 status a visitor would see today.

Markers: ✓ fine, · information, ! warning, ✗ error. The exit code is 1 when there are errors
(or warnings with --deny-warnings). An envelope linted without --public-key is read but its
signature is NOT checked.";

/// Options of `trustctl lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// A manifest JSON file or a signed envelope; `-` reads standard input.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Print the findings as JSON.
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Development mode: allow http:// links to 127.0.0.1 / localhost.
    #[arg(long)]
    pub dev: bool,
    /// For an envelope: check its signature against this trusted key too. Repeatable.
    #[arg(
        long = "public-key",
        value_name = "FILE_OR_BASE64",
        allow_hyphen_values = true
    )]
    pub public_keys: Vec<String>,
    /// For an envelope with --public-key: how many distinct trusted keys must have signed.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub threshold: usize,
}

const SCHEMA_EXAMPLES: &str = "\
Examples:
  trustctl schema > trust-manifest.schema.json
  trustctl schema | jq '.properties | keys'";

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}

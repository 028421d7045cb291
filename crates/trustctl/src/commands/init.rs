//! `trustctl init`: writes the example manifest and tells the vendor what to do next.

use std::path::Path;

use trust_manifest::Date;

use crate::cli::InitArgs;
use crate::example::example_manifest;
use crate::exit::{CliError, CliResult, IO, OK};
use crate::files::write_atomically;

/// Writes `DIR/manifest.json`.
pub fn run(args: &InitArgs, today: Date) -> CliResult<u8> {
    let path = args.dir.join("manifest.json");
    if path.exists() && !args.force {
        return Err(CliError::new(
            IO,
            format!("{} already exists; not replacing it", path.display()),
        )
        .with_hint(
            "edit the existing file, choose another directory, or add --force to start over",
        ));
    }
    let manifest = example_manifest(today);
    let mut json = serde_json::to_string_pretty(&manifest).map_err(|error| {
        CliError::new(IO, format!("cannot write the example manifest: {error}"))
    })?;
    json.push('\n');
    write_atomically(&path, json.as_bytes())?;
    print_next_steps(&path, &manifest.expires_at);
    Ok(OK)
}

fn print_next_steps(path: &Path, expires_at: &Date) {
    let file = path.display();
    let dir = path
        .parent()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let dir = if dir.is_empty() { ".".to_owned() } else { dir };
    say!("Wrote {file}: an example manifest for \"Example Cloud Ltd\" (valid until {expires_at}).");
    say!();
    say!("Next steps:");
    say!("  1. Edit {file}:");
    say!("     - organization: your name, website and security contact;");
    say!("     - soc2: the type, period, criteria, auditor and report date from your SOC 2 report");
    say!("       (or \"status\": \"in_progress\" / \"not_started\" and no \"report\");");
    say!(
        "     - iso27001: copy the certificate number, scope, bodies and dates exactly as printed"
    );
    say!("       (or remove the section if you are not certified);");
    say!("     - documents, subprocessors, faq, access_requests, not_claimed: your own;");
    say!("     - if you change the NDA text, update access_requests.nda.sha256");
    say!("       (sha256sum of the exact text) - lint tells you when it no longer matches.");
    say!("     Replace every example.com / example.org / example.net address.");
    say!("  2. Check it:           trustctl lint {file}");
    say!("  3. Make a signing key: trustctl keygen --out keys/vendor");
    say!("     (keep keys/vendor.key secret and out of version control)");
    say!("  4. Sign it:            trustctl sign {file} --key keys/vendor.key --out {dir}/trust-center.json");
    say!("  5. Check the result:   trustctl verify {dir}/trust-center.json --public-key keys/vendor.pub");
    say!("  6. Publish {dir}/trust-center.json on your site (e.g. /.well-known/trust-center.json) and");
    say!("     embed the widget with the public-key attribute that keygen printed.");
    say!("  Re-sign before {expires_at} (use --bump to raise the version and issue date).");
}

//! `trustctl verify`: checks an envelope exactly as the widget does (size, format, signatures,
//! threshold, schema version, expiry) and prints who signed it, its dates and its status.

use serde_json::json;
use trust_manifest::{
    evaluate, open_envelope, Date, StatusPolicy, TrustPolicy, VerifiedManifest, VerifyError,
};

use crate::cli::VerifyArgs;
use crate::exit::{verify_code, CliError, CliResult, OK};
use crate::input::{download, read_file_or_stdin, Input};
use crate::keys::load_trusted_keys;
use crate::report::{print_json, print_status};

/// Verifies the envelope named on the command line.
pub fn run(args: &VerifyArgs, today: Date) -> CliResult<u8> {
    if let Some(page) = &args.page {
        return super::verify_page::run(args, page, today);
    }
    let keys = load_trusted_keys(&args.public_keys, args.threshold)?;
    let input = read_input(args.envelope.as_deref(), args.url.as_deref())?;
    input.check_size()?;
    let policy = TrustPolicy::new(keys).with_threshold(args.threshold);
    match open_envelope(&input.bytes, &policy, today) {
        Ok(verified) => {
            if args.json {
                print_json_success(&input, &verified, args.threshold, today)?;
            } else {
                print_success(&input, &verified, args.threshold, today);
            }
            Ok(OK)
        }
        Err(error) => {
            if args.json {
                print_json_failure(&input, &error)?;
            } else if let VerifyError::Expired { .. } = error {
                // The signature held; show what expired so the vendor knows what to re-sign.
                if let Ok(verified) = open_envelope(&input.bytes, &policy, Date::MIN) {
                    say!("✗ EXPIRED: {}", input.source);
                    print_details(&verified, args.threshold, today);
                }
            }
            Err(CliError::verify(&input.source, &error))
        }
    }
}

fn read_input(envelope: Option<&str>, url: Option<&str>) -> CliResult<Input> {
    match (envelope, url) {
        (_, Some(url)) => download(url),
        (Some(path), None) => read_file_or_stdin(path),
        (None, None) => Err(CliError::usage(
            "name the envelope file, `-` for standard input, or --url URL",
        )),
    }
}

fn print_success(input: &Input, verified: &VerifiedManifest, threshold: usize, today: Date) {
    say!("✓ VALID: {}", input.source);
    print_details(verified, threshold, today);
    say!();
    print_status(&evaluate(
        &verified.manifest,
        today,
        &StatusPolicy::default(),
    ));
}

pub(super) fn print_details(verified: &VerifiedManifest, threshold: usize, today: Date) {
    let manifest = &verified.manifest;
    say!(
        "  Signed by:      {} trusted key{} ({threshold} required)",
        verified.signed_by.len(),
        if verified.signed_by.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for keyid in &verified.signed_by {
        say!("    keyid {keyid}");
    }
    say!("  Organization:   {}", manifest.organization.name);
    say!("  Version:        {}", manifest.version);
    say!("  Issued:         {}", manifest.issued_at);
    let left = match today.days_until(manifest.expires_at) {
        1 => "1 day left".to_owned(),
        -1 => "1 day ago".to_owned(),
        days if days >= 0 => format!("{days} days left"),
        days => format!("{} days ago", -days),
    };
    say!("  Expires:        {} ({left})", manifest.expires_at);
    say!("  Payload sha256: {}", verified.payload_sha256);
}

fn print_json_success(
    input: &Input,
    verified: &VerifiedManifest,
    threshold: usize,
    today: Date,
) -> CliResult<()> {
    let manifest = &verified.manifest;
    let value = json!({
        "valid": true,
        "source": input.source,
        "signed_by": verified.signed_by,
        "threshold": threshold,
        "organization": manifest.organization.name,
        "version": manifest.version,
        "issued_at": manifest.issued_at,
        "expires_at": manifest.expires_at,
        "payload_sha256": verified.payload_sha256,
        "status": evaluate(manifest, today, &StatusPolicy::default()),
    });
    print_json(&value)
}

fn print_json_failure(input: &Input, error: &VerifyError) -> CliResult<()> {
    let value = json!({
        "valid": false,
        "source": input.source,
        "error": {
            "code": error.code(),
            "message": error.to_string(),
            "exit_code": verify_code(error),
        },
    });
    print_json(&value)
}

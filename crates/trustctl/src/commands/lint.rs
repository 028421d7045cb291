//! `trustctl lint`: everything wrong with a manifest or envelope, and the status a visitor
//! would see. Errors fail; warnings fail only with `--deny-warnings`.

use serde_json::json;
use trust_manifest::{
    decode, decode_base64, evaluate, open_envelope, validate, Date, Manifest, Problem,
    StatusPolicy, StatusReport, TrustPolicy, ValidationOptions, VerifyError, PAYLOAD_TYPE,
};

use crate::changes::notice::{notice_warnings, print_notice_warnings, NoticeWarning};
use crate::cli::LintArgs;
use crate::exit::{CliError, CliResult, OK, PROBLEMS_FOUND};
use crate::input::{read_file_or_stdin, Input};
use crate::keys::load_trusted_keys;
use crate::links::{unreachable_looking_links, LinkWarning};
use crate::manifest_file::parse_unsigned;
use crate::report::{count, print_json, print_links, print_problems, print_status, Counts};
use crate::translation_lint::{print_translation_warnings, translation_warnings};

/// What was learned about the signature of the linted file.
enum Signature {
    /// A bare manifest: there is no signature to check.
    NotSigned,
    /// An envelope read without trusted keys: its signatures were not checked.
    NotChecked {
        /// How many signatures the envelope carries.
        count: usize,
    },
    /// An envelope whose signatures held for the given trusted keys.
    Verified {
        /// Key ids of the trusted keys that signed.
        signed_by: Vec<String>,
    },
}

/// Lints the file named on the command line. A JSON object with a `payloadType` member and no
/// `schema_version` ([`decode::is_envelope`]) is read as an envelope; anything else as a
/// manifest (and gets the manifest's error messages).
pub fn run(args: &LintArgs, today: Date) -> CliResult<u8> {
    let input = read_file_or_stdin(&args.file)?;
    let (manifest, signature) = if decode::is_envelope(&input.bytes) {
        input.check_size()?;
        read_envelope(&input, args)?
    } else {
        if !args.public_keys.is_empty() {
            return Err(CliError::usage(format!(
                "{}: --public-key only applies to a signed envelope, and this is a bare manifest",
                input.source
            )));
        }
        let manifest = parse_unsigned(&input.source, &input.bytes)?;
        (manifest, Signature::NotSigned)
    };

    let options = ValidationOptions {
        allow_loopback_http: args.dev,
    };
    let problems = validate(&manifest, &options);
    let links = unreachable_looking_links(&manifest, args.dev);
    let notices = notice_warnings(&manifest);
    let report = evaluate(&manifest, today, &StatusPolicy::default());
    let mut counts = count(&report, &problems);
    counts.warnings += links.len() + notices.len();
    let translations = translation_warnings(&manifest);
    counts.warnings += translations.len();
    let failed = counts.errors > 0 || (args.deny_warnings && counts.warnings > 0);

    if args.json {
        let kind = if matches!(signature, Signature::NotSigned) {
            "manifest"
        } else {
            "envelope"
        };
        let signature = match &signature {
            Signature::NotSigned => json!({"state": "not_signed"}),
            Signature::NotChecked { count } => json!({"state": "not_checked", "signatures": count}),
            Signature::Verified { signed_by } => {
                json!({"state": "verified", "signed_by": signed_by})
            }
        };
        print_json(&json!({
            "file": input.source,
            "kind": kind,
            "signature": signature,
            "version": manifest.version,
            "issued_at": manifest.issued_at,
            "expires_at": manifest.expires_at,
            "problems": problems,
            "unreachable_links": links,
            "notice_warnings": notices,
            "translation_warnings": translations,
            "status": report,
            "errors": counts.errors,
            "warnings": counts.warnings,
            "ok": !failed,
        }))?;
    } else {
        let findings = Findings {
            problems: &problems,
            links: &links,
            notices: &notices,
            report: &report,
            counts,
        };
        print_human(&input, &manifest, &signature, &findings, failed);
    }
    Ok(if failed { PROBLEMS_FOUND } else { OK })
}

fn read_envelope(input: &Input, args: &LintArgs) -> CliResult<(Manifest, Signature)> {
    if !args.public_keys.is_empty() {
        let keys = load_trusted_keys(&args.public_keys, args.threshold)?;
        let policy = TrustPolicy::new(keys).with_threshold(args.threshold);
        // Expiry is reported as a status finding below, so it is not fatal here.
        let verified = open_envelope(&input.bytes, &policy, Date::MIN)
            .map_err(|error| CliError::verify(&input.source, &error))?;
        return Ok((
            verified.manifest,
            Signature::Verified {
                signed_by: verified.signed_by,
            },
        ));
    }
    let fail = |error: VerifyError| CliError::verify(&input.source, &error);
    let envelope = decode::envelope(&input.bytes).map_err(fail)?;
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(fail(VerifyError::WrongPayloadType {
            found: envelope.payload_type,
        }));
    }
    let payload = decode_base64(&envelope.payload).ok_or_else(|| {
        fail(VerifyError::InvalidBase64 {
            field: "payload".to_owned(),
        })
    })?;
    let manifest = parse_unsigned(&format!("{} (unchecked payload)", input.source), &payload)?;
    Ok((
        manifest,
        Signature::NotChecked {
            count: envelope.signatures.len(),
        },
    ))
}

/// Everything lint found, for printing.
struct Findings<'a> {
    problems: &'a [Problem],
    links: &'a [LinkWarning],
    notices: &'a [NoticeWarning],
    report: &'a StatusReport,
    counts: Counts,
}

fn print_human(
    input: &Input,
    manifest: &Manifest,
    signature: &Signature,
    findings: &Findings<'_>,
    failed: bool,
) {
    let counts = findings.counts;
    let kind = if matches!(signature, Signature::NotSigned) {
        "manifest"
    } else {
        "signed envelope"
    };
    say!(
        "{} ({kind}): {}, version {}, issued {}, expires {}",
        input.source,
        manifest.organization.name,
        manifest.version,
        manifest.issued_at,
        manifest.expires_at
    );
    match signature {
        Signature::NotSigned => {
            say!("· Signature: none (a bare manifest; sign it with `trustctl sign`)")
        }
        Signature::NotChecked { count } => say!(
            "! Signature NOT checked: {count} signature{} present; add --public-key to check {}",
            if *count == 1 { "" } else { "s" },
            if *count == 1 { "it" } else { "them" }
        ),
        Signature::Verified { signed_by } => {
            say!(
                "✓ Signature: valid, signed by {} trusted key{}",
                signed_by.len(),
                if signed_by.len() == 1 { "" } else { "s" }
            );
            for keyid in signed_by {
                say!("    keyid {keyid}");
            }
        }
    }
    print_problems(findings.problems);
    print_links(findings.links);
    print_notice_warnings(findings.notices);
    print_translation_warnings(manifest, &translation_warnings(manifest));
    print_status(findings.report);
    say!();
    let summary = format!(
        "{} error{}, {} warning{}",
        counts.errors,
        if counts.errors == 1 { "" } else { "s" },
        counts.warnings,
        if counts.warnings == 1 { "" } else { "s" }
    );
    if failed {
        say!("✗ FAILED: {summary}");
    } else {
        say!("✓ PASSED: {summary}");
    }
}

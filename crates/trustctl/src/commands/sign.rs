//! `trustctl sign`: validate the manifest, optionally bump its version, and write the signed
//! DSSE envelope. Nothing is written when the manifest has problems.

use std::fs;
use std::path::Path;

use trust_manifest::{
    open_envelope, sign_envelope, validate, Date, Manifest, SigningKey, TrustPolicy,
    ValidationOptions, MAX_ENVELOPE_BYTES,
};

use crate::cli::SignArgs;
use crate::exit::{CliError, CliResult, IO, OK, PROBLEMS_FOUND};
use crate::files::write_atomically;
use crate::keys::load_signing_key;
use crate::manifest_edit;
use crate::manifest_file::parse_unsigned;

/// Signs the manifest with every `--key`.
pub fn run(args: &SignArgs, today: Date) -> CliResult<u8> {
    let manifest_name = args.manifest.display().to_string();
    if same_file(&args.manifest, &args.out) {
        return Err(CliError::usage(format!(
            "--out {} is the manifest itself; the envelope needs its own file (e.g. trust-center.json)",
            args.out.display()
        )));
    }
    let keys = args
        .keys
        .iter()
        .map(|path| load_signing_key(path))
        .collect::<CliResult<Vec<SigningKey>>>()?;
    refuse_duplicate_keys(&keys, args)?;

    let original =
        fs::read(&args.manifest).map_err(|error| CliError::io("read", &args.manifest, &error))?;
    let mut manifest = parse_unsigned(&manifest_name, &original)?;

    let payload = if args.bump {
        manifest.version = manifest.version.saturating_add(1);
        manifest.issued_at = today;
        let accepted = super::sign_changes::propose_before_signing(args, &keys, &manifest, today);
        manifest.changes.splice(0..0, accepted.iter().cloned());
        // Edited as text, not re-serialised: fields this trustctl does not know, the key order
        // and the layout stay as the vendor wrote them.
        let text = String::from_utf8_lossy(&original);
        manifest_edit::bump(&text, manifest.version, today, &accepted)
            .map_err(|error| {
                CliError::new(IO, format!("cannot bump {manifest_name}: {}", error.0))
            })?
            .into_bytes()
    } else {
        original
    };

    check_signable(&manifest, &manifest_name, today, args.dev)?;

    let envelope = sign_envelope(&payload, &keys);
    let mut json = serde_json::to_string_pretty(&envelope).map_err(|error| {
        CliError::new(IO, format!("cannot write {}: {error}", args.out.display()))
    })?;
    json.push('\n');
    if json.len() > MAX_ENVELOPE_BYTES {
        return Err(CliError::new(
            PROBLEMS_FOUND,
            format!(
                "{manifest_name}: the signed envelope would be {} bytes, over the {MAX_ENVELOPE_BYTES}-byte limit that verifiers accept",
                json.len()
            ),
        )
        .with_hint("shorten long texts (FAQ answers, NDA text: publish it and use text_url instead)"));
    }

    // Check our own output exactly as a verifier will before publishing it.
    let policy = TrustPolicy::new(keys.iter().map(SigningKey::public_key).collect())
        .with_threshold(keys.len());
    let verified = open_envelope(json.as_bytes(), &policy, today)
        .map_err(|error| CliError::verify("the freshly signed envelope", &error))?;

    if args.bump {
        write_atomically(&args.manifest, &payload)?;
        say!(
            "Updated {manifest_name}: version {}, issued_at {}",
            manifest.version,
            manifest.issued_at
        );
    }
    write_atomically(&args.out, json.as_bytes())?;

    say!(
        "Signed {manifest_name} (version {}, issued {}, expires {}) -> {}",
        manifest.version,
        manifest.issued_at,
        manifest.expires_at,
        args.out.display()
    );
    for (path, key) in args.keys.iter().zip(&keys) {
        say!(
            "  signature: keyid {} (from {})",
            key.public_key().key_id(),
            path.display()
        );
    }
    say!("  payload sha256: {}", verified.payload_sha256);
    say!("  envelope size:  {} bytes", json.len());
    super::sign_changes::write_feed(args, &verified.manifest)?;
    Ok(OK)
}

/// Whether two paths name the same existing file.
fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Refuses the same key given twice: the second signature would add nothing.
fn refuse_duplicate_keys(keys: &[SigningKey], args: &SignArgs) -> CliResult<()> {
    for (index, key) in keys.iter().enumerate() {
        let id = key.public_key().key_id();
        if let Some(first) = keys[..index]
            .iter()
            .position(|k| k.public_key().key_id() == id)
        {
            return Err(CliError::usage(format!(
                "--key {} and --key {} are the same key (keyid {id}); each key can sign only once",
                args.keys[first].display(),
                args.keys[index].display()
            )));
        }
    }
    Ok(())
}

/// Validation, plus the date checks only a tool with a clock can make.
fn check_signable(manifest: &Manifest, name: &str, today: Date, dev: bool) -> CliResult<()> {
    let options = ValidationOptions {
        allow_loopback_http: dev,
    };
    let mut problems: Vec<(String, String)> = validate(manifest, &options)
        .into_iter()
        .map(|problem| (problem.path, problem.message))
        .collect();
    if manifest.expires_at < today {
        problems.push((
            "expires_at".to_owned(),
            format!(
                "{} is already in the past (today is {today}); every verifier would reject the envelope as expired.",
                manifest.expires_at
            ),
        ));
    }
    if problems.is_empty() {
        return Ok(());
    }
    let mut message = format!(
        "{name}: not signed, because the manifest has {} problem{}:",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    for (path, text) in &problems {
        message.push_str(&format!("\n  ✗ {path}: {text}"));
    }
    let hint = if dev {
        "fix the fields listed above and sign again"
    } else {
        "fix the fields listed above and sign again (for a local demo with http://127.0.0.1 links, add --dev)"
    };
    Err(CliError::new(PROBLEMS_FOUND, message).with_hint(hint))
}

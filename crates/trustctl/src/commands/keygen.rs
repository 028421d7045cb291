//! `trustctl keygen`: a new Ed25519 key pair and the attribute to paste into the page.

use trust_manifest::SigningKey;

use crate::cli::KeygenArgs;
use crate::exit::{CliResult, OK};
use crate::keys::write_key_pair;

/// Generates and writes the key pair.
pub fn run(args: &KeygenArgs) -> CliResult<u8> {
    let key = SigningKey::generate();
    let files = write_key_pair(&args.out, &key, args.force)?;
    let public = key.public_key();
    say!(
        "Wrote private key {} (mode 0600; keep it secret, never commit it)",
        files.private.display()
    );
    say!("Wrote public key  {}", files.public.display());
    say!();
    say!("keyid:       {}", public.key_id());
    say!("fingerprint: {}", public.short_fingerprint());
    say!("public key:  {}", public.to_base64());
    say!();
    say!("Paste this attribute into your <trust-center> element:");
    say!("  public-key=\"{}\"", public.to_base64());
    say!("for example:");
    say!(
        "  <trust-center manifest=\"/.well-known/trust-center.json\" public-key=\"{}\"></trust-center>",
        public.to_base64()
    );
    Ok(OK)
}

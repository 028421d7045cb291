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
    println!(
        "Wrote private key {} (mode 0600; keep it secret, never commit it)",
        files.private.display()
    );
    println!("Wrote public key  {}", files.public.display());
    println!();
    println!("keyid:       {}", public.key_id());
    println!("fingerprint: {}", public.short_fingerprint());
    println!("public key:  {}", public.to_base64());
    println!();
    println!("Paste this attribute into your <trust-center> element:");
    println!("  public-key=\"{}\"", public.to_base64());
    println!("for example:");
    println!(
        "  <trust-center manifest=\"/.well-known/trust-center.json\" public-key=\"{}\"></trust-center>",
        public.to_base64()
    );
    Ok(OK)
}

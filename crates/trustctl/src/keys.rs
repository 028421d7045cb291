//! Key files: reading private keys (trustctl base64 seed or PKCS#8 PEM from
//! `openssl genpkey -algorithm ed25519`), reading public keys (base64, inline or in a file, or
//! SPKI PEM), and writing a new key pair with a 0600 private key file.

use std::ffi::OsString;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::Engine;
use trust_manifest::{PublicKey, SigningKey};

use crate::exit::{CliError, CliResult, IO, KEY};

/// DER encoding of the Ed25519 algorithm identifier's OID, 1.3.101.112.
const ED25519_OID: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];

/// Reads a private signing key from `path`.
pub fn load_signing_key(path: &Path) -> CliResult<SigningKey> {
    let text =
        fs::read_to_string(path).map_err(|error| CliError::io("read key file", path, &error))?;
    let seed = parse_private_key(&text)
        .map_err(|reason| CliError::new(KEY, format!("{}: {reason}", path.display())))?;
    warn_if_readable_by_others(path);
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads a trusted public key given as a file path or as the base64 key itself.
pub fn load_public_key(argument: &str) -> CliResult<PublicKey> {
    let path = Path::new(argument);
    if path.is_file() {
        if path.extension().is_some_and(|ext| ext == "key") {
            return Err(CliError::new(
                KEY,
                format!("{argument}: this looks like a PRIVATE key file (.key); --public-key needs the .pub file"),
            )
            .with_hint("never hand out the .key file; give verifiers the .pub file"));
        }
        let text = fs::read_to_string(path)
            .map_err(|error| CliError::io("read public key file", path, &error))?;
        let bytes = parse_public_key(&text)
            .map_err(|reason| CliError::new(KEY, format!("{argument}: {reason}")))?;
        return PublicKey::from_bytes(&bytes)
            .map_err(|error| CliError::new(KEY, format!("{argument}: {error}")));
    }
    match trust_manifest::decode_base64(argument.trim()) {
        Some(bytes) => {
            let bytes: [u8; 32] = bytes.as_slice().try_into().map_err(|_| {
                CliError::new(
                    KEY,
                    format!(
                        "--public-key {argument}: decodes to {} bytes, but an Ed25519 public key is exactly 32 bytes",
                        bytes.len()
                    ),
                )
            })?;
            PublicKey::from_bytes(&bytes)
                .map_err(|error| CliError::new(KEY, format!("--public-key {argument}: {error}")))
        }
        None => Err(CliError::new(
            KEY,
            format!("--public-key {argument}: there is no such file, and it is not a base64 public key either"),
        )
        .with_hint("pass the .pub file written by `trustctl keygen`, an SPKI PEM file, or the base64 key itself")),
    }
}

/// Loads the trusted keys and checks the threshold against them.
pub fn load_trusted_keys(arguments: &[String], threshold: usize) -> CliResult<Vec<PublicKey>> {
    let keys = arguments
        .iter()
        .map(|argument| load_public_key(argument))
        .collect::<CliResult<Vec<PublicKey>>>()?;
    for (index, key) in keys.iter().enumerate() {
        if let Some(first) = keys[..index].iter().position(|k| k == key) {
            return Err(CliError::usage(format!(
                "--public-key {} and --public-key {} are the same key (keyid {}); a key counts only once",
                arguments[first],
                arguments[index],
                key.key_id()
            )));
        }
    }
    if threshold == 0 || threshold > keys.len() {
        return Err(CliError::usage(format!(
            "--threshold {threshold} is impossible with {} trusted key{}; use a number from 1 to {}",
            keys.len(),
            if keys.len() == 1 { "" } else { "s" },
            keys.len()
        )));
    }
    Ok(keys)
}

/// Files written by [`write_key_pair`].
pub struct KeyPairFiles {
    /// The private key file (mode 0600).
    pub private: PathBuf,
    /// The public key file.
    pub public: PathBuf,
}

/// Paths `NAME.key` and `NAME.pub` for `--out NAME`.
pub fn key_pair_paths(out: &Path) -> KeyPairFiles {
    let with_suffix = |suffix: &str| {
        let mut name = OsString::from(out.as_os_str());
        name.push(suffix);
        PathBuf::from(name)
    };
    KeyPairFiles {
        private: with_suffix(".key"),
        public: with_suffix(".pub"),
    }
}

/// Writes `key` as a key pair; refuses to replace existing files unless `force`.
pub fn write_key_pair(out: &Path, key: &SigningKey, force: bool) -> CliResult<KeyPairFiles> {
    let files = key_pair_paths(out);
    if !force {
        for existing in [&files.private, &files.public] {
            if existing.exists() {
                return Err(CliError::new(
                    IO,
                    format!("{} already exists; not replacing it", existing.display()),
                )
                .with_hint("choose another --out name, or add --force to replace it (the old private key is then lost)"));
            }
        }
    }
    if let Some(parent) = files.private.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|error| CliError::io("create directory", parent, &error))?;
    }
    let private_text = format!(
        "{}\n",
        base64::engine::general_purpose::STANDARD.encode(key.to_bytes())
    );
    write_private_file(&files.private, private_text.as_bytes())?;
    let public_text = format!("{}\n", key.public_key().to_base64());
    fs::write(&files.public, public_text)
        .map_err(|error| CliError::io("write", &files.public, &error))?;
    Ok(files)
}

/// Writes a file readable only by its owner (mode 0600), replacing any old one.
fn write_private_file(path: &Path, contents: &[u8]) -> CliResult<()> {
    // Remove first so a replaced file never keeps looser permissions or other hard links.
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(CliError::io("replace", path, &error)),
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|error| CliError::io("write", path, &error))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|error| CliError::io("write", path, &error))
}

/// Prints a warning when a private key file can be read by other users.
fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = fs::metadata(path) {
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                eprintln!(
                    "warning: private key {} can be read by other users (mode {mode:o}); run: chmod 600 {}",
                    path.display(),
                    path.display()
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// The 32-byte seed from the text of a private key file.
fn parse_private_key(text: &str) -> Result<[u8; 32], String> {
    let trimmed = text.trim();
    if trimmed.starts_with("-----BEGIN") {
        let (label, der) = decode_pem(trimmed)?;
        return match label.as_str() {
            "PRIVATE KEY" => pkcs8_seed(&der),
            "ENCRYPTED PRIVATE KEY" => Err(
                "this PEM private key is encrypted with a passphrase; decrypt it first \
                 (openssl pkey -in KEY.pem -out plain.pem) and keep the result at mode 0600"
                    .to_owned(),
            ),
            "PUBLIC KEY" => Err("this is a PUBLIC key; --key needs the private key".to_owned()),
            "OPENSSH PRIVATE KEY" => Err(
                "OpenSSH private keys are not supported; use `trustctl keygen` or \
                 `openssl genpkey -algorithm ed25519`"
                    .to_owned(),
            ),
            other => Err(format!(
                "a PEM \"{other}\" block is not an Ed25519 private key"
            )),
        };
    }
    let bytes = trust_manifest::decode_base64(trimmed)
        .ok_or_else(|| "not a key file: expected base64 of a 32-byte Ed25519 seed (from `trustctl keygen`) or a PKCS#8 PEM private key".to_owned())?;
    bytes.as_slice().try_into().map_err(|_| {
        format!(
            "holds {} bytes, but an Ed25519 private key (seed) is exactly 32 bytes",
            bytes.len()
        )
    })
}

/// The 32 raw public key bytes from the text of a public key file.
fn parse_public_key(text: &str) -> Result<[u8; 32], String> {
    let trimmed = text.trim();
    if trimmed.starts_with("-----BEGIN") {
        let (label, der) = decode_pem(trimmed)?;
        return match label.as_str() {
            "PUBLIC KEY" => spki_public_key(&der),
            "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" | "OPENSSH PRIVATE KEY" => {
                Err("this is a PRIVATE key; --public-key needs the public key \
                 (openssl pkey -in KEY.pem -pubout -out KEY.pub.pem)"
                    .to_owned())
            }
            other => Err(format!(
                "a PEM \"{other}\" block is not an Ed25519 public key"
            )),
        };
    }
    let bytes = trust_manifest::decode_base64(trimmed).ok_or_else(|| {
        "not a public key: expected base64 of 32 bytes or an SPKI PEM block".to_owned()
    })?;
    bytes.as_slice().try_into().map_err(|_| {
        format!(
            "holds {} bytes, but an Ed25519 public key is exactly 32 bytes",
            bytes.len()
        )
    })
}

/// The label and DER bytes of the first PEM block in `text`.
fn decode_pem(text: &str) -> Result<(String, Vec<u8>), String> {
    let mut lines = text.lines().map(str::trim);
    let label = lines
        .next()
        .and_then(|line| line.strip_prefix("-----BEGIN "))
        .and_then(|rest| rest.strip_suffix("-----"))
        .ok_or_else(|| "the PEM header line is damaged".to_owned())?
        .to_owned();
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    let mut ended = false;
    for line in lines {
        if line == end {
            ended = true;
            break;
        }
        body.push_str(line);
    }
    if !ended {
        return Err(format!("the PEM block has no \"{end}\" line"));
    }
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|_| "the PEM block's base64 content is damaged".to_owned())?;
    Ok((label, der))
}

/// One DER element: tag, content, and the bytes after it.
fn der_element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (length, rest) = match first {
        0x00..=0x7f => (usize::from(first), rest),
        0x81 => {
            let (&len, rest) = rest.split_first()?;
            (usize::from(len), rest)
        }
        0x82 => {
            let len = rest.get(..2)?;
            (
                usize::from(len[0]) << 8 | usize::from(len[1]),
                rest.get(2..)?,
            )
        }
        _ => return None,
    };
    let content = rest.get(..length)?;
    Some((tag, content, rest.get(length..)?))
}

const NOT_ED25519: &str =
    "not an Ed25519 key (make one with `openssl genpkey -algorithm ed25519` or `trustctl keygen`)";

/// The algorithm identifier must be exactly Ed25519 (RFC 8410: no parameters).
fn check_algorithm<'a>(element: Option<(u8, &'a [u8], &'a [u8])>) -> Result<&'a [u8], String> {
    match element {
        Some((0x30, algorithm, rest)) if algorithm == ED25519_OID => Ok(rest),
        Some((0x30, _, _)) => Err(NOT_ED25519.to_owned()),
        _ => Err("the PEM key structure is damaged".to_owned()),
    }
}

/// The seed from a PKCS#8 (RFC 5958 / RFC 8410) Ed25519 private key.
fn pkcs8_seed(der: &[u8]) -> Result<[u8; 32], String> {
    let damaged = || "the PKCS#8 private key structure is damaged".to_owned();
    let (tag, body, _) = der_element(der).ok_or_else(damaged)?;
    if tag != 0x30 {
        return Err(damaged());
    }
    let (tag, version, rest) = der_element(body).ok_or_else(damaged)?;
    if tag != 0x02 || !(version == [0] || version == [1]) {
        return Err(damaged());
    }
    let rest = check_algorithm(der_element(rest))?;
    let (tag, wrapped, _) = der_element(rest).ok_or_else(damaged)?;
    if tag != 0x04 {
        return Err(damaged());
    }
    match der_element(wrapped) {
        Some((0x04, seed, [])) => seed.try_into().map_err(|_| damaged()),
        _ => Err(damaged()),
    }
}

/// The raw key from an SPKI (RFC 8410) Ed25519 public key.
fn spki_public_key(der: &[u8]) -> Result<[u8; 32], String> {
    let damaged = || "the SPKI public key structure is damaged".to_owned();
    let (tag, body, _) = der_element(der).ok_or_else(damaged)?;
    if tag != 0x30 {
        return Err(damaged());
    }
    let rest = check_algorithm(der_element(body))?;
    match der_element(rest) {
        Some((0x03, [0x00, key @ ..], [])) => key.try_into().map_err(|_| damaged()),
        _ => Err(damaged()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS8_PREFIX: [u8; 16] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
        0x20,
    ];
    const SPKI_PREFIX: [u8; 12] = [
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];

    fn pem(label: &str, der: &[u8]) -> String {
        let body = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN {label}-----\n{body}\n-----END {label}-----\n")
    }

    #[test]
    fn reads_pkcs8_and_spki_ed25519_pem() {
        let seed = [7_u8; 32];
        let mut der = PKCS8_PREFIX.to_vec();
        der.extend_from_slice(&seed);
        assert_eq!(parse_private_key(&pem("PRIVATE KEY", &der)), Ok(seed));

        let key = [9_u8; 32];
        let mut der = SPKI_PREFIX.to_vec();
        der.extend_from_slice(&key);
        assert_eq!(parse_public_key(&pem("PUBLIC KEY", &der)), Ok(key));
    }

    #[test]
    fn refuses_other_algorithms_and_swapped_kinds() {
        let mut der = PKCS8_PREFIX.to_vec();
        der[11] = 0x71; // Ed448's OID ends in 113
        der.extend_from_slice(&[7_u8; 32]);
        let error = parse_private_key(&pem("PRIVATE KEY", &der))
            .err()
            .unwrap_or_default();
        assert!(error.contains("not an Ed25519 key"), "{error}");

        let mut spki = SPKI_PREFIX.to_vec();
        spki.extend_from_slice(&[9_u8; 32]);
        let error = parse_private_key(&pem("PUBLIC KEY", &spki))
            .err()
            .unwrap_or_default();
        assert!(error.contains("PUBLIC key"), "{error}");

        let error = parse_private_key("AAAA").err().unwrap_or_default();
        assert!(error.contains("3 bytes"), "{error}");
    }

    #[test]
    fn refuses_truncated_pem() {
        let mut der = PKCS8_PREFIX.to_vec();
        der.extend_from_slice(&[7_u8; 31]);
        assert!(parse_private_key(&pem("PRIVATE KEY", &der)).is_err());
        assert!(parse_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n").is_err());
    }
}

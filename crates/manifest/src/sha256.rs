//! SHA-256 digests as lowercase hex: the payload hash the widget and trustctl show, and the key
//! ids ([`crate::PublicKey::key_id`]).

use sha2::{Digest, Sha256};

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &Sha256::digest(bytes));
    out
}

/// Appends the lowercase hexadecimal of `bytes` to `out`.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answers computed with an independent implementation (Python's hashlib) for the
    /// lengths where the padding changes: one padded block (55), two (56, 63), a block of padding
    /// only (64, 128), and the same one block later (119, 120).
    #[test]
    fn sha256_hex_gives_the_known_answers() {
        let data: Vec<u8> = (0..300u32).map(|i| (i * 131 + 7) as u8).collect();
        for (len, expected) in [
            (
                0,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                1,
                "ca358758f6d27e6cf45272937977a748fd88391db679ceda7dc7bf1f005ee879",
            ),
            (
                55,
                "16ed9c4697ca11d5f6fb25ea7900252dd4cb97215d7f6d0b2bb3e2a86ac0ec72",
            ),
            (
                56,
                "939ada93b2fe1e9c596d767bb408567c83e253667f0b25e5be8e16f35f2cbac9",
            ),
            (
                63,
                "6073f83b09ae82016cdbe24c18996c48f0eaa08ca675d0f6b90b807fc29e0149",
            ),
            (
                64,
                "b337ba9b0c69c391364e985fdcb23a889887e59800832c92fbfa22b8a3c40304",
            ),
            (
                65,
                "9d6a3fb113b586b4ab97bc11c993a27bd9b7bbcb756e0646083dc47a679600e6",
            ),
            (
                119,
                "9773fbac8194c3d789af101b49b6a26073076895ef6e0f658432849dd477a43f",
            ),
            (
                120,
                "070a538f085dd94821d4dc197c5c8b791051891d4fa2a1bf25d3c275236676f7",
            ),
            (
                128,
                "485a94e53eba9717a5d8b7b4489cad92a752f1c5722e7dfd29dd164b7c438d11",
            ),
            (
                300,
                "cf2eb35169ce035ca6dfb9c3a303d1495473b02fd17c5635008f1e659b733d8f",
            ),
        ] {
            assert_eq!(sha256_hex(&data[..len]), expected, "length {len}");
        }
        // FIPS 180-2 examples.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            sha256_hex(&vec![b'a'; 1_000_000]),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

    #[test]
    fn hex_is_lowercase_and_matches_format_on_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut out = String::new();
        push_hex(&mut out, &bytes);
        let expected: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        assert_eq!(out, expected);
        assert_eq!(sha256_hex(b"").len(), 64);
    }
}

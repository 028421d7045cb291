//! The rules of strict Ed25519 verification that are plain byte comparisons, with no curve
//! arithmetic: a small-order point (a weak public key, or a signature's `R`) and a signature
//! scalar `S` that is not below the group order `L`.
//!
//! ed25519-dalek's `verify_strict` refuses all three. A verifier that only implements RFC 8032
//! (the browser's Web Crypto `Ed25519`, which the widget uses) may accept a small-order key or
//! `R`, so [`crate::verify`] applies these rules before it asks any verifier, and every backend
//! gives the same answer. `tests/ed25519_differential.rs` checks them against curve25519-dalek.

/// The eight points of small order (the torsion subgroup), by the encoding of their `y`
/// coordinate with the sign bit of `x` cleared: `y = 0` (order 4), `1` (order 1), the two `y` of
/// the order-8 points, `p - 1` (order 2), and the non-canonical encodings of `0` and `1` (`p` and
/// `p + 1`) that decoders which reduce `y` modulo `p` accept.
const SMALL_ORDER_Y: [[u8; 32]; 7] = [
    [0; 32],
    [
        1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0,
    ],
    [
        0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98,
        0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53,
        0xfc, 0x05,
    ],
    [
        0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67,
        0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac,
        0x03, 0x7a,
    ],
    field_encoding(0xec),
    field_encoding(0xed),
    field_encoding(0xee),
];

/// `p - 20 + low` for a low byte of `0xec`, `0xed`, `0xee`: `p - 1`, `p`, `p + 1`, where
/// `p = 2^255 - 19` is `ed ff … ff 7f` little-endian.
const fn field_encoding(low: u8) -> [u8; 32] {
    let mut bytes = [0xff; 32];
    bytes[0] = low;
    bytes[31] = 0x7f;
    bytes
}

/// The group order `L = 2^252 + 27742317777372353535851937790883648493`, little-endian.
const GROUP_ORDER: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// Whether the compressed point `encoding` is one of the eight points of small order (in any of
/// the encodings a decoder accepts). Such a public key "verifies" signatures nobody made, and
/// such an `R` makes a signature malleable.
pub fn has_small_order(encoding: &[u8; 32]) -> bool {
    let mut y = *encoding;
    y[31] &= 0x7f;
    SMALL_ORDER_Y.contains(&y)
}

/// Whether the 32 little-endian bytes are a scalar below the group order `L`, as RFC 8032
/// requires of a signature's `S` (otherwise `S + L` would be a second valid signature).
pub fn is_canonical_scalar(scalar: &[u8; 32]) -> bool {
    for index in (0..32).rev() {
        if scalar[index] != GROUP_ORDER[index] {
            return scalar[index] < GROUP_ORDER[index];
        }
    }
    false
}

/// Whether a 64-byte Ed25519 signature passes the byte rules: `R` (its first half) is not of
/// small order and `S` (its second half) is canonical.
pub fn signature_is_well_formed(signature: &[u8; 64]) -> bool {
    let (r, s) = signature.split_at(32);
    let (Ok(r), Ok(s)) = (r.try_into(), s.try_into()) else {
        return false;
    };
    !has_small_order(r) && is_canonical_scalar(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_below_the_group_order_are_canonical() {
        assert!(is_canonical_scalar(&[0; 32]));
        let mut below = GROUP_ORDER;
        below[0] -= 1;
        assert!(is_canonical_scalar(&below));
        assert!(!is_canonical_scalar(&GROUP_ORDER));
        let mut above = GROUP_ORDER;
        above[0] += 1;
        assert!(!is_canonical_scalar(&above));
        assert!(!is_canonical_scalar(&[0xff; 32]));
    }

    #[test]
    fn the_sign_bit_does_not_hide_a_small_order_point() {
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(has_small_order(&identity));
        identity[31] |= 0x80;
        assert!(has_small_order(&identity));
        let mut ordinary = [9u8; 32];
        ordinary[31] = 0x40;
        assert!(!has_small_order(&ordinary));
    }
}

//! Differential test of this crate's Ed25519 verifiers against ed25519-dalek's
//! `VerifyingKey::verify_strict`, the oracle, on generated edge cases: trustctl's path
//! (`PublicKey::from_bytes` then `PublicKey::verify_raw`) and the widget's (the byte rules of
//! `ed25519_rules`, then a verifier that only implements RFC 8032, as the browser's Web Crypto).
//!
//! Each case class targets one rule of strict verification, including the classes of "Taming the
//! many EdDSAs" (Chalkias, Garillot, Nikolaenko, 2020), rebuilt here from their definitions with
//! curve25519-dalek's arithmetic (the paper's own byte strings are not copied):
//! non-canonical S (S + jL, high bits), small-order A and R (the eight points of E[8]), mixed-order
//! A and R where the cofactorless and the cofactored equations disagree, and non-canonical point
//! encodings (y ≥ p, and the sign bit set on x = 0). For every case the verdicts must be equal, and
//! every class also has the verdict it must have, so that a case built wrongly (or a verifier and
//! an oracle wrong in the same way) fails too. The divergence classes also check that a cofactored
//! verifier (8·(sB − kA − R) = 0) would accept them, i.e. that they really tell the two apart.

use curve25519_dalek::constants::{ED25519_BASEPOINT_POINT, EIGHT_TORSION};
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha512};
use trust_manifest::{ed25519_rules, PublicKey};

/// The group order ℓ = 2^252 + 27742317777372353535851937790883648493, little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// One generated input and the verdict its class requires.
struct Case {
    class: &'static str,
    key: [u8; 32],
    message: Vec<u8>,
    signature: [u8; 64],
    /// Whether strict verification must accept it.
    expected: bool,
}

/// Deterministic pseudo-random bytes: SHA-512 of a label and a counter.
fn wide(label: &str, index: u64) -> [u8; 64] {
    let mut hasher = Sha512::new();
    hasher.update(label.as_bytes());
    hasher.update(index.to_le_bytes());
    hasher.finalize().into()
}

fn scalar(label: &str, index: u64) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&wide(label, index))
}

fn message(label: &str, index: u64) -> Vec<u8> {
    let bytes = wide(label, index);
    let len = usize::from(bytes[0]) % 200;
    (0..len)
        .map(|i| wide(label, index + 1_000_000 + i as u64)[0])
        .collect()
}

/// The Ed25519 challenge k = SHA-512(R ‖ A ‖ M) mod ℓ, over the bytes exactly as given.
fn challenge(r: &[u8; 32], a: &[u8; 32], message: &[u8]) -> Scalar {
    let mut hasher = Sha512::new();
    hasher.update(r);
    hasher.update(a);
    hasher.update(message);
    Scalar::from_bytes_mod_order_wide(&hasher.finalize().into())
}

fn signature_bytes(r: &[u8; 32], s: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(r);
    out[32..].copy_from_slice(s);
    out
}

/// A signature with nonce point R = rB + `torsion_r` (given as bytes `r_bytes` when set, else its
/// compression) for the secret scalar `a` of the key encoded as `a_bytes`: s = r + k·a.
fn sign_by_hand(
    a: &Scalar,
    a_bytes: &[u8; 32],
    r: &Scalar,
    torsion_r: &EdwardsPoint,
    message: &[u8],
) -> [u8; 64] {
    let big_r = (ED25519_BASEPOINT_POINT * r + torsion_r)
        .compress()
        .to_bytes();
    let k = challenge(&big_r, a_bytes, message);
    signature_bytes(&big_r, &(r + k * a).to_bytes())
}

/// Whether a cofactored verifier would accept: S canonical, both points decode, and
/// 8·(sB − kA − R) is the identity (the encodings hashed as given).
fn cofactored_accepts(key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    let (r_bytes, s_bytes) = signature.split_at(32);
    let r_bytes: [u8; 32] = r_bytes.try_into().expect("32 bytes");
    let s_bytes: [u8; 32] = s_bytes.try_into().expect("32 bytes");
    let Some(s) = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes)) else {
        return false;
    };
    let (Some(a), Some(r)) = (
        CompressedEdwardsY(*key).decompress(),
        CompressedEdwardsY(r_bytes).decompress(),
    ) else {
        return false;
    };
    let k = challenge(&r_bytes, key, message);
    (ED25519_BASEPOINT_POINT * s - a * k - r)
        .mul_by_cofactor()
        .is_identity()
}

/// The verifier under test: the key parsed as the widget and trustctl parse it, then checked.
fn ours(key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    PublicKey::from_bytes(key).is_ok_and(|key| key.verify_raw(message, signature))
}

/// The widget's path: the byte rules `read_envelope` applies ([`ed25519_rules`]), then a verifier
/// that only implements RFC 8032, as the browser's Web Crypto does. ed25519-dalek's plain
/// `verify` stands in for it here (cofactorless, small-order values allowed);
/// `tests/wasm_tamper.rs` runs the same cases through Web Crypto in Chromium.
fn byte_rules_then_rfc8032(key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    PublicKey::from_bytes(key).is_ok()
        && ed25519_rules::signature_is_well_formed(signature)
        && VerifyingKey::from_bytes(key).is_ok_and(|key| {
            key.verify(message, &Signature::from_bytes(signature))
                .is_ok()
        })
}

/// The oracle: ed25519-dalek's strict verification.
fn oracle(key: &[u8; 32], message: &[u8], signature: &[u8; 64]) -> bool {
    VerifyingKey::from_bytes(key).is_ok_and(|key| {
        key.verify_strict(message, &Signature::from_bytes(signature))
            .is_ok()
    })
}

/// Every encoding (canonical or not) whose y, read modulo p, is below 19, with either sign bit:
/// y ∈ [0, 19) canonically and y + p ∈ [p, 2^255) non-canonically. Only these points have a
/// non-canonical encoding. Returns those that decode (curve25519-dalek accepts both kinds).
fn low_y_encodings() -> Vec<([u8; 32], bool)> {
    // p = 2^255 − 19: y + p for y < 19 is the 255-bit value 2^255 − 19 + y.
    let mut out = Vec::new();
    for y in 0u8..19 {
        for sign in [0u8, 0x80] {
            let mut canonical = [0u8; 32];
            canonical[0] = y;
            canonical[31] |= sign;
            let mut non_canonical = [0xffu8; 32];
            non_canonical[0] = 0xed + y;
            non_canonical[31] = 0x7f | sign;
            for (bytes, is_canonical) in [(canonical, true), (non_canonical, false)] {
                if CompressedEdwardsY(bytes).decompress().is_some() {
                    out.push((bytes, is_canonical));
                }
            }
        }
    }
    out
}

fn is_small_order_encoding(bytes: &[u8; 32]) -> bool {
    CompressedEdwardsY(*bytes)
        .decompress()
        .is_some_and(|point| point.is_small_order())
}

/// The points of E[8] in curve25519-dalek's order (index i has order 8 / gcd(i, 8); 0 is the
/// identity).
fn torsion(i: usize) -> EdwardsPoint {
    EIGHT_TORSION[i % 8]
}

fn generate_cases() -> Vec<Case> {
    let mut cases = Vec::new();

    // Honest signatures by ed25519-dalek's signer, then single bit flips of message, signature
    // and key.
    for i in 0..48u64 {
        let seed: [u8; 32] = wide("seed", i)[..32].try_into().expect("32 bytes");
        let signer = SigningKey::from_bytes(&seed);
        let key = signer.verifying_key().to_bytes();
        let msg = message("message", i);
        let signature = signer.sign(&msg).to_bytes();
        cases.push(Case {
            class: "valid",
            key,
            message: msg.clone(),
            signature,
            expected: true,
        });
        if !msg.is_empty() {
            let mut flipped = msg.clone();
            let bit = wide("message bit", i)[0] as usize % (msg.len() * 8);
            flipped[bit / 8] ^= 1 << (bit % 8);
            cases.push(Case {
                class: "flipped message bit",
                key,
                message: flipped,
                signature,
                expected: false,
            });
        }
        let mut longer = msg.clone();
        longer.push(0);
        cases.push(Case {
            class: "message with a byte appended",
            key,
            message: longer,
            signature,
            expected: false,
        });
        // Every signature bit for the first few signatures, a sample after that.
        let bits: Vec<usize> = if i < 4 {
            (0..512).collect()
        } else {
            (0..16)
                .map(|j| wide("sig bit", i * 16 + j)[0] as usize * 2 + (j as usize % 2))
                .collect()
        };
        for bit in bits {
            let mut flipped = signature;
            flipped[bit / 8] ^= 1 << (bit % 8);
            cases.push(Case {
                class: "flipped signature bit",
                key,
                message: msg.clone(),
                signature: flipped,
                expected: false,
            });
        }
        let key_bits: Vec<usize> = if i < 2 {
            (0..256).collect()
        } else {
            (0..8)
                .map(|j| usize::from(wide("key bit", i * 8 + j)[0]))
                .collect()
        };
        for bit in key_bits {
            let mut flipped = key;
            flipped[bit / 8] ^= 1 << (bit % 8);
            cases.push(Case {
                class: "flipped key bit",
                key: flipped,
                message: msg.clone(),
                signature,
                expected: false,
            });
        }

        // Non-canonical S: S + jℓ for every j that still fits in 256 bits, and S with each of
        // the top three bits set (S ≫ ℓ).
        let mut s = [0u8; 32];
        s.copy_from_slice(&signature[32..]);
        let mut shifted = s;
        loop {
            let mut carry = 0u16;
            for (byte, l) in shifted.iter_mut().zip(L) {
                let sum = u16::from(*byte) + u16::from(l) + carry;
                *byte = sum as u8;
                carry = sum >> 8;
            }
            if carry != 0 {
                break;
            }
            cases.push(Case {
                class: "S + jL (non-canonical S)",
                key,
                message: msg.clone(),
                signature: signature_bytes(signature[..32].try_into().expect("32"), &shifted),
                expected: false,
            });
        }
        for high in [0x20u8, 0x40, 0x80] {
            let mut big = s;
            big[31] |= high;
            cases.push(Case {
                class: "S with a top bit set (S > L)",
                key,
                message: msg.clone(),
                signature: signature_bytes(signature[..32].try_into().expect("32"), &big),
                expected: false,
            });
        }
    }

    // Signatures made by hand for keys with known secret scalars.
    for i in 0..64u64 {
        let a = scalar("a", i);
        let a_point = ED25519_BASEPOINT_POINT * a;
        let a_bytes = a_point.compress().to_bytes();
        let msg = message("hand message", i);
        let r = scalar("r", i);

        // A prime-order key, a prime-order R: the plain valid case built by hand.
        cases.push(Case {
            class: "valid (by hand)",
            key: a_bytes,
            message: msg.clone(),
            signature: sign_by_hand(&a, &a_bytes, &r, &EdwardsPoint::identity(), &msg),
            expected: true,
        });

        for t in 1..8 {
            // Mixed-order R = rB + T, s = r + k·a: the cofactored equation holds, the
            // cofactorless one does not (Taming's "8-torsion component in R").
            cases.push(Case {
                class: "mixed-order R (prime-order A)",
                key: a_bytes,
                message: msg.clone(),
                signature: sign_by_hand(&a, &a_bytes, &r, &torsion(t), &msg),
                expected: false,
            });
        }

        for t in 0..8 {
            // Small-order R (each point of E[8]) with s = k·a, so sB − kA = 0: cofactored
            // verification accepts every one, cofactorless only R = identity; strict refuses all.
            let big_r = torsion(t).compress().to_bytes();
            let k = challenge(&big_r, &a_bytes, &msg);
            cases.push(Case {
                class: "small-order R",
                key: a_bytes,
                message: msg.clone(),
                signature: signature_bytes(&big_r, &(k * a).to_bytes()),
                expected: false,
            });

            // Small-order A (each point of E[8]): the forgeries that need no secret: R = T', s = 0
            // and R = rB, s = r.
            let weak = torsion(t).compress().to_bytes();
            let t_r = torsion((t + i as usize) % 8).compress().to_bytes();
            for signature in [
                signature_bytes(&t_r, &[0; 32]),
                signature_bytes(
                    &(ED25519_BASEPOINT_POINT * r).compress().to_bytes(),
                    &r.to_bytes(),
                ),
            ] {
                cases.push(Case {
                    class: "small-order A",
                    key: weak,
                    message: msg.clone(),
                    signature,
                    expected: false,
                });
            }
        }

        // Mixed-order A = aB + T_A (T_A of order 8). With R = rB + T_R the cofactorless equation
        // holds exactly when T_R = −k·T_A, which is ground for here (1 in 8 tries); any other T_R
        // is accepted only by a cofactored verifier (Taming's mixed-order A and R classes).
        let mixed = a_point + torsion(1 + 2 * (i as usize % 4));
        let mixed_bytes = mixed.compress().to_bytes();
        let t_a = mixed - a_point;
        let mut matched = 0;
        let mut mismatched = 0;
        for attempt in 0..256u64 {
            if matched >= 2 && mismatched >= 2 {
                break;
            }
            let r = scalar("mixed r", i * 256 + attempt);
            let t_r = torsion((attempt % 8) as usize);
            let signature = sign_by_hand(&a, &mixed_bytes, &r, &t_r, &msg);
            let big_r: [u8; 32] = signature[..32].try_into().expect("32");
            let k = challenge(&big_r, &mixed_bytes, &msg);
            let holds = t_r == -(t_a * k);
            if holds && matched < 2 {
                matched += 1;
                cases.push(Case {
                    class: "mixed-order A, R with the matching torsion",
                    key: mixed_bytes,
                    message: msg.clone(),
                    signature,
                    expected: true,
                });
            } else if !holds && mismatched < 2 {
                mismatched += 1;
                cases.push(Case {
                    class: "mixed-order A, cofactorless equation fails",
                    key: mixed_bytes,
                    message: msg.clone(),
                    signature,
                    expected: false,
                });
            }
        }
        assert_eq!(
            (matched, mismatched),
            (2, 2),
            "grinding for key {i} fell short"
        );
    }

    // Non-canonical and low-y encodings as R (for an honest key, with s = k·a, which satisfies
    // the cofactored equation when the point is small-order) and as A (with signatures made as
    // if the point were a key: nobody knows its discrete log, so only forgeries that need none).
    let encodings = low_y_encodings();
    for (n, (bytes, canonical)) in encodings.iter().enumerate() {
        let i = n as u64;
        let a = scalar("low a", i);
        let a_bytes = (ED25519_BASEPOINT_POINT * a).compress().to_bytes();
        let msg = message("low message", i);
        let k = challenge(bytes, &a_bytes, &msg);
        let small = is_small_order_encoding(bytes);
        let class_r = match (canonical, small) {
            (true, true) => "small-order R, low-y encoding",
            (true, false) => "low-y R (canonical)",
            (false, true) => "non-canonical R, small-order point",
            (false, false) => "non-canonical R",
        };
        for s in [k * a, scalar("low s", i)] {
            cases.push(Case {
                class: class_r,
                key: a_bytes,
                message: msg.clone(),
                signature: signature_bytes(bytes, &s.to_bytes()),
                expected: false,
            });
        }
        let class_a = match (canonical, small) {
            (true, true) => "small-order A, low-y encoding",
            (true, false) => "low-y A (canonical)",
            (false, true) => "non-canonical A, small-order point",
            (false, false) => "non-canonical A",
        };
        let r = scalar("low r", i);
        for signature in [
            signature_bytes(&torsion(0).compress().to_bytes(), &[0; 32]),
            signature_bytes(
                &(ED25519_BASEPOINT_POINT * r).compress().to_bytes(),
                &r.to_bytes(),
            ),
            signature_bytes(bytes, &[0; 32]),
        ] {
            cases.push(Case {
                class: class_a,
                key: *bytes,
                message: msg.clone(),
                signature,
                expected: false,
            });
        }
    }
    cases
}

/// Classes that exist to separate a cofactorless verifier from a cofactored one: each of their
/// cases must be one a cofactored verifier accepts.
const COFACTORED_ACCEPTS: [&str; 3] = [
    "mixed-order R (prime-order A)",
    "small-order R",
    "mixed-order A, cofactorless equation fails",
];

#[test]
fn verifier_agrees_with_verify_strict_on_every_edge_case() {
    let cases = generate_cases();
    let mut classes: Vec<(&str, usize, usize)> = Vec::new();
    let mut failures = Vec::new();
    for case in &cases {
        let ours = ours(&case.key, &case.message, &case.signature);
        let oracle = oracle(&case.key, &case.message, &case.signature);
        let widget = byte_rules_then_rfc8032(&case.key, &case.message, &case.signature);
        if ours != oracle || widget != oracle || oracle != case.expected {
            failures.push(format!(
                "{}: ours {ours}, byte rules + RFC 8032 {widget}, verify_strict {oracle}, expected {}; key {}, sig {}",
                case.class,
                case.expected,
                hex(&case.key),
                hex(&case.signature)
            ));
        }
        if COFACTORED_ACCEPTS.contains(&case.class) {
            assert!(
                cofactored_accepts(&case.key, &case.message, &case.signature),
                "{}: built wrongly, a cofactored verifier refuses it",
                case.class
            );
        }
        match classes
            .iter_mut()
            .find(|(class, _, _)| *class == case.class)
        {
            Some((_, count, accepted)) => {
                *count += 1;
                *accepted += usize::from(ours);
            }
            None => classes.push((case.class, 1, usize::from(ours))),
        }
    }
    for (class, count, accepted) in &classes {
        println!("{class}: {count} cases, {accepted} accepted");
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(20)].join("\n")
    );
    // Every class is present, and the generator is as large as intended.
    for class in [
        "valid",
        "valid (by hand)",
        "flipped signature bit",
        "flipped key bit",
        "S + jL (non-canonical S)",
        "S with a top bit set (S > L)",
        "small-order A",
        "small-order R",
        "mixed-order R (prime-order A)",
        "mixed-order A, R with the matching torsion",
        "mixed-order A, cofactorless equation fails",
        "non-canonical R",
        "non-canonical R, small-order point",
        "non-canonical A",
        "non-canonical A, small-order point",
    ] {
        assert!(
            classes.iter().any(|(name, _, _)| *name == class),
            "no case of class {class}"
        );
    }
    assert!(cases.len() > 5_000, "only {} cases", cases.len());
}

/// Keys: the parser accepts exactly the encodings ed25519-dalek decodes to a point that is not
/// of small order (`VerifyingKey::from_bytes` and not `is_weak`), canonical or not.
#[test]
fn key_parser_agrees_with_ed25519_dalek() {
    let mut keys: Vec<[u8; 32]> = low_y_encodings()
        .into_iter()
        .map(|(bytes, _)| bytes)
        .collect();
    for t in 0..8 {
        keys.push(torsion(t).compress().to_bytes());
    }
    for i in 0..2_000u64 {
        keys.push(wide("random key", i)[..32].try_into().expect("32 bytes"));
        let point = ED25519_BASEPOINT_POINT * scalar("key scalar", i);
        keys.push(point.compress().to_bytes());
        keys.push((point + torsion(i as usize)).compress().to_bytes());
    }
    let mut accepted = 0;
    for key in &keys {
        let ours = PublicKey::from_bytes(key).is_ok();
        let oracle = VerifyingKey::from_bytes(key).is_ok_and(|key| !key.is_weak());
        assert_eq!(ours, oracle, "key {}", hex(key));
        // The byte rule alone (all the widget has) agrees on every encoding that decodes.
        if CompressedEdwardsY(*key).decompress().is_some() {
            assert_eq!(
                ed25519_rules::has_small_order(key),
                is_small_order_encoding(key),
                "small order of {}",
                hex(key)
            );
        }
        accepted += usize::from(ours);
    }
    // Random bytes decode about half the time; the prime- and mixed-order points always do.
    assert!(
        accepted > 4_500 && accepted < keys.len(),
        "{accepted} of {}",
        keys.len()
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

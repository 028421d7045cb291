//! Hostile envelopes, part 1: exhaustive single-byte substitution of one fixed signed envelope
//! (the same fixture the wasm test in `tests/wasm_tamper.rs` and the fuzz seeds use), signatures
//! from many untrusted keys, one key's signature repeated against a threshold of two, and
//! payload-type swaps.
//!
//! The fixture `tests/e2e/security/tamper-envelope.json` is signed with a fixed test seed so it is
//! reproducible (Ed25519 signatures are deterministic). Regenerate it after changing
//! `tamper-manifest.json` with `UPDATE_SECURITY_FIXTURES=1 cargo test -p trust-manifest --test hostile_tamper`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use trust_manifest::*;

/// The exact manifest bytes that are signed.
const FIXTURE_MANIFEST: &[u8] = include_bytes!("../../../tests/e2e/security/tamper-manifest.json");
/// Compact DSSE envelope over `FIXTURE_MANIFEST`, signed by `fixture_key()`.
const FIXTURE_ENVELOPE: &str = include_str!("../../../tests/e2e/security/tamper-envelope.json");
/// Base64 public key of the fixture key; `tests/wasm_tamper.rs` pins the same value.
const FIXTURE_PUBLIC_KEY: &str = include_str!("../../../tests/e2e/security/tamper-key.pub");
const FIXTURE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/e2e/security");

/// The fixed seed of the fixture key. Test-only: it is public, so it protects nothing.
const FIXTURE_SEED: [u8; 32] = *b"trust-center security fixture k1";

fn fixture_key() -> SigningKey {
    SigningKey::from_bytes(&FIXTURE_SEED)
}

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).expect("valid date")
}

fn policy() -> TrustPolicy {
    TrustPolicy::new(vec![fixture_key().public_key()])
}

/// Outcome of one mutated envelope, for the tally printed at the end.
#[derive(Default, Debug)]
struct Tally {
    tried: usize,
    rejected: usize,
    /// Accepted, but the payload bytes and signers are exactly the original ones (another
    /// spelling of the same signed content, e.g. a URL-safe base64 letter).
    same_content: usize,
    /// Accepted with different content: must stay zero.
    got_through: Vec<String>,
}

#[test]
fn fixture_files_match_the_fixed_test_key() {
    let key = fixture_key();
    let envelope = sign_envelope(FIXTURE_MANIFEST, std::slice::from_ref(&key)).to_json();
    let public = key.public_key().to_base64();
    if std::env::var_os("UPDATE_SECURITY_FIXTURES").is_some() {
        std::fs::write(format!("{FIXTURE_DIR}/tamper-envelope.json"), &envelope)
            .expect("write envelope");
        std::fs::write(format!("{FIXTURE_DIR}/tamper-key.pub"), &public).expect("write key");
        return;
    }
    assert_eq!(
        FIXTURE_ENVELOPE, envelope,
        "tamper-envelope.json is stale: regenerate it (see the module comment)"
    );
    assert_eq!(FIXTURE_PUBLIC_KEY, public);
    let verified =
        open_envelope(FIXTURE_ENVELOPE.as_bytes(), &policy(), today()).expect("fixture verifies");
    assert_eq!(verified.manifest.version, 3);
    assert_eq!(verified.signed_by, vec![key.public_key().key_id()]);
}

/// Standard and URL-safe base64 letters plus padding.
const BASE64_LETTERS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=";

/// Byte ranges of the base64 strings (payload and signatures) inside the envelope text.
fn base64_spans(envelope: &str) -> Vec<std::ops::Range<usize>> {
    let parsed: Envelope = serde_json::from_str(envelope).expect("fixture is an envelope");
    let mut texts = vec![parsed.payload];
    texts.extend(parsed.signatures.into_iter().map(|s| s.sig));
    texts
        .iter()
        .map(|text| {
            let start = envelope
                .find(text.as_str())
                .expect("string occurs in the envelope");
            start..start + text.len()
        })
        .collect()
}

/// Replaces each byte of the fixture with other values and tallies the outcomes. With
/// `every_value`, all 255 other values at every position (~210,000 envelopes, each one a full
/// `open_envelope`: minutes in a debug build). Otherwise all 255 values wherever the change
/// breaks the envelope's syntax or base64 (cheap to refuse), and, inside the base64 strings, one
/// other base64 letter per position (each needs a full Ed25519 check: ~20 ms in a debug build).
fn substitution_sweep(every_value: bool) -> Tally {
    let original = FIXTURE_ENVELOPE.as_bytes();
    let spans = base64_spans(FIXTURE_ENVELOPE);
    let policy = policy();
    let reference = open_envelope(original, &policy, today()).expect("fixture verifies");
    let mut tally = Tally::default();
    for position in 0..original.len() {
        let in_base64 = spans.iter().any(|span| span.contains(&position));
        let sampled_letter =
            BASE64_LETTERS[(position * 7 + usize::from(original[position])) % BASE64_LETTERS.len()];
        for value in 0..=255u8 {
            if value == original[position] {
                continue;
            }
            let costly = in_base64 && BASE64_LETTERS.contains(&value);
            if costly && !every_value && value != sampled_letter {
                continue;
            }
            let mut changed = original.to_vec();
            changed[position] = value;
            tally.tried += 1;
            match open_envelope(&changed, &policy, today()) {
                Err(_) => tally.rejected += 1,
                Ok(verified)
                    if verified.payload_sha256 == reference.payload_sha256
                        && verified.signed_by == reference.signed_by
                        && verified.manifest == reference.manifest =>
                {
                    tally.same_content += 1
                }
                Ok(_) => tally.got_through.push(format!(
                    "byte {position} {:?} -> {:?}",
                    char::from(original[position]),
                    char::from(value)
                )),
            }
        }
    }
    println!("single-byte substitutions (every value: {every_value}): {tally:?}");
    tally
}

fn assert_nothing_got_through(tally: &Tally) {
    assert!(tally.got_through.is_empty(), "{:?}", tally.got_through);
    assert_eq!(tally.tried, tally.rejected + tally.same_content);
    // Only a handful of alternative spellings may exist (a base64 letter swapped for its
    // URL-safe twin); many would mean part of the envelope is not covered by the signature.
    assert!(
        tally.same_content <= 8,
        "{} substitutions kept the content",
        tally.same_content
    );
}

/// Every byte position of the signed fixture, with every value that breaks syntax and one other
/// base64 letter where it does not: each result is a refusal (or the very same content).
#[test]
fn every_byte_position_is_covered_by_the_signature() {
    let tally = substitution_sweep(false);
    let positions = FIXTURE_ENVELOPE.len();
    assert!(tally.tried > positions * 180, "{tally:?}");
    assert_nothing_got_through(&tally);
}

/// The complete sweep: all 255 other values at every position. Slow in a debug build; run it with
/// `cargo test --release -p trust-manifest --test hostile_tamper -- --ignored` (about a minute).
#[test]
#[ignore = "about 210,000 full verifications: run with --release -- --ignored"]
fn every_single_byte_substitution_is_refused_or_changes_nothing() {
    let tally = substitution_sweep(true);
    assert_eq!(tally.tried, FIXTURE_ENVELOPE.len() * 255);
    assert_nothing_got_through(&tally);
}

#[test]
fn signatures_from_many_untrusted_keys_are_refused() {
    let trusted = policy();
    let mut tried = 0;
    for seed in 0..64u8 {
        let stranger = SigningKey::from_bytes(&[seed; 32]);
        let mut envelope = sign_envelope(FIXTURE_MANIFEST, std::slice::from_ref(&stranger));
        assert_eq!(
            open_envelope(envelope.to_json().as_bytes(), &trusted, today()),
            Err(VerifyError::UntrustedKey)
        );
        // Claiming to be the trusted key does not help …
        envelope.signatures[0].keyid = fixture_key().public_key().key_id();
        assert_eq!(
            open_envelope(envelope.to_json().as_bytes(), &trusted, today()),
            Err(VerifyError::BadSignature)
        );
        // … nor does leaving the key id out.
        envelope.signatures[0].keyid.clear();
        assert_eq!(
            open_envelope(envelope.to_json().as_bytes(), &trusted, today()),
            Err(VerifyError::BadSignature)
        );
        tried += 3;
    }
    // All 64 strangers together are still no trusted signature.
    let strangers: Vec<SigningKey> = (0..64u8)
        .map(|s| SigningKey::from_bytes(&[s; 32]))
        .collect();
    let crowd = sign_envelope(FIXTURE_MANIFEST, &strangers);
    assert_eq!(
        open_envelope(crowd.to_json().as_bytes(), &trusted, today()),
        Err(VerifyError::UntrustedKey)
    );
    assert_eq!(tried + 1, 193);
}

#[test]
fn one_key_repeated_never_meets_a_threshold_of_two() {
    let key = fixture_key();
    let second = SigningKey::from_bytes(&[0x42; 32]);
    let policy = TrustPolicy::new(vec![key.public_key(), second.public_key()]).with_threshold(2);
    let single = sign_envelope(FIXTURE_MANIFEST, std::slice::from_ref(&key));
    let signature = single.signatures[0].clone();
    for copies in [2, 3, 10, 100] {
        // The same signature copied, with the key id, without it, and naming the other key.
        for keyid in [
            signature.keyid.clone(),
            String::new(),
            second.public_key().key_id(),
        ] {
            let mut envelope = single.clone();
            envelope.signatures = vec![
                EnvelopeSignature {
                    keyid: keyid.clone(),
                    sig: signature.sig.clone()
                };
                copies
            ];
            // Mix in the original, correctly labelled one as well.
            envelope.signatures.push(signature.clone());
            let result = open_envelope(envelope.to_json().as_bytes(), &policy, today());
            assert_eq!(
                result,
                Err(VerifyError::ThresholdNotMet {
                    required: 2,
                    verified: 1
                }),
                "{copies} copies with keyid {keyid:?}"
            );
        }
    }
    // Re-encoding the same signature differently (URL-safe, unpadded) is still the same key.
    let raw = STANDARD.decode(&signature.sig).expect("standard base64");
    let mut respelled = single.clone();
    respelled.signatures.push(EnvelopeSignature {
        keyid: String::new(),
        sig: base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw),
    });
    assert_eq!(
        open_envelope(respelled.to_json().as_bytes(), &policy, today()).map_err(|e| e.code()),
        Err("threshold_not_met")
    );
    // Both keys: accepted.
    let both = sign_envelope(FIXTURE_MANIFEST, &[key, second]);
    assert!(open_envelope(both.to_json().as_bytes(), &policy, today()).is_ok());
}

#[test]
fn payload_type_swaps_are_refused() {
    let key = fixture_key();
    let policy = policy();
    let genuine = sign_envelope(FIXTURE_MANIFEST, std::slice::from_ref(&key));
    let look_alikes = [
        "application/json",
        "application/vnd.in-toto+json",
        "text/plain",
        "",
        "APPLICATION/VND.TRUST-CENTER.MANIFEST+JSON",
        "application/vnd.trust-center.manifest+json ",
        " application/vnd.trust-center.manifest+json",
        "application/vnd.trust-center.manifest+json\u{0}",
        "application/vnd.trust-center.manifest+json; charset=utf-8",
        "application/vnd.trust-center.manifest+jsoN",
        // Cyrillic "а" instead of the Latin "a".
        "\u{0430}pplication/vnd.trust-center.manifest+json",
        "application/vnd.trust-center.manifest+json\u{200b}",
    ];
    for payload_type in look_alikes {
        // Relabelled envelope: the signature was made for the real type.
        let mut relabelled = genuine.clone();
        relabelled.payload_type = payload_type.to_owned();
        assert_eq!(
            open_envelope(relabelled.to_json().as_bytes(), &policy, today()).map_err(|e| e.code()),
            Err("wrong_payload_type"),
            "{payload_type:?}"
        );
        // Validly signed for the other type: still refused, before any cryptography.
        let signed_for_other = Envelope {
            payload_type: payload_type.to_owned(),
            payload: genuine.payload.clone(),
            signatures: vec![EnvelopeSignature {
                keyid: key.public_key().key_id(),
                sig: STANDARD.encode(key.sign_raw(&pae(payload_type, FIXTURE_MANIFEST))),
            }],
        };
        assert_eq!(
            open_envelope(signed_for_other.to_json().as_bytes(), &policy, today())
                .map_err(|e| e.code()),
            Err("wrong_payload_type"),
            "{payload_type:?}"
        );
    }
    // The signature really binds the type: PAE of another type never equals ours.
    for payload_type in look_alikes {
        assert_ne!(
            pae(payload_type, FIXTURE_MANIFEST),
            pae(PAYLOAD_TYPE, FIXTURE_MANIFEST)
        );
    }
    // A payloadType that is not a string at all.
    let raw = genuine.to_json().replace(
        &format!("\"payloadType\":\"{PAYLOAD_TYPE}\""),
        "\"payloadType\":[\"application/vnd.trust-center.manifest+json\"]",
    );
    assert_eq!(
        open_envelope(raw.as_bytes(), &policy, today()).map_err(|e| e.code()),
        Err("malformed_envelope")
    );
}

#[test]
fn duplicated_envelope_fields_are_refused_not_guessed() {
    // A JSON parser that keeps the first or the last duplicate could be shown a different payload
    // than the one checked; refusing duplicates removes that ambiguity.
    let genuine = sign_envelope(FIXTURE_MANIFEST, &[fixture_key()]);
    let other = sign_envelope(b"{\"schema_version\":1}", &[fixture_key()]);
    let json = genuine.to_json();
    let doubled_payload = json.replacen(
        "\"payload\":",
        &format!("\"payload\":\"{}\",\"payload\":", other.payload),
        1,
    );
    let doubled_type = json.replacen(
        "\"payloadType\":",
        "\"payloadType\":\"application/json\",\"payloadType\":",
        1,
    );
    for text in [doubled_payload, doubled_type] {
        assert_eq!(
            open_envelope(text.as_bytes(), &policy(), today()).map_err(|e| e.code()),
            Err("malformed_envelope"),
            "{text}"
        );
    }
}

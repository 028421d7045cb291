//! Hostile envelopes, part 2: inputs built to exhaust the parser rather than fool the signature —
//! deep nesting, huge documents and arrays just under the size limit, invalid UTF-8 and other
//! encodings, in the envelope and (correctly signed) in the payload. Every one must be refused
//! with an error, never a panic or a stack overflow, and never accepted.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use trust_manifest::*;

const FIXTURE_MANIFEST: &[u8] = include_bytes!("../../../tests/e2e/security/tamper-manifest.json");
const FIXTURE_SEED: [u8; 32] = *b"trust-center security fixture k1";

fn key() -> SigningKey {
    SigningKey::from_bytes(&FIXTURE_SEED)
}

fn today() -> Date {
    Date::from_ymd(2026, 11, 28).expect("valid date")
}

fn policy() -> TrustPolicy {
    TrustPolicy::new(vec![key().public_key()])
}

fn open(bytes: &[u8]) -> Result<VerifiedManifest, VerifyError> {
    open_envelope(bytes, &policy(), today())
}

/// Opens a correctly signed envelope around `payload`.
fn open_signed(payload: &[u8]) -> Result<VerifiedManifest, VerifyError> {
    open(sign_envelope(payload, &[key()]).to_json().as_bytes())
}

fn code(result: Result<VerifiedManifest, VerifyError>) -> &'static str {
    match result {
        Ok(_) => "accepted",
        Err(error) => error.code(),
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    for depth in [129, 1_000, 100_000, 500_000] {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        for nested in [&arrays, &objects] {
            if nested.len() > MAX_ENVELOPE_BYTES {
                assert_eq!(code(open(nested.as_bytes())), "too_large");
                continue;
            }
            // As the envelope itself, inside an unknown envelope field, and as a signed payload.
            assert_eq!(
                code(open(nested.as_bytes())),
                "malformed_envelope",
                "{depth}"
            );
            let hidden = format!(
                "{{\"payloadType\":\"{PAYLOAD_TYPE}\",\"payload\":\"e30=\",\"x\":{nested},\"signatures\":[]}}"
            );
            if hidden.len() <= MAX_ENVELOPE_BYTES {
                // Unknown envelope fields are skipped without recursion (so without a depth
                // limit): the envelope is read and refused for having no signature.
                let result = code(open(hidden.as_bytes()));
                assert!(
                    ["malformed_envelope", "no_signatures"].contains(&result),
                    "{depth}: {result}"
                );
            }
            let signed = sign_envelope(nested.as_bytes(), &[key()]).to_json();
            if signed.len() <= MAX_ENVELOPE_BYTES {
                assert_eq!(
                    code(open(signed.as_bytes())),
                    "malformed_manifest",
                    "{depth}"
                );
            }
            assert_eq!(
                parse_manifest(nested.as_bytes())
                    .map_err(|e| e.code())
                    .err(),
                Some("malformed_manifest")
            );
        }
    }
    // Deep nesting inside a field the manifest does not know is skipped without recursion: the
    // vendor signed it, it is read safely and it changes nothing that is shown.
    let text = std::str::from_utf8(FIXTURE_MANIFEST).expect("UTF-8");
    let deep_extra = text.replacen(
        "{\"schema_version\"",
        &format!(
            "{{\"extra\":{}{},\"schema_version\"",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
        1,
    );
    let verified = open_signed(deep_extra.as_bytes()).expect("signed and otherwise valid");
    assert_eq!(
        verified.manifest,
        parse_manifest(FIXTURE_MANIFEST).expect("fixture")
    );
}

#[test]
fn huge_documents_under_the_limit_are_handled_and_over_it_refused_unread() {
    // One giant string as the payload type: refused before base64 or cryptography.
    let giant_type = format!(
        "{{\"payloadType\":\"{}\",\"payload\":\"\",\"signatures\":[]}}",
        "a".repeat(MAX_ENVELOPE_BYTES - 64)
    );
    assert_eq!(code(open(giant_type.as_bytes())), "wrong_payload_type");

    // Tens of thousands of signatures naming unknown keys: no cryptography, refused.
    let genuine = sign_envelope(FIXTURE_MANIFEST, &[key()]);
    let mut crowd = genuine.clone();
    crowd.signatures = vec![
        EnvelopeSignature {
            keyid: "0".repeat(64),
            sig: genuine.signatures[0].sig.clone(),
        };
        6_000
    ];
    let crowd_json = crowd.to_json();
    assert!(crowd_json.len() <= MAX_ENVELOPE_BYTES);
    assert_eq!(code(open(crowd_json.as_bytes())), "untrusted_key");

    // A signed payload with a 700 kB array of numbers and a 700 kB string in unknown fields.
    let text = std::str::from_utf8(FIXTURE_MANIFEST).expect("UTF-8");
    let numbers = vec!["1"; 170_000].join(",");
    let wide = text.replacen("{", &format!("{{\"extra\":[{numbers}],"), 1);
    let signed = sign_envelope(wide.as_bytes(), &[key()]).to_json();
    assert!(signed.len() <= MAX_ENVELOPE_BYTES, "{}", signed.len());
    // Unknown fields are ignored: the signed content is still the vendor's manifest.
    assert!(code(open(signed.as_bytes())) == "accepted");
    let long_name = text.replacen("Tamper Test Ltd", &"N".repeat(MAX_ENVELOPE_BYTES / 2), 1);
    let verified = open_signed(long_name.as_bytes()).expect("signed, within the limit");
    assert_eq!(
        verified.manifest.organization.name.len(),
        MAX_ENVELOPE_BYTES / 2
    );

    // One byte over the limit: refused by size, whatever the content.
    let mut over = genuine.to_json().into_bytes();
    over.resize(MAX_ENVELOPE_BYTES + 1, b' ');
    assert_eq!(code(open(&over)), "too_large");
    let mut far_over = genuine.to_json().into_bytes();
    far_over.resize(64 * MAX_ENVELOPE_BYTES, b' ');
    assert_eq!(code(open(&far_over)), "too_large");
    // A huge number in an unknown envelope field is skipped as syntax, never evaluated.
    let huge_number = format!(
        "{{\"payloadType\":\"{PAYLOAD_TYPE}\",\"payload\":\"e30=\",\"n\":1e999999,\"signatures\":[]}}"
    );
    assert_eq!(code(open(huge_number.as_bytes())), "no_signatures");
    // A manifest version beyond u64 or negative: refused after the signature.
    for version in ["18446744073709551616", "-1", "1.5", "1e3", "\"3\""] {
        let odd = text.replacen("\"version\":3", &format!("\"version\":{version}"), 1);
        assert_eq!(
            code(open_signed(odd.as_bytes())),
            "malformed_manifest",
            "{version}"
        );
    }
}

#[test]
fn invalid_utf8_is_refused_in_the_envelope_and_in_the_payload() {
    let genuine = sign_envelope(FIXTURE_MANIFEST, &[key()]).to_json();
    let bad_sequences: [&[u8]; 8] = [
        b"\xff",
        b"\xc0\xaf",             // overlong '/'
        b"\xe0\x80\xaf",         // overlong '/', three bytes
        b"\xed\xa0\x80",         // UTF-16 surrogate encoded in UTF-8
        b"\xf4\x90\x80\x80",     // above U+10FFFF
        b"\xc3",                 // truncated sequence
        b"\x80",                 // lone continuation byte
        b"\xf8\x88\x80\x80\x80", // five-byte form
    ];
    let mut tried = 0;
    for sequence in bad_sequences {
        // Inside the payloadType string, the keyid and an unknown field of the envelope.
        for anchor in ["manifest+json", "\"keyid\":\"", "{"] {
            let at = genuine.find(anchor).expect("anchor") + anchor.len();
            let mut bytes = genuine.as_bytes()[..at].to_vec();
            if anchor == "{" {
                bytes.extend_from_slice(b"\"note\":\"");
                bytes.extend_from_slice(sequence);
                bytes.extend_from_slice(b"\",");
            } else {
                bytes.extend_from_slice(sequence);
            }
            bytes.extend_from_slice(&genuine.as_bytes()[at..]);
            assert_eq!(
                code(open(&bytes)),
                "malformed_envelope",
                "{sequence:?} at {anchor}"
            );
            tried += 1;
        }
        // Correctly signed payload bytes that are not UTF-8.
        let text = std::str::from_utf8(FIXTURE_MANIFEST).expect("UTF-8");
        let at = text.find("Tamper").expect("name");
        let mut payload = FIXTURE_MANIFEST[..at].to_vec();
        payload.extend_from_slice(sequence);
        payload.extend_from_slice(&FIXTURE_MANIFEST[at..]);
        assert_eq!(
            code(open_signed(&payload)),
            "malformed_manifest",
            "{sequence:?}"
        );
        tried += 1;
    }
    // Escaped lone surrogates are not valid text either.
    let text = std::str::from_utf8(FIXTURE_MANIFEST).expect("UTF-8");
    for escape in ["\\ud800", "\\udfff", "\\ud800\\u0041"] {
        let payload = text.replacen("Tamper", escape, 1);
        assert_eq!(
            code(open_signed(payload.as_bytes())),
            "malformed_manifest",
            "{escape}"
        );
        tried += 1;
    }
    // UTF-16 and UTF-32 encodings of a valid envelope, and a byte-order mark in front of it.
    let utf16: Vec<u8> = genuine.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf32: Vec<u8> = genuine
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(genuine.as_bytes());
    for bytes in [utf16, utf32, bom] {
        assert_eq!(code(open(&bytes)), "malformed_envelope");
        tried += 1;
    }
    assert_eq!(tried, 8 * 4 + 3 + 3);
}

#[test]
fn nul_bytes_and_control_characters_cannot_smuggle_a_second_document() {
    let genuine = sign_envelope(FIXTURE_MANIFEST, &[key()]).to_json();
    // Trailing data after the envelope: refused rather than ignored.
    for tail in ["\0{}", "{}", "x", "\n{\"payloadType\":\"x\"}"] {
        let text = format!("{genuine}{tail}");
        assert_eq!(
            code(open(text.as_bytes())),
            "malformed_envelope",
            "{tail:?}"
        );
    }
    // Trailing whitespace is fine.
    assert_eq!(code(open(format!("{genuine} \n").as_bytes())), "accepted");
    // A NUL byte in the base64 payload.
    let payload_start = genuine.find("\"payload\":\"").expect("payload") + 11;
    let mut nul = genuine.as_bytes().to_vec();
    nul.insert(payload_start + 4, 0);
    assert_ne!(code(open(&nul)), "accepted");
    // A signed payload followed by a second JSON document is not a manifest.
    let mut two = FIXTURE_MANIFEST.to_vec();
    two.extend_from_slice(b"{\"schema_version\":1}");
    assert_eq!(code(open_signed(&two)), "malformed_manifest");
    // Base64 with embedded line breaks (MIME style) is refused.
    let wrapped = STANDARD
        .encode(FIXTURE_MANIFEST)
        .as_bytes()
        .chunks(76)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("\\n");
    let mut envelope = sign_envelope(FIXTURE_MANIFEST, &[key()]);
    envelope.payload = wrapped.replace("\\n", "\n");
    assert_eq!(code(open(envelope.to_json().as_bytes())), "invalid_base64");
}

//! RFC 8032 section 7.1 Ed25519 test vectors (TEST 1, 2 and 3): our signing key derivation,
//! signatures and strict verification reproduce the published values byte for byte.

use trust_manifest::{PublicKey, SigningKey};

struct Vector {
    name: &'static str,
    secret: &'static str,
    public: &'static str,
    message: &'static str,
    signature: &'static str,
}

const VECTORS: [Vector; 3] = [
    Vector {
        name: "TEST 1",
        secret: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        public: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        message: "",
        signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    },
    Vector {
        name: "TEST 2",
        secret: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        public: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        message: "72",
        signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    },
    Vector {
        name: "TEST 3",
        secret: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        public: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        message: "af82",
        signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    },
];

fn unhex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex length");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex digit"))
        .collect()
}

fn array32(text: &str) -> [u8; 32] {
    unhex(text).try_into().expect("32 bytes")
}

#[test]
fn signing_reproduces_the_published_keys_and_signatures() {
    for v in &VECTORS {
        let key = SigningKey::from_bytes(&array32(v.secret));
        assert_eq!(key.to_bytes(), array32(v.secret), "{}", v.name);
        assert_eq!(
            key.public_key().to_bytes(),
            array32(v.public),
            "{}: public key",
            v.name
        );
        let signature = key.sign_raw(&unhex(v.message));
        assert_eq!(
            signature.to_vec(),
            unhex(v.signature),
            "{}: signature",
            v.name
        );
    }
}

#[test]
fn strict_verification_accepts_the_published_signatures_and_nothing_else() {
    for v in &VECTORS {
        let public = PublicKey::from_bytes(&array32(v.public)).expect("valid public key");
        let message = unhex(v.message);
        let signature = unhex(v.signature);
        assert!(public.verify_raw(&message, &signature), "{}", v.name);

        let mut other_message = message.clone();
        other_message.push(0);
        assert!(
            !public.verify_raw(&other_message, &signature),
            "{}: longer message",
            v.name
        );
        let mut flipped = signature.clone();
        flipped[0] ^= 1;
        assert!(
            !public.verify_raw(&message, &flipped),
            "{}: flipped R",
            v.name
        );
        let mut flipped = signature.clone();
        flipped[40] ^= 1;
        assert!(
            !public.verify_raw(&message, &flipped),
            "{}: flipped S",
            v.name
        );
        assert!(
            !public.verify_raw(&message, &signature[..63]),
            "{}: short",
            v.name
        );
    }
}

#[test]
fn key_id_is_the_sha256_of_the_raw_public_key() {
    // SHA-256 of the TEST 1 public key bytes, computed independently with `sha256sum`.
    let public = PublicKey::from_bytes(&array32(VECTORS[0].public)).expect("valid public key");
    assert_eq!(public.key_id(), EXPECTED_TEST1_KEY_ID);
    assert_eq!(public.short_fingerprint(), &EXPECTED_TEST1_KEY_ID[..16]);
}

const EXPECTED_TEST1_KEY_ID: &str =
    "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9";

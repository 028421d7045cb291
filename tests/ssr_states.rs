//! SSR tests of the load states: skeleton while loading, the error panel's precise reasons (and no
//! claims), configuration errors naming the attribute, and the mapping of every verification error.

mod core_support;

use core_support::{render, render_with, text};
use trust_center_widget::app::{App, AppProps, StateView, StateViewProps};
use trust_center_widget::components::error_panel::{self, ErrorPanelProps};
use trust_center_widget::config::Config;
use trust_center_widget::i18n::Tr;
use trust_center_widget::state::{LoadError, LoadState};
use trust_manifest::{DecodeError, DecodeProblem, VerifyError};

const KEY: &str = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

#[test]
fn app_with_bad_attribute_shows_which_attribute() {
    let config = Config::from_attributes(|name| match name {
        "manifest" => Some("/.well-known/trust-center.json".to_owned()),
        "public-key" => Some(KEY.to_owned()),
        "theme" => Some("neon".to_owned()),
        _ => None,
    });
    let html = render::<App>(AppProps {
        language: None,
        config,
        on_state: Default::default(),
    });
    let words = text(&html);
    assert!(
        words.contains("The \"theme\" attribute needs fixing"),
        "{words}"
    );
    assert!(
        words.contains("must be \"light\", \"dark\" or \"auto\""),
        "{words}"
    );
    assert!(html.contains("data-error-code=\"config\""), "{html}");
    assert!(!words.contains("Verified:"), "{words}");
}

#[test]
fn app_starts_with_skeleton_and_live_region() {
    let config = Config::from_attributes(|name| match name {
        "manifest" => Some("/m.json".to_owned()),
        "public-key" => Some(KEY.to_owned()),
        "lang" => Some("en-GB".to_owned()),
        "theme" => Some("dark".to_owned()),
        _ => None,
    });
    let html = render::<App>(AppProps {
        language: None,
        config,
        on_state: Default::default(),
    });
    assert!(
        html.contains("aria-hidden=\"true\" class=\"tc-skeleton\""),
        "{html}"
    );
    assert!(
        html.contains("role=\"status\" aria-live=\"polite\""),
        "{html}"
    );
    assert!(text(&html).contains("Loading and verifying"), "{html}");
    assert!(html.contains("lang=\"en-GB\""), "{html}");
    assert!(html.contains("data-theme=\"dark\""), "{html}");
}

#[test]
fn every_verification_error_has_a_code_title_and_plain_reason() {
    let expires_at = "2026-10-31".parse().unwrap();
    let cases = [
        (
            VerifyError::TooLarge {
                size: 2_000_000,
                limit: 1_048_576,
            },
            "too_large",
            "too large",
        ),
        (
            VerifyError::MalformedEnvelope(DecodeError::new(
                "payload".into(),
                DecodeProblem::Missing,
            )),
            "malformed_envelope",
            "malformed",
        ),
        (
            VerifyError::WrongPayloadType { found: "x".into() },
            "wrong_payload_type",
            "malformed",
        ),
        (
            VerifyError::InvalidBase64 {
                field: "payload".into(),
            },
            "invalid_base64",
            "malformed",
        ),
        (VerifyError::NoSignatures, "no_signatures", "not signed"),
        (
            VerifyError::UntrustedKey,
            "untrusted_key",
            "Not signed by the pinned key",
        ),
        (VerifyError::BadSignature, "bad_signature", "altered"),
        (
            VerifyError::ThresholdNotMet {
                required: 2,
                verified: 1,
            },
            "threshold_not_met",
            "Not enough trusted signatures",
        ),
        (
            VerifyError::MalformedManifest(DecodeError::new(
                "version".into(),
                DecodeProblem::Duplicate,
            )),
            "malformed_manifest",
            "malformed",
        ),
        (
            VerifyError::UnsupportedSchemaVersion { found: 2 },
            "unsupported_schema_version",
            "Unsupported manifest version",
        ),
        (VerifyError::Expired { expires_at }, "expired", "expired"),
    ];
    for (error, code, title_part) in cases {
        let load_error = LoadError::verify(&error);
        assert_eq!(load_error.code, code);
        let english = Tr::english();
        assert!(
            load_error.title(english).contains(title_part),
            "{code}: {}",
            load_error.title(english)
        );
        // The English page says what the manifest crate says (trustctl prints the same words).
        assert_eq!(load_error.detail(english), error.to_string());
        assert!(!load_error.retryable, "{code}");
    }
}

#[test]
fn error_panel_states_reason_and_shows_no_claims() {
    let html = render_with(
        error_panel::view,
        ErrorPanelProps {
            error: LoadError::verify(&VerifyError::UntrustedKey),
            on_retry: Some(Default::default()),
        },
    );
    let words = text(&html);
    assert!(html.contains("role=\"alert\""));
    assert!(words.contains("Not verified"), "{words}");
    assert!(words.contains("Not signed by the pinned key"), "{words}");
    assert!(words.contains("not with a key this page trusts"), "{words}");
    assert!(words.contains("No security claims are shown"), "{words}");
    assert!(words.contains("Error code: untrusted_key"), "{words}");
    assert!(!words.contains("Try again"), "not retryable: {words}");
}

#[test]
fn network_and_server_errors_offer_retry_and_name_the_status() {
    let html = render_with(
        error_panel::view,
        ErrorPanelProps {
            error: LoadError::http_status(
                "/.well-known/trust-center.json",
                503,
                "Service Unavailable",
            ),
            on_retry: Some(Default::default()),
        },
    );
    let words = text(&html);
    assert!(
        words.contains("The server answered HTTP 503 Service Unavailable"),
        "{words}"
    );
    assert!(words.contains("Try again"), "{words}");

    let not_found = LoadError::http_status("/x.json", 404, "Not Found");
    assert_eq!(not_found.code, "http_status");
    assert!(!not_found.retryable);

    let network = LoadError::network("/x.json", "Failed to fetch");
    assert_eq!(network.code, "network");
    assert!(network.retryable);
    assert!(network.detail(Tr::english()).contains("Failed to fetch"));
}

#[test]
fn state_view_live_region_announces_failure() {
    let html = render::<StateView>(StateViewProps {
        state: LoadState::Failed(LoadError::too_large(2_000_000, 1_048_576)),
        on_state: Default::default(),
        on_retry: None,
    });
    let words = text(&html);
    assert!(
        words.contains("Not verified: The trust-center file is too large"),
        "{words}"
    );
    assert!(words.contains("2000000 bytes"), "{words}");
    assert_eq!(LoadState::Loading.data_state(), "loading");
}

/// The same mistake gets the same message as in trustctl: the error panel shows exactly the
/// `Display` of the library's `DecodeError` for the signed fixture with one broken field
/// (trustctl's side is `crates/trustctl/tests/lint.rs`, on the same files).
#[test]
fn error_panel_shows_the_libraries_message_for_a_broken_field() {
    const ENVELOPE: &str =
        include_str!("../crates/manifest/tests/fixtures/broken-field-envelope.json");
    const PUBLIC_KEY: &str = include_str!("e2e/security/tamper-key.pub");
    let key = trust_manifest::PublicKey::from_base64(PUBLIC_KEY.trim()).unwrap();
    let policy = trust_manifest::TrustPolicy::new(vec![key]);
    let today = "2026-11-28".parse().unwrap();
    let error = trust_manifest::open_envelope(ENVELOPE.as_bytes(), &policy, today).unwrap_err();
    let VerifyError::MalformedManifest(decode_error) = &error else {
        panic!("{error:?}");
    };
    let message = decode_error.to_string();
    assert_eq!(
        message,
        "documents[0].access: expected one of \"public\", \"nda\", found the string \"everyone\""
    );
    let html = render_with(
        error_panel::view,
        ErrorPanelProps {
            error: LoadError::verify(&error),
            on_retry: None,
        },
    );
    let words = text(&html);
    assert!(words.contains(&message), "{words}");
    assert!(words.contains("Error code: malformed_manifest"), "{words}");
    assert!(words.contains("No security claims are shown"), "{words}");
}

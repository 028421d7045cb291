//! `trustctl verify --page URL`: the procurement check of a live trust page. Downloads the page,
//! finds its `<trust-center>` elements ([`crate::page`]), downloads each envelope the way the
//! widget would (resolved against the page, the same 1 MiB limit) and verifies it against the keys
//! the page pins, printing what a visitor would see. With `--public-key` (keys obtained through a
//! trusted channel), the page's pins must be exactly those keys, and the envelope must also verify
//! against them: a page whose pins were swapped along with its manifest fails the check.

use std::time::Duration;

use trust_manifest::{evaluate, open_envelope, Date, PublicKey, StatusPolicy, TrustPolicy};
use url::Url;

use crate::cli::VerifyArgs;
use crate::commands::verify::print_details;
use crate::exit::{verify_code, CliError, CliResult, IO, OK, PROBLEMS_FOUND, UNTRUSTED, USAGE};
use crate::input::download;
use crate::keys::load_trusted_keys;
use crate::page::{embedded_widgets, WidgetSettings};
use crate::report::print_status;

/// Pages larger than this are refused (the widget's envelope limit is 1 MiB; pages are bigger).
const MAX_PAGE_BYTES: u64 = 8 * 1024 * 1024;

/// Verifies every widget on the page at `page`.
pub fn run(args: &VerifyArgs, page: &str, today: Date) -> CliResult<u8> {
    if args.json {
        return Err(CliError::usage(
            "--json is not available with --page; verify the envelope it names with --url … --json",
        ));
    }
    let trusted = if args.public_keys.is_empty() {
        None
    } else {
        Some(load_trusted_keys(&args.public_keys, args.threshold)?)
    };
    let (page_url, html) = download_page(page)?;
    say!("Page: {page_url}");
    let widgets = embedded_widgets(&html, &page_url);
    if widgets.is_empty() {
        return Err(CliError::new(
            PROBLEMS_FOUND,
            format!(
                "{page_url} has no <trust-center> element: visitors see no verified trust page"
            ),
        )
        .with_hint(
            "the element must be in the HTML the server sends, not only added later by a script",
        ));
    }
    let mut first_failure: Option<CliError> = None;
    let count = widgets.len();
    for (index, widget) in widgets.into_iter().enumerate() {
        say!();
        say!(
            "<trust-center> {} of {count}: manifest=\"{}\"",
            index + 1,
            inert(widget.manifest_attribute.as_deref().unwrap_or(""))
        );
        let outcome = match widget.settings {
            Ok(settings) => check_widget(&settings, trusted.as_deref(), args.threshold, today),
            Err(problem) => {
                let problem = inert(&problem);
                say!("✗ NOT VERIFIED: the widget shows a configuration error: {problem}");
                Err(CliError::new(
                    PROBLEMS_FOUND,
                    format!(
                        "<trust-center> {} of {count} on {page_url}: {problem}",
                        index + 1
                    ),
                ))
            }
        };
        if let Err(error) = outcome {
            first_failure.get_or_insert(error);
        }
    }
    match first_failure {
        Some(error) => Err(error),
        None => Ok(OK),
    }
}

/// One widget: its pins, the comparison with the trusted keys, and both verifications.
fn check_widget(
    settings: &WidgetSettings,
    trusted: Option<&[PublicKey]>,
    trusted_threshold: usize,
    today: Date,
) -> CliResult<()> {
    say!("  Envelope:       {}", settings.manifest_url);
    say!(
        "  Page pins:      {} key{} (threshold {})",
        settings.pinned_keys.len(),
        if settings.pinned_keys.len() == 1 {
            ""
        } else {
            "s"
        },
        settings.threshold
    );
    for key in &settings.pinned_keys {
        say!("    keyid {}", key.key_id());
    }
    let mismatch = trusted.and_then(|trusted| pin_mismatch(&settings.pinned_keys, trusted));
    match (trusted, &mismatch) {
        (None, _) => say!(
            "  Trusted keys:   none given; the page's own pins are checked (pass --public-key to compare)"
        ),
        (Some(_), None) => say!("  Trusted keys:   ✓ the page pins exactly the key(s) you gave"),
        (Some(_), Some(text)) => say!("  Trusted keys:   ✗ MISMATCH: {text}"),
    }

    let input = download(settings.manifest_url.as_str())?;
    input.check_size()?;
    say!();
    let visitor = TrustPolicy::new(settings.pinned_keys.clone()).with_threshold(settings.threshold);
    let visitor_result = open_envelope(&input.bytes, &visitor, today);
    match &visitor_result {
        Ok(verified) => {
            say!("What a visitor sees: ✓ VERIFIED");
            print_details(verified, settings.threshold, today);
            say!();
            print_status(&evaluate(
                &verified.manifest,
                today,
                &StatusPolicy::default(),
            ));
        }
        Err(error) => {
            say!("What a visitor sees: ✗ NOT VERIFIED, no claims are shown: {error}");
        }
    }

    if let (Some(trusted), Some(_)) = (trusted, &mismatch) {
        // The visitor's result says nothing about the keys you trust: check those as well.
        let yours = TrustPolicy::new(trusted.to_vec()).with_threshold(trusted_threshold);
        match open_envelope(&input.bytes, &yours, today) {
            Ok(_) => say!("Against your trusted key(s): ✓ signed by them"),
            Err(error) => say!("Against your trusted key(s): ✗ {error}"),
        }
    }

    if let Err(error) = visitor_result {
        return Err(CliError::verify(settings.manifest_url.as_str(), &error));
    }
    if let Some(text) = mismatch {
        return Err(CliError::new(
            UNTRUSTED,
            format!(
                "{}: the page's pinned keys are not the ones you trust: {text}",
                settings.manifest_url
            ),
        )
        .with_hint("ask the vendor through a trusted channel which keys their page should pin"));
    }
    if let Some(trusted) = trusted {
        let yours = TrustPolicy::new(trusted.to_vec()).with_threshold(trusted_threshold);
        if let Err(error) = open_envelope(&input.bytes, &yours, today) {
            return Err(CliError::new(
                verify_code(&error),
                format!(
                    "{}: against your trusted key(s): {error}",
                    settings.manifest_url
                ),
            ));
        }
    }
    Ok(())
}

/// Why the page's pins are not the trusted keys, or `None` when they are the same set.
fn pin_mismatch(pinned: &[PublicKey], trusted: &[PublicKey]) -> Option<String> {
    let extra: Vec<String> = pinned
        .iter()
        .filter(|key| !trusted.contains(key))
        .map(|key| key.key_id())
        .collect();
    let missing: Vec<String> = trusted
        .iter()
        .filter(|key| !pinned.contains(key))
        .map(|key| key.key_id())
        .collect();
    let mut parts = Vec::new();
    if !extra.is_empty() {
        parts.push(format!(
            "the page pins keyid {} that you did not give",
            extra.join(", ")
        ));
    }
    if !missing.is_empty() {
        parts.push(format!(
            "the page does not pin your keyid {}",
            missing.join(", ")
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Text from the page (attribute values) made inert for a terminal: control characters, including
/// escape sequences, and bidirectional overrides are shown escaped (`\u{1b}`), never sent raw.
fn inert(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Downloads the page (http:// or https://, up to five redirects) and returns its final address
/// (the base for relative addresses) and its text.
fn download_page(page: &str) -> CliResult<(Url, String)> {
    let url = Url::parse(page)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .ok_or_else(|| {
            CliError::new(
                USAGE,
                format!("--page {page}: give the page's full http:// or https:// address"),
            )
        })?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .max_redirects(5)
        .user_agent(concat!("trustctl/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent.get(url.as_str()).call().map_err(|error| {
        let reason = match error {
            ureq::Error::StatusCode(status) => format!("the server answered HTTP {status}"),
            other => other.to_string(),
        };
        CliError::new(IO, format!("cannot download the page {url}: {reason}"))
    })?;
    let final_url = {
        use ureq::ResponseExt as _;
        Url::parse(&response.get_uri().to_string()).unwrap_or(url)
    };
    let html = response
        .body_mut()
        .with_config()
        .limit(MAX_PAGE_BYTES)
        .read_to_string()
        .map_err(|error| CliError::new(IO, format!("cannot read the page {final_url}: {error}")))?;
    Ok((final_url, html))
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn page_text_cannot_drive_the_terminal() {
        assert_eq!(inert("/a.json"), "/a.json");
        assert_eq!(inert("/a\u{1b}[2J.json"), "/a\\u{1b}[2J.json");
        assert_eq!(inert("x\u{202e}y\r\n"), "x\\u{202e}y\\u{d}\\u{a}");
    }
}

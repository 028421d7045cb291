//! Renders the verified trust page of a signed envelope to one static HTML file with Yew's
//! server-side renderer, using the widget's own components. `scripts/bench.sh` loads this file in
//! headless Chromium as the "static HTML" baseline for the time-to-verified-page benchmark: the
//! same markup and the same stylesheet inside the same open shadow root (declarative shadow DOM),
//! but no JavaScript, no WebAssembly and no verification in the browser.
//!
//! ```text
//! cargo run --example render_static -- --envelope signed.json --public-key BASE64 \
//!     --today 2026-11-28 --stylesheet /dist/trust-center.css --out static.html [--dev]
//! ```

use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use trust_center_widget::app::StateView;
use trust_center_widget::state::{LoadState, VerifiedPage};
use trust_manifest::{open_envelope, Date, PublicKey, TrustPolicy};
use yew::prelude::*;

/// What the command line asked for.
struct Options {
    envelope: PathBuf,
    public_keys: Vec<String>,
    today: Date,
    stylesheet: String,
    out: PathBuf,
    dev: bool,
}

const USAGE: &str = "usage: render_static --envelope FILE --public-key BASE64 [--public-key …] \
                     --today YYYY-MM-DD --stylesheet URL --out FILE [--dev]";

fn parse_options(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let (mut envelope, mut today, mut stylesheet, mut out) = (None, None, None, None);
    let mut public_keys = Vec::new();
    let mut dev = false;
    while let Some(arg) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--envelope" => envelope = Some(PathBuf::from(value()?)),
            "--public-key" => public_keys.push(value()?),
            "--today" => {
                let text = value()?;
                today = Some(
                    text.parse::<Date>()
                        .map_err(|error| format!("--today {text:?} is not a date: {error}"))?,
                );
            }
            "--stylesheet" => stylesheet = Some(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--dev" => dev = true,
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let missing = |name: &str| format!("{name} is required\n{USAGE}");
    if public_keys.is_empty() {
        return Err(missing("--public-key"));
    }
    Ok(Options {
        envelope: envelope.ok_or_else(|| missing("--envelope"))?,
        public_keys,
        today: today.ok_or_else(|| missing("--today"))?,
        stylesheet: stylesheet.ok_or_else(|| missing("--stylesheet"))?,
        out: out.ok_or_else(|| missing("--out"))?,
        dev,
    })
}

/// Props of [`StaticPage`].
#[derive(Properties, PartialEq, Clone)]
struct StaticPageProps {
    page: Rc<VerifiedPage>,
}

/// The same tree the widget's root component renders once the manifest is verified.
#[component]
fn StaticPage(props: &StaticPageProps) -> Html {
    html! {
        <div class="tc-root" lang="en" data-theme="auto">
            <StateView state={LoadState::Verified(props.page.clone())} />
        </div>
    }
}

/// Escapes text for a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

fn render(options: &Options) -> Result<String, String> {
    let bytes = std::fs::read(&options.envelope)
        .map_err(|error| format!("cannot read {}: {error}", options.envelope.display()))?;
    let keys = options
        .public_keys
        .iter()
        .map(|key| {
            PublicKey::from_base64(key).map_err(|error| format!("public key {key:?}: {error}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let verified =
        open_envelope(&bytes, &TrustPolicy::new(keys), options.today).map_err(|error| {
            format!(
                "{} did not verify, so there is nothing to render: {error}",
                options.envelope.display()
            )
        })?;
    let title = format!("{} — trust center", verified.manifest.organization.name);
    let page = Rc::new(VerifiedPage::from_verified(
        verified,
        options.today,
        options.dev,
    ));
    let markup = futures::executor::block_on(
        yew::LocalServerRenderer::<StaticPage>::with_props(StaticPageProps { page })
            .hydratable(false)
            .render(),
    );
    Ok(format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n</head>\n<body>\n<main id=\"host\">\n\
         <trust-center data-state=\"verified\"><template shadowrootmode=\"open\">\
         <link rel=\"stylesheet\" href=\"{}\"><div class=\"tc-mount\">{markup}</div>\
         </template></trust-center>\n</main>\n</body>\n</html>\n",
        attribute(&title),
        attribute(&options.stylesheet),
    ))
}

fn main() -> ExitCode {
    let result = parse_options(std::env::args().skip(1)).and_then(|options| {
        let html = render(&options)?;
        std::fs::write(&options.out, html.as_bytes())
            .map_err(|error| format!("cannot write {}: {error}", options.out.display()))?;
        println!("wrote {} ({} bytes)", options.out.display(), html.len());
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("render_static: {message}");
            ExitCode::FAILURE
        }
    }
}

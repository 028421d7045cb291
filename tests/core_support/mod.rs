//! Shared helpers for the widget-core SSR tests: the demo manifest as a fixture, dates, and a
//! native server-side renderer.
#![allow(dead_code)]

use std::rc::Rc;

use trust_center_widget::state::VerifiedPage;
use trust_manifest::{Date, Manifest};
use yew::{function_component, BaseComponent, Html, LocalServerRenderer, Properties};

/// 2026-11-28, the project's "today".
pub fn today() -> Date {
    day("2026-11-28")
}

/// Parses `YYYY-MM-DD`.
pub fn day(text: &str) -> Date {
    text.parse().unwrap()
}

/// The demo vendor's manifest (public/demo/manifest.json), read by the decoder the widget itself
/// uses (`trust_manifest::parse_manifest`), so a fixture the widget would refuse fails here too.
pub fn demo_manifest() -> Manifest {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/public/demo/manifest.json"
    ))
    .unwrap();
    trust_manifest::parse_manifest(&bytes).unwrap()
}

/// A verified page for `manifest` as of `today` (dev mode: loopback links allowed).
pub fn page(manifest: Manifest, today: Date) -> Rc<VerifiedPage> {
    Rc::new(VerifiedPage::new(
        manifest,
        vec!["3f1c2a9be4d07788aa55c3e1d2f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7".to_owned()],
        "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9".to_owned(),
        today,
        true,
    ))
}

/// Renders a component to an HTML string natively.
pub fn render<C>(props: C::Properties) -> String
where
    C: BaseComponent,
{
    futures::executor::block_on(
        LocalServerRenderer::<C>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

/// Props of [`ViewHost`]: the view to call.
#[derive(Properties)]
pub struct ViewHostProps {
    view: Rc<dyn Fn() -> Html>,
}

impl PartialEq for ViewHostProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.view, &other.view)
    }
}

/// The one test-only component: hosts a plain view function (the widget renders most pieces
/// with functions, not components) so the SSR renderer can render it.
#[function_component]
fn ViewHost(props: &ViewHostProps) -> Html {
    (props.view)()
}

/// Renders `view(&props)` to an HTML string natively, through [`ViewHost`].
pub fn render_with<P: 'static>(view: fn(&P) -> Html, props: P) -> String {
    render::<ViewHost>(ViewHostProps {
        view: Rc::new(move || view(&props)),
    })
}

/// Text content only (tags stripped, entities for quotes/ampersands decoded), whitespace collapsed.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

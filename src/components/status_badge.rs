//! `StatusBadge`: a framework status as icon + words + colour (colour is never the only signal).

use trust_manifest::StatusLevel;
use yew::prelude::*;

use crate::components::class_attr::with_class;
use crate::i18n::{Msg, Tr};

/// The badge's classes (colour) and icon for a status level.
pub fn level_style(level: &StatusLevel) -> (&'static str, &'static str) {
    match level {
        StatusLevel::Current => ("tc-badge tc-badge--ok", "✓"),
        StatusLevel::ExpiringSoon => ("tc-badge tc-badge--warn", "!"),
        StatusLevel::Attention => ("tc-badge tc-badge--warn", "!"),
        StatusLevel::Expired => ("tc-badge tc-badge--bad", "✕"),
        StatusLevel::NotValid => ("tc-badge tc-badge--bad", "✕"),
        StatusLevel::InProgress => ("tc-badge tc-badge--progress", "◔"),
        StatusLevel::NotStarted => ("tc-badge tc-badge--neutral", "–"),
        StatusLevel::NotDeclared => ("tc-badge tc-badge--neutral", "–"),
    }
}

/// A pill showing a status: `level` drives colour and icon, `headline` is the words (e.g.
/// "Current"). A plain function, not a component: it has no state, and a component's lifecycle
/// code would cost more wasm than its markup.
pub fn status_badge(level: StatusLevel, headline: &str) -> Html {
    let (class, icon) = level_style(&level);
    let badge = html! {
        <span class="tc-badge">
            <span class="tc-badge__icon" aria-hidden="true">{icon}</span>
            {headline.to_owned()}
        </span>
    };
    with_class(badge, class)
}

/// A list of status findings (label word + message; colour is an extra cue), skipping the codes
/// in `hide_codes` because the card already shows them in another form.
pub fn findings_list(tr: Tr, findings: &[trust_manifest::Finding], hide_codes: &[&str]) -> Html {
    let mut items = Vec::new();
    for finding in findings {
        if hide_codes.contains(&finding.code) {
            continue;
        }
        items.push({
            let (class, label) = match finding.severity {
                trust_manifest::Severity::Error => {
                    ("tc-finding tc-finding--bad", Msg::FindingProblem)
                }
                trust_manifest::Severity::Warning => {
                    ("tc-finding tc-finding--warn", Msg::FindingWarning)
                }
                trust_manifest::Severity::Info => ("tc-finding tc-finding--info", Msg::FindingNote),
            };
            let item = html! {
                <li data-code={finding.code} class="tc-finding">
                    <span class="tc-finding__label">{tr.get(label)}</span>
                    <span>{crate::i18n::status_text::render(tr, &finding.message)}</span>
                </li>
            };
            with_class(item, class)
        });
    }
    if items.is_empty() {
        return Html::default();
    }
    html! { <ul class="tc-findings">{items}</ul> }
}

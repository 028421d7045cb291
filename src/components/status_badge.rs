//! `StatusBadge`: a framework status as icon + words + colour (colour is never the only signal).

use trust_manifest::StatusLevel;
use yew::prelude::*;

/// CSS modifier and icon for a status level.
pub fn level_style(level: &StatusLevel) -> (&'static str, &'static str) {
    match level {
        StatusLevel::Current => ("ok", "✓"),
        StatusLevel::ExpiringSoon => ("warn", "!"),
        StatusLevel::Attention => ("warn", "!"),
        StatusLevel::Expired => ("bad", "✕"),
        StatusLevel::NotValid => ("bad", "✕"),
        StatusLevel::InProgress => ("progress", "◔"),
        StatusLevel::NotStarted => ("neutral", "–"),
        StatusLevel::NotDeclared => ("neutral", "–"),
    }
}

/// Props of [`StatusBadge`].
#[derive(Properties, PartialEq, Clone)]
pub struct StatusBadgeProps {
    /// The status level (drives colour and icon).
    pub level: StatusLevel,
    /// The words, e.g. "Current".
    pub headline: AttrValue,
}

/// A pill showing a status.
#[component]
pub fn StatusBadge(props: &StatusBadgeProps) -> Html {
    let (modifier, icon) = level_style(&props.level);
    html! {
        <span class={classes!("tc-badge", format!("tc-badge--{modifier}"))}>
            <span class="tc-badge__icon" aria-hidden="true">{icon}</span>
            {props.headline.clone()}
        </span>
    }
}

//! The page frame every console page shares: skip link, header with navigation and sign-out, one
//! `<main>`, the stylesheet, and — only on the passkey pages — the ceremony script.

use axum::response::Html;
use maud::{html, Markup, DOCTYPE};

use crate::clock::format_utc;

/// The signed-in part of the header.
pub struct Nav<'a> {
    pub reviewer: &'a str,
    pub csrf_token: &'a str,
    /// Which top-level page is open ("inbox", "overview"), for `aria-current`.
    pub current: &'a str,
}

/// Renders markup as an HTML response body.
pub fn html(markup: Markup) -> Html<String> {
    Html(markup.into_string())
}

/// A complete page.
pub fn page(title: &str, nav: Option<&Nav<'_>>, with_script: bool, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Trust console" }
                link rel="stylesheet" href="/static/console.css";
                @if with_script {
                    script src="/static/console.js" defer {}
                }
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header class="top" {
                    span class="brand" { "Trust console" }
                    @if let Some(nav) = nav {
                        nav aria-label="Console" {
                            ul {
                                li { a href="/inbox" aria-current=[current(nav, "inbox")] { "Inbox" } }
                                li { a href="/overview" aria-current=[current(nav, "overview")] { "Overview and export" } }
                            }
                        }
                        form class="sign-out" method="post" action="/sign-out" {
                            input type="hidden" name="csrf" value=(nav.csrf_token);
                            span { "Signed in as " strong { (nav.reviewer) } }
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                main id="main" tabindex="-1" { (main) }
            }
        }
    }
}

fn current(nav: &Nav<'_>, page: &str) -> Option<&'static str> {
    (nav.current == page).then_some("page")
}

/// A page with a heading and one message (errors, refusals).
pub fn message_page(title: &str, message: &str) -> Markup {
    page(
        title,
        None,
        false,
        html! {
            h1 { (title) }
            p { (message) }
            p { a href="/inbox" { "Go to the inbox" } }
        },
    )
}

/// A `<time>` element for Unix seconds, shown in UTC.
pub fn time(secs: i64) -> Markup {
    let text = format_utc(secs);
    html! { time datetime=(text) { (text.replace('T', " ").replace('Z', " UTC")) } }
}

/// "3 h", "2 d": how long ago `then` was at `now`.
pub fn age(now: i64, then: i64) -> String {
    let seconds = (now - then).max(0);
    match seconds {
        s if s < 60 => "just now".to_string(),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
}

/// A duration in words ("2 h 5 min", "3 d 4 h").
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    if s < 3600 {
        format!("{} min", (s + 59) / 60)
    } else if s < 86_400 {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    } else {
        format!("{} d {} h", s / 86_400, (s % 86_400) / 3600)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_durations_read_naturally() {
        assert_eq!(age(100, 90), "just now");
        assert_eq!(age(7200, 0), "2 h");
        assert_eq!(age(3 * 86_400, 0), "3 d");
        assert_eq!(duration(61), "2 min");
        assert_eq!(duration(3 * 3600 + 120), "3 h 2 min");
    }

    #[test]
    fn interpolated_text_is_escaped() {
        let markup = message_page("T", "<script>alert(1)</script>").into_string();
        assert!(markup.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!markup.contains("<script>alert"));
    }
}

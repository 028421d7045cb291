//! The sign-in and enrolment pages. The passkey ceremony needs the served script; without JavaScript
//! the page says so instead of offering a form that cannot work.

use maud::{html, Markup};

use super::layout::page;

/// The sign-in page; `csrf` belongs to the pre-sign-in session, `next` is where to go afterwards.
pub fn sign_in_page(csrf: &str, next: &str) -> Markup {
    page(
        "Sign in",
        None,
        true,
        html! {
            h1 { "Sign in to the trust console" }
            p { "Reviewers sign in with the passkey they enrolled. If you lost it, ask an administrator for a new enrolment link." }
            noscript { p class="notice" { "Signing in with a passkey needs JavaScript for this page." } }
            form class="card" data-webauthn="sign-in" data-csrf=(csrf) data-next=(next) {
                div class="field" {
                    label for="reviewer-name" { "Reviewer name" }
                    input id="reviewer-name" name="name" type="text" autocomplete="username webauthn" required maxlength="64";
                }
                button type="submit" { "Sign in with a passkey" }
                p class="status" data-webauthn-status role="status" aria-live="polite" {}
            }
        },
    )
}

/// The enrolment page of a valid link.
pub fn enrol_page(csrf: &str, token: &str, reviewer: &str) -> Markup {
    page(
        "Enrol a passkey",
        None,
        true,
        html! {
            h1 { "Enrol a passkey" }
            p { "This link creates the passkey that " strong { (reviewer) } " signs in with. It works once." }
            noscript { p class="notice" { "Creating a passkey needs JavaScript for this page." } }
            form class="card" data-webauthn="enrol" data-csrf=(csrf) data-token=(token) {
                button type="submit" { "Create a passkey for " (reviewer) }
                p class="status" data-webauthn-status role="status" aria-live="polite" {}
            }
        },
    )
}

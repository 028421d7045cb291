//! The pages behind the subscription e-mails' links, rendered on the server with maud (every value
//! HTML-escaped; the address also made inert with [`crate::neutralise::inline`]) under the download
//! page's strict CSP and stylesheet.
//!
//! Who may call them: anyone holding a valid signed link (the token is the only credential; there are
//! no cookies, so there is no ambient authority to forge). `GET` never changes anything, so link
//! scanners and previews do not confirm or unsubscribe; the page's button POSTs the token in the form.
//! POSTs must come from the page itself: `Origin` absent, `null` (the pages are no-referrer) or the
//! service's own origin, and `Sec-Fetch-Site`, when sent, not `cross-site`/`same-site`. The RFC 8058
//! one-click POST (`List-Unsubscribe=One-Click`, sent by mail providers) is accepted from anywhere:
//! unsubscribing needs the token and cannot harm the subscriber.
//!
//! - `/v1/subscriptions/confirm?token=` (confirm token): GET page with the consent wording and a
//!   Confirm button; POST confirms (records time, IP, user agent, wording version).
//! - `/v1/subscriptions/unsubscribe?token=` (manage token): GET page with an Unsubscribe button; POST
//!   (the button or one-click) unsubscribes.
//! - `/v1/subscriptions/preferences?token=` (manage token): GET the categories as checkboxes; POST
//!   saves them (at least one, else the page comes back with the choice kept and an error).
//!
//! Every link of an erased subscription, genuine or not, gets the "no longer valid" page (`410`),
//! which shows nothing of the subscription and changes nothing.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::category::{decode, describe, encode, Category};
use super::links::{mint, preferences_url, verify, LinkError, Purpose};
use crate::clock::now_secs;
use crate::http::download_page::html_response;
use crate::http::errors::ApiError;
use crate::http::{admit_client, user_agent, AppState};
use crate::neutralise::inline;
use crate::store::subscriptions::{
    ConfirmOutcome, SubscriberAction, Subscription, SubscriptionStatus,
};

/// Largest form body accepted.
const MAX_FORM_BYTES: usize = 4096;

/// True for the paths whose POSTs the CORS layer leaves to this module.
pub fn is_page_path(path: &str) -> bool {
    matches!(
        path,
        "/v1/subscriptions/confirm"
            | "/v1/subscriptions/unsubscribe"
            | "/v1/subscriptions/preferences"
    )
}

/// A refusal shown as a page (the pages' handlers return it as their error).
pub struct PageError {
    status: StatusCode,
    heading: &'static str,
    message: String,
    retry_after: Option<std::time::Duration>,
}

impl PageError {
    fn new(status: StatusCode, heading: &'static str, message: impl Into<String>) -> PageError {
        PageError {
            status,
            heading,
            message: message.into(),
            retry_after: None,
        }
    }

    fn link(error: LinkError) -> PageError {
        match error {
            LinkError::Invalid => PageError::new(
                StatusCode::FORBIDDEN,
                "This link cannot be used",
                "The link is incomplete or was changed. Open it again from the e-mail, exactly as it was sent.",
            ),
            LinkError::Expired => PageError::new(
                StatusCode::GONE,
                "This link has expired",
                "Confirmation links work for a limited time. Subscribe again to get a new one.",
            ),
        }
    }

    /// The link is genuine but its subscription was unsubscribed (a confirm link) or erased (any
    /// link) since: nothing to do, and nothing of the subscription is shown.
    fn no_longer_valid() -> PageError {
        PageError::new(
            StatusCode::GONE,
            "This link is no longer valid",
            "Nothing was changed: the subscription behind this link was unsubscribed or removed after the link was sent, and no notices go to it. Subscribe again on the trust center to get a new link.",
        )
    }

    fn internal(detail: &str) -> PageError {
        let _ = ApiError::internal(detail);
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "The service could not complete the request. Please try again later.",
        )
    }

    fn from_api(error: ApiError) -> PageError {
        PageError {
            status: error.status,
            heading: "Too many attempts",
            message: error.message,
            retry_after: error.retry_after,
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = html_response(
            self.status,
            layout(
                self.heading,
                html! { main.error { h1 { (self.heading) } p { (self.message) } } },
            ),
        );
        if let Some(wait) = self.retry_after {
            if let Ok(value) = header::HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex, nofollow";
                title { (title) }
                // Relative to /v1/subscriptions/…, so it also works behind a path prefix.
                link rel="stylesheet" href="../download-page.css";
            }
            body { (body) }
        }
    }
}

fn page(title: &str, body: Markup) -> Response {
    html_response(StatusCode::OK, layout(title, body))
}

/// The `token` of a query string or form body.
fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn parse_pairs(bytes: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(bytes).into_owned().collect()
}

fn query_pairs(query: &Option<String>) -> Vec<(String, String)> {
    parse_pairs(query.as_deref().unwrap_or("").as_bytes())
}

/// The origin of `public_base` (`scheme://host[:port]`).
fn own_origin(public_base: &str) -> &str {
    let after_scheme = public_base.find("://").map_or(0, |i| i + 3);
    match public_base[after_scheme..].find('/') {
        Some(slash) => &public_base[..after_scheme + slash],
        None => public_base,
    }
}

/// The same-origin check for the pages' own forms.
fn check_same_origin(state: &AppState, headers: &HeaderMap) -> Result<(), PageError> {
    let refused = || {
        PageError::new(
            StatusCode::FORBIDDEN,
            "This form cannot be sent from here",
            "Open the link from the e-mail and use the button on that page.",
        )
    };
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| refused())?;
        if origin != "null" && origin != own_origin(&state.public_base) {
            return Err(refused());
        }
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        if site == "cross-site" || site == "same-site" {
            return Err(refused());
        }
    }
    Ok(())
}

async fn read_form(body: Body) -> Result<Vec<(String, String)>, PageError> {
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            PageError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "This form is too large",
                "Use the form on the page as it is.",
            )
        })?;
    Ok(parse_pairs(&bytes))
}

/// Runs a store call off the async threads; a failure is an internal error page.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::error::IntakeError> + Send + 'static,
) -> Result<T, PageError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| PageError::internal(&e.to_string()))?
        .map_err(|e| PageError::internal(&e.to_string()))
}

/// A page's POSTed form, checked: the origin rule, then the rate limit and the token (from the
/// form, or the query for the RFC 8058 one-click POST, which mail providers send to the link).
struct Posted {
    form: Vec<(String, String)>,
    subscription: Subscription,
    action: SubscriberAction,
    token: String,
    one_click: bool,
}

/// Reads and authorises a POST to one of the pages. Only an unsubscribe may be the RFC 8058
/// one-click POST, which is accepted from any origin; every other POST must come from the page.
async fn posted(
    state: &Arc<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    query: Option<String>,
    body: Body,
    purpose: Purpose,
    allow_one_click: bool,
) -> Result<Posted, PageError> {
    let form = read_form(body).await?;
    let one_click = allow_one_click && field(&form, "List-Unsubscribe") == Some("One-Click");
    if !one_click {
        check_same_origin(state, headers)?;
    }
    let query = query_pairs(&query);
    let token = field(&form, "token").or_else(|| field(&query, "token"));
    let (subscription, action, token) = authorise(state, peer, headers, purpose, token).await?;
    Ok(Posted {
        form,
        subscription,
        action,
        token,
        one_click,
    })
}

/// Rate limit, then the token's checks, then the subscription (an erased one is
/// [`PageError::no_longer_valid`]).
async fn authorise(
    state: &Arc<AppState>,
    peer: ConnectInfo<SocketAddr>,
    headers: &HeaderMap,
    purpose: Purpose,
    token: Option<&str>,
) -> Result<(Subscription, SubscriberAction, String), PageError> {
    let ip = admit_client(state, headers, peer).map_err(PageError::from_api)?;
    let token = token.ok_or_else(|| PageError::link(LinkError::Invalid))?;
    let now = now_secs();
    let id = verify(&state.secret, purpose, token, now).map_err(PageError::link)?;
    let store = state.subscriptions.clone();
    let subscription = blocking(move || store.get_subscription(&id))
        .await?
        .ok_or_else(|| PageError::link(LinkError::Invalid))?;
    if subscription.status == SubscriptionStatus::Erased {
        return Err(PageError::no_longer_valid());
    }
    let action = SubscriberAction {
        client_ip: ip.to_string(),
        user_agent: user_agent(headers),
        at: now,
    };
    Ok((subscription, action, token.to_string()))
}

fn address(subscription: &Subscription) -> String {
    inline(&subscription.email).into_owned()
}

fn manage_link(state: &AppState, subscription: &Subscription) -> String {
    preferences_url(
        &state.public_base,
        &mint(&state.secret, Purpose::Manage, &subscription.id, 0),
    )
}

/// `GET /v1/subscriptions/confirm?token=`: the page with the Confirm button (changes nothing).
pub async fn confirm_page(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs = query_pairs(&query);
    let (subscription, _, token) = authorise(
        &state,
        peer,
        &headers,
        Purpose::Confirm,
        field(&pairs, "token"),
    )
    .await?;
    Ok(match subscription.status {
        SubscriptionStatus::Pending => {
            let (wording, version) = state.config.subscriptions.consent();
            page(
                "Confirm your subscription",
                html! {
                    main {
                        h1 { "Confirm your subscription" }
                        dl {
                            dt { "E-mail" } dd { (address(&subscription)) }
                            dt { "Categories" } dd { (describe(&subscription.categories)) }
                        }
                        p { (wording) }
                        p.note { "Consent wording version " (version) "." }
                        form method="post" {
                            input type="hidden" name="token" value=(token);
                            button type="submit" { "Confirm subscription" }
                        }
                        p.note { "Did not ask for this? Close this page: nothing is sent unless you confirm." }
                    }
                },
            )
        }
        SubscriptionStatus::Confirmed => already_confirmed(&state, &subscription),
        SubscriptionStatus::Unsubscribed | SubscriptionStatus::Erased => {
            PageError::no_longer_valid().into_response()
        }
    })
}

fn already_confirmed(state: &AppState, subscription: &Subscription) -> Response {
    page(
        "Subscription confirmed",
        html! {
            main {
                h1 { "Subscription confirmed" }
                p { (address(subscription)) " receives notices about: " (describe(&subscription.categories)) "." }
                p { a href=(manage_link(state, subscription)) { "Change categories or unsubscribe" } }
            }
        },
    )
}

/// `POST /v1/subscriptions/confirm`: confirms.
pub async fn confirm(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Result<Response, PageError> {
    let Posted {
        subscription,
        action,
        ..
    } = posted(&state, peer, &headers, query, body, Purpose::Confirm, false).await?;
    let version = state.config.subscriptions.consent().1.to_string();
    let store = state.subscriptions.clone();
    let id = subscription.id.clone();
    let outcome = blocking(move || store.confirm_subscription(&id, &version, &action)).await?;
    Ok(match outcome {
        ConfirmOutcome::Confirmed(subscription) => {
            crate::redact::log(&format!(
                "subscription {} confirmed by {}",
                subscription.id,
                crate::redact::email(&subscription.email)
            ));
            already_confirmed(&state, &subscription)
        }
        ConfirmOutcome::AlreadyConfirmed(subscription) => already_confirmed(&state, &subscription),
        ConfirmOutcome::NotPending => PageError::no_longer_valid().into_response(),
    })
}

fn unsubscribed_page(subscription: &Subscription) -> Response {
    page(
        "You are unsubscribed",
        html! {
            main {
                h1 { "You are unsubscribed" }
                p { (address(subscription)) " will receive no more notices from this trust center." }
                p.note { "Changed your mind? Subscribe again on the trust center." }
            }
        },
    )
}

/// `GET /v1/subscriptions/unsubscribe?token=`: the page with the Unsubscribe button.
pub async fn unsubscribe_page(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs = query_pairs(&query);
    let (subscription, _, token) = authorise(
        &state,
        peer,
        &headers,
        Purpose::Manage,
        field(&pairs, "token"),
    )
    .await?;
    if subscription.status == SubscriptionStatus::Unsubscribed {
        return Ok(unsubscribed_page(&subscription));
    }
    Ok(page(
        "Unsubscribe",
        html! {
            main {
                h1 { "Unsubscribe from trust center updates" }
                p { "Stop all notices to " (address(&subscription)) "?" }
                form method="post" {
                    input type="hidden" name="token" value=(token);
                    button type="submit" { "Unsubscribe" }
                }
                p.note { a href=(manage_link(&state, &subscription)) { "Change categories instead" } }
            }
        },
    ))
}

/// `POST /v1/subscriptions/unsubscribe`: the page's button or the RFC 8058 one-click POST.
pub async fn unsubscribe(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Result<Response, PageError> {
    let Posted {
        subscription,
        action,
        one_click,
        ..
    } = posted(&state, peer, &headers, query, body, Purpose::Manage, true).await?;
    let how = if one_click {
        "one-click (RFC 8058 List-Unsubscribe-Post)"
    } else {
        "unsubscribe page"
    };
    let store = state.subscriptions.clone();
    let id = subscription.id.clone();
    // None: erased since the token was checked.
    let updated = blocking(move || store.unsubscribe(&id, how, &action))
        .await?
        .ok_or_else(PageError::no_longer_valid)?;
    Ok(unsubscribed_page(&updated))
}

fn preferences_form(
    subscription: &Subscription,
    token: &str,
    chosen: &[Category],
    message: Option<&str>,
    saved: bool,
) -> Markup {
    let unsubscribe = format!("unsubscribe?token={token}");
    html! {
        main {
            h1 { "Your trust center updates" }
            @if saved {
                p.note role="status" { "Saved." }
            }
            p { "Notices go to " (address(subscription)) "." }
            @if subscription.status == SubscriptionStatus::Pending {
                p.note { "This subscription is not confirmed yet: use the link in the confirmation e-mail." }
            }
            form method="post" {
                input type="hidden" name="token" value=(token);
                fieldset {
                    legend { "Send me notices about" }
                    @if let Some(message) = message {
                        p.error role="alert" id="categories-error" { (message) }
                    }
                    @for category in Category::ALL {
                        p {
                            label {
                                input type="checkbox" name="category" value=(category.as_str())
                                    checked[chosen.contains(&category)];
                                " " (category.label())
                            }
                        }
                    }
                }
                button type="submit" { "Save" }
            }
            form method="post" action=(unsubscribe) {
                input type="hidden" name="token" value=(token);
                p { button type="submit" { "Unsubscribe from everything" } }
            }
        }
    }
}

/// `GET /v1/subscriptions/preferences?token=`: the categories as checkboxes.
pub async fn preferences_page(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let pairs = query_pairs(&query);
    let (subscription, _, token) = authorise(
        &state,
        peer,
        &headers,
        Purpose::Manage,
        field(&pairs, "token"),
    )
    .await?;
    if subscription.status == SubscriptionStatus::Unsubscribed {
        return Ok(unsubscribed_page(&subscription));
    }
    let chosen = decode(&subscription.categories);
    Ok(page(
        "Your trust center updates",
        preferences_form(&subscription, &token, &chosen, None, false),
    ))
}

/// `POST /v1/subscriptions/preferences`: saves the categories.
pub async fn save_preferences(
    State(state): State<Arc<AppState>>,
    peer: ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Body,
) -> Result<Response, PageError> {
    let Posted {
        form,
        subscription,
        action,
        token,
        ..
    } = posted(&state, peer, &headers, query, body, Purpose::Manage, false).await?;
    if subscription.status == SubscriptionStatus::Unsubscribed {
        return Ok(unsubscribed_page(&subscription));
    }
    let chosen: Vec<Category> = form
        .iter()
        .filter(|(key, _)| key == "category")
        .filter_map(|(_, value)| Category::parse(value))
        .collect();
    if chosen.is_empty() {
        let mut response = page(
            "Your trust center updates",
            preferences_form(
                &subscription,
                &token,
                &chosen,
                Some("Choose at least one category, or unsubscribe from everything below."),
                false,
            ),
        );
        *response.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(response);
    }
    let categories = encode(&chosen);
    let store = state.subscriptions.clone();
    let id = subscription.id.clone();
    // None: erased since the token was checked.
    let updated = blocking(move || store.set_categories(&id, &categories, &action))
        .await?
        .ok_or_else(PageError::no_longer_valid)?;
    let chosen = decode(&updated.categories);
    Ok(page(
        "Preferences saved",
        preferences_form(&updated, &token, &chosen, None, true),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_origin_drops_the_path() {
        assert_eq!(
            own_origin("https://trust.example/intake"),
            "https://trust.example"
        );
        assert_eq!(own_origin("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
    }
}

//! Update subscriptions (issue 17): visitors subscribe to change notices by category with double
//! opt-in, confirm, change their categories and unsubscribe (RFC 8058 one-click) through signed links.
//!
//! - [`category`]: the five change categories and how a set of them is stored.
//! - [`settings`]: the `[subscriptions]` table (caps, link lifetime, consent wording).
//! - [`input`]: validation of `POST /v1/subscriptions`.
//! - [`links`]: the HMAC-signed confirm and manage tokens and the URLs that carry them.
//! - [`mails`]: the confirmation e-mail queued in the outbox.
//! - [`api`]: the JSON endpoint; [`pages`]: the confirm / unsubscribe / preferences pages.
//!
//! Storage is [`crate::store::SubscriptionStore`]; notices to confirmed subscribers are
//! [`crate::notices`].

pub mod api;
pub mod category;
pub mod input;
pub mod links;
pub mod mails;
pub mod pages;
pub mod settings;

pub use category::Category;
pub use settings::SubscriptionSettings;

/// `sub_` followed by 32 lowercase hex characters (128 random bits).
pub fn new_subscription_id() -> Result<String, String> {
    let mut raw = [0u8; 16];
    getrandom::getrandom(&mut raw).map_err(|e| format!("random number generator failed: {e}"))?;
    Ok(format!(
        "sub_{}",
        raw.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

/// The subscription routes: the JSON endpoint and the pages behind the e-mailed links.
pub fn routes() -> axum::Router<std::sync::Arc<crate::http::AppState>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/v1/subscriptions", post(api::subscribe))
        .route(
            "/v1/subscriptions/confirm",
            get(pages::confirm_page).post(pages::confirm),
        )
        .route(
            "/v1/subscriptions/unsubscribe",
            get(pages::unsubscribe_page).post(pages::unsubscribe),
        )
        .route(
            "/v1/subscriptions/preferences",
            get(pages::preferences_page).post(pages::save_preferences),
        )
}

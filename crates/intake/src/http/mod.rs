//! HTTP layer: routes, shared state, CORS, JSON errors and the two public endpoints' handlers.

pub mod access;
pub mod cors;
pub mod download_page;
pub mod downloads;
pub mod errors;
pub mod page_headers;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::ConnectInfo;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;

use crate::config::Config;
use crate::http::errors::ApiError;
use crate::rate_limit::RateLimiter;
use crate::store::Store;

/// Everything a handler needs, shared between requests.
pub struct AppState {
    pub config: Config,
    pub store: Arc<dyn Store>,
    /// Subscriptions and change notices (the same database as `store`).
    pub subscriptions: Arc<dyn crate::store::SubscriptionStore>,
    pub secret: Arc<Vec<u8>>,
    pub limiter: RateLimiter,
    /// Base URL for status URLs and links, without trailing slash.
    pub public_base: String,
}

/// The service's routes with CORS applied to all of them.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/access-requests", post(access::create))
        .route("/v1/access-requests/{id}", get(access::status))
        .route(
            "/v1/downloads/{token}",
            get(downloads::page).post(downloads::download),
        )
        .route("/v1/download-page.css", get(download_page::stylesheet))
        .merge(crate::subscriptions::routes())
        .fallback(|| async { errors::ApiError::not_found("no such endpoint") })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::cors,
        ))
        .with_state(state)
}

/// The first step of every public endpoint: who is calling (see [`client_ip`]), once the per-IP
/// rate limit has let the request through; a refused request gets 429 before any other work.
pub fn admit_client(
    state: &AppState,
    headers: &HeaderMap,
    peer: ConnectInfo<SocketAddr>,
) -> Result<IpAddr, ApiError> {
    let ip = client_ip(&state.config, headers, peer);
    state
        .limiter
        .check(ip, Instant::now())
        .map_err(ApiError::rate_limited)?;
    Ok(ip)
}

/// The client address: the socket peer, or — when configured to trust a reverse proxy — the last
/// `X-Forwarded-For` entry, i.e. the address the proxy itself appended (earlier entries are whatever the
/// client claimed and can be forged).
pub fn client_ip(config: &Config, headers: &HeaderMap, peer: ConnectInfo<SocketAddr>) -> IpAddr {
    if config.trust_forwarded_for {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip;
        }
    }
    peer.0.ip()
}

/// The `User-Agent` header, shortened to 512 characters.
pub fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(512).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_uses_the_proxy_appended_entry_only_when_trusted() {
        let mut config = Config::from_toml("", std::path::Path::new(".")).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", "6.6.6.6, 203.0.113.7".parse().unwrap());
        let peer = || ConnectInfo("127.0.0.1:5000".parse::<SocketAddr>().unwrap());
        assert_eq!(
            client_ip(&config, &headers, peer()).to_string(),
            "127.0.0.1"
        );
        config.trust_forwarded_for = true;
        assert_eq!(
            client_ip(&config, &headers, peer()).to_string(),
            "203.0.113.7"
        );
        headers.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(
            client_ip(&config, &headers, peer()).to_string(),
            "127.0.0.1"
        );
    }
}

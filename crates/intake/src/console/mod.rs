//! The vendor's review console: a browser inbox for access requests, each request's evidence and
//! timeline, the decisions (approve, deny, revoke, re-send the link, extend access), an audit export
//! and an overview — served on its own listener (`[console] listen`, default `127.0.0.1:8788`), never
//! on the public API's.
//!
//! Reviewers are created with `trustctl console add-reviewer` ([`admin_cli`]) and sign in with
//! passkeys ([`auth`], webauthn-rs). Sessions and CSRF are in [`session`], security headers in
//! [`headers`]. Every decision calls the same [`crate::workflow`] functions as `trustctl requests …`.
//! See docs/intake.md, "Review console".

pub mod actions;
pub mod admin_cli;
pub mod assets;
pub mod auth;
pub mod db;
pub mod export;
pub mod headers;
pub mod pages;
pub mod respond;
pub mod session;
pub mod settings;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use webauthn_rs::prelude::Url;
use webauthn_rs::{Webauthn, WebauthnBuilder};

use crate::config::Config;
use crate::error::IntakeError;
use crate::rate_limit::RateLimiter;
use crate::store::Store;
use db::ConsoleDb;
use respond::ConsoleError;
use session::PreSignInSessions;
use settings::ConsoleConfig;

/// Sign-in and enrolment attempts allowed per client address in a burst, and per minute after it.
const SIGN_IN_BURST: u32 = 10;
const SIGN_IN_PER_MINUTE: u32 = 6;

/// Everything a console handler needs.
pub struct ConsoleState {
    pub config: Config,
    pub settings: ConsoleConfig,
    /// `scheme://host[:port]` reviewers use; the WebAuthn origin.
    pub origin: String,
    /// Cookies get `Secure` (and the `__Host-` prefix) when the origin is https.
    pub secure_cookies: bool,
    pub store: Arc<dyn Store>,
    pub db: Arc<ConsoleDb>,
    pub secret: Arc<Vec<u8>>,
    pub webauthn: Webauthn,
    pub sign_in_limiter: RateLimiter,
    pub pre_sign_in: PreSignInSessions,
}

impl ConsoleState {
    /// Builds the state; `origin` is the console's origin (see [`ConsoleConfig::origin`]).
    pub fn new(
        config: Config,
        settings: ConsoleConfig,
        origin: String,
        store: Arc<dyn Store>,
        db: Arc<ConsoleDb>,
        secret: Arc<Vec<u8>>,
    ) -> Result<ConsoleState, IntakeError> {
        let url = Url::parse(&origin).map_err(|e| {
            IntakeError::Config(format!("console origin {origin} is not a URL: {e}"))
        })?;
        let rp_id = url
            .host_str()
            .ok_or_else(|| IntakeError::Config(format!("console origin {origin} has no host")))?
            .to_string();
        let webauthn = WebauthnBuilder::new(&rp_id, &url)
            .and_then(|builder| builder.rp_name("Trust console").build())
            .map_err(|e| {
                IntakeError::Config(format!(
                    "passkeys cannot be used with the console origin {origin}: {e}"
                ))
            })?;
        Ok(ConsoleState {
            secure_cookies: origin.starts_with("https://"),
            config,
            settings,
            origin,
            store,
            db,
            secret,
            webauthn,
            sign_in_limiter: RateLimiter::new(SIGN_IN_BURST, SIGN_IN_PER_MINUTE),
            pre_sign_in: PreSignInSessions::default(),
        })
    }
}

/// The console page of a request, for the vendor's "new request" e-mail; None when the console is off.
/// Uses `[console] public_url` (or `http://localhost:<listen port>`), so set `public_url` in production.
pub fn request_page_url(config: &Config, request_id: &str) -> Option<String> {
    config
        .console
        .as_ref()
        .map(|settings| format!("{}/requests/{request_id}", settings.origin(None)))
}

/// Runs blocking database work off the async threads.
pub async fn blocking<T, F>(work: F) -> Result<T, ConsoleError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, IntakeError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ConsoleError::internal(&format!("a database task failed: {e}")))?
        .map_err(ConsoleError::from)
}

/// The console's routes. Only the sign-in and enrolment pages, their passkey calls and the two static
/// files answer an anonymous caller; everything else needs a session (see docs/intake.md).
pub fn router(state: Arc<ConsoleState>) -> Router {
    Router::new()
        .route("/", get(pages::inbox::root))
        .route("/inbox", get(pages::inbox::show))
        .route("/requests/{id}", get(pages::request::show))
        .route("/requests/{id}/approve", post(actions::approve))
        .route("/requests/{id}/deny", post(actions::deny))
        .route("/requests/{id}/revoke", post(actions::revoke))
        .route("/requests/{id}/resend", post(actions::resend))
        .route("/requests/{id}/extend", post(actions::extend))
        .route("/overview", get(pages::overview::show))
        .route("/export", get(export::download))
        .route("/sign-in", get(auth::sign_in_page))
        .route("/sign-in/options", post(auth::sign_in_options))
        .route("/sign-in/verify", post(auth::sign_in_verify))
        .route("/sign-out", post(auth::sign_out))
        .route("/enrol/{token}", get(auth::enrol_page))
        .route("/enrol/{token}/options", post(auth::enrol_options))
        .route("/enrol/{token}/verify", post(auth::enrol_verify))
        .route("/static/console.css", get(assets::stylesheet))
        .route("/static/console.js", get(assets::script))
        .fallback(|| async { ConsoleError::NotFound("There is no such console page.".into()) })
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn(headers::security_headers))
        .with_state(state)
}

/// A started console listener.
pub struct RunningConsole {
    pub local_addr: SocketAddr,
    pub origin: String,
    task: JoinHandle<()>,
}

impl RunningConsole {
    /// Waits for the console to finish after the shared stop signal.
    pub async fn join(self) -> Result<(), IntakeError> {
        self.task
            .await
            .map_err(|error| IntakeError::Io(format!("the console server task failed: {error}")))
    }
}

/// Binds and starts the console if the configuration has a `[console]` section; it stops when `stop`
/// turns true.
pub async fn start(
    config: &Config,
    store: Arc<dyn Store>,
    secret: Arc<Vec<u8>>,
    limits: crate::listener::ListenerLimits,
    stop: watch::Receiver<bool>,
) -> Result<Option<RunningConsole>, IntakeError> {
    let Some(settings) = config.console.clone() else {
        return Ok(None);
    };
    let addr = settings.listen_addr().map_err(IntakeError::Config)?;
    let public = config.listen_addr().map_err(IntakeError::Config)?;
    if addr == public && addr.port() != 0 {
        return Err(IntakeError::Config(
            "console.listen must differ from listen: the console never shares the public API's listener".into(),
        ));
    }
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| IntakeError::Io(format!("cannot listen on {addr} for the console: {e}")))?;
    let local_addr = listener
        .local_addr()
        .map_err(|e| IntakeError::Io(format!("cannot read the console's bound address: {e}")))?;
    if !local_addr.ip().is_loopback() {
        crate::redact::log(&format!(
            "the console listens on {local_addr}, which is reachable from other machines; keep it behind TLS and your VPN"
        ));
    }
    let origin = settings.origin(Some(local_addr));
    let db = Arc::new(ConsoleDb::open_database(
        &crate::store::Database::from_config(config),
    )?);
    let state = Arc::new(ConsoleState::new(
        config.clone(),
        settings,
        origin.clone(),
        store,
        db,
        secret,
    )?);
    let app = router(state);
    // The same per-connection limits as the public API (timeouts, caps, graceful stop).
    let task = tokio::spawn(crate::listener::serve(
        listener, app, limits, "console", stop,
    ));
    Ok(Some(RunningConsole {
        local_addr,
        origin,
        task,
    }))
}

//! Starting and stopping the HTTP service together with its outbox worker.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::error::IntakeError;
use crate::http::{router, AppState};
use crate::rate_limit::RateLimiter;
use crate::store::{SqliteStore, Store};

/// A started service; dropping it does not stop it, call [`RunningServer::shutdown`].
pub struct RunningServer {
    local_addr: SocketAddr,
    public_base: String,
    stop: watch::Sender<bool>,
    http: JoinHandle<std::io::Result<()>>,
    worker: JoinHandle<()>,
}

impl RunningServer {
    /// The address actually bound (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Base URL used in status URLs and links.
    pub fn public_base(&self) -> &str {
        &self.public_base
    }

    /// Stops accepting connections, finishes in-flight requests and stops the outbox worker.
    pub async fn shutdown(self) -> Result<(), IntakeError> {
        let _ = self.stop.send(true);
        let served = self.http.await;
        let _ = self.worker.await;
        match served {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(IntakeError::Io(format!("the HTTP server failed: {error}"))),
            Err(error) => Err(IntakeError::Io(format!(
                "the HTTP server task failed: {error}"
            ))),
        }
    }
}

/// Opens the database, loads the signing secret, binds the listen address and starts serving.
pub async fn start(config: Config) -> Result<RunningServer, IntakeError> {
    crate::watermark::policy::check_documents(&config)?;
    let secret = crate::secret::load_or_create(&config)?;
    let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&config.database_path())?);
    let addr = config.listen_addr().map_err(IntakeError::Config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| IntakeError::Io(format!("cannot listen on {addr}: {e}")))?;
    let local_addr = listener
        .local_addr()
        .map_err(|e| IntakeError::Io(format!("cannot read the bound address: {e}")))?;
    if !local_addr.ip().is_loopback() {
        crate::redact::log(&format!(
            "listening on {local_addr}, which is reachable from other machines; put TLS in front of it"
        ));
    }
    let public_base = config.public_base(Some(local_addr));
    let state = Arc::new(AppState {
        limiter: RateLimiter::new(config.rate_limit.burst, config.rate_limit.per_minute),
        store: store.clone(),
        secret: Arc::new(secret),
        public_base: public_base.clone(),
        config: config.clone(),
    });
    let (stop, stopped) = watch::channel(false);
    let mut http_stop = stopped.clone();
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    let http = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = http_stop.wait_for(|stop| *stop).await;
            })
            .await
    });
    let worker = tokio::spawn(crate::outbox::run(
        store,
        config.notifications.clone(),
        stopped,
    ));
    Ok(RunningServer {
        local_addr,
        public_base,
        stop,
        http,
        worker,
    })
}

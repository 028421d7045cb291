//! Starting and stopping the HTTP service together with its outbox worker.
//!
//! The listener runs through [`crate::listener::serve`] (timeouts, connection caps, graceful
//! shutdown with a deadline); at start-up the open-file limit is raised to the hard limit and the
//! connection cap is lowered if the descriptor table could not hold it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::error::IntakeError;
use crate::http::{router, AppState};
use crate::listener::open_files;
use crate::rate_limit::RateLimiter;

/// A started service. Call [`RunningServer::shutdown`] to stop it; dropping it stops the listener
/// too (the stop signal's sender goes away) without waiting for anything.
pub struct RunningServer {
    local_addr: SocketAddr,
    public_base: String,
    stop: watch::Sender<bool>,
    http: JoinHandle<()>,
    worker: JoinHandle<()>,
    grace: Duration,
    mail_worker: Option<JoinHandle<()>>,
    console: Option<crate::console::RunningConsole>,
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

    /// The review console's bound address and origin, when `[console]` is configured.
    pub fn console(&self) -> Option<(SocketAddr, &str)> {
        self.console
            .as_ref()
            .map(|c| (c.local_addr, c.origin.as_str()))
    }

    /// Stops accepting connections, lets in-flight requests finish for up to
    /// `listener.shutdown_grace_ms`, closes the rest, and waits for the outbox worker to stop at its
    /// next safe point (between two deliveries).
    pub async fn shutdown(self) -> Result<(), IntakeError> {
        let _ = self.stop.send(true);
        // All stop at the same time under one deadline: the listener drains its connections for up
        // to the grace period, the workers finish the delivery in progress.
        let mail_worker = self.mail_worker;
        let console = self.console;
        let mail_worker = async move {
            if let Some(mail_worker) = mail_worker {
                let _ = mail_worker.await;
            }
        };
        let (served, worker, mail) = tokio::join!(
            self.http,
            tokio::time::timeout(self.grace, self.worker),
            tokio::time::timeout(self.grace, mail_worker)
        );
        if let Some(console) = console {
            console.join().await?;
        }
        if worker.is_err() {
            crate::redact::log(
                "the outbox worker did not stop within the shutdown grace period; it stops with the process",
            );
        }
        if mail.is_err() {
            crate::redact::log(
                "the mail worker did not stop within the shutdown grace period; the message in progress stays pending",
            );
        }
        served.map_err(|error| IntakeError::Io(format!("the HTTP server task failed: {error}")))
    }
}

/// Opens the database, loads the signing secret, binds the listen address and starts serving.
pub async fn start(config: Config) -> Result<RunningServer, IntakeError> {
    crate::watermark::policy::check_documents(&config)?;
    refuse_unshared_secret(&config)?;
    refuse_lease_shorter_than_a_batch(&config)?;
    let secret = crate::secret::load_or_create(&config)?;
    // Opening may connect to PostgreSQL with its blocking client: off the async worker threads.
    let database = crate::store::Database::from_config(&config);
    let described = database.describe();
    let (store, subscriptions) = tokio::task::spawn_blocking(move || database.open_stores())
        .await
        .map_err(|e| IntakeError::Io(format!("opening the database failed: {e}")))??;
    if described.starts_with("postgres://") {
        // Host, port and database name only: never the user or the password.
        crate::redact::log(&format!(
            "database {described} (shared by every instance on it)"
        ));
    }
    warn_about_loose_folders(&config);
    let addr = config.listen_addr().map_err(IntakeError::Config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| IntakeError::system(format!("cannot listen on {addr}"), e))?;
    let local_addr = listener
        .local_addr()
        .map_err(|e| IntakeError::system("cannot read the bound address", e))?;
    if !local_addr.ip().is_loopback() {
        crate::redact::log(&format!(
            "listening on {local_addr}, which is reachable from other machines; put TLS in front of it"
        ));
    }
    let limits = open_files::fit(&config.listener, open_files::raise_to_hard_limit());
    if config.trust_forwarded_for && limits.max_connections_per_ip < limits.max_connections {
        crate::redact::log(&format!(
            "trust_forwarded_for is on, so connections come from the reverse proxy: at most {} of them at once (listener.max_connections_per_ip); raise it to listener.max_connections if the proxy keeps more",
            limits.max_connections_per_ip
        ));
    }
    let grace = limits.shutdown_grace();
    let public_base = config.public_base(Some(local_addr));
    let state = Arc::new(AppState {
        limiter: RateLimiter::new(config.rate_limit.burst, config.rate_limit.per_minute),
        store: store.clone(),
        subscriptions,
        secret: Arc::new(secret),
        public_base: public_base.clone(),
        config: config.clone(),
    });
    let (stop, stopped) = watch::channel(false);
    let mail_worker = crate::mail::worker::spawn(&config, store.clone(), stopped.clone())?;
    let console = crate::console::start(
        &config,
        store.clone(),
        state.secret.clone(),
        limits.clone(),
        stopped.clone(),
    )
    .await?;
    let http = tokio::spawn(crate::listener::serve(
        listener,
        router(state),
        limits,
        "api",
        stopped.clone(),
    ));
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
        grace,
        mail_worker,
        console,
    })
}

/// With a shared PostgreSQL database every instance must sign download links with the same secret; a
/// secret generated into this machine's data folder would make other instances' links invalid here.
fn refuse_unshared_secret(config: &Config) -> Result<(), IntakeError> {
    let from_env = std::env::var(crate::secret::SECRET_ENV).is_ok_and(|v| !v.trim().is_empty());
    let generated = config.data_dir().join(crate::secret::SECRET_FILE);
    if crate::store::Database::from_config(config).is_postgres()
        && !from_env
        && config.signing_secret.is_none()
        && !generated.exists()
    {
        return Err(IntakeError::Config(format!(
            "database_url is PostgreSQL, so several instances may serve the same requests: give them all the same link signing secret in {} or signing_secret (none would be generated per machine)",
            crate::secret::SECRET_ENV
        )));
    }
    Ok(())
}

/// An outbox claim must outlive the sending of one claimed batch (20 e-mails spaced by
/// `smtp.max_per_minute`), or another instance could take a message this one is about to send.
fn refuse_lease_shorter_than_a_batch(config: &Config) -> Result<(), IntakeError> {
    let (Some(smtp), true) = (
        &config.smtp,
        crate::store::Database::from_config(config).is_postgres(),
    ) else {
        return Ok(());
    };
    let batch_secs = 20 * 60 / u64::from(smtp.max_per_minute.max(1));
    if config.postgres.claim_lease_secs <= batch_secs.saturating_mul(2) {
        return Err(IntakeError::Config(format!(
            "postgres.claim_lease_secs ({}) must be more than twice the time one batch of 20 e-mails takes at smtp.max_per_minute ({} s)",
            config.postgres.claim_lease_secs, batch_secs
        )));
    }
    Ok(())
}

/// Warns when the data or database folder existed before with modes that let others in.
fn warn_about_loose_folders(config: &Config) {
    let mut private_dirs = vec![config.data_dir()];
    if let Some(dir) = config.database_path().parent() {
        if !dir.as_os_str().is_empty() && !private_dirs.iter().any(|d| d == dir) {
            private_dirs.push(dir.to_path_buf());
        }
    }
    // The data folder exists only once a secret was generated into it.
    crate::private_fs::warn_if_loose(
        private_dirs
            .iter()
            .map(|d| d.as_path())
            .filter(|d| d.exists()),
    );
}

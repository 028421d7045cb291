//! Every TCP listener the service opens goes through [`serve`]: per-connection limits (header, body
//! and idle timeouts, a bounded header buffer), caps on open connections in total and per client,
//! rate-limited logging of refusals and accept errors, and a graceful shutdown with a deadline.
//!
//! `axum::serve` runs hyper without a timer, so hyper's header timeout is off there and nothing
//! bounds a slow client; this module drives hyper's HTTP/1 connections itself instead. The limits
//! come from one config type, [`ListenerLimits`] (`[listener]` in the TOML file), shared by the
//! public API and any later listener (a review console, …).
//!
//! Layout: [`limits`] (the config), [`caps`] (connection counting), [`connection`] (one connection's
//! timeouts), [`open_files`] (the descriptor limit), [`events`] and [`throttled_log`] (logs that
//! cannot flood).

pub mod caps;
pub mod connection;
pub mod events;
pub mod limits;
pub mod open_files;
pub mod throttled_log;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;

pub use caps::{ConnectionCaps, Refusal};
use connection::stop_requested;
use events::ListenerLogs;
pub use limits::ListenerLimits;

/// Pause after an accept error such as "too many open files", so the loop does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Sent (best effort) to a connection that is over a cap, before it is closed.
const REFUSAL: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n";

/// Serves `router` on `listener` under `limits` until `stop` turns true (or its sender is dropped).
///
/// Then it stops accepting, lets in-flight requests finish for up to `shutdown_grace_ms`, closes
/// idle connections at once and whatever is still open at the deadline, and returns. `name` (e.g.
/// `"api"`) labels the log lines. The connection cap must already fit the open-file limit (see
/// [`open_files::connections_that_fit`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ListenerLimits,
    name: &'static str,
    mut stop: watch::Receiver<bool>,
) {
    let caps = ConnectionCaps::new(limits.max_connections, limits.max_connections_per_ip);
    let limits = Arc::new(limits);
    let logs = Arc::new(ListenerLogs::new(name));
    let (closing_tx, closing) = watch::channel(false);
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            () = stop_requested(&mut stop) => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match caps.try_admit(peer.ip()) {
                    Ok(permit) => {
                        connections.spawn(connection::run(connection::Accepted {
                            stream,
                            peer,
                            router: router.clone(),
                            limits: limits.clone(),
                            logs: logs.clone(),
                            closing: closing.clone(),
                            permit,
                        }));
                    }
                    Err(refusal) => {
                        log_refusal(&logs, &limits, refusal, peer.ip());
                        refuse(stream);
                    }
                },
                Err(error) => {
                    logs.accept_error.log(|| format!("{name}: cannot accept a connection: {error}"));
                    if !matches!(
                        error.kind(),
                        std::io::ErrorKind::ConnectionAborted
                            | std::io::ErrorKind::ConnectionReset
                            | std::io::ErrorKind::Interrupted
                    ) {
                        tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    }
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = closing_tx.send(true);
    let open = connections.len();
    let drained = tokio::time::timeout(limits.shutdown_grace(), async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        crate::redact::log(&format!(
            "{name}: closing {} of {open} connection(s) still open {} ms after the stop signal",
            connections.len(),
            limits.shutdown_grace_ms
        ));
        connections.shutdown().await;
    }
}

fn log_refusal(
    logs: &ListenerLogs,
    limits: &ListenerLimits,
    refusal: Refusal,
    client: std::net::IpAddr,
) {
    let name = logs.name();
    match refusal {
        Refusal::Total => logs.refused_total.log(|| {
            format!(
                "{name}: refused a connection from {client}: {} connections are open (listener.max_connections)",
                limits.max_connections
            )
        }),
        Refusal::PerClient => logs.refused_client.log(|| {
            format!(
                "{name}: refused a connection from {client}: it already has {} open (listener.max_connections_per_ip)",
                limits.max_connections_per_ip
            )
        }),
    }
}

/// Tells a refused client why (if its socket takes the bytes at once) and closes the connection
/// straight away, so a flood of refused connections holds no descriptors.
fn refuse(stream: TcpStream) {
    // Tokio's own `try_write` reports "not ready" until the reactor has seen the new socket become
    // writable; the plain non-blocking socket takes the few bytes at once.
    if let Ok(mut socket) = stream.into_std() {
        let _ = std::io::Write::write(&mut socket, REFUSAL);
    }
}

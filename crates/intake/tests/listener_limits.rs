//! Issue 21, slow and idle clients: per-client and total connection caps, header, body and idle
//! timeouts, and the header bound, against the real service on 127.0.0.1 with small limits.
//!
//! Clients are told apart by their loopback source address (127.0.0.2, 127.0.0.3, …), which Linux
//! accepts for any 127/8 address. Upper bounds on "closed on time" allow two seconds of scheduling
//! slack over the configured timeout (the machines that run this are shared); lower bounds are tight.
mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use common::{Options, Service};

fn service(listener: &str) -> Service {
    Service::start(Options {
        listener: listener.to_string(),
        ..Options::default()
    })
}

fn addr(service: &Service) -> SocketAddr {
    service.base.trim_start_matches("http://").parse().unwrap()
}

/// A blocking socket connected to `to` from the loopback address `from`.
fn connect_from(from: &str, to: SocketAddr) -> TcpStream {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap();
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket
            .bind(SocketAddr::new(from.parse::<IpAddr>().unwrap(), 0))
            .unwrap();
        socket.connect(to).await.unwrap().into_std().unwrap()
    });
    stream.set_nonblocking(false).unwrap();
    stream
}

/// What a non-blocking look at a socket shows.
#[derive(Debug, PartialEq)]
enum Seen {
    Open,
    /// Closed by the server, with whatever it wrote first.
    Closed(String),
}

fn peek(stream: &mut TcpStream) -> Seen {
    stream.set_nonblocking(true).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let seen = loop {
        match stream.read(&mut buf) {
            Ok(0) => break Seen::Closed(String::from_utf8_lossy(&got).into_owned()),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                break if got.is_empty() {
                    Seen::Open
                } else {
                    // Bytes then nothing yet: the close follows right after a refusal or a 408.
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                };
            }
            Err(_) => break Seen::Closed(String::from_utf8_lossy(&got).into_owned()),
        }
    };
    stream.set_nonblocking(false).unwrap();
    seen
}

/// Waits until the server closes `stream` (or `limit` passes); returns the time from `since` and
/// what the server wrote before closing.
fn wait_closed(
    stream: &mut TcpStream,
    since: Instant,
    limit: Duration,
) -> Option<(Duration, String)> {
    let deadline = since + limit;
    while Instant::now() < deadline {
        if let Seen::Closed(text) = peek(stream) {
            return Some((since.elapsed(), text));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    None
}

/// `GET /healthz` on a fresh connection from `from`: status line and elapsed time.
fn health_from(from: &str, to: SocketAddr) -> (String, Duration) {
    let started = Instant::now();
    let mut stream = connect_from(from, to);
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    (
        text.lines().next().unwrap_or("").to_string(),
        started.elapsed(),
    )
}

/// Polls the still-open ones of `streams` until `done` holds for what is seen (or `limit` passes);
/// `seen` carries what earlier calls saw (a closed stream is not read again).
fn watch(
    streams: &mut [TcpStream],
    seen: &mut Vec<Seen>,
    limit: Duration,
    done: impl Fn(&[Seen]) -> bool,
) {
    let deadline = Instant::now() + limit;
    seen.resize_with(streams.len(), || Seen::Open);
    loop {
        for (stream, seen) in streams.iter_mut().zip(seen.iter_mut()) {
            if *seen == Seen::Open {
                *seen = peek(stream);
            }
        }
        if done(seen) || Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn refused(seen: &[Seen]) -> usize {
    seen.iter()
        .filter(|s| matches!(s, Seen::Closed(text) if text.starts_with("HTTP/1.1 503")))
        .count()
}

fn closed_silently(seen: &[Seen]) -> usize {
    seen.iter()
        .filter(|s| **s == Seen::Closed(String::new()))
        .count()
}

#[test]
fn idle_connections_beyond_the_per_client_cap_are_refused_and_the_rest_closed_on_time() {
    let service = service(
        "max_connections = 100\nmax_connections_per_ip = 8\nidle_timeout_ms = 1000\nheader_read_timeout_ms = 10000\n",
    );
    let to = addr(&service);
    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = (0..20).map(|_| connect_from("127.0.0.1", to)).collect();

    // Another client is served at once, while the first one holds its whole share.
    let (status, took) = health_from("127.0.0.2", to);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(1), "took {took:?}");

    // 12 are refused with 503 straight away; the 8 admitted ones stay open until the idle timeout
    // (1 s; the header timeout is 10 s), then are closed without a word.
    let mut seen = Vec::new();
    watch(&mut idle, &mut seen, Duration::from_secs(3), |seen| {
        refused(seen) == 12
    });
    assert_eq!(refused(&seen), 12, "{seen:?}");
    let refused_by = opened.elapsed();
    watch(&mut idle, &mut seen, Duration::from_secs(4), |seen| {
        closed_silently(seen) == 8
    });
    let idle_closed_by = opened.elapsed();
    assert_eq!(refused(&seen), 12, "{seen:?}");
    assert_eq!(closed_silently(&seen), 8, "{seen:?}");
    assert!(
        refused_by < Duration::from_millis(900),
        "refusals took {refused_by:?}"
    );
    assert!(
        idle_closed_by >= Duration::from_millis(950) && idle_closed_by < Duration::from_secs(3),
        "idle connections closed after {idle_closed_by:?}"
    );
    // With the idle ones gone, the first client is served again.
    assert_eq!(health_from("127.0.0.1", to).0, "HTTP/1.1 200 OK");
}

#[test]
fn the_total_cap_refuses_new_clients_until_slots_free_up() {
    let service = service(
        "max_connections = 6\nmax_connections_per_ip = 3\nidle_timeout_ms = 1500\nheader_read_timeout_ms = 10000\n",
    );
    let to = addr(&service);
    let mut held: Vec<TcpStream> = ["127.0.0.3", "127.0.0.4"]
        .iter()
        .flat_map(|from| (0..3).map(|_| connect_from(from, to)))
        .collect();
    let mut late: Vec<TcpStream> = (0..4).map(|_| connect_from("127.0.0.5", to)).collect();
    let mut late_seen = Vec::new();
    watch(&mut late, &mut late_seen, Duration::from_secs(3), |seen| {
        refused(seen) == 4
    });
    assert_eq!(refused(&late_seen), 4, "{late_seen:?}");
    assert!(held.iter_mut().all(|s| peek(s) == Seen::Open));
    let mut seen = Vec::new();
    watch(&mut held, &mut seen, Duration::from_secs(4), |seen| {
        closed_silently(seen) == 6
    });
    assert_eq!(
        closed_silently(&seen),
        6,
        "closed by the idle timeout: {seen:?}"
    );
    let (status, took) = health_from("127.0.0.5", to);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(1));
}

#[test]
fn a_header_sent_byte_by_byte_is_cut_at_the_header_timeout() {
    let service = service("header_read_timeout_ms = 800\nidle_timeout_ms = 10000\n");
    let to = addr(&service);
    let mut slow = connect_from("127.0.0.1", to);
    let started = Instant::now();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nX-Slow: ")
        .unwrap();
    let closed_at = loop {
        if slow.write_all(b"a").is_err() {
            break started.elapsed();
        }
        if let Seen::Closed(_) = peek(&mut slow) {
            break started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(4), "never closed");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        closed_at >= Duration::from_millis(700) && closed_at < Duration::from_millis(2800),
        "closed after {closed_at:?}"
    );
    let (status, took) = health_from("127.0.0.1", to);
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(1));
}

#[test]
fn a_body_that_does_not_arrive_gets_408_at_the_body_timeout() {
    let service = service("body_read_timeout_ms = 700\n");
    let to = addr(&service);
    let mut stream = connect_from("127.0.0.1", to);
    let started = Instant::now();
    stream
        .write_all(
            b"POST /v1/access-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n{\"name\": \"Ja",
        )
        .unwrap();
    let (at, text) =
        wait_closed(&mut stream, started, Duration::from_secs(4)).expect("closed after the 408");
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("request_timeout"), "{text}");
    assert!(
        at >= Duration::from_millis(600) && at < Duration::from_millis(2700),
        "answered after {at:?}"
    );
    assert!(service.env.list_json().is_empty(), "nothing stored");
}

#[test]
fn a_kept_alive_connection_is_closed_after_the_idle_timeout_and_reused_before_it() {
    let service = service("idle_timeout_ms = 500\nheader_read_timeout_ms = 5000\n");
    let to = addr(&service);
    let mut stream = connect_from("127.0.0.1", to);
    stream
        .set_read_timeout(Some(Duration::from_secs(3)))
        .unwrap();
    let ask = |stream: &mut TcpStream| {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 1024];
        while !got.ends_with(b"\r\n\r\nok") {
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "closed early: {}", String::from_utf8_lossy(&got));
            got.extend_from_slice(&buf[..n]);
        }
        assert!(got.starts_with(b"HTTP/1.1 200"));
    };
    ask(&mut stream);
    std::thread::sleep(Duration::from_millis(300));
    ask(&mut stream);
    let answered = Instant::now();
    let (at, _) = wait_closed(&mut stream, answered, Duration::from_secs(3)).expect("closed");
    assert!(
        at >= Duration::from_millis(400) && at < Duration::from_millis(2500),
        "closed {at:?} after the last answer"
    );
}

#[test]
fn an_oversized_header_gets_431_and_the_connection_is_closed() {
    let service = service("max_header_bytes = 16384\n");
    let to = addr(&service);
    let mut stream = connect_from("127.0.0.1", to);
    let started = Instant::now();
    let mut request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 20 * 1024));
    request.extend_from_slice(b"\r\n\r\n");
    let _ = stream.write_all(&request);
    let (_, text) = wait_closed(&mut stream, started, Duration::from_secs(3)).expect("closed");
    assert!(text.starts_with("HTTP/1.1 431"), "{text}");
    // Just under the bound is still served.
    let mut fits = connect_from("127.0.0.1", to);
    let mut request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Pad: ".to_vec();
    request.extend(std::iter::repeat_n(b'a', 12 * 1024));
    request.extend_from_slice(b"\r\n\r\n");
    fits.write_all(&request).unwrap();
    let mut text = String::new();
    fits.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
    let _ = fits.read_to_string(&mut text);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
}

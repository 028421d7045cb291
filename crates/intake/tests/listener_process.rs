//! Issue 21 against the real `trust-intake-serve` process: SIGTERM with half-sent requests ends
//! within the shutdown deadline (exit 0) after finishing what was in flight; header memory stays
//! bounded (process RSS from /proc); log lines stay inert; the open-file limit is logged.
mod common;

use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{announced_base, submission, Env, Options};

/// The real service binary on `env`'s config, its stderr in `<tmp>/stderr.log`.
fn spawn(env: &Env) -> (Child, SocketAddr) {
    spawn_with(env, Command::new(env!("CARGO_BIN_EXE_trust-intake-serve")))
}

/// The binary started by a shell that first sets the open-file limit (soft and hard) to `limit`.
fn spawn_with_open_file_limit(env: &Env, limit: u32) -> (Child, SocketAddr) {
    let mut command = Command::new("sh");
    command.args([
        "-c",
        &format!("ulimit -n {limit} && exec \"$0\" \"$@\""),
        env!("CARGO_BIN_EXE_trust-intake-serve"),
    ]);
    spawn_with(env, command)
}

fn spawn_with(env: &Env, mut command: Command) -> (Child, SocketAddr) {
    let stderr = File::create(env.dir.path().join("stderr.log")).unwrap();
    let mut child = command
        .arg("--config")
        .arg(&env.config_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(stderr))
        .spawn()
        .unwrap();
    let base = announced_base(&mut child);
    let address = base
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("{base}"));
    (child, address.parse().unwrap())
}

fn stderr_of(env: &Env) -> String {
    std::fs::read_to_string(env.dir.path().join("stderr.log")).unwrap()
}

fn env_with(listener: &str) -> Env {
    Env::new(&Options {
        listener: listener.to_string(),
        ..Options::default()
    })
}

/// Reads one HTTP response with a `Content-Length` body from a kept-alive connection.
fn read_response(stream: &mut TcpStream) -> String {
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&got).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if got.len() >= end + 4 + length {
                return text;
            }
        }
        let n = stream.read(&mut buf).unwrap();
        assert!(n > 0, "closed early: {text}");
        got.extend_from_slice(&buf[..n]);
    }
}

fn is_closed(stream: &mut TcpStream, within: Duration) -> bool {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn sigterm_finishes_in_flight_requests_and_exits_by_the_deadline() {
    let env = env_with(
        "shutdown_grace_ms = 1000\nheader_read_timeout_ms = 30000\nbody_read_timeout_ms = 30000\nidle_timeout_ms = 30000\n",
    );
    let (mut child, addr) = spawn(&env);

    // A download link whose first characters are an escape sequence, a line break and a bidi
    // override: the log line about it must stay one inert line.
    let mut probe = TcpStream::connect(addr).unwrap();
    probe
        .write_all(
            b"GET /v1/downloads/%1B%5B2J%0D%0A%E2%80%AEforged-line HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    assert!(read_response(&mut probe).starts_with("HTTP/1.1 403"));

    // Half-sent head: never completed, so only the deadline ends it.
    let mut half_head = TcpStream::connect(addr).unwrap();
    half_head
        .write_all(b"POST /v1/access-requests HTTP/1.1\r\nHost: x\r\nX-Half: ")
        .unwrap();
    // Head complete, body half-sent: in flight, finished after the signal.
    let body = submission("jane@prospect.example", "shutdown-inflight-0001").to_string();
    let mut in_flight = TcpStream::connect(addr).unwrap();
    let head = format!(
        "POST /v1/access-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    in_flight.write_all(head.as_bytes()).unwrap();
    in_flight.write_all(&body.as_bytes()[..20]).unwrap();
    std::thread::sleep(Duration::from_millis(200));

    let signalled = Instant::now();
    let status = send_sigterm(child.id());
    assert!(status.success());

    // The idle kept-alive connection is closed at once, no new connections are accepted …
    assert!(
        is_closed(&mut probe, Duration::from_millis(500)),
        "idle connection left open"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(
        TcpStream::connect(addr).is_err(),
        "still accepting after SIGTERM"
    );
    // … and the in-flight request is still answered and stored.
    in_flight.write_all(&body.as_bytes()[20..]).unwrap();
    let answer = read_response(&mut in_flight);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");

    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        if signalled.elapsed() > Duration::from_secs(5) {
            let _ = child.kill();
            panic!("still running 5 s after SIGTERM:\n{}", stderr_of(&env));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = signalled.elapsed();
    assert!(exit.success(), "exit status {exit:?}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_millis(3000),
        "exited {took:?} after SIGTERM (grace 1 s)"
    );
    assert!(is_closed(&mut half_head, Duration::from_millis(500)));
    assert_eq!(env.list_json().len(), 1, "the in-flight request was stored");

    let log = stderr_of(&env);
    assert!(log.contains("open-file limit"), "{log}");
    assert!(log.contains("closing 1 of"), "{log}");
    assert!(log.contains("\\u{1b}[2J\\r\\n…"), "{log}");
    assert!(
        !log.contains('\x1b') && !log.contains('\r') && !log.contains('\u{202e}'),
        "{log:?}"
    );
    assert!(log.lines().all(|l| l.contains(" trust-intake: ")), "{log}");
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
            .bind(SocketAddr::new(from.parse().unwrap(), 0))
            .unwrap();
        socket.connect(to).await.unwrap().into_std().unwrap()
    });
    stream.set_nonblocking(false).unwrap();
    stream
}

/// SIGTERM through the shell's own `kill` (the crate forbids `unsafe`, so no libc call here).
fn send_sigterm(pid: u32) -> std::process::ExitStatus {
    Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}")])
        .status()
        .unwrap()
}

fn terminate(child: &mut Child) -> std::process::ExitStatus {
    let status = send_sigterm(child.id());
    assert!(status.success());
    child.wait().unwrap()
}

#[test]
fn a_small_descriptor_table_is_not_exhausted_by_one_client() {
    // The finding: 1,010 idle sockets from one client exhausted a 1,024-descriptor limit. Here the
    // limit is 80 (soft and hard, so it cannot be raised): the service fits its caps under it,
    // and 200 idle sockets from one client take one slot, not the table.
    let env = env_with("idle_timeout_ms = 20000\nheader_read_timeout_ms = 20000\n");
    let (mut child, addr) = spawn_with_open_file_limit(&env, 80);
    let mut idle: Vec<TcpStream> = (0..200).map(|_| connect_from("127.0.0.1", addr)).collect();
    // Refusals arrive as fast as the service accepts; poll until only the admitted one is left.
    let mut closed = vec![false; idle.len()];
    let deadline = Instant::now() + Duration::from_secs(5);
    let open = loop {
        for (stream, closed) in idle.iter_mut().zip(closed.iter_mut()) {
            if !*closed {
                *closed = is_closed(stream, Duration::from_millis(2));
            }
        }
        let open = closed.iter().filter(|c| !**c).count();
        if open <= 1 || Instant::now() >= deadline {
            break open;
        }
    };
    assert_eq!(open, 1, "open connections of the flooding client");
    let started = Instant::now();
    let mut other = connect_from("127.0.0.2", addr);
    other
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    assert!(read_response(&mut other).starts_with("HTTP/1.1 200"));
    assert!(started.elapsed() < Duration::from_secs(1));
    drop(other);
    assert!(terminate(&mut child).success());
    let log = stderr_of(&env);
    assert!(log.contains("open-file limit 80 "), "{log}");
    assert!(
        log.contains("lowered from 1024 to 16 and max_connections_per_ip from 64 to 1"),
        "{log}"
    );
    // 199 refusals, one log line (the next would come 10 s later with the count folded in).
    let refusals = log
        .lines()
        .filter(|l| l.contains("refused a connection"))
        .count();
    assert_eq!(refusals, 1, "{log}");
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

const CLIENTS: usize = 250;
const HEADER_KIB: usize = 380;

/// RSS growth (KiB) of a service after `CLIENTS` connections each send a 380 KiB header without
/// ever finishing it, with the connections still open at the time of measuring.
///
/// The service reads from the kernel's socket buffers at its own pace, so RSS is sampled for up to
/// `watch` and the largest growth is returned (early once it reaches `enough`).
fn rss_growth_with_half_sent_headers(max_header_bytes: usize, watch: Duration, enough: u64) -> u64 {
    let env = env_with(&format!(
        "max_connections = 1000\nmax_connections_per_ip = 1000\nheader_read_timeout_ms = 20000\nidle_timeout_ms = 20000\nmax_header_bytes = {max_header_bytes}\n"
    ));
    let (mut child, addr) = spawn(&env);
    let mut warm = TcpStream::connect(addr).unwrap();
    warm.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    read_response(&mut warm);
    std::thread::sleep(Duration::from_millis(100));
    let before = rss_kib(child.id());
    let mut header = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ".to_vec();
    header.extend(std::iter::repeat_n(b'a', HEADER_KIB * 1024));
    let held: Vec<TcpStream> = (0..CLIENTS)
        .map(|_| {
            let mut stream = TcpStream::connect(addr).unwrap();
            stream
                .set_write_timeout(Some(Duration::from_secs(2)))
                .unwrap();
            let _ = stream.write_all(&header); // refused early when bounded: ignore the error
            stream
        })
        .collect();
    let deadline = Instant::now() + watch;
    let mut growth = 0;
    while Instant::now() < deadline && growth < enough {
        std::thread::sleep(Duration::from_millis(50));
        growth = growth.max(rss_kib(child.id()).saturating_sub(before));
    }
    drop(held);
    let _ = child.kill();
    let _ = child.wait();
    growth
}

#[test]
fn half_sent_large_headers_do_not_hold_memory() {
    let unbounded_kib = (CLIENTS * HEADER_KIB) as u64; // what the service held before issue 21
                                                       // Bounded: watched for the full 1.5 s, the largest growth counts.
    let bounded =
        rss_growth_with_half_sent_headers(16 * 1024, Duration::from_millis(1500), u64::MAX);
    // Control: with a buffer large enough to hold the headers (as hyper's ~400 KiB default did),
    // the same measurement sees the memory, so the bound below is not vacuous.
    let control = rss_growth_with_half_sent_headers(
        512 * 1024,
        Duration::from_secs(10),
        unbounded_kib * 3 / 5,
    );
    eprintln!(
        "RSS growth with {CLIENTS} half-sent {HEADER_KIB} KiB headers: {bounded} KiB bounded (16 KiB), {control} KiB with a 512 KiB buffer, {unbounded_kib} KiB held unbounded"
    );
    assert!(control > unbounded_kib / 2, "control {control} KiB");
    assert!(bounded < unbounded_kib / 4, "bounded {bounded} KiB");
}

#[test]
fn sigterm_during_a_hanging_webhook_exits_on_time_and_keeps_the_message() {
    // A webhook receiver that takes the connection and never answers.
    let receiver = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hook = format!("http://{}/hook", receiver.local_addr().unwrap());
    let (taken_tx, taken) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (stream, _) = receiver.accept().unwrap();
        taken_tx.send(()).unwrap();
        std::thread::sleep(Duration::from_secs(30));
        drop(stream);
    });
    let env = Env::new(&Options {
        webhook_url: Some(hook),
        listener: "shutdown_grace_ms = 1000\n".into(),
        ..Options::default()
    });
    let (mut child, addr) = spawn(&env);
    let reply = common::post(
        &format!("http://{addr}/v1/access-requests"),
        &submission("jane@prospect.example", "hanging-webhook-0001"),
    );
    assert_eq!(reply.status, 201);
    taken
        .recv_timeout(Duration::from_secs(5))
        .expect("the worker called the webhook");
    let signalled = Instant::now();
    let exit = terminate(&mut child);
    let took = signalled.elapsed();
    assert!(exit.success(), "{exit:?}");
    assert!(
        took < Duration::from_millis(3000),
        "exited {took:?} after SIGTERM"
    );
    // Nothing was lost: the message is still pending, to be sent after the restart.
    let outbox: Vec<serde_json::Value> =
        serde_json::from_str(&env.admin(&["outbox", "--json"]).unwrap()).unwrap();
    let webhook: Vec<&serde_json::Value> = outbox
        .iter()
        .filter(|m| m["channel"] == "webhook")
        .collect();
    assert_eq!(webhook.len(), 1);
    assert_eq!(webhook[0]["status"], "pending", "{outbox:?}");
}

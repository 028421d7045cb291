//! Shared helpers for the integration tests: running the real `trustctl` binary with a fixed
//! date, making a signed demo setup in a temporary directory, and a tiny loopback HTTP server.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;
use std::thread::JoinHandle;

use assert_cmd::Command;
use tempfile::TempDir;

/// The date every test pretends is today, unless it says otherwise.
pub const TODAY: &str = "2026-11-28";

/// `trustctl --today 2026-11-28`, running in `dir`.
pub fn trustctl(dir: &Path) -> Command {
    trustctl_on(dir, TODAY)
}

/// `trustctl --today DATE`, running in `dir`.
pub fn trustctl_on(dir: &Path, date: &str) -> Command {
    let mut command = Command::cargo_bin("trustctl").expect("the trustctl binary is built");
    command.current_dir(dir).arg("--today").arg(date);
    command
}

/// `trustctl` without a date override (reads the system clock), running in `dir`.
pub fn trustctl_system_clock(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("trustctl").expect("the trustctl binary is built");
    command.current_dir(dir);
    command
}

/// A temporary directory with `trust/manifest.json` (from `init`), `keys/vendor.key|.pub`
/// (from `keygen`) and `trust/trust-center.json` (from `sign`).
pub struct Setup {
    pub dir: TempDir,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = TempDir::new().expect("temporary directory");
        trustctl(dir.path())
            .args(["init", "trust"])
            .assert()
            .success();
        // A vendor replaces the example's reserved example.* addresses with real ones first.
        let path = dir.path().join("trust/manifest.json");
        let text = std::fs::read_to_string(&path).expect("manifest written by init");
        let text = text
            .replace("example.com", "vendor-cloud.io")
            .replace("example.org", "registry-check.io")
            .replace("example.net", "mail-vendor.io");
        std::fs::write(&path, text).expect("manifest rewritten");
        trustctl(dir.path())
            .args(["keygen", "--out", "keys/vendor"])
            .assert()
            .success();
        trustctl(dir.path())
            .args([
                "sign",
                "trust/manifest.json",
                "--key",
                "keys/vendor.key",
                "--out",
                "trust/trust-center.json",
            ])
            .assert()
            .success();
        Setup { dir }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).expect("readable test file")
    }

    pub fn write(&self, relative: &str, contents: &[u8]) {
        std::fs::write(self.path(relative), contents).expect("writable test file");
    }

    pub fn cmd(&self) -> Command {
        trustctl(self.dir.path())
    }

    /// `trustctl sign trust/manifest.json --key keys/vendor.key --out trust/trust-center.json`,
    /// to which a test adds its own flags (`--bump`, `--yes`, …).
    pub fn sign_cmd(&self) -> Command {
        let mut command = self.cmd();
        command.args([
            "sign",
            "trust/manifest.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "trust/trust-center.json",
        ]);
        command
    }

    /// `trustctl lint trust/trust-center.json --public-key keys/vendor.pub`.
    pub fn lint_cmd(&self) -> Command {
        let mut command = self.cmd();
        command.args([
            "lint",
            "trust/trust-center.json",
            "--public-key",
            "keys/vendor.pub",
        ]);
        command
    }

    /// `trustctl keygen --out NAME`, which must succeed (a second key pair, e.g. a wrong key).
    pub fn keygen(&self, name: &str) {
        self.cmd()
            .args(["keygen", "--out", name])
            .assert()
            .success();
    }

    /// The manifest as JSON, for editing.
    pub fn manifest_json(&self) -> serde_json::Value {
        serde_json::from_str(&self.read("trust/manifest.json")).expect("manifest JSON")
    }

    pub fn write_json(&self, relative: &str, value: &serde_json::Value) {
        let text = serde_json::to_string_pretty(value).expect("serialisable JSON");
        self.write(relative, text.as_bytes());
    }
}

/// Runs openssl with `args` in `dir`; panics if it fails.
pub fn openssl(dir: &Path, args: &[&str]) {
    let status = StdCommand::new("openssl")
        .current_dir(dir)
        .args(args)
        .status()
        .expect("openssl is installed");
    assert!(status.success(), "openssl {args:?} failed");
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 that answers `requests` requests: `GET /ok`
/// gets `body` with status 200, anything else 404.
pub struct LoopbackServer {
    pub base: String,
    handle: Option<JoinHandle<Vec<String>>>,
}

impl LoopbackServer {
    pub fn start(body: Vec<u8>, requests: usize) -> LoopbackServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        let handle = std::thread::spawn(move || {
            let mut seen = Vec::new();
            for stream in listener.incoming().take(requests) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
                let mut request_line = String::new();
                let _ = reader.read_line(&mut request_line);
                loop {
                    let mut header = String::new();
                    match reader.read_line(&mut header) {
                        Ok(0) => break,
                        Ok(_) if header == "\r\n" || header == "\n" => break,
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                let path = request_line
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("")
                    .to_owned();
                let (status, payload): (&str, &[u8]) = if path == "/ok" {
                    ("200 OK", &body)
                } else {
                    ("404 Not Found", b"not here")
                };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    payload.len()
                );
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(payload);
                let _ = stream.flush();
                seen.push(path);
            }
            seen
        });
        LoopbackServer {
            base,
            handle: Some(handle),
        }
    }

    /// Waits for the expected requests and returns the paths that were asked for.
    pub fn finish(mut self) -> Vec<String> {
        self.handle
            .take()
            .map(|handle| handle.join().expect("server thread"))
            .unwrap_or_default()
    }
}

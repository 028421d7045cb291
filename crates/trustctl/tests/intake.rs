//! `trustctl serve` and `trustctl requests` are wired to the intake crate: the real service
//! starts on a loopback port, answers its health check, and the admin command reads its database.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::trustctl;
use predicates::str::contains;
use tempfile::TempDir;

/// Kills the service when the test ends, pass or fail.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_answers_health_checks_and_requests_reads_its_database() {
    let dir = TempDir::new().expect("temporary directory");
    std::fs::create_dir_all(dir.path().join("documents")).expect("documents folder");
    std::fs::write(
        dir.path().join("intake.toml"),
        "listen = \"127.0.0.1:0\"\n\
         data_dir = \"intake-data\"\n\
         allowed_origins = [\"http://127.0.0.1:8080\"]\n\
         [documents]\n\
         folder = \"documents\"\n",
    )
    .expect("config");

    let child = Command::new(assert_cmd::cargo::cargo_bin("trustctl"))
        .current_dir(dir.path())
        .args(["serve", "--config", "intake.toml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("trustctl serve starts");
    let mut service = Service(child);
    let stdout = service.0.stdout.take().expect("piped stdout");
    let mut first_line = String::new();
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("a line from serve");
    let address = first_line
        .trim()
        .strip_prefix("trust-intake listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {first_line:?}"))
        .to_owned();
    assert!(address.starts_with("127.0.0.1:"), "{address}");

    let mut stream = TcpStream::connect(&address).expect("connect to the service");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .expect("send request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.trim_end().ends_with("ok"), "{response}");

    trustctl(dir.path())
        .args(["requests", "list", "--config", "intake.toml"])
        .assert()
        .code(0)
        .stdout(contains("No requests."));
    trustctl(dir.path())
        .args([
            "requests",
            "show",
            "req_doesnotexist",
            "--config",
            "intake.toml",
        ])
        .assert()
        .code(7);
    // Erasing an unknown request: exit 7, the typed id made inert on standard error.
    trustctl(dir.path())
        .args([
            "requests",
            "erase",
            "req_unknown\u{202e}",
            "--config",
            "intake.toml",
        ])
        .assert()
        .code(7)
        .stderr(contains("req_unknown\\u{202e}"));
    drop(service);
}

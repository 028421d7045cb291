//! Test harness for mail: the real SMTP server of `smtp_server.py` (aiosmtpd) on a loopback port, a
//! test CA and server certificate made with `openssl`, and the stored messages read back with an
//! independent MIME parser (mail-parser).
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mail_parser::MimeHeaders;

/// The handler script next to this file.
pub fn server_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py")
}

/// A Python interpreter that has aiosmtpd: `$TRUST_TEST_PYTHON`, else Debian's, else `python3`.
pub fn python() -> String {
    let candidates = std::env::var("TRUST_TEST_PYTHON")
        .into_iter()
        .chain(["/usr/bin/python3".to_string(), "python3".to_string()]);
    for candidate in candidates {
        let ok = Command::new(&candidate)
            .args(["-c", "import aiosmtpd"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if ok {
            return candidate;
        }
    }
    panic!("no Python with aiosmtpd: run scripts/setup.sh (installs python3-aiosmtpd)")
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running SMTP server; killed on drop. Messages land in `maildir` (refused ones in `maildir/refused`).
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

impl SmtpServer {
    /// Starts the server on `port` with extra switches (`--reply`, `--delay`, `--tls-cert`, `--auth`, …).
    pub fn start(port: u16, maildir: &Path, switches: &[&str]) -> SmtpServer {
        let mut child = Command::new(python())
            .arg(server_script())
            .arg("--port")
            .arg(port.to_string())
            .arg("--maildir")
            .arg(maildir)
            .args(switches)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        assert!(line.starts_with("smtp listening"), "smtp server: {line}");
        // Keep draining its log so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let mut line = String::new();
            let echo = std::env::var_os("TRUST_TEST_SMTP_LOG").is_some();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if echo {
                    eprint!("[smtp] {line}");
                }
                line.clear();
            }
        });
        SmtpServer {
            child,
            port,
            maildir: maildir.to_path_buf(),
        }
    }

    /// Stops it (SIGKILL) and waits.
    pub fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One stored message, parsed.
#[derive(Debug, Clone)]
pub struct Mail {
    pub file: PathBuf,
    pub raw: String,
    pub envelope_to: String,
    pub envelope_from: String,
    pub subject: String,
    pub message_id: String,
    pub from: String,
    pub to: String,
    pub reply_to: Option<String>,
    pub content_type: String,
    pub text: String,
    pub html: String,
    pub text_parts: usize,
    pub html_parts: usize,
    pub auto_submitted: Option<String>,
    pub has_date: bool,
}

fn address_text(address: Option<&mail_parser::Address<'_>>) -> String {
    address
        .and_then(|a| a.first())
        .map(|a| {
            let email = a.address().unwrap_or_default();
            match a.name() {
                Some(name) => format!("{name} <{email}>"),
                None => email.to_string(),
            }
        })
        .unwrap_or_default()
}

impl Mail {
    /// The HTML part with character references decoded (the templates escape `/` as `&#x2f;`), for
    /// comparing attribute values.
    pub fn html_decoded(&self) -> String {
        self.html
            .replace("&#x2f;", "/")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&")
    }
}

/// Parses one .eml file written by the server.
pub fn parse(file: &Path) -> Mail {
    let bytes = std::fs::read(file).unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(&bytes)
        .unwrap_or_else(|| panic!("{} is not a message", file.display()));
    let raw_header = |name: &str| message.header_raw(name).map(|v| v.trim().to_string());
    let text_parts = message
        .text_bodies()
        .filter(|p| p.content_type().and_then(|c| c.subtype()) == Some("plain"))
        .count();
    let html_parts = message
        .html_bodies()
        .filter(|p| p.content_type().and_then(|c| c.subtype()) == Some("html"))
        .count();
    Mail {
        file: file.to_path_buf(),
        raw: String::from_utf8_lossy(&bytes).to_string(),
        envelope_to: raw_header("X-Envelope-To").unwrap_or_default(),
        envelope_from: raw_header("X-Envelope-From").unwrap_or_default(),
        subject: message.subject().unwrap_or_default().to_string(),
        message_id: message.message_id().unwrap_or_default().to_string(),
        from: address_text(message.from()),
        to: address_text(message.to()),
        reply_to: message.reply_to().map(|a| address_text(Some(a))),
        content_type: raw_header("Content-Type").unwrap_or_default(),
        text: message.body_text(0).unwrap_or_default().to_string(),
        html: message.body_html(0).unwrap_or_default().to_string(),
        text_parts,
        html_parts,
        auto_submitted: raw_header("Auto-Submitted"),
        has_date: message.date().is_some(),
    }
}

/// Every message in `folder`, oldest first.
pub fn messages(folder: &Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    files.sort();
    files.iter().map(|f| parse(f)).collect()
}

/// Waits until `folder` holds at least `count` messages; returns them all.
pub fn wait_for_messages(folder: &Path, count: usize, timeout: Duration) -> Vec<Mail> {
    let deadline = Instant::now() + timeout;
    loop {
        let found = messages(folder);
        if found.len() >= count {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "expected {count} messages in {}, found {}",
            folder.display(),
            found.len()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The first `/v1/downloads/…` link in `text`.
pub fn link_in(text: &str) -> String {
    let start = text.find("http").expect("a link");
    let rest = &text[start..];
    let link: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '<' | '>'))
        .collect();
    assert!(
        link.contains("/v1/downloads/"),
        "not a download link: {link}"
    );
    link
}

/// A test CA and a server certificate for 127.0.0.1 signed by it, made with openssl in `dir`.
/// Returns (ca.pem, server cert, server key).
pub fn make_certificates(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let run = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl");
        assert!(status.success(), "openssl {args:?}");
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=trust-intake test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
    (
        dir.join("ca.pem"),
        dir.join("server.pem"),
        dir.join("server.key"),
    )
}

/// An RSA DKIM key made with openssl in `dir`: (PKCS#1 private key file, base64 DER public key for the
/// DNS record's `p=`).
pub fn make_dkim_key(dir: &Path) -> (PathBuf, String) {
    let key = dir.join("dkim.pem");
    let status = Command::new("openssl")
        .args(["genrsa", "-traditional", "-out"])
        .arg(&key)
        .arg("2048")
        .stderr(Stdio::null())
        .status()
        .expect("openssl");
    assert!(status.success());
    let public = Command::new("openssl")
        .args(["rsa", "-pubout", "-outform", "DER", "-in"])
        .arg(&key)
        .stderr(Stdio::null())
        .output()
        .expect("openssl");
    assert!(public.status.success());
    use base64::Engine;
    (
        key,
        base64::engine::general_purpose::STANDARD.encode(public.stdout),
    )
}

/// Verifies the DKIM signature of a stored message with dkimpy (an independent implementation),
/// answering its DNS query for `selector._domainkey.domain` with `record`. Returns dkimpy's verdict.
pub fn dkim_verifies(file: &Path, expected_name: &str, record: &str) -> bool {
    let script = r#"
import sys, dkim
raw = open(sys.argv[1], "rb").read()
# The test server adds its X-Envelope-* lines on top; they are not part of the message.
while raw.startswith(b"X-Envelope-"):
    raw = raw.split(b"\r\n", 1)[1]
def dns(name, timeout=5):
    assert name.decode().rstrip(".") == sys.argv[2], name
    return sys.argv[3].encode()
print("pass" if dkim.verify(raw, dnsfunc=dns) else "fail")
"#;
    let output = Command::new(python())
        .args(["-c", script])
        .arg(file)
        .arg(expected_name)
        .arg(record)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "dkimpy: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim() == "pass"
}

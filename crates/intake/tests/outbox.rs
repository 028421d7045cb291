//! The outbox: a webhook is POSTed for each new request, retried with backoff after a failure.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

/// A loopback HTTP receiver that answers 500 to the first `failures` requests, then 200.
/// Every received (status it answered, body, signature header) is sent on the channel.
fn receiver(failures: usize) -> (String, mpsc::Receiver<(u16, String, Option<String>)>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (sender, received) = mpsc::channel();
    std::thread::spawn(move || {
        for (count, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            let mut signature = None;
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line == "\r\n" || line.is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                    if name.eq_ignore_ascii_case("x-trust-intake-signature") {
                        signature = Some(value.trim().to_string());
                    }
                }
            }
            let mut body = vec![0u8; length];
            reader.read_exact(&mut body).unwrap();
            let status = if count < failures { 500 } else { 200 };
            let reply =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            stream.write_all(reply.as_bytes()).unwrap();
            assert!(request_line.starts_with("POST /hook "));
            if sender
                .send((status, String::from_utf8(body).unwrap(), signature))
                .is_err()
            {
                return;
            }
        }
    });
    (url, received)
}

#[test]
fn webhook_is_retried_until_delivered() {
    let (url, received) = receiver(1);
    let service = Service::start(Options {
        webhook_url: Some(url.clone()),
        notify_email: Some("security@vendor.example".into()),
        webhook_secret: Some("hook-secret".into()),
        ..Options::default()
    });
    let started = Instant::now();
    let reply = post(
        &service.url("/v1/access-requests"),
        &submission("jane.doe@prospect.example", "key-webhook-000001"),
    );
    assert_eq!(reply.status, 201);
    let id = reply.json()["request_id"].as_str().unwrap().to_string();

    let (first_status, first_body, _) = received
        .recv_timeout(Duration::from_secs(10))
        .expect("first attempt");
    let (second_status, second_body, signature) = received
        .recv_timeout(Duration::from_secs(10))
        .expect("retry");
    assert_eq!((first_status, second_status), (500, 200));
    assert_eq!(
        signature.as_deref(),
        Some(trust_intake::outbox::signature(b"hook-secret", second_body.as_bytes()).as_str()),
        "the webhook body is signed with webhook_secret"
    );
    assert!(signature.unwrap().starts_with("sha256="));
    assert_eq!(first_body, second_body);
    assert!(
        started.elapsed() >= Duration::from_millis(50),
        "the retry waits for the backoff"
    );
    let event: Value = serde_json::from_str(&second_body).unwrap();
    assert_eq!(event["event"], "access_request.created");
    assert_eq!(event["request_id"], Value::String(id.clone()));
    assert_eq!(event["email_domain"], "prospect.example");
    assert!(
        !second_body.contains("jane.doe@"),
        "the webhook carries no full e-mail address"
    );

    // The outbox records the delivery (2 attempts) and keeps the vendor e-mail queued (no [smtp] here).
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let outbox: Vec<Value> =
            serde_json::from_str(&service.env.admin(&["outbox", "--json"]).unwrap()).unwrap();
        let hook = outbox
            .iter()
            .find(|m| m["channel"] == "webhook")
            .unwrap()
            .clone();
        if hook["status"] == "delivered" {
            assert_eq!(hook["attempts"], 2);
            assert_eq!(hook["recipient"], Value::String(url));
            let mail = outbox.iter().find(|m| m["channel"] == "email").unwrap();
            assert_eq!(mail["recipient"], "security@vendor.example");
            assert_eq!(mail["status"], "pending");
            assert!(mail["body"].as_str().unwrap().contains(&id));
            break;
        }
        assert!(
            Instant::now() < deadline,
            "webhook not marked delivered: {hook}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        received.recv_timeout(Duration::from_millis(300)).is_err(),
        "no delivery after success"
    );
}

#[test]
fn unreachable_webhook_gives_up_after_max_attempts() {
    // Bind then drop: nothing listens on this loopback port.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let service = Service::start(Options {
        webhook_url: Some(format!("http://127.0.0.1:{port}/hook")),
        ..Options::default()
    });
    assert_eq!(
        post(
            &service.url("/v1/access-requests"),
            &submission("m@prospect.example", "key-webhook-000002")
        )
        .status,
        201
    );
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let outbox: Vec<Value> =
            serde_json::from_str(&service.env.admin(&["outbox", "--json"]).unwrap()).unwrap();
        let hook = &outbox[0];
        if hook["status"] == "failed" {
            assert_eq!(
                hook["attempts"], 4,
                "webhook_max_attempts = 4 in the test config"
            );
            assert!(
                hook["last_error"]
                    .as_str()
                    .unwrap()
                    .contains("could not be reached"),
                "{hook}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "still not failed: {hook}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

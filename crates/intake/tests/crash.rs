//! Durability: requests acknowledged with 201 survive a SIGKILL of the service process.

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use trust_intake::store::{SqliteStore, Store};

/// Starts the real service binary and returns it with its base URL (read from its first stdout line).
fn spawn(env: &Env) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trust-intake-serve"))
        .arg("--config")
        .arg(&env.config_path)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = announced_base(&mut child);
    (child, base)
}

#[test]
fn acknowledged_requests_survive_sigkill() {
    let env = Env::new(&Options::default());
    let (mut child, base) = spawn(&env);
    let url = format!("{base}/v1/access-requests");

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (url, acknowledged, stop) = (url.clone(), acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent = common::agent();
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let body = submission(
                        &format!("w{writer}n{n}@prospect.example"),
                        &format!("crash-key-{writer}-{n:08}"),
                    );
                    let sent = agent
                        .post(&url)
                        .content_type("application/json")
                        .send(body.to_string());
                    let Ok(mut response) = sent else { break }; // the server is gone
                    if response.status().as_u16() == 201 {
                        let Ok(text) = response.body_mut().read_to_string() else {
                            break;
                        };
                        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                        acknowledged
                            .lock()
                            .unwrap()
                            .push(value["request_id"].as_str().unwrap().to_string());
                    }
                }
            })
        })
        .collect();

    // Kill while the writers are still sending, once a good number has been acknowledged.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 40 {
        assert!(
            std::time::Instant::now() < deadline,
            "the service acknowledged too few requests"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix: no shutdown code runs
    child.wait().unwrap();
    stop.store(true, Ordering::SeqCst);
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 40);

    // Restart on the same database: every acknowledged id is there, over HTTP and in the file.
    let (mut restarted, base) = spawn(&env);
    for id in &acknowledged {
        let reply = get(&format!("{base}/v1/access-requests/{id}"));
        assert_eq!(reply.status, 200, "acknowledged request {id} was lost");
    }
    let store = SqliteStore::open(&env.config().database_path()).unwrap();
    let stored: Vec<String> = store
        .list_requests(None, 100_000)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    for id in &acknowledged {
        assert!(stored.contains(id), "{id} missing from the database");
    }
    // 0001_init + 0002_console (the review console's tables) + 0003_subscriptions (issue 17)
    // + 0004_erasure (erased subscribers, cancelled e-mails).
    assert_eq!(store.schema_version().unwrap(), 4);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode =
            |p: std::path::PathBuf| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let config = env.config();
        assert_eq!(
            mode(config.database_path()),
            0o600,
            "the database holds personal data"
        );
        assert_eq!(mode(config.data_dir()), 0o700);
    }
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}

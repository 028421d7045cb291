//! `trustctl notify` and `trustctl notices` with the real binary: a signed envelope whose `changes`
//! announce a new subprocessor, a real `trustctl serve` on a loopback port with its SQLite file, a
//! subscriber who subscribed and confirmed over HTTP; notify queues one notice, a second run none;
//! an altered envelope or a wrong key is refused before anything is queued. `notices
//! --erase-subscriber` through the binary: counts only, the queued e-mail cancelled, listed as erased,
//! the link refused, a second erasure a no-op, an unknown target exit 7.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::Setup;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::{json, Value};

/// Kills the service when the test ends, pass or fail.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn outbox(setup: &Setup) -> Vec<Value> {
    let output = setup
        .cmd()
        .args(["requests", "outbox", "--json", "--config", "intake.toml"])
        .output()
        .expect("outbox runs");
    serde_json::from_slice(&output.stdout).expect("outbox JSON")
}

/// Signs version 2 of the manifest, which adds a subprocessor and says so in its change history,
/// as trust/v2.json.
fn sign_version_2(setup: &Setup) {
    let mut manifest = setup.manifest_json();
    let issued_at = manifest["issued_at"]
        .as_str()
        .expect("issued_at")
        .to_owned();
    manifest["version"] = json!(2);
    manifest["subprocessors"]
        .as_array_mut()
        .expect("subprocessors")
        .push(
            json!({"name": "Acme Analytics", "purpose": "Product analytics", "locations": ["EU"]}),
        );
    manifest["changes"] = json!([{
        "id": "subprocessor-added-acme-analytics",
        "version": 2,
        "date": issued_at,
        "category": "subprocessors",
        "summary": "Acme Analytics added as a subprocessor for product analytics",
        "effective_date": "2027-06-01"
    }]);
    setup.write_json("trust/manifest.json", &manifest);
    setup
        .cmd()
        .args([
            "sign",
            "trust/manifest.json",
            "--key",
            "keys/vendor.key",
            "--out",
            "trust/v2.json",
        ])
        .assert()
        .success();
}

/// Writes an intake.toml without `[smtp]` (e-mails stay queued in the outbox, where the tests read
/// them) and starts the service on it.
fn serve_without_mail(setup: &Setup) -> (Service, String) {
    setup.write(
        "intake.toml",
        b"listen = \"127.0.0.1:0\"\ndata_dir = \"intake-data\"\n\
          signing_secret = \"notify-test-secret-0123456789abcdefghij\"\n\
          allowed_origins = [\"http://127.0.0.1:8080\"]\n",
    );
    serve(setup)
}

/// Subscribes ana@customer.example to subprocessor changes over HTTP and returns the confirmation
/// link from the queued e-mail (the only row of the outbox).
fn subscribe(setup: &Setup, base: &str, idempotency_key: &str) -> String {
    let answer = agent()
        .post(&format!("{base}/v1/subscriptions"))
        .content_type("application/json")
        .send(
            json!({"email": "ana@customer.example", "categories": ["subprocessors"],
                   "idempotency_key": idempotency_key})
            .to_string(),
        )
        .expect("subscribe");
    assert_eq!(answer.status().as_u16(), 202);
    let rows = outbox(setup);
    assert_eq!(rows.len(), 1, "{rows:#?}");
    let content: Value =
        serde_json::from_str(rows[0]["body"].as_str().expect("body")).expect("mail content");
    content["vars"]["confirm_url"]
        .as_str()
        .expect("confirm_url")
        .to_owned()
}

/// `trustctl notices --config intake.toml ARGS…`.
fn notices(setup: &Setup, args: &[&str]) -> assert_cmd::Command {
    let mut command = setup.cmd();
    command
        .args(["notices", "--config", "intake.toml"])
        .args(args);
    command
}

/// `trustctl notify --envelope ENVELOPE --key KEY --config intake.toml`.
fn notify(setup: &Setup, envelope: &str, key: &str) -> assert_cmd::Command {
    let mut command = setup.cmd();
    command.args([
        "notify",
        "--envelope",
        envelope,
        "--key",
        key,
        "--config",
        "intake.toml",
    ]);
    command
}

/// Starts `trustctl serve --config intake.toml`; returns it with the announced base URL.
fn serve(setup: &Setup) -> (Service, String) {
    let child = Command::new(assert_cmd::cargo::cargo_bin("trustctl"))
        .current_dir(setup.dir.path())
        .args(["serve", "--config", "intake.toml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("trustctl serve starts");
    let mut service = Service(child);
    let mut first_line = String::new();
    BufReader::new(service.0.stdout.take().expect("stdout"))
        .read_line(&mut first_line)
        .expect("a line from serve");
    let base = first_line
        .trim()
        .strip_prefix("trust-intake listening on ")
        .expect("the announced address")
        .to_owned();
    (service, base)
}

#[test]
fn notify_verifies_the_envelope_and_queues_one_notice_per_subscriber_and_version() {
    let setup = Setup::new();
    sign_version_2(&setup);

    let (service, base) = serve_without_mail(&setup);

    // Subscribe and confirm (the link comes from the queued confirmation e-mail: no [smtp] here).
    let confirm = subscribe(&setup, &base, "notify-test-key-0001");
    let token = confirm.split_once("token=").expect("token").1.to_owned();
    let confirmed = agent()
        .post(&confirm)
        .content_type("application/x-www-form-urlencoded")
        .send(format!("token={token}"))
        .expect("confirm");
    assert_eq!(confirmed.status().as_u16(), 200);

    // Refused: an altered envelope, a key that did not sign it. Nothing is queued.
    let envelope: Value = serde_json::from_str(&setup.read("trust/v2.json")).expect("envelope");
    let mut altered = envelope.clone();
    let signature = altered["signatures"][0]["sig"]
        .as_str()
        .expect("sig")
        .to_owned();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    altered["signatures"][0]["sig"] = json!(format!("{flipped}{}", &signature[1..]));
    setup.write_json("trust/altered.json", &altered);
    notify(&setup, "trust/altered.json", "keys/vendor.pub")
        .assert()
        .code(11);
    setup.keygen("keys/other");
    notify(&setup, "trust/v2.json", "keys/other.pub")
        .assert()
        .code(12);
    assert_eq!(outbox(&setup).len(), 1);

    // The genuine envelope: one notice; again: none.
    notify(&setup, "trust/v2.json", "keys/vendor.pub")
        .assert()
        .success()
        .stdout(contains("✓ VALID"))
        .stdout(contains("subprocessor-added-acme-analytics"))
        .stdout(contains("Queued 1 notice(s)"))
        .stdout(contains("ana@customer.example"));
    notify(&setup, "trust/v2.json", "keys/vendor.pub")
        .assert()
        .success()
        .stdout(contains("Queued 0 notice(s)"))
        .stdout(contains("Already notified for this version: 1"));
    let rows = outbox(&setup);
    assert_eq!(rows.len(), 2);
    let notice: Value =
        serde_json::from_str(rows[0]["body"].as_str().expect("body")).expect("notice");
    assert_eq!(notice["template"], "change_notice");
    let changes = notice["vars"]["changes"].as_str().expect("changes");
    for fact in [
        "Acme Analytics",
        "Product analytics",
        "EU",
        "2027-06-01",
        "How to object",
    ] {
        assert!(changes.contains(fact), "{fact} in {changes}");
    }

    let listing = setup
        .cmd()
        .args(["notices", "--json", "--config", "intake.toml"])
        .output()
        .expect("notices runs");
    let records: Value = serde_json::from_slice(&listing.stdout).expect("notices JSON");
    assert_eq!(records.as_array().map(Vec::len), Some(1));
    assert_eq!(records[0]["manifest_version"], 2);
    assert_eq!(records[0]["delivery"], "pending");
    setup
        .cmd()
        .args(["notices", "--config", "intake.toml"])
        .assert()
        .success()
        .stdout(contains("subprocessor-added-acme-analytics"));
    drop(service);
}

#[test]
fn notices_erase_subscriber_erases_by_address_then_says_nothing_to_do_and_refuses_the_unknown() {
    let setup = Setup::new();
    let (service, base) = serve_without_mail(&setup);
    // Subscribed, not confirmed: with no [smtp] the confirmation e-mail stays queued.
    let confirm = subscribe(&setup, &base, "erase-cli-key-0001");

    let erased = notices(&setup, &["--erase-subscriber", "ana@customer.example"])
        .output()
        .expect("notices runs");
    let printed = String::from_utf8_lossy(&erased.stdout).into_owned();
    assert!(
        erased.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    for line in [
        "Erased subscription sub_",
        "2 evidence event(s)",
        "1 queued e-mail(s) cancelled",
        "Old copies: the SQLite file was rebuilt (VACUUM)",
    ] {
        assert!(printed.contains(line), "{line} in {printed}");
    }
    assert!(!printed.contains("ana@"), "{printed}");
    let id = printed
        .split_whitespace()
        .find(|word| word.starts_with("sub_"))
        .expect("the id")
        .to_owned();
    // The queued confirmation is cancelled and holds neither the address nor the link.
    let rows = outbox(&setup);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (&rows[0]["status"], &rows[0]["recipient"], &rows[0]["body"]),
        (&json!("cancelled"), &json!(""), &json!(""))
    );
    // Listed as erased, without the address; its confirm link leads nowhere.
    setup
        .cmd()
        .args(["notices", "--config", "intake.toml", "--subscribers"])
        .assert()
        .success()
        .stdout(contains(id.as_str()))
        .stdout(contains("(erased)"))
        .stdout(contains("ana@").not());
    let token = confirm.split_once("token=").expect("token").1.to_owned();
    let page = agent()
        .get(&format!("{base}/v1/subscriptions/confirm?token={token}"))
        .call()
        .expect("confirm page");
    assert_eq!(page.status().as_u16(), 410);

    // Again, by id: nothing to do, success. Unknown address or id: exit 7, the text made inert.
    notices(&setup, &["--erase-subscriber", &id])
        .assert()
        .success()
        .stdout(contains("already erased"))
        .stdout(contains("nothing to do"));
    let report = notices(&setup, &["--erase-subscriber", &id, "--json"])
        .output()
        .expect("notices runs");
    assert!(report.status.success());
    let report: Value = serde_json::from_slice(&report.stdout).expect("the report as JSON");
    assert_eq!(report["subscription_id"], id.as_str());
    assert_eq!(report["erased_now"], false);
    assert!(report["erased_at"].is_i64());
    assert_eq!(report["old_copies"]["state"], "purged");
    notices(&setup, &["--erase-subscriber", "ana@customer.example"])
        .assert()
        .code(7)
        .stderr(contains("nothing was erased"));
    notices(&setup, &["--erase-subscriber", "sub_\u{202e}nobody"])
        .assert()
        .code(7)
        .stderr(contains("sub_\\u{202e}nobody"))
        .stderr(contains("\u{202e}").not());
    // Combined with a listing option: a usage error, nothing erased.
    notices(&setup, &["--subscribers", "--erase-subscriber", &id])
        .assert()
        .code(2);
    drop(service);
}

/// A new database on the PostgreSQL cluster of scripts/test.sh (TEST_POSTGRES_URL), made with its
/// `psql`; None (skipped, said so) on a developer machine without one, a failure when CI is set.
fn fresh_postgres_database(name: &str) -> Option<String> {
    let url = match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                !std::env::var("CI").is_ok_and(|v| v == "true" || v == "1"),
                "TEST_POSTGRES_URL is not set but CI is: this test must not be skipped"
            );
            eprintln!("TEST_POSTGRES_URL is not set: skipping the PostgreSQL notify test");
            return None;
        }
    };
    let psql = std::env::var("TEST_POSTGRES_BIN")
        .map(|bin| format!("{bin}/psql"))
        .unwrap_or_else(|_| "psql".into());
    let name = format!("{name}_{}", std::process::id());
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        let status = Command::new(&psql)
            .args([url.as_str(), "-qc", statement.as_str()])
            .env("PGOPTIONS", "-c client_min_messages=warning")
            .status()
            .expect("psql runs");
        assert!(status.success(), "{statement}");
    }
    let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
    Some(format!("{base}/{name}"))
}

#[test]
fn two_concurrent_notify_runs_on_postgresql_queue_one_notice_per_subscriber() {
    let Some(url) = fresh_postgres_database("trustctl_notify") else {
        return;
    };
    let setup = Setup::new();
    sign_version_2(&setup);
    setup.write(
        "intake.toml",
        format!(
            "database_url = \"{url}\"\nlisten = \"127.0.0.1:0\"\ndata_dir = \"intake-data\"\n\
             signing_secret = \"notify-test-secret-0123456789abcdefghij\"\n\
             allowed_origins = [\"http://127.0.0.1:8080\"]\n"
        )
        .as_bytes(),
    );
    let (service, base) = serve(&setup);
    let readers = [
        "ana@customer.example",
        "bo@customer.example",
        "cy@customer.example",
    ];
    for (i, email) in readers.iter().enumerate() {
        let answer = agent()
            .post(&format!("{base}/v1/subscriptions"))
            .content_type("application/json")
            .send(
                json!({"email": email, "categories": ["subprocessors"],
                       "idempotency_key": format!("notify-pg-key-{i:04}")})
                .to_string(),
            )
            .expect("subscribe");
        assert_eq!(answer.status().as_u16(), 202);
    }
    // `trustctl requests outbox` reads the same PostgreSQL database.
    let rows = outbox(&setup);
    assert_eq!(rows.len(), 3, "{rows:#?}");
    for row in &rows {
        let content: Value =
            serde_json::from_str(row["body"].as_str().expect("body")).expect("mail content");
        let confirm = content["vars"]["confirm_url"]
            .as_str()
            .expect("confirm_url")
            .to_owned();
        let token = confirm.split_once("token=").expect("token").1.to_owned();
        let confirmed = agent()
            .post(&confirm)
            .content_type("application/x-www-form-urlencoded")
            .send(format!("token={token}"))
            .expect("confirm");
        assert_eq!(confirmed.status().as_u16(), 200);
    }

    // Two `trustctl notify` processes at once: the unique (subscriber, version) constraint decides.
    let runs: Vec<_> = (0..2)
        .map(|_| {
            Command::new(assert_cmd::cargo::cargo_bin("trustctl"))
                .current_dir(setup.dir.path())
                .args([
                    "notify",
                    "--envelope",
                    "trust/v2.json",
                    "--key",
                    "keys/vendor.pub",
                    "--config",
                    "intake.toml",
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("trustctl notify starts")
        })
        .collect();
    let mut queued = 0;
    for run in runs {
        let output = run.wait_with_output().expect("notify ends");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let at = stdout.find("Queued ").expect("a summary");
        queued += stdout[at + 7..]
            .split_whitespace()
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .expect("a count");
    }
    assert_eq!(queued, 3);
    notify(&setup, "trust/v2.json", "keys/vendor.pub")
        .assert()
        .success()
        .stdout(contains("Queued 0 notice(s)"))
        .stdout(contains("Already notified for this version: 3"));
    assert_eq!(outbox(&setup).len(), 6, "3 confirmations + 3 notices");
    let listing = setup
        .cmd()
        .args(["notices", "--json", "--config", "intake.toml"])
        .output()
        .expect("notices runs");
    let records: Value = serde_json::from_slice(&listing.stdout).expect("notices JSON");
    let mut notified: Vec<&str> = records
        .as_array()
        .expect("records")
        .iter()
        .map(|r| r["email"].as_str().expect("email"))
        .collect();
    notified.sort_unstable();
    assert_eq!(notified, readers);
    drop(service);
}

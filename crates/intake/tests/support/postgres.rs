//! Test harness for PostgreSQL: the throw-away cluster scripts/test.sh starts (TEST_POSTGRES_URL), a
//! fresh database per test, and the cluster's pg_ctl for the restart test.
//!
//! Without TEST_POSTGRES_URL a PostgreSQL test is skipped with a message on a developer machine and
//! fails when CI=true (CI must never pass by skipping).
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// The cluster's URL, or None (after saying so) on a developer machine without one.
pub fn cluster_url() -> Option<String> {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("TEST_POSTGRES_URL is not set but CI is: scripts/test.sh starts the PostgreSQL cluster; this test must not be skipped");
            }
            eprintln!("TEST_POSTGRES_URL is not set: skipping the PostgreSQL part (scripts/test.sh native starts a cluster)");
            None
        }
    }
}

/// `url` with its database name replaced.
pub fn with_database(url: &str, database: &str) -> String {
    let base = url.rsplit_once('/').map_or(url, |(base, _)| base);
    format!("{base}/{database}")
}

/// A new, empty database on the cluster, named after `label`; its URL.
pub fn fresh_database(label: &str) -> Option<String> {
    let url = cluster_url()?;
    let name = format!(
        "t_{}_{}_{}",
        label.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    )
    .to_ascii_lowercase();
    let mut client = postgres::Client::connect(&url, postgres::NoTls)
        .unwrap_or_else(|e| panic!("cannot connect to TEST_POSTGRES_URL: {e}"));
    client
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .unwrap();
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    Some(with_database(&url, &name))
}

/// Runs one SQL statement batch on the database at `url`.
pub fn sql(url: &str, statements: &str) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client.batch_execute(statements).unwrap();
}

/// One integer from a query on the database at `url`.
pub fn number(url: &str, query: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    client.query_one(query, &[]).unwrap().get(0)
}

/// A private cluster (initdb + pg_ctl under a temp dir, free 127.0.0.1 port) that a test may stop and
/// start; run as the `postgres` account when the tests run as root (initdb refuses root).
pub struct PrivateCluster {
    pub dir: tempfile::TempDir,
    pub port: u16,
    bin: std::path::PathBuf,
}

fn server_bin_dir() -> Option<std::path::PathBuf> {
    if let Ok(dir) = std::env::var("TEST_POSTGRES_BIN") {
        return Some(dir.into());
    }
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

fn running_as_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

impl PrivateCluster {
    /// Starts one, or None (see [`cluster_url`]) when PostgreSQL is not available outside CI.
    pub fn start() -> Option<PrivateCluster> {
        PrivateCluster::start_with(None)
    }

    /// Like [`PrivateCluster::start`], but TCP connections must give `password` (SCRAM); the URLs of
    /// [`PrivateCluster::url`] carry no password.
    pub fn start_with_password(password: &str) -> Option<PrivateCluster> {
        PrivateCluster::start_with(Some(password))
    }

    fn start_with(password: Option<&str>) -> Option<PrivateCluster> {
        cluster_url()?;
        let bin = server_bin_dir()
            .expect("TEST_POSTGRES_URL is set but no PostgreSQL server binaries found");
        let dir = tempfile::tempdir().unwrap();
        if running_as_root() {
            let status = std::process::Command::new("chown")
                .args(["postgres:", dir.path().to_str().unwrap()])
                .status()
                .unwrap();
            assert!(status.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let cluster = PrivateCluster { dir, port, bin };
        let data = cluster.data();
        match password {
            None => cluster.run(
                "initdb",
                &["-D", &data, "-U", "trust", "--auth=trust", "--no-sync"],
            ),
            Some(password) => {
                let file = cluster.dir.path().join("pwfile");
                std::fs::write(&file, format!("{password}\n")).unwrap();
                let pwfile = format!("--pwfile={}", file.display());
                let args = [
                    "-D",
                    &data,
                    "-U",
                    "trust",
                    "--auth-local=trust",
                    "--auth-host=scram-sha-256",
                    &pwfile,
                    "--no-sync",
                ];
                cluster.run("initdb", &args);
            }
        }
        cluster.start_server();
        let admin = match password {
            None => cluster.url("postgres"),
            Some(password) => format!(
                "postgres://trust:{password}@127.0.0.1:{}/postgres",
                cluster.port
            ),
        };
        sql(&admin, "CREATE DATABASE trust");
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let program = self.bin.join(tool);
        let mut command = if running_as_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            std::process::Command::new(&program)
        };
        let output = command.args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{tool} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Starts (or restarts) the server and waits until it accepts connections.
    pub fn start_server(&self) {
        let options = format!(
            "-h 127.0.0.1 -p {} -k {} -c max_connections=100",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-l",
                &log,
                "-w",
                "-t",
                "30",
                "-o",
                &options,
                "start",
            ],
        );
    }

    /// Stops the server (fast shutdown: open connections are closed).
    pub fn stop_server(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }

    /// The URL of one of its databases.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://trust@127.0.0.1:{}/{database}", self.port)
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        let data = self.data();
        let program = self.bin.join("pg_ctl");
        let args = ["-D", data.as_str(), "-m", "immediate", "-w", "stop"];
        let _ = if running_as_root() {
            std::process::Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            std::process::Command::new(&program).args(args).output()
        };
    }
}

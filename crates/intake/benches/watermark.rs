//! Benchmark of per-recipient watermarking: the median time to stamp a 10-page and a 200-page PDF
//! (in-process, [`trust_intake::watermark::stamp::stamp_pdf`]), and download throughput over real HTTP on
//! 127.0.0.1 (the page's POST, service started in-process on a temp SQLite file) with stamping on
//! (`watermark = "required"`) and off. A plain timing loop, no harness: it prints the numbers and one
//! `bench-json:` line that `scripts/bench.sh` reads.
//!
//! ```text
//! cargo bench -p trust-intake --bench watermark            # TC_BENCH_RUNS=N to change the sample count
//! ```
//!
//! The documents are made here with lopdf: pages of about 45 lines of text each (about 3 KB of content
//! per page, uncompressed), which is the shape of a text-heavy audit report.

use std::time::Instant;

use lopdf::{dictionary, Document, Object, Stream};
use serde_json::json;
use trust_intake::watermark::{stamp::stamp_pdf, StampFacts};

fn report_pdf(pages: usize) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding",
    });
    let mut kids = Vec::new();
    for n in 1..=pages {
        let mut content = String::from("BT /F1 10 Tf 14 TL 60 740 Td\n");
        for line in 1..=45 {
            content.push_str(&format!(
                "(Page {n}, line {line}: the service organisation's controls were suitably designed and operating.) '\n"
            ));
        }
        content.push_str("ET");
        let content_id = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

fn facts() -> StampFacts {
    StampFacts {
        request_id: "req_0123456789abcdef0123456789abcdef".into(),
        name: "Jane Doe".into(),
        company: "Prospect Ltd".into(),
        email: "jane.doe@prospect.example".into(),
        nda_version: "2026-01".into(),
        downloaded_at: 1_796_160_605,
    }
}

/// Median milliseconds to stamp `pdf`.
fn stamp_ms(pdf: &[u8], runs: usize) -> f64 {
    let facts = facts();
    stamp_pdf(pdf, &facts).expect("stamp"); // warm-up
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(stamp_pdf(std::hint::black_box(pdf), &facts).expect("stamp"));
                start.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

struct Throughput {
    stamped_mb_s: f64,
    unstamped_mb_s: f64,
    served_bytes: usize,
}

/// Download throughput of the 200-page document through the real service, stamping on and off.
fn download_throughput(pdf: &[u8], runs: usize) -> Throughput {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("docs")).expect("docs");
    std::fs::write(dir.path().join("docs/report.pdf"), pdf).expect("write");
    std::fs::write(dir.path().join("docs/report-plain.pdf"), pdf).expect("write");
    let config_path = dir.path().join("intake.toml");
    std::fs::write(
        &config_path,
        r#"listen = "127.0.0.1:0"
data_dir = "data"
signing_secret = "benchmark-secret-0123456789abcdef0123456789"
[rules]
auto_approve_domains = ["prospect.example"]
[rate_limit]
burst = 100000
per_minute = 1000000
[documents]
folder = "docs"
[documents.files]
stamped = "report.pdf"
plain = "report-plain.pdf"
[documents.settings.plain]
watermark = "off"
"#,
    )
    .expect("config");
    let config = trust_intake::Config::load(&config_path).expect("config");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let server = runtime
        .block_on(trust_intake::start(config))
        .expect("start");
    let base = format!("http://{}", server.local_addr());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let link_for = |document: &str, key: &str| -> String {
        let body = json!({
            "name": "Jane Doe", "email": "jane@prospect.example", "company": "Prospect Ltd",
            "document_id": document, "nda_version": "2026-01",
            "nda_sha256": "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b",
            "nda_accepted": true, "idempotency_key": key,
        });
        let mut reply = agent
            .post(&format!("{base}/v1/access-requests"))
            .content_type("application/json")
            .send(body.to_string())
            .expect("submit");
        let receipt: serde_json::Value =
            serde_json::from_slice(&reply.body_mut().read_to_vec().expect("receipt"))
                .expect("receipt JSON");
        let id = receipt["request_id"].as_str().expect("id").to_string();
        let args = <trust_intake::cli::RequestsArgs as clap::Parser>::parse_from([
            "requests",
            "link",
            &id,
            "--config",
            &config_path.display().to_string(),
        ]);
        let mut out = Vec::new();
        trust_intake::cli::run_requests_to(args, &mut out).expect("link");
        let text = String::from_utf8(out).expect("utf-8");
        // The printed link's host is the configured `listen` (port 0 here); use the bound address.
        let start = text.find("/v1/downloads/").expect("a link");
        format!("{base}{}", text[start..].trim())
    };
    // One download: MB/s of the served body and its size.
    let once = |link: &str| -> (f64, usize) {
        let start = Instant::now();
        let mut reply = agent
            .post(link)
            .content_type("application/x-www-form-urlencoded")
            .send("")
            .expect("download");
        assert_eq!(reply.status().as_u16(), 200);
        let bytes = reply
            .body_mut()
            .with_config()
            .limit(1 << 30)
            .read_to_vec()
            .expect("body");
        let seconds = start.elapsed().as_secs_f64();
        (bytes.len() as f64 / 1_000_000.0 / seconds, bytes.len())
    };
    let stamped_link = link_for("stamped", "bench-key-stamped-0001");
    let plain_link = link_for("plain", "bench-key-plain-000001");
    // Warm-up, then alternate so that both see the same load on a shared machine.
    once(&stamped_link);
    once(&plain_link);
    let (mut stamped, mut plain, mut served_bytes) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        let (speed, size) = once(&stamped_link);
        stamped.push(speed);
        served_bytes = size;
        plain.push(once(&plain_link).0);
    }
    let (stamped_mb_s, unstamped_mb_s) = (median(stamped), median(plain));
    runtime.block_on(server.shutdown()).expect("shutdown");
    Throughput {
        stamped_mb_s,
        unstamped_mb_s,
        served_bytes,
    }
}

fn main() {
    let runs: usize = std::env::var("TC_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let small = report_pdf(10);
    let large = report_pdf(200);
    let ms10 = stamp_ms(&small, runs);
    let ms200 = stamp_ms(&large, runs.div_ceil(2).max(3));
    println!(
        "stamp 10 pages ({} KB): median {ms10:.2} ms",
        small.len() / 1000
    );
    println!(
        "stamp 200 pages ({} KB): median {ms200:.1} ms",
        large.len() / 1000
    );
    let throughput = download_throughput(&large, runs.div_ceil(2).max(3));
    println!(
        "download of the 200-page PDF over HTTP: {:.1} MB/s stamped, {:.1} MB/s unstamped ({} KB served)",
        throughput.stamped_mb_s,
        throughput.unstamped_mb_s,
        throughput.served_bytes / 1000
    );
    println!(
        "bench-json: {}",
        json!({
            "runs": runs,
            "stamp_10_pages_ms": ms10,
            "stamp_200_pages_ms": ms200,
            "pdf_10_pages_bytes": small.len(),
            "pdf_200_pages_bytes": large.len(),
            "download_stamped_mb_s": throughput.stamped_mb_s,
            "download_unstamped_mb_s": throughput.unstamped_mb_s,
            "download_bytes": throughput.served_bytes,
        })
    );
}

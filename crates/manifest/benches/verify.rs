//! Native benchmark of `open_envelope` (size check, Ed25519 verification over the DSSE encoding,
//! base64 and JSON parsing) on a ~100 KB manifest, and of `parse_manifest` alone (to split the
//! total). A plain timing loop, no harness: it prints the median time per call and one
//! `bench-json:` line that `scripts/bench.sh` reads.
//!
//! ```text
//! cargo bench -p trust-manifest --bench verify
//! TC_BENCH_ENVELOPE=signed.json TC_BENCH_PUBLIC_KEY=BASE64 TC_BENCH_TODAY=2026-11-28 \
//!     cargo bench -p trust-manifest --bench verify
//! ```
//!
//! Without the variables it signs its own envelope: the demo manifest with its subprocessor and
//! FAQ lists repeated until the payload reaches 100 KB.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use trust_manifest::{
    open_envelope, parse_manifest, sign_envelope, Date, Manifest, PublicKey, SigningKey,
    TrustPolicy,
};

/// Payload size the self-made envelope grows to.
const TARGET_PAYLOAD_BYTES: usize = 100 * 1024;
/// Timed batches; the median of their per-call times is reported.
const SAMPLES: usize = 60;
/// Each batch runs this long (roughly), so the clock's resolution does not matter.
const BATCH_TIME: Duration = Duration::from_millis(20);

/// An envelope to verify, with its key and the date to check expiry against.
struct Input {
    envelope: Vec<u8>,
    policy: TrustPolicy,
    today: Date,
    source: String,
}

fn input_from_environment() -> Result<Option<Input>, String> {
    let Ok(path) = std::env::var("TC_BENCH_ENVELOPE") else {
        return Ok(None);
    };
    let envelope = std::fs::read(&path).map_err(|error| format!("cannot read {path}: {error}"))?;
    let key_text = std::env::var("TC_BENCH_PUBLIC_KEY")
        .map_err(|_| "TC_BENCH_ENVELOPE is set, so TC_BENCH_PUBLIC_KEY (base64) must be set too")?;
    let key = PublicKey::from_base64(key_text.trim())
        .map_err(|error| format!("TC_BENCH_PUBLIC_KEY: {error}"))?;
    let today_text = std::env::var("TC_BENCH_TODAY").unwrap_or_else(|_| "2026-11-28".to_owned());
    let today = today_text
        .parse::<Date>()
        .map_err(|error| format!("TC_BENCH_TODAY {today_text:?}: {error}"))?;
    Ok(Some(Input {
        envelope,
        policy: TrustPolicy::new(vec![key]),
        today,
        source: path,
    }))
}

/// The demo manifest with its lists repeated until the payload is at least 100 KB, signed with
/// a fresh key.
fn self_made_input() -> Result<Input, String> {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../public/demo/manifest.json");
    let text = std::fs::read_to_string(&demo)
        .map_err(|error| format!("cannot read {}: {error}", demo.display()))?;
    let mut manifest: serde_json::Value =
        serde_json::from_str(&text).map_err(|error| format!("{}: {error}", demo.display()))?;
    let subprocessors = manifest["subprocessors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let faq = manifest["faq"].as_array().cloned().unwrap_or_default();
    let mut round = 0;
    let mut payload = serde_json::to_vec(&manifest).map_err(|error| error.to_string())?;
    while payload.len() < TARGET_PAYLOAD_BYTES {
        round += 1;
        for entry in &subprocessors {
            let mut entry = entry.clone();
            entry["name"] =
                format!("{} {round}", entry["name"].as_str().unwrap_or("Vendor")).into();
            if let Some(list) = manifest["subprocessors"].as_array_mut() {
                list.push(entry);
            }
        }
        for entry in &faq {
            let mut entry = entry.clone();
            entry["id"] = format!("{}-{round}", entry["id"].as_str().unwrap_or("q")).into();
            if let Some(list) = manifest["faq"].as_array_mut() {
                list.push(entry);
            }
        }
        payload = serde_json::to_vec(&manifest).map_err(|error| error.to_string())?;
    }
    let key = SigningKey::generate();
    let policy = TrustPolicy::new(vec![key.public_key()]);
    let envelope = sign_envelope(&payload, &[key]).to_json().into_bytes();
    let today = Date::from_ymd(2026, 11, 28).ok_or("2026-11-28 is not a date")?;
    Ok(Input {
        envelope,
        policy,
        today,
        source: format!("demo manifest grown to {} bytes", payload.len()),
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Per-call timing of one operation: median and fastest microseconds, and the batch size used.
struct Timing {
    median_us: f64,
    min_us: f64,
    batch: u32,
}

/// Warms `operation` up for 0.3 s, sizes batches to [`BATCH_TIME`], then times [`SAMPLES`] batches.
fn time_per_call(mut operation: impl FnMut() -> Result<(), String>) -> Result<Timing, String> {
    let started = Instant::now();
    let mut calls = 0_u32;
    while started.elapsed() < Duration::from_millis(300) {
        operation()?;
        calls += 1;
    }
    let per_call = started.elapsed() / calls.max(1);
    let batch = u32::try_from(BATCH_TIME.as_nanos() / per_call.as_nanos().max(1))
        .unwrap_or(u32::MAX)
        .max(1);
    let mut micros = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let started = Instant::now();
        for _ in 0..batch {
            operation()?;
        }
        micros.push(started.elapsed().as_secs_f64() * 1e6 / f64::from(batch));
    }
    let min_us = micros.iter().copied().fold(f64::INFINITY, f64::min);
    Ok(Timing {
        median_us: median(&mut micros),
        min_us,
        batch,
    })
}

fn run() -> Result<(), String> {
    let input = match input_from_environment()? {
        Some(input) => input,
        None => self_made_input()?,
    };
    let open = || open_envelope(black_box(&input.envelope), &input.policy, input.today);
    let verified = open().map_err(|error| format!("the envelope does not verify: {error}"))?;
    let payload = signed_payload(&input)?;

    let full = time_per_call(|| {
        black_box(open().map_err(|error| error.to_string())?);
        Ok(())
    })?;
    let parse = time_per_call(|| {
        black_box(parse_manifest(black_box(&payload)).map_err(|error| error.to_string())?);
        Ok(())
    })?;
    // The model's serde derives through serde_json, for comparison: `parse_manifest` no longer
    // uses them (it reads the JSON with `json` and decodes the tree with `decode`), but trustctl
    // and the intake service still deserialise natively this way.
    let derive_only = time_per_call(|| {
        black_box(
            serde_json::from_slice::<Manifest>(black_box(&payload))
                .map_err(|error| error.to_string())?,
        );
        Ok(())
    })?;
    // What `parse_manifest` did before it had its own reader: a serde_json pass to probe
    // `schema_version`, then the derived deserialiser over the same bytes.
    let serde_path = time_per_call(|| {
        #[derive(serde::Deserialize)]
        struct VersionProbe {
            #[allow(dead_code)]
            schema_version: Option<serde_json::Value>,
        }
        black_box(
            serde_json::from_slice::<VersionProbe>(black_box(&payload))
                .map_err(|error| error.to_string())?,
        );
        black_box(
            serde_json::from_slice::<Manifest>(black_box(&payload))
                .map_err(|error| error.to_string())?,
        );
        Ok(())
    })?;
    let read_only = time_per_call(|| {
        black_box(
            trust_manifest::json::parse(black_box(&payload)).map_err(|error| error.to_string())?,
        );
        Ok(())
    })?;
    println!(
        "open_envelope ({}): envelope {} bytes, payload {} bytes, {} subprocessors, {} FAQ entries",
        input.source,
        input.envelope.len(),
        payload.len(),
        verified.manifest.subprocessors.len(),
        verified.manifest.faq.len(),
    );
    println!(
        "  open_envelope:  median {:.1} µs per call, fastest {:.1} µs ({SAMPLES} batches of {} calls)",
        full.median_us, full.min_us, full.batch
    );
    println!(
        "  parse_manifest: median {:.1} µs per call, fastest {:.1} µs ({SAMPLES} batches of {} calls)",
        parse.median_us, parse.min_us, parse.batch
    );
    println!(
        "  serde_json::from_slice::<Manifest>: median {:.1} µs per call, fastest {:.1} µs",
        derive_only.median_us, derive_only.min_us
    );
    println!(
        "  serde probe + derive (the former parse_manifest): median {:.1} µs per call, fastest {:.1} µs",
        serde_path.median_us, serde_path.min_us
    );
    println!(
        "  json::parse (the reader alone, no decoding): median {:.1} µs per call, fastest {:.1} µs",
        read_only.median_us, read_only.min_us
    );
    println!(
        "bench-json: {{\"envelope_bytes\":{},\"payload_bytes\":{},\"median_us\":{:.2},\"min_us\":{:.2},\"parse_median_us\":{:.2},\"parse_min_us\":{:.2},\"derive_median_us\":{:.2},\"derive_min_us\":{:.2},\"former_median_us\":{:.2},\"reader_median_us\":{:.2},\"samples\":{SAMPLES},\"batch\":{}}}",
        input.envelope.len(),
        payload.len(),
        full.median_us,
        full.min_us,
        parse.median_us,
        parse.min_us,
        derive_only.median_us,
        derive_only.min_us,
        serde_path.median_us,
        read_only.median_us,
        full.batch
    );
    Ok(())
}

/// The signed payload (the manifest JSON bytes), read back from the envelope.
fn signed_payload(input: &Input) -> Result<Vec<u8>, String> {
    let envelope: trust_manifest::Envelope =
        serde_json::from_slice(&input.envelope).map_err(|error| error.to_string())?;
    trust_manifest::decode_base64(&envelope.payload)
        .ok_or_else(|| "the envelope payload is not base64".to_owned())
}

fn main() {
    if let Err(message) = run() {
        eprintln!("verify bench: {message}");
        std::process::exit(1);
    }
}

//! Benchmark entry point for signature verification + parsing inside WebAssembly.
//!
//! `scripts/bench.sh` builds this crate with the widget's `wasm-release` profile, wasm-bindgen and
//! the widget's `wasm-opt` flags (`wasm_bundle_finish` in `scripts/lib/common.sh`), loads it in
//! headless Chromium and times [`VerifyBench::run`] from JavaScript. It calls
//! `trust_manifest::open_envelope`, the Rust verifier (ed25519-dalek) trustctl uses, compiled to
//! wasm: the widget itself runs the same steps but has the browser's Web Crypto check the
//! signatures (`src/services/signature_check.rs`), whose time is part of the time to a verified
//! page. It lives in its own crate so the shipped widget bundle never contains a benchmark export.

use trust_manifest::{
    decode_base64, open_envelope, parse_manifest, Date, Envelope, PublicKey, TrustPolicy,
};
use wasm_bindgen::prelude::*;

/// One envelope, the keys that must have signed it and the date to check expiry against, kept
/// inside wasm memory so each timed call measures verification only (no copying from JavaScript).
#[wasm_bindgen]
pub struct VerifyBench {
    envelope: Vec<u8>,
    payload: Vec<u8>,
    policy: TrustPolicy,
    today: Date,
}

#[wasm_bindgen]
impl VerifyBench {
    /// Prepares a benchmark: `public_keys` is base64 keys separated by spaces or commas, `today`
    /// an ISO date (`2026-11-28`). Fails with a readable reason when a key or the date is wrong,
    /// or when the envelope does not verify at all (a benchmark of a failure would be meaningless).
    #[wasm_bindgen(constructor)]
    pub fn new(envelope: Vec<u8>, public_keys: &str, today: &str) -> Result<VerifyBench, JsError> {
        let keys = public_keys
            .split([' ', ','])
            .filter(|key| !key.is_empty())
            .map(|key| {
                PublicKey::from_base64(key)
                    .map_err(|error| JsError::new(&format!("public key {key:?}: {error}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let today: Date = today
            .parse()
            .map_err(|error| JsError::new(&format!("date {today:?}: {error}")))?;
        let parsed: Envelope = trust_manifest::decode::envelope(&envelope)
            .map_err(|error| JsError::new(&format!("the envelope is not DSSE JSON: {error}")))?;
        let payload = decode_base64(&parsed.payload)
            .ok_or_else(|| JsError::new("the envelope payload is not base64"))?;
        let bench = VerifyBench {
            envelope,
            payload,
            policy: TrustPolicy::new(keys),
            today,
        };
        bench.run(1)?;
        Ok(bench)
    }

    /// Verifies and parses the envelope `iterations` times; returns the number of subprocessors
    /// of the last result so the work cannot be optimised away.
    pub fn run(&self, iterations: u32) -> Result<usize, JsError> {
        let mut subprocessors = 0;
        for _ in 0..iterations {
            let verified = open_envelope(&self.envelope, &self.policy, self.today)
                .map_err(|error| JsError::new(&format!("the envelope did not verify: {error}")))?;
            subprocessors = verified.manifest.subprocessors.len();
        }
        Ok(subprocessors)
    }

    /// Only the last step of [`VerifyBench::run`]: parses the (already decoded) payload JSON into
    /// a manifest `iterations` times, to show how the total splits into verification and parsing.
    pub fn parse_only(&self, iterations: u32) -> Result<usize, JsError> {
        let mut subprocessors = 0;
        for _ in 0..iterations {
            let manifest = parse_manifest(&self.payload)
                .map_err(|error| JsError::new(&format!("the payload did not parse: {error}")))?;
            subprocessors = manifest.subprocessors.len();
        }
        Ok(subprocessors)
    }
}

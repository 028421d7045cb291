#!/usr/bin/env bash
# Throwaway: builds the probe with and without fluent-bundle exactly like the widget bundle
# (build-std, immediate-abort, wasm-bindgen, wasm-opt flags of scripts/lib/common.sh) and prints gzip sizes.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/common.sh"
cd "$(dirname "${BASH_SOURCE[0]}")"
for variant in own fluent; do
  features=(); [[ $variant == fluent ]] && features=(--features fluent)
  RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    CARGO_TARGET_DIR="$PWD/target" cargo build --quiet --release --target wasm32-unknown-unknown "${features[@]}"
  out="$PWD/target/out-$variant"; rm -rf "$out"; mkdir -p "$out"
  wasm-bindgen target/wasm32-unknown-unknown/release/bench_fluent_size.wasm --target web --no-typescript --out-dir "$out" --out-name probe
  wasm-opt "${WASM_OPT_FLAGS[@]}" "$out/probe_bg.wasm" -o "$out/probe_opt.wasm"
  echo "$variant: $(gzip -9 -c "$out/probe_opt.wasm" | wc -c) bytes gzip (wasm)"
done

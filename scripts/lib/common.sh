# shellcheck shell=bash
# Shared helpers for the scripts in scripts/: repository root, quiet logging, the wasm toolchain route
# (rustup or Debian fallback) and small process/port utilities. Sourced, never executed.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT
TOOLS_DIR="$REPO_ROOT/.tools"          # machine-local state written by setup.sh (git-ignored)
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$REPO_ROOT/node_modules/.bin:$PATH"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  _c_bold=$'\e[1m'; _c_red=$'\e[31m'; _c_green=$'\e[32m'; _c_dim=$'\e[2m'; _c_off=$'\e[0m'
else
  _c_bold=''; _c_red=''; _c_green=''; _c_dim=''; _c_off=''
fi

# step "text": a heading for one stage of a script.
step() { printf '%s==> %s%s\n' "$_c_bold" "$*" "$_c_off"; }
# say "text": an indented progress line.
say() { printf '    %s\n' "$*"; }
# note "text": a dim, low-importance line.
note() { printf '    %s%s%s\n' "$_c_dim" "$*" "$_c_off"; }
ok() { printf '    %s%s%s\n' "$_c_green" "$*" "$_c_off"; }
warn() { printf '%swarning:%s %s\n' "$_c_red" "$_c_off" "$*" >&2; }
die() { printf '%serror:%s %s\n' "$_c_red" "$_c_off" "$*" >&2; exit 1; }

# run_logged LOGFILE CMD...: run quietly; on failure print the whole log so nothing is hidden.
run_logged() {
  local log="$1"; shift
  if "$@" >"$log" 2>&1; then
    return 0
  else
    local rc=$?
    warn "command failed (exit $rc): $*"
    cat "$log" >&2
    return "$rc"
  fi
}

# The wasm32 toolchain route. setup.sh records the route it made work in .tools/wasm-toolchain;
# TC_WASM_TOOLCHAIN=rustup|debian overrides it. The Debian route (packages rustc-web, cargo-web,
# rust-web-src, rust-web-llvm + lld) has no prebuilt wasm32 std, so std is rebuilt with -Zbuild-std;
# that is set by environment, never in .cargo/config.toml, because it would break the rustup route.
wasm_toolchain_route() {
  if [[ -n "${TC_WASM_TOOLCHAIN:-}" ]]; then
    echo "$TC_WASM_TOOLCHAIN"
  elif [[ -f "$TOOLS_DIR/wasm-toolchain" ]]; then
    cat "$TOOLS_DIR/wasm-toolchain"
  else
    echo rustup
  fi
}

# wasm_cargo ARGS...: cargo for the wasm32-unknown-unknown target through the recorded route.
wasm_cargo() {
  if [[ "$(wasm_toolchain_route)" == debian ]]; then
    # ~/.cargo/bin shadows /usr/bin, so Debian's tools are named explicitly. A separate target dir
    # keeps the two compilers' artefacts apart.
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
      CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
      CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target/debian-wasm}" \
      /usr/bin/cargo "$@"
  else
    cargo "$@"
  fi
}

# Where wasm artefacts land for the active route.
wasm_target_dir() {
  if [[ "$(wasm_toolchain_route)" == debian ]]; then
    echo "${CARGO_TARGET_DIR:-$REPO_ROOT/target/debian-wasm}"
  else
    echo "${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
  fi
}

# wasm_bundle_cargo ARGS...: cargo for the bundles visitors download (the widget, and the bench apps
# compared with it). std is rebuilt from source (rust-src) with panics compiled to a bare trap
# (-Cpanic=immediate-abort): no panic messages, locations or formatting glue in the bundle, about
# 17 KB gzip less. build-std is unstable, hence RUSTC_BOOTSTRAP=1 (the Debian route needs it anyway).
# A panic is a bug in any case (the code has no unwrap/expect); in the bundle it stops the wasm
# instance with "unreachable". Tests and `cargo check` keep ordinary std with panic messages.
# Two more unstable flags that change nothing a visitor can see: -Zlocation-detail=none drops the
# file/line records `#[track_caller]` code still carries (~1.1 KB gzip), and -Zfmt-debug=none makes
# every `Debug` impl print nothing (~4 KB gzip). The bundle never shows `{:?}` output: the lint layer
# of scripts/test.sh refuses `{…:?}` outside tests in the code the widget is built from.
# std's own `optimize_for_size` feature (CARGO_UNSTABLE_BUILD_STD_FEATURES) makes core and alloc
# pick their smaller implementations where they have two (integer formatting, float parsing, sorts,
# rotation, escapes, char counting): the same results, a little slower, about 1 KB gzip less.
wasm_bundle_cargo() {
  RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
    RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none" \
    CARGO_TARGET_DIR="$(wasm_bundle_target_dir)" wasm_cargo "$@"
}

# Where bundle builds land: their own directory, since the different std and flags would otherwise
# invalidate the test builds' cache on every switch.
wasm_bundle_target_dir() { echo "$(wasm_target_dir)/bundle"; }

# wasm-opt for every shipped or compared bundle (the widget, bench/hello-yew, bench/verify-wasm).
# Current rustc emits these post-MVP features by default; binaryen must be told it may keep them.
# The two strip passes drop the `producers` (names and versions of the compilers) and
# `target_features` (the features the linker saw) custom sections: tooling metadata that browsers
# ignore, about 250 bytes.
#
# Tuned for the size visitors download (gzip), not the raw size. -Oz makes the file the smallest
# raw but not gzipped: three of its passes make the code less repetitive for the compressor than
# what rustc's own -Copt-level=z emits, and each was measured on the widget (wasm gzip -9, with the
# other two skipped): moving functions into call-count order (reorder-functions) +6.5 KB, inlining
# (inlining-optimizing; plain "inlining" is skipped too) +9.5 KB, reusing computed values through
# locals (local-cse) +2.7 KB. Without those three, -Os gave 160.2 KB against -Oz's 169.1 KB (no
# wasm-opt at all: 164.1 KB; -O1: 161.6 KB); skipping any other pass made it larger or changed it
# by under 30 bytes. On the smaller widget of today, -O3 with the same skips is ~100 bytes smaller
# than -Os, and --generate-global-effects (side-effect summaries the later passes use) ~70 more;
# --converge repeats the passes until the file stops shrinking (~170 bytes, ~5 s).
WASM_OPT_FLAGS=(--generate-global-effects -O3 --skip-pass=reorder-functions
  --skip-pass=inlining-optimizing --skip-pass=inlining --skip-pass=local-cse --converge
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-reference-types --enable-multivalue --enable-mutable-globals
  --strip-debug --strip-producers --strip-target-features)

# wasm_bundle_finish WASM_IN OUT_DIR NAME: the steps after cargo that every shipped or compared
# bundle goes through (the widget, bench/hello-yew, bench/verify-wasm), so that all of them are
# built the same way. Writes OUT_DIR/NAME.js (the wasm-bindgen glue) and OUT_DIR/NAME_bg.wasm:
#   1. wasm-bindgen --target web --no-typescript
#   2. wasm-opt with WASM_OPT_FLAGS. binaryen from npm is itself compiled to wasm and takes ~20 s
#      for the widget, so its result is cached by input hash in $(wasm_target_dir)/wasm-opt-cache/
#      (the key covers the input bytes, the wasm-opt version and the flags).
#   3. scripts/shorten-wasm-names.mjs: the imports and exports only the glue uses get short names
#      (a, b, …) instead of wasm-bindgen's hashed ones, in the wasm and in the glue alike; it stops
#      the build if the two cannot be rewritten consistently. It runs after the wasm-opt cache, so
#      the cached file is always wasm-opt's own output.
#   4. the glue minified by esbuild (minify_js below).
wasm_bundle_finish() {
  local wasm_in="$1" out="$2" name="$3"
  [[ -f "$wasm_in" ]] || die "cargo did not produce $wasm_in"
  mkdir -p "$out"

  say "wasm-bindgen --target web ($name)"
  wasm-bindgen "$wasm_in" --target web --no-typescript --out-dir "$out" --out-name "$name"

  local wasm="$out/${name}_bg.wasm"
  local opt_cache opt_key
  opt_cache="$(wasm_target_dir)/wasm-opt-cache"
  opt_key="$({ sha256sum <"$wasm"; wasm-opt --version; echo "${WASM_OPT_FLAGS[*]}"; } | sha256sum | cut -c1-32)"
  if [[ -f "$opt_cache/$opt_key.wasm" ]]; then
    say "wasm-opt: input unchanged, reusing the cached result"
    cp "$opt_cache/$opt_key.wasm" "$wasm"
  else
    say "wasm-opt, WASM_OPT_FLAGS of lib/common.sh (binaryen from npm)"
    wasm-opt "${WASM_OPT_FLAGS[@]}" "$wasm" -o "$out/${name}_bg.opt.wasm"
    mv "$out/${name}_bg.opt.wasm" "$wasm"
    mkdir -p "$opt_cache"
    find "$opt_cache" -name '*.wasm' -mmin +1440 -delete 2>/dev/null || true
    cp "$wasm" "$opt_cache/$opt_key.wasm"
  fi

  local renamed
  renamed="$(node "$REPO_ROOT/scripts/shorten-wasm-names.mjs" --wasm "$wasm" --glue "$out/$name.js")" \
    || die "shorten-wasm-names failed for $name (message above)"
  say "shorten-wasm-names: $renamed"

  say "esbuild --minify ($name.js)"
  minify_js "$out/$name.js" "$out/$name.min.js"
  mv "$out/$name.min.js" "$out/$name.js"
}

# minify_js IN OUT: one ES module minified by esbuild (npm, pinned in package.json): whitespace,
# comments, local names and syntax. It stays an ES module with the same exported names
# (--format=esm); property names are never renamed, so `wasm.<export>` and the keys of the import
# object wasm-bindgen hands to the wasm module keep their meaning. es2020 is the oldest syntax
# level the code allows as written (import.meta, ??), so nothing is rewritten
# into longer older forms. No bundling: each file keeps its own imports.
minify_js() {
  esbuild "$1" --format=esm --minify --target=es2020 --log-level=warning --outfile="$2"
}

# minify_css < IN > OUT: the stylesheet minified by esbuild (comments, whitespace, shorter
# equivalent values; no target, so no modern syntax is rewritten for older browsers).
minify_css() {
  esbuild --loader=css --minify --log-level=warning
}

# free_port: print a TCP port on 127.0.0.1 that is free right now.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_http URL SECONDS: wait until URL answers (any HTTP status), or fail.
wait_http() {
  local url="$1" limit="${2:-30}" i
  for ((i = 0; i < limit * 10; i++)); do
    if node -e 'fetch(process.argv[1]).then(()=>process.exit(0),()=>process.exit(1))' "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# gzip_size FILE: bytes after gzip -9.
gzip_size() { gzip -9 -c "$1" | wc -c | tr -d ' '; }

# Chromium for tests and demos: Debian's build (downloaded browsers are not reachable here).
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export CHROMIUM_PATH CHROMEDRIVER

# Background services a script started (append their pids to service_pids); stop_services ends and
# reaps them all. Used by test.sh and bench.sh in their EXIT traps.
service_pids=()
stop_services() {
  if ((${#service_pids[@]})); then
    kill "${service_pids[@]}" 2>/dev/null || true
    wait "${service_pids[@]}" 2>/dev/null || true
  fi
  service_pids=()
}

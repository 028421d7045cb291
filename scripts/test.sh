#!/usr/bin/env bash
# Command 2 — every test. Sets the machine up if needed, then runs these layers and fails if any fails:
#   native  cargo test --workspace (unit, integration and Yew SSR render tests), with a throw-away
#           PostgreSQL cluster on a free 127.0.0.1 port for the PostgreSQL store tests (TEST_POSTGRES_URL)
#   wasm    tests/wasm_*.rs in headless Chromium (wasm-bindgen-test-runner + ChromeDriver)
#   e2e     builds the widget + trustctl, signs fixtures, starts the intake service, a loopback SMTP
#           server (aiosmtpd, the mail catcher) and static servers
#           on 127.0.0.1, runs the Playwright specs in tests/e2e/ with node's test runner (the
#           console spec also on the PostgreSQL cluster, started here if the native layer did not)
#   lint    cargo fmt --check; unit tests of the node scripts (tests/scripts/); no `{…:?}` in the
#           bundle's code (read from the compiler's expanded HIR); cargo clippy -D warnings
#           (workspace, and the widget for wasm32)
#   size    gzip -9 total of dist/*.wasm + *.js + *.css within the budget (160,000 bytes), and
#           each language file dist/trust-center.<lang>.json within 10,240 bytes
# Usage: scripts/test.sh [LAYER…]   (default: all, in the order above; every layer runs even if one fails)
#        E2E_SPECS="tests/e2e/x.test.mjs …" limits the e2e layer to those specs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/mail.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"
cd "$REPO_ROOT"

ALL_LAYERS=(native wasm e2e lint size)
# The budget (issue #13, was 150,000 in issue #7): wasm + js + css together at most 160,000 bytes
# gzip -9. The policy behind it is in docs/build.md ("Size budget"). Size is deterministic for a
# given toolchain (rust-toolchain.toml), so any growth past the budget fails the tests.
BUNDLE_BUDGET_BYTES=160000
# Issue #19: each language file (dist/trust-center.<lang>.json) at most 10 KB gzip -9.
LANGUAGE_FILE_BUDGET_BYTES=10240
layers=("$@")
((${#layers[@]})) || layers=("${ALL_LAYERS[@]}")
for layer in "${layers[@]}"; do
  [[ " ${ALL_LAYERS[*]} " == *" $layer "* ]] || die "unknown layer '$layer' (layers: ${ALL_LAYERS[*]})"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trust-center-test.XXXXXX")"
cleanup() {
  stop_services
  stop_postgres "$WORK/postgres"
  if [[ -n "${KEEP_TEST_DIR:-}" ]]; then note "test files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -A layer_passed layer_failed layer_seconds layer_note

# count_cargo_results LOG: sums libtest's "test result:" lines → "PASSED FAILED".
count_cargo_results() {
  awk '/test result:/ {
         for (i = 1; i <= NF; i++) {
           if ($(i+1) ~ /^passed/) p += $i
           if ($(i+1) ~ /^failed/) f += $i
         }
       } END { print p + 0, f + 0 }' "$1"
}

# record LAYER PASSED FAILED RC [NOTE]: a non-zero exit with no failed test counts as one failure
# (a build error, a crashed runner, or no test found).
record() {
  local layer="$1" passed="$2" failed="$3" rc="$4" extra="${5:-}"
  if ((rc != 0 && failed == 0)); then
    failed=1
    extra="${extra:-exit code $rc with no failing test reported: see the output above}"
  fi
  layer_passed[$layer]=$passed
  layer_failed[$layer]=$failed
  layer_note[$layer]=$extra
}

# ensure_test_postgres: the throw-away PostgreSQL cluster under $WORK (started once per run, shared by
# the native and e2e layers; cleanup stops it), unless TEST_POSTGRES_URL points at one already.
ensure_test_postgres() {
  if [[ -z "${TEST_POSTGRES_URL:-}" ]]; then
    start_postgres "$WORK/postgres" TEST_POSTGRES_URL
    note "PostgreSQL test cluster at ${TEST_POSTGRES_URL}"
  fi
}

# ---------------------------------------------------------------------------------------------------
layer_native() {
  local log="$WORK/native.log" rc=0
  # The PostgreSQL store tests (store_engines, two_instances) use a throw-away cluster under $WORK.
  ensure_test_postgres
  cargo test --workspace --no-fail-fast --quiet 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
  read -r passed failed < <(count_cargo_results "$log")
  ((passed + failed > 0)) || { ((rc != 0)) || rc=1; }
  record native "$passed" "$failed" "$rc"
}

layer_wasm() {
  local log="$WORK/wasm.log" rc=0 test_args=() package file
  # Each package's tests/wasm_*.rs files are its browser tests (other test files may be native-only).
  for package in trust-center-widget:. trust-manifest:crates/manifest; do
    test_args=()
    for file in "${package#*:}"/tests/wasm_*.rs; do
      [[ -f "$file" ]] && test_args+=(--test "$(basename "$file" .rs)")
    done
    ((${#test_args[@]})) || continue
    # Not --quiet: cargo would pass it on to wasm-bindgen-test-runner, which rejects it.
    CHROMEDRIVER="$CHROMEDRIVER" wasm_cargo test --no-fail-fast --target wasm32-unknown-unknown \
      -p "${package%%:*}" "${test_args[@]}" 2>&1 | grep --line-buffered -v '^ *Compiling ' \
      | tee -a "$log" || rc=${PIPESTATUS[0]}
  done
  [[ -f "$log" ]] || { record wasm 0 1 1 "no tests/wasm_*.rs found"; return; }
  read -r passed failed < <(count_cargo_results "$log")
  ((passed + failed > 0)) || { ((rc != 0)) || rc=1; }
  record wasm "$passed" "$failed" "$rc"
}

build_bundle() {
  if [[ -z "${bundle_built:-}" ]]; then
    scripts/build-widget.sh
    bundle_built=1
  fi
}

build_bundle_and_trustctl() {
  build_bundle || return 1
  step "build trustctl (release)"
  cargo build --quiet --release -p trustctl
}

layer_e2e() {
  local log="$WORK/e2e.log" rc=0 dir="$WORK/e2e"
  if ! build_bundle_and_trustctl; then
    record e2e 0 1 1 "the widget or trustctl did not build"
    return
  fi
  local trustctl="$REPO_ROOT/target/release/trustctl"
  # The console spec runs on SQLite and on a fresh database of this cluster.
  ensure_test_postgres
  local intake_port web_port csp_port
  intake_port=$(free_port)
  web_port=$(free_port)
  csp_port=$(free_port)
  while [[ "$web_port" == "$intake_port" ]]; do web_port=$(free_port); done
  while [[ "$csp_port" == "$intake_port" || "$csp_port" == "$web_port" ]]; do csp_port=$(free_port); done

  # E2E_SPECS="tests/e2e/a.test.mjs …" runs only those specs (default: all of tests/e2e/).
  local e2e_specs=(tests/e2e/)
  [[ -z "${E2E_SPECS:-}" ]] || read -r -a e2e_specs <<<"$E2E_SPECS"

  step "e2e: fixtures and services"
  mkdir -p "$dir"
  # The fixtures start from the demo manifest dated for today (scripts/demo-manifest.mjs), so the
  # e2e layer does not start failing when the demo's fixed dates run out.
  if ! node scripts/demo-manifest.mjs --out "$dir/demo-manifest.json" \
    || ! node tests/e2e/support/fixtures.mjs --out "$dir" --trustctl "$trustctl" \
    --manifest "$dir/demo-manifest.json" --intake-url "http://127.0.0.1:$intake_port" --index-html index.html; then
    record e2e 0 1 1 "fixture generation failed"
    return
  fi
  # The mail catcher (a real SMTP server on loopback): the journey spec reads the e-mails it stores.
  local mail_port
  mail_port=$(free_port)
  if ! start_smtp_server "$mail_port" "$dir/mail" "$dir/smtp.log"; then
    record e2e 0 1 1 "the SMTP server did not start (run scripts/setup.sh)"
    return
  fi
  node scripts/write-intake-config.mjs --manifest "$dir/manifests/valid.json" --out "$dir/intake.toml" \
    --listen "127.0.0.1:$intake_port" --origin "http://127.0.0.1:$web_port" --origin "http://127.0.0.1:$csp_port" \
    --burst 200 --per-minute 600 --smtp-port "$mail_port" --notify-email "security@vendor.example"

  "$trustctl" serve --config "$dir/intake.toml" >"$dir/intake.log" 2>&1 &
  service_pids+=($!)
  local serve_args=(--root "$dir/site" --mount /dist="$REPO_ROOT/dist"
    --mount /e2e="$REPO_ROOT/tests/e2e/support/site" --root "$REPO_ROOT/public")
  node scripts/static-server.mjs "${serve_args[@]}" --port "$web_port" >"$dir/static.log" 2>&1 &
  service_pids+=($!)
  node scripts/static-server.mjs "${serve_args[@]}" --port "$csp_port" \
    --strict-csp "http://127.0.0.1:$intake_port" >"$dir/static-csp.log" 2>&1 &
  service_pids+=($!)
  if ! wait_http "http://127.0.0.1:$intake_port/healthz" 30; then
    cat "$dir/intake.log" >&2
    stop_services
    record e2e 0 1 1 "the intake service did not start (its log is above)"
    return
  fi
  wait_http "http://127.0.0.1:$web_port/" 15 && wait_http "http://127.0.0.1:$csp_port/" 15 \
    || { stop_services; record e2e 0 1 1 "a static server did not start"; return; }
  say "intake http://127.0.0.1:$intake_port  site http://127.0.0.1:$web_port  strict-CSP site http://127.0.0.1:$csp_port"

  E2E_BASE_URL="http://127.0.0.1:$web_port/" \
    E2E_CSP_BASE_URL="http://127.0.0.1:$csp_port/" \
    E2E_INTAKE_URL="http://127.0.0.1:$intake_port" \
    E2E_INTAKE_CONFIG="$dir/intake.toml" \
    E2E_TRUSTCTL="$trustctl" \
    E2E_FIXTURES="$dir/site/fixtures.json" \
    E2E_MAILDIR="$dir/mail" \
    E2E_SMTP_PORT="$mail_port" \
    E2E_SMTP_PYTHON="$(smtp_python)" \
    node --test --test-reporter=spec "${e2e_specs[@]}" 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
  stop_services
  local passed failed cancelled
  passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$log" | tail -1)
  failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$log" | tail -1)
  cancelled=$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$log" | tail -1)
  passed=${passed:-0}
  failed=$((${failed:-0} + ${cancelled:-0}))
  ((passed + failed > 0)) || { ((rc != 0)) || rc=1; }
  if ((rc != 0)); then
    note "intake service log (last lines):"
    tail -n 20 "$dir/intake.log" | sed 's/^/      /'
  fi
  record e2e "$passed" "$failed" "$rc"
}

# The widget's bundle is built with -Zfmt-debug=none (see wasm_bundle_cargo), so any `{…:?}` in the
# code it is built from would show visitors an empty string. Clippy's `use_debug` only sees the
# print!/write! family, not format!, so the check reads what the compiler itself expanded: the HIR
# of each bundle crate as built for wasm32 (macros expanded, cfg applied, tests and comments gone),
# where every `{…:?}` placeholder is a call of the lang item `format_argument::new_debug`. Debug
# impls (derived or written) build no such call unless they format with `{:?}` themselves, which
# the bundle's code does not do either. Its own target dir: RUSTC_BOOTSTRAP (for -Zunpretty)
# changes the build fingerprint and would otherwise rebuild the test builds' dependencies.
no_debug_formatting_in_bundle_code() {
  local package hir hits="" found
  for package in trust-center-widget trust-manifest; do
    hir="$WORK/hir-$package.txt"
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$(wasm_target_dir)/lint-hir" wasm_cargo rustc --quiet \
      --profile check -p "$package" --lib --target wasm32-unknown-unknown -- -Zunpretty=hir \
      >"$hir" || { warn "could not expand $package for the check"; return 1; }
    [[ -s "$hir" ]] || { warn "the expanded code of $package is empty"; return 1; }
    # Name the function around each hit (the HIR has no source lines).
    found="$(awk -v crate="$package" '/^ *(pub(\([a-z]+\))? )?(const )?(async )?fn / { fn = $0 }
      /format_argument::new_debug/ { sub(/^ */, "", fn); print crate ": in " fn }' "$hir")"
    hits+="${found:+$found$'\n'}"
  done
  [[ -z "$hits" ]] || { printf '%s' "$hits"; warn "{…:?} prints nothing in the bundle (-Zfmt-debug=none)"; return 1; }
}

layer_lint() {
  local passed=0 failed=0 failures=()
  check() {
    local name="$1"; shift
    say "$name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
  }
  check "cargo fmt --all -- --check" cargo fmt --all -- --check
  # Unit tests of the node scripts (build steps, the demo's dates): no browser, no services.
  check "node --test tests/scripts/ (build and demo scripts)" node --test --test-reporter=dot tests/scripts/
  check "no {…:?} formatting in the bundle's code (expanded wasm32 HIR)" no_debug_formatting_in_bundle_code
  check "cargo clippy --workspace --all-targets -- -D warnings" \
    cargo clippy --quiet --workspace --all-targets -- -D warnings
  # For wasm32: the library and the browser tests (other test files may be native-only).
  local wasm_tests=() file
  for file in tests/wasm_*.rs; do [[ -f "$file" ]] && wasm_tests+=(--test "$(basename "$file" .rs)"); done
  if [[ "$(wasm_toolchain_route)" == rustup ]]; then
    check "cargo clippy -p trust-center-widget --target wasm32-unknown-unknown -- -D warnings" \
      cargo clippy --quiet -p trust-center-widget --target wasm32-unknown-unknown --lib "${wasm_tests[@]}" -- -D warnings
  else
    note "skipping clippy for wasm32: the Debian fallback toolchain has no clippy"
  fi
  local rc=0
  ((failed == 0)) || rc=1
  local IFS=';'
  record lint "$passed" "$failed" "$rc" "${failures[*]:+failed: ${failures[*]}}"
}

layer_size() {
  if ! build_bundle; then
    record size 0 1 1 "the widget did not build"
    return
  fi
  local total=0 file gz
  for file in dist/*.wasm dist/*.js dist/*.css; do
    [[ -f "$file" ]] || continue
    gz=$(gzip_size "$file")
    total=$((total + gz))
  done
  local summary="bundle gzip total $total bytes: budget $BUNDLE_BUDGET_BYTES ($((total * 100 / BUNDLE_BUDGET_BYTES))% of it, $((BUNDLE_BUDGET_BYTES - total)) bytes to spare)"
  # Each language file (docs/i18n.md) is downloaded only by visitors reading that language, in
  # parallel with the envelope; each must stay within LANGUAGE_FILE_BUDGET_BYTES gzip.
  local language_files=0 language_over=""
  for file in dist/trust-center.*.json; do
    [[ -f "$file" ]] || continue
    gz=$(gzip_size "$file")
    language_files=$((language_files + 1))
    say "$(basename "$file"): $gz bytes gzip (budget $LANGUAGE_FILE_BUDGET_BYTES)"
    ((gz <= LANGUAGE_FILE_BUDGET_BYTES)) || language_over+=" $(basename "$file") ($gz bytes)"
  done
  if ((language_files != 3)) || [[ -n "$language_over" ]]; then
    warn "language files: $language_files found (3 expected)${language_over:+, over budget:$language_over}"
    record size 0 1 1 "language files: $language_files of 3${language_over:+, over the $LANGUAGE_FILE_BUDGET_BYTES-byte budget:$language_over}"
    return
  fi
  if ((total > 0 && total <= BUNDLE_BUDGET_BYTES)); then
    say "$summary"
    record size 1 0 0 "$summary"
  else
    warn "$summary"
    record size 0 1 1 "bundle gzip total $total bytes: over the $BUNDLE_BUDGET_BYTES-byte budget (or empty)"
  fi
}

# ---------------------------------------------------------------------------------------------------
total_started=$SECONDS
scripts/setup.sh
for layer in "${layers[@]}"; do
  step "layer: $layer"
  started=$SECONDS
  "layer_$layer" || record "$layer" 0 1 1 "the layer stopped unexpectedly"
  layer_seconds[$layer]=$((SECONDS - started))
done

step "summary (${SECONDS}s total; $((SECONDS - total_started))s in layers)"
all_passed=0
all_failed=0
for layer in "${layers[@]}"; do
  p=${layer_passed[$layer]:-0}
  f=${layer_failed[$layer]:-1}
  all_passed=$((all_passed + p))
  all_failed=$((all_failed + f))
  status="${_c_green}ok${_c_off}"
  ((f == 0)) || status="${_c_red}FAILED${_c_off}"
  printf '    %-7s %-6s %4d passed, %d failed  (%ds)%s\n' "$layer" "$status" "$p" "$f" \
    "${layer_seconds[$layer]:-0}" "${layer_note[$layer]:+  — ${layer_note[$layer]}}"
done
printf 'total: %d passed, %d failed\n' "$all_passed" "$all_failed"
((all_failed == 0))

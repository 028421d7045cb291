#!/usr/bin/env bash
# THE benchmark command (issue 7). Builds everything it measures, measures it side by side in one
# run on this machine and prints ONE Markdown table (also saved in bench/results/latest.md):
#   1 bundle  wasm raw / gzip -9 / brotli, JS loader + glue, CSS, total gzip — for the widget and for
#             a minimal Yew app (bench/hello-yew) built the same way; ratio; the 160,000-byte budget
#   2 load    headless Chromium, fresh context per load, HTTP cache off: navigation start →
#             performance.mark("trust-center:verified"), vs the same page as static HTML rendered by
#             Yew SSR (examples/render_static.rs) → loadEventStart; medians and ratio
#   3 verify  open_envelope (ed25519-dalek) on a ~100 KB manifest: in wasm in Chromium
#             (bench/verify-wasm, never part of the widget bundle, which has the browser's Web Crypto
#             check the signatures: its time is inside 2) and natively (crates/manifest/benches/verify.rs)
#   4 search  FAQ search per keystroke and time to verified page with 1,000 subprocessors,
#     scale   200 documents and 500 FAQ entries, and at 2× and 4×
#   5 intake  trustctl serve on 127.0.0.1 with SQLite under a bounded load (20 s or 20,000 requests),
#             then every acknowledged request id is looked up in the database (0 lost); the same on
#             PostgreSQL (a throw-away cluster on loopback): one instance, and two sharing one database
#   6 mail    the same service delivering e-mail to a loopback SMTP server (aiosmtpd): e-mails per
#             second for a burst of requests, and approval → e-mail arrival (median, p99)
#   7 downloads  per-recipient PDF watermark: median stamping time for a 10-page and a 200-page PDF,
#             and download throughput (MB/s) over HTTP with stamping on and off
#             (crates/intake/benches/watermark.rs)
# Benchmarks print; they assert no time. The size budget is enforced by scripts/test.sh size.
#
# Usage: scripts/bench.sh [--runs N] [--scale-runs N] [--intake-seconds S] [--intake-requests N]
#                         [--quick] [--update-docs] [--keep]
#   --quick        fewer loads (5), a 5 s intake run: to check the command, not to publish numbers
#   --update-docs  also write the table into docs/benchmarks.md and README.md (between the
#                  bench:begin/end marks)
#   --keep         keep the work directory (pages, envelopes, logs, database)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/mail.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/postgres.sh"
cd "$REPO_ROOT"

runs=15
scale_runs=5
intake_seconds=20
intake_requests=20000
update_docs=""
keep=""
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --scale-runs) scale_runs="$2"; shift 2 ;;
    --intake-seconds) intake_seconds="$2"; shift 2 ;;
    --intake-requests) intake_requests="$2"; shift 2 ;;
    --quick) runs=5; scale_runs=2; intake_seconds=5; shift ;;
    --update-docs) update_docs=1; shift ;;
    --keep) keep=1; shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see scripts/bench.sh --help)" ;;
  esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trust-center-bench.XXXXXX")"
RESULTS="$WORK/results"
mkdir -p "$RESULTS" "$WORK/site/bench" "$WORK/site/envelopes" "$WORK/bench-dist" "$WORK/manifests"
cleanup() {
  stop_services
  stop_postgres "$WORK/postgres"
  if [[ -n "$keep" ]]; then note "benchmark files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$SECONDS
load_at_start="$(cut -d' ' -f1-3 /proc/loadavg)"
scripts/setup.sh

# ---------------------------------------------------------------------------------------------------
step "build: widget bundle (scripts/build-widget.sh into the work dir)"
DIST_DIR="$WORK/dist" scripts/build-widget.sh

# build_wasm_app PACKAGE OUT_NAME DIR: the widget's exact steps after cargo (wasm_bundle_finish in
# scripts/lib/common.sh, the function scripts/build-widget.sh uses) for a benchmark crate.
build_wasm_app() {
  local package="$1" name="$2" out="$3"
  wasm_bundle_finish "$(wasm_bundle_target_dir)/wasm32-unknown-unknown/wasm-release/$name.wasm" "$out" "$name"
  say "$package → ${out#"$WORK"/}/ ($(wc -c <"$out/${name}_bg.wasm" | tr -d ' ') bytes wasm)"
}
step "build: bench/hello-yew and bench/verify-wasm (same profile and tools as the widget)"
wasm_bundle_cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown \
  -p bench-hello-yew -p bench-verify-wasm
build_wasm_app bench-hello-yew bench_hello_yew "$WORK/bench-dist/hello"
build_wasm_app bench-verify-wasm bench_verify_wasm "$WORK/bench-dist/verify"

step "build: trustctl (release), the native verify bench and the SSR example"
cargo build --quiet --release -p trustctl
cargo bench --quiet -p trust-manifest --bench verify --no-run
cargo build --quiet --example render_static -p trust-center-widget
TRUSTCTL="$REPO_ROOT/target/release/trustctl"

# ---------------------------------------------------------------------------------------------------
step "inputs: key, manifests, signed envelopes, pages"
today="$(date +%F)" # the widget checks expiry against the visitor's local date
"$TRUSTCTL" keygen --out "$WORK/keys/bench" --force >/dev/null
public_key="$(tr -d '[:space:]' <"$WORK/keys/bench.pub")"
site_port=$(free_port)
intake_port=$(free_port)
while [[ "$intake_port" == "$site_port" ]]; do intake_port=$(free_port); done
intake_url="http://127.0.0.1:$intake_port"

declare -A manifest_args=(
  [demo]="--as-is"
  [100k]="--target-bytes 102400"
  [large-1x]="--scale 1"
  [large-2x]="--scale 2"
  [large-4x]="--scale 4"
)
echo "{" >"$RESULTS/envelopes.json"
first=1
for name in demo 100k large-1x large-2x large-4x; do
  # shellcheck disable=SC2086 # the arguments are meant to split
  node bench/tools/make-manifest.mjs --base public/demo/manifest.json --out "$WORK/manifests/$name.json" \
    --intake-url "$intake_url" ${manifest_args[$name]} >"$WORK/manifests/$name.info"
  "$TRUSTCTL" sign "$WORK/manifests/$name.json" --key "$WORK/keys/bench.key" \
    --out "$WORK/site/envelopes/$name.json" --dev >/dev/null
  envelope_bytes=$(wc -c <"$WORK/site/envelopes/$name.json" | tr -d ' ')
  ((first)) || echo "," >>"$RESULTS/envelopes.json"
  first=0
  node -e 'const i=JSON.parse(process.argv[1]);process.stdout.write(JSON.stringify(process.argv[2])+":"+JSON.stringify({payloadBytes:i.bytes,envelopeBytes:Number(process.argv[3]),subprocessors:i.subprocessors,documents:i.documents,faq:i.faq}))' \
    "$(cat "$WORK/manifests/$name.info")" "$name" "$envelope_bytes" >>"$RESULTS/envelopes.json"
  say "$name: $(cat "$WORK/manifests/$name.info") → envelope $envelope_bytes bytes"
done
echo "}" >>"$RESULTS/envelopes.json"

# widget_page FILE ENVELOPE TITLE [EXTRA_HEAD]: one <trust-center> on an otherwise empty page.
widget_page() {
  cat >"$1" <<EOF
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Benchmark: widget ($3)</title>
${4:+$4
}<script type="module" src="/dist/trust-center.js"></script>
</head>
<body>
<main id="host">
<trust-center dev manifest="/envelopes/$2.json" public-key="$public_key"></trust-center>
</main>
</body>
</html>
EOF
}
for name in demo large-1x large-2x large-4x; do
  widget_page "$WORK/site/bench/widget-$name.html" "$name" "$name"
done
# The same page in German (issue 19): the loader fetches dist/trust-center.de.json beside the rest.
widget_page "$WORK/site/bench/widget-demo-de.html" demo "demo, in German"
sed -i 's|<trust-center dev |<trust-center dev lang="de" |' "$WORK/site/bench/widget-demo-de.html"
# The same page with preload hints a host page can add (a row of its own: does it help?).
widget_page "$WORK/site/bench/widget-demo-preload.html" demo "demo, with preload hints" \
  '<link rel="modulepreload" href="/dist/trust-center.js">
<link rel="modulepreload" href="/dist/trust_center_widget.js">
<link rel="preload" href="/dist/trust_center_widget_bg.wasm" as="fetch" crossorigin>
<link rel="preload" href="/dist/trust-center.css" as="style">
<link rel="preload" href="/envelopes/demo.json" as="fetch" crossorigin>'
printf '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n' \
  >"$WORK/site/bench/blank.html"
"$REPO_ROOT/target/debug/examples/render_static" --envelope "$WORK/site/envelopes/demo.json" \
  --public-key "$public_key" --today "$today" --stylesheet /dist/trust-center.css \
  --out "$WORK/site/bench/static.html" --dev | sed 's/^/    /'

# ---------------------------------------------------------------------------------------------------
step "measure: Chromium (time to verified page, wasm verify, large manifests, FAQ search)"
node scripts/static-server.mjs --root "$WORK/site" --mount /dist="$WORK/dist" \
  --mount /bench-dist="$WORK/bench-dist" --port "$site_port" >"$WORK/static.log" 2>&1 &
service_pids+=($!)
wait_http "http://127.0.0.1:$site_port/bench/blank.html" 15 || die "the static server did not start: $(cat "$WORK/static.log")"
node bench/browser.mjs --base-url "http://127.0.0.1:$site_port/" --public-key "$public_key" \
  --today "$today" --runs "$runs" --scale-runs "$scale_runs" >"$RESULTS/browser.json"
stop_services

step "measure: native open_envelope (crates/manifest/benches/verify.rs)"
TC_BENCH_ENVELOPE="$WORK/site/envelopes/100k.json" TC_BENCH_PUBLIC_KEY="$public_key" TC_BENCH_TODAY="$today" \
  cargo bench --quiet -p trust-manifest --bench verify | tee "$WORK/native.log" | grep -v '^bench-json:' | sed 's/^/    /'
sed -n 's/^bench-json: //p' "$WORK/native.log" >"$RESULTS/native.json"

step "measure: intake service under load (${intake_seconds} s or ${intake_requests} requests, loopback)"
mkdir -p "$WORK/intake"
node scripts/write-intake-config.mjs --manifest "$WORK/manifests/demo.json" --out "$WORK/intake/intake.toml" \
  --listen "127.0.0.1:$intake_port" --origin "http://127.0.0.1:$site_port" \
  --burst 100000000 --per-minute 1000000000
"$TRUSTCTL" serve --config "$WORK/intake/intake.toml" >"$WORK/intake/serve.log" 2>&1 &
service_pids+=($!)
wait_http "$intake_url/healthz" 30 || die "the intake service did not start: $(tail -n 20 "$WORK/intake/serve.log")"
node bench/load-intake.mjs --base "$intake_url" --manifest "$WORK/manifests/demo.json" \
  --ids-out "$WORK/intake/acknowledged.txt" --seconds "$intake_seconds" --requests "$intake_requests" \
  >"$RESULTS/intake.json"
stop_services # a clean shutdown first: rows must be there without relying on it, but WAL is checkpointed
database="$(find "$WORK/intake" -name '*.sqlite3' -o -name '*.sqlite' -o -name '*.db' | head -n 1)"
[[ -n "$database" ]] || die "no SQLite database found under $WORK/intake"
python3 - "$database" "$WORK/intake/acknowledged.txt" >"$RESULTS/intake-db.json" <<'EOF'
import json, sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = db.execute("SELECT count(*) FROM access_requests").fetchone()[0]
stored = {row[0] for row in db.execute("SELECT id FROM access_requests")}
acknowledged = [line.strip() for line in open(sys.argv[2]) if line.strip()]
missing = [i for i in acknowledged if i not in stored]
print(json.dumps({"rows": rows, "acknowledged": len(acknowledged), "missing": len(missing), "missing_sample": missing[:5]}))
EOF
say "$(cat "$RESULTS/intake.json")"
say "database check: $(cat "$RESULTS/intake-db.json")"

# pg_intake_run NAME INSTANCES: the same load against INSTANCES services sharing one new PostgreSQL
# database; writes $RESULTS/NAME.json and NAME-db.json (acknowledged ids looked up with psql).
pg_intake_run() {
  local name="$1" instances="$2" dir="$WORK/$1" bases=() i port pg_port database="${1//-/_}"
  mkdir -p "$dir"
  pg_port="$(cat "$WORK/postgres/port")"
  "$TEST_POSTGRES_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U trust -d postgres -qc "CREATE DATABASE $database" >/dev/null
  for ((i = 0; i < instances; i++)); do
    port=$(free_port)
    node scripts/write-intake-config.mjs --manifest "$WORK/manifests/demo.json" --out "$dir/intake-$i.toml" \
      --listen "127.0.0.1:$port" --origin "http://127.0.0.1:$site_port" \
      --burst 100000000 --per-minute 1000000000
    { echo "database_url = \"postgres://trust@127.0.0.1:$pg_port/$database\""; cat "$dir/intake-$i.toml"; } >"$dir/tmp.toml"
    mv "$dir/tmp.toml" "$dir/intake-$i.toml"
    TRUST_INTAKE_SIGNING_SECRET="bench-shared-link-secret-0123456789abcdef" \
      "$TRUSTCTL" serve --config "$dir/intake-$i.toml" >"$dir/serve-$i.log" 2>&1 &
    service_pids+=($!)
    wait_http "http://127.0.0.1:$port/healthz" 30 || die "the intake service did not start: $(tail -n 20 "$dir/serve-$i.log")"
    bases+=(--base "http://127.0.0.1:$port")
  done
  node bench/load-intake.mjs "${bases[@]}" --manifest "$WORK/manifests/demo.json" \
    --ids-out "$dir/acknowledged.txt" --seconds "$intake_seconds" --requests "$intake_requests" \
    >"$RESULTS/$name.json"
  stop_services
  "$TEST_POSTGRES_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U trust -d "$database" -Atc "SELECT id FROM access_requests" \
    | sort >"$dir/stored.txt"
  local rows acknowledged missing
  rows=$(wc -l <"$dir/stored.txt")
  acknowledged=$(grep -c . "$dir/acknowledged.txt" || true)
  missing=$(sort "$dir/acknowledged.txt" | grep . | comm -23 - "$dir/stored.txt" | wc -l)
  echo "{\"rows\": $rows, \"acknowledged\": $acknowledged, \"missing\": $missing}" >"$RESULTS/$name-db.json"
  say "$(cat "$RESULTS/$name.json")"
  say "database check: $(cat "$RESULTS/$name-db.json")"
}
step "measure: the same intake load on PostgreSQL (throw-away cluster; 1 instance, then 2 on one database)"
start_postgres "$WORK/postgres" BENCH_POSTGRES_URL
pg_intake_run intake-pg1 1
pg_intake_run intake-pg2 2
stop_postgres "$WORK/postgres"

step "measure: e-mail delivery to a loopback SMTP server (bench/mail.mjs)"
mkdir -p "$WORK/mail"
mail_port=$(free_port)
mail_intake_port=$(free_port)
start_smtp_server "$mail_port" "$WORK/mail/maildir" "$WORK/mail/smtp.log" || die "the SMTP server did not start"
node scripts/write-intake-config.mjs --manifest "$WORK/manifests/demo.json" --out "$WORK/mail/intake.toml" \
  --listen "127.0.0.1:$mail_intake_port" --origin "http://127.0.0.1:$site_port" \
  --burst 100000000 --per-minute 1000000000 --smtp-port "$mail_port" --notify-email "security@bench.example" \
  --smtp-per-minute 1000000
"$TRUSTCTL" serve --config "$WORK/mail/intake.toml" >"$WORK/mail/serve.log" 2>&1 &
service_pids+=($!)
wait_http "http://127.0.0.1:$mail_intake_port/healthz" 30 || die "the intake service did not start: $(tail -n 20 "$WORK/mail/serve.log")"
node bench/mail.mjs --base "http://127.0.0.1:$mail_intake_port" --manifest "$WORK/manifests/demo.json" \
  --config "$WORK/mail/intake.toml" --trustctl "$TRUSTCTL" --maildir "$WORK/mail/maildir" >"$RESULTS/mail.json"
stop_services
say "$(cat "$RESULTS/mail.json")"

step "measure: watermarked downloads (crates/intake/benches/watermark.rs)"
TC_BENCH_RUNS="$runs" cargo bench --quiet -p trust-intake --bench watermark | tee "$WORK/watermark.log" \
  | grep -v '^bench-json:' | sed 's/^/    /'
sed -n 's/^bench-json: //p' "$WORK/watermark.log" >"$RESULTS/watermark.json"

# ---------------------------------------------------------------------------------------------------
chromium_version="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).chromium)' "$RESULTS/browser.json")"
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)"
memory_gib="$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
echo "$(nproc) cores ($cpu), ${memory_gib} GiB, $(. /etc/os-release && echo "$PRETTY_NAME"), Chromium $chromium_version, $(rustc --version | cut -d' ' -f1-2), Node $(node --version); load average at start $load_at_start (a shared machine: compare ratios, not absolute times)" \
  >"$RESULTS/machine.txt"

step "result (${SECONDS}s; $((SECONDS - started))s including builds)"
mkdir -p bench/results
report_args=(--widget-dist "$WORK/dist" --hello-dist "$WORK/bench-dist/hello" --results "$RESULTS"
  --out bench/results/latest.md)
[[ -z "$update_docs" ]] || report_args+=(--update-docs docs/benchmarks.md --update-docs README.md)
node bench/report.mjs "${report_args[@]}"
cp "$RESULTS"/*.json bench/results/

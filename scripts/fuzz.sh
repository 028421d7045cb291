#!/usr/bin/env bash
# Fuzzing — the documented command (see docs/security.md). Runs every cargo-fuzz target in fuzz/
# for SECONDS each (default 600) with libFuzzer on the nightly toolchain, then prints, per target,
# the executions, the corpus size and the findings (crash / timeout / out-of-memory inputs that
# libFuzzer saved under fuzz/artifacts/TARGET/). Exits non-zero if any target found something.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET…]      (or FUZZ_SECONDS=N scripts/fuzz.sh)
#   targets: envelope_open (envelope decode + verify + parse), manifest_parse (manifest parser,
#            validation, status rules, link check), intake_request (intake request parser/validator,
#            id checks, download tokens), json_reader (the strict JSON reader and the envelope and
#            manifest decoders, each against serde_json as a differential oracle)
# Installs cargo-fuzz (cargo install) if it is missing. Seeds: fuzz/seeds/TARGET/ plus the signed
# fixture envelope and the demo manifest; the growing corpus stays in fuzz/corpus/ (git-ignored).
# A finding is reproduced with `cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/FILE` (in fuzz/);
# keep it as a regression test (see docs/security.md, "Fuzzing").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT/fuzz"

ALL_TARGETS=(envelope_open manifest_parse intake_request json_reader)
seconds="${FUZZ_SECONDS:-600}"
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then
  seconds="$1"
  shift
fi
targets=("$@")
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")
for target in "${targets[@]}"; do
  [[ " ${ALL_TARGETS[*]} " == *" $target "* ]] || die "unknown fuzz target '$target' (targets: ${ALL_TARGETS[*]})"
done

step "fuzzing toolchain"
rustup toolchain list | grep -q '^nightly' \
  || die "the nightly Rust toolchain is missing (cargo fuzz needs it): rustup toolchain install nightly"
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz (cargo install cargo-fuzz --locked): cargo fuzz drives libFuzzer"
  cargo install cargo-fuzz --locked
fi
say "$(cargo fuzz --version) on $(rustc +nightly --version)"

seed_corpus() {
  local target="$1" dir="corpus/$1"
  mkdir -p "$dir"
  cp -f seeds/"$target"/* "$dir"/ 2>/dev/null || true
  case "$target" in
    envelope_open) cp -f ../tests/e2e/security/tamper-envelope.json "$dir/fixture-envelope.json" ;;
    manifest_parse)
      cp -f ../tests/e2e/security/tamper-manifest.json "$dir/fixture-manifest.json"
      cp -f ../public/demo/manifest.json "$dir/demo-manifest.json"
      ;;
    json_reader)
      cp -f ../tests/e2e/security/tamper-envelope.json "$dir/fixture-envelope.json"
      cp -f ../tests/e2e/security/tamper-manifest.json "$dir/fixture-manifest.json"
      cp -f ../public/demo/manifest.json "$dir/demo-manifest.json"
      ;;
  esac
}

step "build the fuzz targets (release, debug assertions, address sanitizer)"
cargo +nightly fuzz build

mkdir -p logs
declare -A executions corpus_size findings
for target in "${targets[@]}"; do
  step "fuzz $target for ${seconds}s"
  seed_corpus "$target"
  mkdir -p "artifacts/$target"
  before=$(find "artifacts/$target" -type f | wc -l)
  log="logs/$target.log"
  rc=0
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -dict=json.dict -max_len=65536 \
    -rss_limit_mb=2048 -timeout=10 >"$log" 2>&1 || rc=$?
  executions[$target]=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\)/\1/p' "$log" | tail -1)
  corpus_size[$target]=$(find "corpus/$target" -type f | wc -l)
  findings[$target]=$(($(find "artifacts/$target" -type f | wc -l) - before))
  if ((rc != 0)) && ((findings[$target] == 0)); then findings[$target]=1; fi
  if ((findings[$target] > 0)); then
    warn "$target: finding(s) — see fuzz/$log and fuzz/artifacts/$target/"
    grep -m5 -E 'panicked|ERROR: libFuzzer|SUMMARY' "$log" >&2 || true
  else
    ok "$target: ${executions[$target]:-?} executions, no findings"
  fi
done

step "fuzzing summary (${seconds}s per target)"
printf '    %-16s %14s %8s %9s\n' target executions corpus findings
total_findings=0
for target in "${targets[@]}"; do
  printf '    %-16s %14s %8s %9s\n' "$target" "${executions[$target]:-?}" "${corpus_size[$target]}" "${findings[$target]}"
  total_findings=$((total_findings + findings[$target]))
done
((total_findings == 0))

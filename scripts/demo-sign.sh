#!/usr/bin/env bash
# The demo's signing step (run by scripts/demo.sh; also by tests/e2e/demo_dates.test.mjs with a
# far-future day): writes the demo manifest as it reads on TODAY (scripts/demo-manifest.mjs moves
# every date by TODAY - STORY_DAY, so the page tells the same story on any day) and signs that copy.
#   scripts/demo-sign.sh --trustctl BIN --key KEY --manifest-out FILE --out ENVELOPE [--today YYYY-MM-DD]
# --today defaults to today's UTC date; trustctl checks the manifest as of that day too.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"

trustctl="" key="" manifest_out="" out="" today="$(date -u +%F)"
while (($#)); do
  case "$1" in
    --trustctl) trustctl="$2" ;;
    --key) key="$2" ;;
    --manifest-out) manifest_out="$2" ;;
    --out) out="$2" ;;
    --today) today="$2" ;;
    *) die "unknown option '$1' (see the header of $0)" ;;
  esac
  shift 2
done
[[ -n "$trustctl" && -n "$key" && -n "$manifest_out" && -n "$out" ]] \
  || die "usage: $0 --trustctl BIN --key KEY --manifest-out FILE --out ENVELOPE [--today YYYY-MM-DD]"

node scripts/demo-manifest.mjs --today "$today" --out "$manifest_out"
# The demo manifest points at http://127.0.0.1 URLs, which only --dev allows.
"$trustctl" --today "$today" sign "$manifest_out" --key "$key" --out "$out" --dev

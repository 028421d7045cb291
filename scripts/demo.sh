#!/usr/bin/env bash
# Command 1 — the demo. Sets the machine up if needed, builds the widget and trustctl, makes a demo
# signing key (once, in .demo/keys/), signs public/demo/manifest.json with its dates moved to today
# (scripts/demo-sign.sh), starts the intake service and a static server on 127.0.0.1, and prints
# the URL of the demo vendor security page. Ctrl-C stops all.
# A local mail catcher (a real SMTP server on 127.0.0.1, scripts/lib/mail.sh) receives every e-mail the
# service sends: the .eml files land in .demo/mail/ and a small page lists them (MAIL_WEB_PORT).
#   scripts/demo.sh            run until Ctrl-C
#   scripts/demo.sh --smoke    start everything, check both servers answer, then stop (for checks/timing)
# Env: DEMO_PORT (8080), INTAKE_PORT (8787), CONSOLE_PORT (8788, the review console),
#      SMTP_PORT (2525), MAIL_WEB_PORT (8025).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/mail.sh"
cd "$REPO_ROOT"

smoke=0
[[ "${1:-}" == "--smoke" ]] && smoke=1
DEMO_PORT="${DEMO_PORT:-8080}"
INTAKE_PORT="${INTAKE_PORT:-8787}"
SMTP_PORT="${SMTP_PORT:-2525}"
MAIL_WEB_PORT="${MAIL_WEB_PORT:-8025}"
CONSOLE_PORT="${CONSOLE_PORT:-8788}"
DEMO_DIR="$REPO_ROOT/.demo"
SITE="$DEMO_DIR/site"
started=$SECONDS

for input in index.html public/demo/manifest.json; do
  [[ -f "$input" ]] || die "$input is missing: the demo page and its manifest come from the widget package"
done
for port in "$DEMO_PORT" "$INTAKE_PORT" "$SMTP_PORT" "$MAIL_WEB_PORT"; do
  if node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1");s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1))' "$port"; then
    die "port $port on 127.0.0.1 is already in use (another demo running?). Stop it or set DEMO_PORT/INTAKE_PORT/SMTP_PORT/MAIL_WEB_PORT."
  fi
done

scripts/setup.sh
scripts/build-widget.sh

step "build trustctl (release)"
cargo build --quiet --release -p trustctl
TRUSTCTL="$REPO_ROOT/target/release/trustctl"

step "demo key, signed manifest, page"
mkdir -p "$DEMO_DIR/keys" "$SITE/.well-known"
chmod 700 "$DEMO_DIR/keys"
if [[ ! -f "$DEMO_DIR/keys/demo.key" ]]; then
  "$TRUSTCTL" keygen --out "$DEMO_DIR/keys/demo" >"$DEMO_DIR/keygen.log"
  say "created demo signing key .demo/keys/demo.key (kept out of git)"
fi
public_key="$(tr -d ' \n\r' <"$DEMO_DIR/keys/demo.pub")"
# public/demo/manifest.json tells its story as of a fixed day; the copy signed here has its dates
# moved to today, so the demo never shows an expired page (scripts/demo-manifest.mjs).
scripts/demo-sign.sh --trustctl "$TRUSTCTL" --key "$DEMO_DIR/keys/demo.key" \
  --manifest-out "$DEMO_DIR/manifest.json" --out "$SITE/.well-known/trust-center.json" >"$DEMO_DIR/sign.log"
say "signed public/demo/manifest.json, dated for today, -> .demo/site/.well-known/trust-center.json"
sed "s|{{DEMO_PUBLIC_KEY}}|$public_key|g" index.html >"$SITE/index.html"
# Anything else the page links to (e.g. demo NDA text) is served from public/.
node scripts/write-intake-config.mjs --manifest "$DEMO_DIR/manifest.json" --out "$DEMO_DIR/intake.toml" \
  --listen "127.0.0.1:$INTAKE_PORT" --origin "http://127.0.0.1:$DEMO_PORT" --origin "http://localhost:$DEMO_PORT" \
  --smtp-port "$SMTP_PORT" --notify-email "security@demo.example" \
  --console-listen "127.0.0.1:$CONSOLE_PORT"

pids=()
cleanup() {
  trap - EXIT INT TERM
  if ((${#pids[@]})); then
    printf '\n'
    step "stopping demo servers"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "start the mail catcher, the intake service and the static server"
SMTP_PIDS_VAR=pids start_smtp_server "$SMTP_PORT" "$DEMO_DIR/mail" "$DEMO_DIR/smtp.log" --web-port "$MAIL_WEB_PORT" \
  || die "the mail catcher did not start (log above; scripts/setup.sh installs python3-aiosmtpd)"
"$TRUSTCTL" serve --config "$DEMO_DIR/intake.toml" >"$DEMO_DIR/intake.log" 2>&1 &
pids+=($!)
node scripts/static-server.mjs --root "$SITE" --mount /dist="$REPO_ROOT/dist" --root "$REPO_ROOT/public" \
  --port "$DEMO_PORT" >"$DEMO_DIR/static.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$INTAKE_PORT/healthz" 30 \
  || { cat "$DEMO_DIR/intake.log" >&2; die "the intake service did not start (log above, config .demo/intake.toml)"; }
wait_http "http://127.0.0.1:$DEMO_PORT/" 15 \
  || { cat "$DEMO_DIR/static.log" >&2; die "the static server did not start"; }
wait_http "http://127.0.0.1:$MAIL_WEB_PORT/" 15 \
  || { cat "$DEMO_DIR/smtp.log" >&2; die "the mail catcher's page did not start"; }

printf '\n%sDemo ready in %d s:%s  http://127.0.0.1:%s/\n' "$_c_bold" "$((SECONDS - started))" "$_c_off" "$DEMO_PORT"
say "intake service: http://127.0.0.1:$INTAKE_PORT  (requests: target/release/trustctl requests list --config .demo/intake.toml)"
say "mail: every e-mail the service sends is caught on 127.0.0.1:$SMTP_PORT; read it at http://127.0.0.1:$MAIL_WEB_PORT/"
say "      or as .eml files in .demo/mail/ (the vendor's notices go to security@demo.example)"
say "approve a request: target/release/trustctl requests approve req_… --config .demo/intake.toml"
say "demo public key: $public_key"
# A fresh one-time enrolment link for the demo reviewer on every start (a new passkey is added).
if "$TRUSTCTL" console reviewers --config "$DEMO_DIR/intake.toml" | grep -q '^demo '; then
  enrol_output="$("$TRUSTCTL" console enrol-link demo --config "$DEMO_DIR/intake.toml")"
else
  enrol_output="$("$TRUSTCTL" console add-reviewer demo --config "$DEMO_DIR/intake.toml")"
fi
say "review console: http://localhost:$CONSOLE_PORT/  (enrol the demo reviewer's passkey: $(tail -n 1 <<<"$enrol_output"))"
if ((smoke)); then
  exit 0
fi
say "press Ctrl-C to stop"
wait "${pids[@]}"

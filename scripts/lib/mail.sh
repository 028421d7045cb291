# Shared by setup.sh, test.sh, demo.sh and bench.sh: the loopback SMTP server (aiosmtpd) that catches
# the intake service's e-mail in tests, benchmarks and the demo. Source after lib/common.sh.

SMTP_SERVER_SCRIPT="$REPO_ROOT/crates/intake/tests/support/smtp_server.py"

# smtp_python: print a Python interpreter that can import aiosmtpd ($TRUST_TEST_PYTHON, Debian's
# /usr/bin/python3, then python3 on PATH), or fail.
smtp_python() {
  local candidate
  for candidate in "${TRUST_TEST_PYTHON:-}" /usr/bin/python3 python3; do
    [[ -n "$candidate" ]] || continue
    if "$candidate" -c 'import aiosmtpd' >/dev/null 2>&1; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# start_smtp_server PORT MAILDIR LOG [SWITCHES…]: start the mail catcher in the background on
# 127.0.0.1:PORT (messages as .eml files in MAILDIR), append its pid to service_pids (or to the array
# named by $SMTP_PIDS_VAR), and wait until it accepts connections.
start_smtp_server() {
  local port="$1" maildir="$2" log="$3" python i
  shift 3
  python="$(smtp_python)" || { warn "no Python with aiosmtpd: run scripts/setup.sh"; return 1; }
  mkdir -p "$maildir"
  "$python" "$SMTP_SERVER_SCRIPT" --port "$port" --maildir "$maildir" "$@" >"$log" 2>&1 &
  local pid=$!
  if [[ -n "${SMTP_PIDS_VAR:-}" ]]; then
    eval "$SMTP_PIDS_VAR+=($pid)"
  else
    service_pids+=("$pid")
  fi
  for ((i = 0; i < 150; i++)); do
    grep -q '^smtp listening' "$log" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  cat "$log" >&2
  return 1
}

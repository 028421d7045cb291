#!/usr/bin/env bash
# Makes this machine ready to build, demo and test the project. Idempotent: every step first checks
# whether its tool is already there, so a second run takes a few seconds and installs nothing.
# Installs (only when missing):
#   - the wasm32-unknown-unknown target and rust-src (rustup under a timeout; Debian rustc-web
#     fallback otherwise)
#   - wasm-bindgen-cli at exactly the version pinned in Cargo.lock (the CLI must match the library)
#   - npm packages from package-lock.json: binaryen (wasm-opt), esbuild, playwright-core, axe-core
#   - Debian's chromium + chromium-driver (headless browser for wasm and end-to-end tests)
#   - Python securesystemslib (DSSE interop test of the manifest crate)
#   - Python aiosmtpd (Debian python3-aiosmtpd, else PyPI): the loopback SMTP server of the mail tests,
#     the e2e journey, the mail benchmark and the demo's mail catcher; python3-dkim (DKIM check)
#   - Debian's pkg-config + libssl-dev (webauthn-rs, the review console's passkeys, links OpenSSL 3)
#   - Debian's poppler-utils (pdftotext, pdfinfo) and qpdf: the watermark tests read stamped PDFs back
#     with an independent reader and encrypt fixtures with qpdf
#   - Debian's postgresql (server binaries only; no cluster is created or started): the PostgreSQL
#     store tests, the two-instance and restart tests and the bench start throw-away clusters
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/lib/mail.sh"
cd "$REPO_ROOT"
mkdir -p "$TOOLS_DIR"
LOG_DIR="$TOOLS_DIR/logs"
mkdir -p "$LOG_DIR"

installed_something=0
announce() { installed_something=1; step "setup: $*"; }

as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [[ $apt_updated -eq 0 ]]; then
    run_logged "$LOG_DIR/apt-update.log" as_root apt-get update -qq
    apt_updated=1
  fi
  run_logged "$LOG_DIR/apt-install.log" as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@"
}

# --- The pinned Rust toolchain (rust-toolchain.toml) ----------------------------------------------
# Runs before any cargo/rustc call in this directory, which would otherwise fail on a machine that
# lacks the pinned release. RUSTUP_TOOLCHAIN=stable bypasses the file for the checks themselves.
if command -v rustup >/dev/null 2>&1; then
  pinned="$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)"
  [[ -n "$pinned" ]] || die "rust-toolchain.toml names no channel"
  if ! RUSTUP_AUTO_INSTALL=0 rustc --version >/dev/null 2>&1; then
    host="$(RUSTUP_TOOLCHAIN=stable rustc -vV | sed -n 's/^host: //p')"
    stable_release="$(RUSTUP_TOOLCHAIN=stable rustc --version 2>/dev/null | awk '{print $2}')"
    toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
    if [[ "$stable_release" == "$pinned" && -d "$toolchains/stable-$host" ]]; then
      # The installed `stable` is the pinned release: name it so (no download). rustup reads the
      # channel manifest inside the directory, so components and targets keep working.
      announce "naming the installed stable toolchain $pinned (rust-toolchain.toml), no download"
      ln -sfn "stable-$host" "$toolchains/$pinned-$host"
    else
      announce "installing Rust $pinned (rust-toolchain.toml; stable here is ${stable_release:-missing})"
      timeout 600 rustup toolchain install "$pinned" --profile minimal \
        --component rustfmt,clippy,rust-src --target wasm32-unknown-unknown \
        >"$LOG_DIR/rustup-toolchain.log" 2>&1 \
        || die "could not install Rust $pinned within 10 minutes (rustup needs static.rust-lang.org); see $LOG_DIR/rustup-toolchain.log"
    fi
    RUSTUP_AUTO_INSTALL=0 rustc --version >/dev/null 2>&1 \
      || die "Rust $pinned from rust-toolchain.toml is still not usable: $(RUSTUP_AUTO_INSTALL=0 rustc --version 2>&1 | head -1)"
  fi
fi

# --- OpenSSL headers for webauthn-rs (the review console's passkey sign-in) ------------------------
if ! pkg-config --exists openssl 2>/dev/null; then
  announce "installing pkg-config + libssl-dev (webauthn-rs, the console's passkey library, uses OpenSSL 3)"
  apt_install pkg-config libssl-dev
fi

# --- Rust components used by test.sh (normally part of the rustup profile) --------------------------
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  announce "adding rustfmt + clippy (format and lint checks in scripts/test.sh)"
  timeout 60 rustup component add rustfmt clippy >"$LOG_DIR/rustup-components.log" 2>&1 \
    || die "could not add rustfmt/clippy with rustup; see $LOG_DIR/rustup-components.log"
fi

# --- wasm32 target -------------------------------------------------------------------------------
wasm_std_present() { [[ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]]; }
debian_route_ready() {
  [[ -x /usr/bin/rustc && -x /usr/bin/cargo && -d /usr/lib/rustlib/src/rust/library ]] \
    && [[ -e "$(readlink -f /usr/bin/rust-lld 2>/dev/null || echo /nonexistent)" ]]
}
# std's source: the widget bundle is built with std rebuilt for size (wasm_bundle_cargo in lib/common.sh).
rust_src_present() { [[ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library" ]]; }
route="$(wasm_toolchain_route)"
if [[ "$route" == rustup ]] && ! wasm_std_present; then
  announce "adding the wasm32-unknown-unknown target (compiles the widget to WebAssembly)"
  if timeout 30 rustup target add wasm32-unknown-unknown >"$LOG_DIR/rustup-target.log" 2>&1; then
    echo rustup >"$TOOLS_DIR/wasm-toolchain"
  else
    warn "rustup could not download the wasm32 target within 30 s; using Debian's rustc-web instead"
    route=debian
  fi
fi
if [[ "$route" == rustup ]] && ! rust_src_present; then
  announce "adding rust-src (std is rebuilt for the size-optimised widget bundle)"
  if ! timeout 60 rustup component add rust-src >"$LOG_DIR/rustup-src.log" 2>&1; then
    warn "rustup could not download rust-src within 60 s; using Debian's rustc-web instead"
    route=debian
  fi
fi
if [[ "$route" == debian ]]; then
  if ! debian_route_ready; then
    announce "installing Debian's rustc-web/cargo-web + rust-web-src + lld (offline wasm32 fallback)"
    apt_install rustc-web cargo-web rust-web-src rust-web-llvm
    lld_pkg="$(basename "$(readlink /usr/bin/rust-lld)")"   # e.g. lld-22; the link dangles until installed
    apt_install "$lld_pkg"
    debian_route_ready || die "Debian wasm fallback is incomplete (rust-lld -> $(readlink /usr/bin/rust-lld))"
  fi
  echo debian >"$TOOLS_DIR/wasm-toolchain"
elif [[ ! -f "$TOOLS_DIR/wasm-toolchain" ]]; then
  echo rustup >"$TOOLS_DIR/wasm-toolchain"
fi

# --- wasm-bindgen-cli (must equal the wasm-bindgen library version in Cargo.lock) -----------------
wbg_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[[ -n "$wbg_version" ]] || die "Cargo.lock has no wasm-bindgen entry; run 'cargo generate-lockfile' first"
have_wbg="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
have_runner="$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have_wbg" != "$wbg_version" || "$have_runner" != "$wbg_version" ]]; then
  announce "installing wasm-bindgen-cli $wbg_version (found '${have_wbg:-none}'; about 4 minutes)"
  # Not --locked: one locked dependency version of the CLI is missing from the registry index here.
  run_logged "$LOG_DIR/wasm-bindgen-cli.log" \
    cargo install --quiet wasm-bindgen-cli --version "=$wbg_version" --force
fi

# --- npm packages (wasm-opt from binaryen 132, esbuild, Playwright, axe-core) ---------------------
# Debian's binaryen (108) cannot read current wasm-bindgen output, so wasm-opt comes from npm.
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ "$(cat node_modules/.tc-lock-sha256 2>/dev/null || true)" != "$lock_sum" ]]; then
  announce "installing npm packages from package-lock.json (wasm-opt, esbuild, playwright-core, axe-core)"
  run_logged "$LOG_DIR/npm-ci.log" npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" >node_modules/.tc-lock-sha256
fi

# --- Chromium + ChromeDriver ----------------------------------------------------------------------
if [[ ! -x "$CHROMIUM_PATH" || ! -x "$CHROMEDRIVER" ]]; then
  announce "installing Debian's chromium + chromium-driver (headless browser for the tests; ~35 s)"
  apt_install chromium chromium-driver
fi

# --- Python: aiosmtpd, the loopback SMTP server for mail tests, benchmarks and the demo -------------
if ! smtp_python >/dev/null; then
  announce "installing python3-aiosmtpd (a real SMTP server on 127.0.0.1 for the mail tests and the demo)"
  apt_install python3-aiosmtpd || warn "apt could not install python3-aiosmtpd; trying PyPI"
  if ! smtp_python >/dev/null; then
    run_logged "$LOG_DIR/pip-aiosmtpd.log" python3 -m pip install --quiet --disable-pip-version-check \
      aiosmtpd || run_logged "$LOG_DIR/pip-aiosmtpd.log" python3 -m pip install --quiet \
      --break-system-packages --disable-pip-version-check aiosmtpd
  fi
  smtp_python >/dev/null || die "no Python with aiosmtpd after installing it (see $LOG_DIR)"
fi
# dkimpy (Debian python3-dkim) checks the service's DKIM signatures in the mail tests independently.
if ! "$(smtp_python)" -c 'import dkim' >/dev/null 2>&1; then
  announce "installing python3-dkim (independent DKIM verifier for the mail tests)"
  apt_install python3-dkim || run_logged "$LOG_DIR/pip-dkim.log" "$(smtp_python)" -m pip install --quiet \
    --break-system-packages --disable-pip-version-check dkimpy
fi
# feedparser (Debian python3-feedparser): the independent Atom parser of trustctl's feed tests
# (crates/trustctl/tests/feed.rs, next to Python's own xml.etree), in the same Python as aiosmtpd.
if ! "$(smtp_python)" -c 'import feedparser' >/dev/null 2>&1; then
  announce "installing python3-feedparser (independent Atom parser for the trustctl feed tests)"
  apt_install python3-feedparser || run_logged "$LOG_DIR/pip-feedparser.log" "$(smtp_python)" -m pip \
    install --quiet --break-system-packages --disable-pip-version-check feedparser
fi
# openssl makes the throw-away CA and server certificate of the STARTTLS mail test.
if ! command -v openssl >/dev/null 2>&1; then
  announce "installing openssl (test certificates for the STARTTLS mail test)"
  apt_install openssl
fi
# --- PDF tools for the watermark tests (crates/intake/tests/watermark_pdf.rs, download_flow.rs) --------
if ! command -v pdftotext >/dev/null 2>&1 || ! command -v pdfinfo >/dev/null 2>&1 || ! command -v qpdf >/dev/null 2>&1; then
  announce "installing Debian's poppler-utils + qpdf (read stamped PDFs back, encrypt test PDFs)"
  apt_install poppler-utils qpdf
fi

# --- PostgreSQL server binaries (scripts/lib/postgres.sh starts throw-away clusters with them) -------
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  announce "installing Debian's postgresql (initdb/pg_ctl for the PostgreSQL store tests)"
  apt_install postgresql postgresql-client
  # The package starts a system cluster; the tests never use it.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r version name _; do
      as_root pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
    done
  fi
fi

# --- Python: securesystemslib for the DSSE interop test --------------------------------------------
# The interop test was written against 1.6.0 (its DSSE API and keyid handling); keep it pinned.
SECURESYSTEMSLIB_SPEC="securesystemslib[crypto]==1.6.0"
if [[ "$(python3 -c 'import securesystemslib; print(securesystemslib.__version__)' 2>/dev/null)" != "1.6.0" ]]; then
  announce "installing Python securesystemslib 1.6.0 (cross-checks our DSSE envelopes with a reference implementation)"
  if ! python3 -m pip install --quiet "$SECURESYSTEMSLIB_SPEC" --disable-pip-version-check >"$LOG_DIR/pip.log" 2>&1; then
    if grep -q externally-managed-environment "$LOG_DIR/pip.log"; then
      # Debian's own python3 (PEP 668) is first on PATH: the tests call this python3, so install there.
      run_logged "$LOG_DIR/pip.log" python3 -m pip install --quiet --break-system-packages \
        "$SECURESYSTEMSLIB_SPEC" --disable-pip-version-check
    else
      cat "$LOG_DIR/pip.log" >&2
      die "could not install securesystemslib with $(command -v python3) (log above)"
    fi
  fi
fi

if [[ $installed_something -eq 0 ]]; then
  note "setup: toolchain ready ($(wasm_toolchain_route) wasm route, wasm-bindgen $wbg_version)"
else
  ok "setup: done"
fi

#!/usr/bin/env bash
# Builds the embeddable widget bundle into dist/ with stable file names:
#   trust-center.js            the loader customers embed (public/trust-center.js minified by esbuild)
#   trust_center_widget.js     wasm-bindgen glue (--target web, an ES module, minified by esbuild)
#   trust_center_widget_bg.wasm  the widget, optimised with wasm-opt (flags in lib/common.sh)
#   trust-center.css           styles/*.css concatenated in name order and minified by esbuild
#                              (injected into the shadow root)
#   trust-center.<lang>.json   the German, French and Spanish messages (i18n/<lang>.json, checked
#                              and laid out by scripts/build-language-files.mjs; docs/i18n.md)
# and prints raw and gzip sizes. Why not Trunk: see docs/build.md.
# Env: TC_WASM_TOOLCHAIN=rustup|debian (see scripts/lib/common.sh), DIST_DIR (default dist/).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$REPO_ROOT"

DIST_DIR="${DIST_DIR:-$REPO_ROOT/dist}"
CRATE_FILE=trust_center_widget
started=$SECONDS

step "build widget: cargo (wasm32, profile wasm-release, std rebuilt with immediate-abort panics, $(wasm_toolchain_route) toolchain)"
wasm_bundle_cargo build --quiet --profile wasm-release --target wasm32-unknown-unknown -p trust-center-widget
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT

# wasm-bindgen, wasm-opt and the minified glue: shared with the bench apps (scripts/lib/common.sh).
wasm_bundle_finish "$(wasm_bundle_target_dir)/wasm32-unknown-unknown/wasm-release/$CRATE_FILE.wasm" \
  "$staging" "$CRATE_FILE"

say "loader + stylesheet"
if [[ -f public/trust-center.js ]]; then
  # Minified like the glue (minify_js in scripts/lib/common.sh); the source stays readable.
  minify_js public/trust-center.js "$staging/trust-center.js"
else
  warn "public/trust-center.js is missing: the bundle has no loader yet"
fi
shopt -s nullglob
css_files=(styles/*.css)
shopt -u nullglob
if ((${#css_files[@]})); then
  # Concatenated in name order, then minified by esbuild (minify_css in scripts/lib/common.sh).
  for css in "${css_files[@]}"; do
    cat "$css"
    printf '\n'
  done | minify_css >"$staging/trust-center.css"
else
  warn "styles/ has no .css files: trust-center.css will be empty"
  : >"$staging/trust-center.css"
fi

say "language files"
node scripts/build-language-files.mjs --out "$staging"

# Publish atomically: DIST_DIR is a symlink to a complete build directory, and the new build is
# switched in by renaming a new symlink over it (rename(2) is atomic), so a server resolving
# DIST_DIR/<file> at any instant finds either the old four files or the new four, never a mix or a
# half-written file. Other files a previous build directory held are carried over; older build
# directories are removed. A DIST_DIR that is still a plain directory (from before this scheme)
# is replaced once, non-atomically.
publish_dist() {
  local builds="$DIST_DIR.builds" build link file
  mkdir -p "$builds"
  build="$(mktemp -d "$builds/build.XXXXXX")"
  if [[ -d "$DIST_DIR" ]]; then
    for file in "$DIST_DIR"/* "$DIST_DIR"/.[!.]*; do
      [[ -e "$file" ]] || continue
      case "$(basename "$file")" in
        trust-center.js | trust-center.css | trust-center.*.json | "$CRATE_FILE"*) ;;
        *) cp -a "$file" "$build"/ ;;
      esac
    done
  fi
  cp "$staging"/* "$build"/
  chmod 755 "$build"
  if [[ -d "$DIST_DIR" && ! -L "$DIST_DIR" ]]; then
    rm -rf "$DIST_DIR"
  fi
  link="$builds/link.$$"
  # Relative, so the checkout can move.
  ln -sfn "$(basename "$builds")/$(basename "$build")" "$link"
  mv -T "$link" "$DIST_DIR"
  for file in "$builds"/build.*; do
    [[ "$file" == "$build" ]] || rm -rf "$file"
  done
}
publish_dist

# The npm package and the versioned release archive of these files (scripts/package-widget.mjs).
if [[ "$DIST_DIR" == "$REPO_ROOT/dist" ]]; then
  say "npm package + release archive"
  node scripts/package-widget.mjs
fi

total_raw=0
total_gz=0
printf '    %-30s %10s %10s\n' file raw gzip-9
for file in "$DIST_DIR"/*.wasm "$DIST_DIR"/*.js "$DIST_DIR"/*.css; do
  [[ -f "$file" ]] || continue
  raw=$(wc -c <"$file" | tr -d ' ')
  gz=$(gzip_size "$file")
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '    %-30s %10s %10s\n' "$(basename "$file")" "$raw" "$gz"
done
printf '    %-30s %10s %10s\n' total "$total_raw" "$total_gz"
ok "widget built into ${DIST_DIR#"$REPO_ROOT"/}/ in $((SECONDS - started)) s"

#!/usr/bin/env bash
# CI: the manual pages and completions generated from the release binary,
# the desktop entry, AppStream metainfo and icons validated, and every asset
# the Debian package lists present (scripts/package-assets.sh). Building the
# .deb itself needs cargo-deb, which takes minutes to compile: it runs here
# only where cargo-deb is already installed; scripts/package-deb.sh installs
# it and builds the package.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

if command -v cargo-deb >/dev/null && command -v dpkg-deb >/dev/null; then
  bash scripts/package-deb.sh
else
  # Cached when scripts/ci-e2e.sh has run before.
  cargo build --release --locked
  bash scripts/package-assets.sh "$CARGO_TARGET_DIR/release/rebalance" \
    "$CARGO_TARGET_DIR/release/package-assets"
  echo "== cargo-deb is not installed: the .deb was not built (scripts/package-deb.sh builds it)"
fi

#!/usr/bin/env bash
# CI: builds the release binary and runs the desktop end-to-end check
# (scripts/e2e.sh) against it.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked
bash scripts/e2e.sh "${CARGO_TARGET_DIR:-target}/release/rebalance"

#!/usr/bin/env bash
# CI: every fuzz target for a few seconds (about 30 s in all), on top of the
# short run `cargo test` already made.
set -euo pipefail
exec "$(dirname "$0")/fuzz.sh" "${REBALANCE_FUZZ_SECONDS:-4}"

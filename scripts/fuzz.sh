#!/usr/bin/env bash
# Runs every fuzz target (tests/fuzz) for longer than `cargo test` does, then
# the pinned regressions, and prints how many cases each target ran.
#
#   scripts/fuzz.sh [SECONDS]   SECONDS per target, 12 by default (about
#                               1.5 minutes for the whole suite on 2 cores)
#
# REBALANCE_FUZZ_CASES caps the cases per target (costly targets, which open
# a database, files or sockets, run an eighth of it). A failure prints the
# smallest failing input and saves its seed in proptest-regressions/, which
# is replayed first on the next run.
set -euo pipefail
cd "$(dirname "$0")/.."

export REBALANCE_FUZZ_SECONDS="${1:-${REBALANCE_FUZZ_SECONDS:-12}}"
export REBALANCE_FUZZ_CASES="${REBALANCE_FUZZ_CASES:-100000000}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
started=$SECONDS
status=0
cargo test --locked --test fuzz --test fuzz_regressions -- --nocapture 2>&1 | tee "$log" || status=$?

echo
echo "== fuzz targets (${REBALANCE_FUZZ_SECONDS} s each at most)"
# Lines look like: "fuzz import_round_trip: 5000 cases in 9.2 s (5000 accepted)"
awk '/^fuzz [a-z_]+: [0-9]+ cases in/ {
        name = $2; sub(":", "", name)
        printf "  %-26s %9d cases %7.1f s\n", name, $3, $6
        total += $3; targets++
     }
     END {
        printf "  %-26s %9d cases in %d targets\n", "total", total, targets
        if (targets == 0) exit 1
     }' "$log" || status=1
echo "== took $((SECONDS - started)) s"
if [ "$status" -ne 0 ]; then
  echo "== fuzzing FAILED: see the smallest failing input above" >&2
fi
exit "$status"

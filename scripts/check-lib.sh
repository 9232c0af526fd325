# Shared by scripts/e2e.sh and scripts/e2e-windows.sh (sourced, not run):
# PASS/FAIL lines with a running count, and polling with a time limit.

passed=0
failed=0
pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
check() { local name="$1"; shift; if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name"; fi; }

# Polls a command until it succeeds, for at most $1 seconds.
within() {
  local seconds="$1"; shift
  local end=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -ge "$end" ] && return 1
    sleep 0.2
  done
}

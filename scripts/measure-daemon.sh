#!/usr/bin/env bash
# Measures what the idle daemon costs: CPU, resident memory and wake-ups over
# a quiet spell, under Xvfb with a session bus and a notification server,
# with the default settings (nothing falls due during the measurement).
#
#   scripts/measure-daemon.sh [path/to/rebalance] [seconds]
#     (defaults: target/release/rebalance, 60 s)
#   MEASURE_PAUSED=1 scripts/measure-daemon.sh ...   measures with reminders
#     paused (as outside working hours: no idle checks)
#
# Reads the CPU time of every thread from /proc/PID/task/*/schedstat (in
# nanoseconds; /proc/PID/stat counts 10 ms ticks, too coarse here),
# /proc/PID/status (VmRSS, VmHWM, RssAnon, RssFile) and the voluntary context
# switches of every thread (each one is a wake-up).
# Targets: < 0.01 % CPU, < 12 MB RSS, <= 10 wake-ups per minute.

set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-$here/../target/release/rebalance}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
seconds="${2:-60}"

if [ -z "${REBALANCE_MEASURE_INNER:-}" ]; then
  [ -x "$bin" ] || { echo "no binary at $bin (build it with cargo build --release)"; exit 1; }
  export REBALANCE_MEASURE_INNER="$(mktemp -d "${TMPDIR:-/tmp}/rebalance-measure.XXXXXX")"
  dbus-run-session -- bash "$0" "$bin" "$seconds"
  status=$?
  rm -rf "$REBALANCE_MEASURE_INNER"
  exit "$status"
fi

work="$REBALANCE_MEASURE_INNER"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  XDG_RUNTIME_DIR="$work/run" XDG_CACHE_HOME="$work/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CACHE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"

display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
export DISPLAY=":$display"
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.1; done
if command -v dunst >/dev/null; then
  dunst >/dev/null 2>&1 &
  pids+=($!)
fi

"$bin" daemon >"$work/daemon.log" 2>&1 &
pid=$!
pids+=("$pid")
for _ in $(seq 100); do "$bin" status >/dev/null 2>&1 && break; sleep 0.1; done
"$bin" status >/dev/null 2>&1 || { echo "the daemon did not start"; cat "$work/daemon.log"; exit 1; }
if [ -n "${MEASURE_PAUSED:-}" ]; then "$bin" pause until-resumed >/dev/null; fi
# Let start-up work (bus names, tray registration, first save) settle.
sleep 3

# Summed over live threads; the daemon keeps its few threads for minutes,
# and the coarse tick count (which includes ended threads) is printed too.
cpu_ns() { cat /proc/"$pid"/task/*/schedstat | awk '{n += $1} END {printf "%d", n}'; }
wakeups() { cat /proc/"$pid"/task/*/status | awk '/^voluntary_ctxt_switches/ {n += $2} END {print n}'; }
main_wakeups() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/task/$pid/status"; }
kb() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }

ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz="$(getconf CLK_TCK)"
c0="$(cpu_ns)"; t0="$(ticks)"; w0="$(wakeups)"; m0="$(main_wakeups)"; s0="$(date +%s.%N)"
sleep "$seconds"
c1="$(cpu_ns)"; t1="$(ticks)"; w1="$(wakeups)"; m1="$(main_wakeups)"; s1="$(date +%s.%N)"

awk -v c="$((c1 - c0))" -v t="$((t1 - t0))" -v hz="$hz" -v s0="$s0" -v s1="$s1" \
  -v w="$((w1 - w0))" -v m="$((m1 - m0))" -v rss="$(kb VmRSS)" -v hwm="$(kb VmHWM)" -v anon="$(kb RssAnon)" \
  -v file="$(kb RssFile)" -v paused="${MEASURE_PAUSED:+, reminders paused}" -v threads="$(ls /proc/"$pid"/task | wc -l)" '
  BEGIN {
    wall = s1 - s0
    printf "measured over %.1f s (idle, default settings%s, %d threads at the end)\n", wall, paused, threads
    printf "cpu:        %.4f %% (%.2f ms; the tick count says %d of 1/%d s)\n", 100 * c / 1e9 / wall, c / 1e6, t, hz
    printf "rss:        %.1f MB (anonymous %.1f MB, file %.1f MB; peak %.1f MB)\n", rss / 1024, anon / 1024, file / 1024, hwm / 1024
    printf "wake-ups:   %.1f per minute (%d voluntary context switches; %d on the main thread, the rest on the idle-query thread)\n", w * 60 / wall, w, m
  }'

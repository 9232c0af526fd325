#!/usr/bin/env bash
# Measures the window under Xvfb:
#  1. the time from starting the window process to its first drawn frame
#     (the window prints a timestamp on its first frame when
#     REBALANCE_FIRST_FRAME is set), over several runs;
#  2. the CPU a visible, untouched window uses over 30 s, on views without a
#     running timer (should be about 0; Today counts down in minutes) and on the
#     break timer (a repaint a second), read
#     from /proc/PID/stat, plus its resident memory (IDLE_S=60 for the
#     one-minute figure);
#  3. the CPU time the views take to build one frame (REBALANCE_FRAME_TIMES),
#     on the Today and week views while the pointer moves over them;
#  4. the guided routine with its exercise figure moving: frames drawn per
#     second, the time to build each, and the CPU the window uses.
#
# Usage: scripts/window-measure.sh
#   BIN=path/to/rebalance   the binary (default target/release/rebalance;
#                           build it with `cargo build --release` first)
#   RUNS=7 IDLE_S=30 DISPLAY_NUM=:98 (the Xvfb display; a free one by default)
#   PARTS="first idle frames figure"  which measurements to take (all by default)
#   IDLE_VIEWS="log about settings week today break"  the views measured idle
# Needs Xvfb, xwininfo, xdotool, dbus-run-session.
set -euo pipefail

cd "$(dirname "$0")/.."
if [ -z "${REBALANCE_MEASURE_BUS:-}" ]; then
  export REBALANCE_MEASURE_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi

BIN=$(realpath "${BIN:-target/release/rebalance}")
RUNS=${RUNS:-7}
IDLE_S=${IDLE_S:-30}
PARTS=${PARTS:-first idle frames figure}
IDLE_VIEWS=${IDLE_VIEWS:-log about settings week today break}
SCREEN=1280x1000x24
# shellcheck source=scripts/window-env.sh
source scripts/window-env.sh
start_daemon

now_ms() { date +%s%3N; }

# Starts the window on view $1 with first-frame reporting; sets WIN_PID and
# prints the milliseconds from start to first frame.
start_window() {
  local out=$WORK/window.out start line
  : >"$out"
  start=$(now_ms)
  REBALANCE_FIRST_FRAME=1 REBALANCE_FRAME_TIMES=1 "$BIN" window --view "$1" >>"$out" 2>"$WORK/window.err" &
  WIN_PID=$!
  for _ in $(seq 2000); do
    line=$(grep -m1 '^rebalance-first-frame ' "$out" || true)
    [ -n "$line" ] && break
    sleep 0.005
  done
  [ -n "$line" ] || { echo "no first frame; see $WORK/window.err" >&2; cat "$WORK/window.err" >&2; exit 1; }
  echo $((${line#rebalance-first-frame } - start))
}

stop_window() {
  kill "$WIN_PID" 2>/dev/null || true
  wait "$WIN_PID" 2>/dev/null || true
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

wants() { case " $PARTS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if wants first; then
echo "First frame (process start to first frame drawn), $RUNS runs:"
times=()
# One unmeasured start warms the disk cache, as a second opening would be.
start_window today >/dev/null
stop_window
for _ in $(seq "$RUNS"); do
  times+=("$(start_window today)")
  stop_window
done
printf '%s\n' "${times[@]}" | sort -n | awk '
  { v[NR] = $1 }
  END { printf "  min %d ms, median %d ms, max %d ms\n", v[1], v[int((NR + 1) / 2)], v[NR] }'
fi

HZ=$(getconf CLK_TCK)
if wants idle; then
echo "CPU of a visible, untouched window over ${IDLE_S} s:"
for view in $IDLE_VIEWS; do
  start_window "$view" >/dev/null
  sleep 2
  before=$(cpu_ticks "$WIN_PID")
  sleep "$IDLE_S"
  after=$(cpu_ticks "$WIN_PID")
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$WIN_PID/status")
  stop_window
  awk -v v="$view" -v t=$((after - before)) -v hz="$HZ" -v s="$IDLE_S" -v rss="$rss" 'BEGIN {
    countdown = (v == "break") ? "running timer, 1 repaint/s" : (v == "today") ? "countdowns in minutes" : "nothing counting"
    printf "  %-9s %-24s %6.3f %% of one core (%d ticks), %d MB resident\n", v, countdown, 100 * t / hz / s, t, rss / 1024
  }'
done
fi

if wants frames; then
echo "Time to build a frame while the pointer moves over the window:"
for view in today week log settings; do
  start_window "$view" >/dev/null
  sleep 1
  wid=$(xdotool search --onlyvisible --name '^Rebalance$' | head -1)
  : >"$WORK/window.out"
  for i in $(seq 80); do
    xdotool mousemove --window "$wid" $((100 + (i * 37) % 700)) $((80 + (i * 53) % 600))
    sleep 0.05
  done
  stop_window
  grep '^rebalance-frame ' "$WORK/window.out" | awk '{print $2}' | sort -n | awk -v v="$view" '
    { t[NR] = $1 }
    END { printf "  %-9s %3d frames: median %.2f ms, 95th percentile %.2f ms, max %.2f ms\n",
          v, NR, t[int((NR + 1) / 2)] / 1000, t[int(NR * 0.95 + 0.5)] / 1000, t[NR] / 1000 }'
done
fi

if wants figure; then
FIGURE_S=${FIGURE_S:-10}
echo "The guided routine with its figure moving, over ${FIGURE_S} s:"
start_window routine >/dev/null
sleep 1
wid=$(xdotool search --onlyvisible --name '^Rebalance$' | head -1)
xdotool windowfocus --sync "$wid" key --window "$wid" space
xdotool mousemove --window "$wid" 1 1
sleep 0.5
: >"$WORK/window.out"
before=$(cpu_ticks "$WIN_PID")
sleep "$FIGURE_S"
after=$(cpu_ticks "$WIN_PID")
stop_window
grep '^rebalance-frame ' "$WORK/window.out" | awk '{print $2}' | sort -n | awk -v s="$FIGURE_S" \
  -v t=$((after - before)) -v hz="$HZ" '
  { f[NR] = $1 }
  END { printf "  %d frames (%.1f a second): median %.2f ms, 95th percentile %.2f ms, max %.2f ms to build; %.1f %% of one core\n",
        NR, NR / s, f[int((NR + 1) / 2)] / 1000, f[int(NR * 0.95 + 0.5)] / 1000, f[NR] / 1000, 100 * t / hz / s }'
fi

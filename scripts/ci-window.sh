#!/usr/bin/env bash
# CI: what the open window costs while nobody touches it, view by view, and
# what the guided routine costs while its exercise figure moves.
#
#   scripts/ci-window.sh [--seconds N] [--settle N] [path/to/rebalance]
#   (default: $CARGO_TARGET_DIR/release/rebalance, built here first)
#
# One window per view, all open side by side on one Xvfb display and all
# measured over the same N seconds (default 60), so the whole check takes
# about as long as one view would. Each window has its own home and its own
# real daemon (one window per user is the rule, so they cannot share one),
# with working hours around the clock so Today counts down. The windows:
#   today week log routines settings about   untouched
#   routine          the guide on its first exercise, set not started
#                    (the figure plays its preview, then rests)
#   break-paused     a break whose countdown is paused
#   break            a break counting down: one repaint a second (reference)
#   routine-running  a set counting, the figure moving (reference; its set
#                    starts with the measurement and ends within it)
# Each is read from /proc as scripts/footprint.sh reads the daemon (the
# helpers are shared, scripts/measure-lib.sh): CPU from the threads' run
# time in /proc/PID/task/*/schedstat, wake-ups from their context switches.
# The moving figure's frames per second and the time each frame takes to
# build come from the window itself (REBALANCE_FRAME_TIMES), over the first
# FIGURE_S (15) seconds of its set, with its CPU from /proc/PID/stat.
#
# What fails and what is printed only. CPU is noisy on a shared machine
# (a 60 s spell on a busy runner moves by more than the 0.1 % target), so
# it is printed, with "target met/missed" for the idle views. Wake-ups are
# steady: an idle window wakes for a once-a-minute countdown and little
# else, while a
# window that repaints every second wakes hundreds of times a minute (the
# break reference shows it). An idle view over IDLE_WAKE_LIMIT wake-ups a
# minute fails, which catches a view that repaints on a timer it does not
# need. The moving figure fails when it draws more than FIGURE_FPS_LIMIT
# frames a second (its pacing was lost) or fewer than 5 (it stopped). A
# window that does not open, or exits, fails too.
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

# Every thread of an idle window over a minute: a helper thread of the
# accessibility bridge (twice a second), Today's one frame a minute (each
# frame's X round trips count) and the status watch, which wakes only when
# the status changes. Measured: idle views 115-130, Today 150; a break
# repainting once a second 4,100 (each frame wakes the GL threads).
IDLE_WAKE_LIMIT=${IDLE_WAKE_LIMIT:-600}
# The figure is paced at 20 frames a second, timed over FIGURE_S seconds.
FIGURE_FPS_LIMIT=${FIGURE_FPS_LIMIT:-23}
FIGURE_S=${FIGURE_S:-15}

if [ -z "${SESSION_WORK:-}" ] && [ -z "${REBALANCE_BIN:-}" ]; then
  cargo build --release --locked || exit 1
fi
here="$(pwd)/scripts"
source "$here/session-lib.sh"
session_enter "$0" "$@"

seconds=60
# The break's suggested stretch moves for its first 30 s and the routine
# guide's preview for 12 s; then both rest.
settle=35
bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) bin="$1"; shift ;;
  esac
done
bin="${bin:-${REBALANCE_BIN:-${CARGO_TARGET_DIR:-target}/release/rebalance}}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
[ -x "$bin" ] || { echo "FAIL: no binary at $bin"; exit 1; }
for tool in Xvfb dbus-daemon dunst dunstctl xdotool; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

work="$SESSION_WORK"
hz="$(getconf CLK_TCK)"
source "$here/measure-lib.sh"

# Room for the windows (860 x 600 each) in three columns.
start_xvfb 2600x2440x24 || { echo "FAIL: Xvfb did not start"; exit 1; }
start_dunst || { echo "FAIL: dunst did not start"; exit 1; }

status=0
failed() { echo "FAIL: $1"; status=1; }

# view, what it shows, and the keys pressed once it is open.
views=(today week log routines settings about routine break-paused break routine-running)
declare -A shows=(
  [today]="untouched" [week]="untouched" [log]="untouched" [routines]="untouched"
  [settings]="untouched" [about]="untouched" [routine]="guide, set not started"
  [break-paused]="break paused" [break]="break counting (1/s)"
  [routine-running]="set counting, figure moving"
)
declare -A keys=([break-paused]=space)
declare -A window_of

names=()
roots=()
n=0
for view in "${views[@]}"; do
  root="$work/$view"
  mkdir -p "$root/config/rebalance"
  cat >"$root/config/rebalance/settings.toml" <<'EOF'
[working_hours]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start = "00:00"
end = "23:59"
EOF
  start_in_home "$root" "$root/daemon.log" "$bin" daemon
  if ! (use_home "$root"; within 10 "$bin" status >/dev/null 2>&1); then
    failed "$view: its daemon did not start"
    continue
  fi
  open_as="${view%-paused}"
  open_as="${open_as%-running}"
  start_in_home "$root" "$root/window.log" env REBALANCE_FRAME_TIMES=1 "$bin" window --view "$open_as"
  pid=$started
  wid="$(timeout 20 xdotool search --sync --all --onlyvisible --pid "$pid" --name '^Rebalance$' 2>/dev/null | head -1)"
  if [ -z "$wid" ]; then
    failed "$view: the window did not appear"
    tail -n 5 "$root/window.log"
    continue
  fi
  xdotool windowmove --sync "$wid" $((n % 3 * 866)) $((n / 3 * 606)) >/dev/null 2>&1
  if [ -n "${keys[$view]:-}" ]; then
    # Pointer and focus both on this window, so the key reaches it and
    # no other.
    sleep 1
    xdotool mousemove --window "$wid" 20 20 windowfocus --sync "$wid" key "${keys[$view]}"
    sleep 0.5
  fi
  window_of[$view]=$pid
  names+=("$view")
  roots+=("$pid")
  n=$((n + 1))
done
# The pointer rests outside every window.
xdotool mousemove 2590 2430

echo "settling for $settle s, then measuring ${#names[@]} windows side by side over $seconds s ..."
sleep "$settle"
# The routine's set starts now, as the measurement does: a set of
# repetitions lasts well under a minute, so the figure is timed over its
# first FIGURE_S seconds, while it surely moves.
frames_log="$work/routine-running/window.log"
figure_pid="${window_of[routine-running]:-}"
if [ -n "$figure_pid" ]; then
  wid="$(xdotool search --all --pid "$figure_pid" --name '^Rebalance$' | head -1)"
  xdotool mousemove --window "$wid" 20 20 windowfocus --sync "$wid" key space mousemove 2590 2430
  (
    sleep 0.5
    f0="$(grep -c '^rebalance-frame ' "$frames_log")"
    t0="$(ticks "$figure_pid")"
    sleep "$FIGURE_S"
    echo "$f0 $(grep -c '^rebalance-frame ' "$frames_log") $(($(ticks "$figure_pid") - t0))"
  ) >"$work/figure" &
  figure_job=$!
fi
: >"$work/results"
measure
[ -n "${figure_job:-}" ] && wait "$figure_job"
read -r frames_before frames_after figure_ticks <"$work/figure" 2>/dev/null

echo
printf '%-16s %-28s %9s %9s %9s %8s %7s\n' "view" "over $seconds s" "cpu %" "sched %" "wake/min" "priv MB" "threads"
for view in "${views[@]}"; do
  line="$(awk -F'\t' -v v="$view" '$1 == v' "$work/results")"
  if [ -z "$line" ]; then
    [ -n "${window_of[$view]:-}" ] && failed "$view: the window exited during the measurement"
    continue
  fi
  echo "$line" | awk -F'\t' -v shows="${shows[$view]}" \
    '{ printf "%-16s %-28s %9.4f %9.4f %9.1f %8.1f %7d\n", $1, shows, $2, $3, $7, $9, $8 }'
done

echo
# The moving figure, from the frames the window reported while measured.
grep '^rebalance-frame ' "$frames_log" 2>/dev/null | sed -n "$((frames_before + 1)),${frames_after}p" \
  | awk '{print $2}' | sort -n >"$work/frames"
fps="$(awk -v s="$FIGURE_S" 'END { printf "%.1f", NR / s }' "$work/frames")"
awk -v s="$FIGURE_S" -v cpu="$(awk -v t="${figure_ticks:-0}" -v hz="$hz" -v s="$FIGURE_S" 'BEGIN { print 100 * t / hz / s }')" '
  { f[NR] = $1 }
  END {
    if (NR == 0) { print "routine figure: no frames reported"; exit }
    printf "routine figure moving: %d frames in %d s (%.1f a second), %.2f ms median to build a frame, %.2f ms 95th percentile; %.1f %% of one core\n",
      NR, s, NR / s, f[int((NR + 1) / 2)] / 1000, f[int(NR * 0.95 + 0.5)] / 1000, cpu
  }' "$work/frames"

echo
for view in today week log routines settings about routine break-paused; do
  line="$(awk -F'\t' -v v="$view" '$1 == v' "$work/results")"
  [ -n "$line" ] || continue
  read -r sched wake <<<"$(echo "$line" | awk -F'\t' '{print $3, $7}')"
  if awk -v c="$sched" 'BEGIN { exit !(c <= 0.1) }'; then
    echo "target met: $view at most 0.1 % of a core ($sched %)"
  else
    echo "target missed: $view at most 0.1 % of a core ($sched %)"
  fi
  if awk -v w="$wake" -v l="$IDLE_WAKE_LIMIT" 'BEGIN { exit !(w <= l) }'; then
    echo "PASS: $view at most $IDLE_WAKE_LIMIT wake-ups a minute ($wake)"
  else
    failed "$view at most $IDLE_WAKE_LIMIT wake-ups a minute ($wake)"
  fi
done
if awk -v f="$fps" -v l="$FIGURE_FPS_LIMIT" 'BEGIN { exit !(f >= 5 && f <= l) }'; then
  echo "PASS: the moving figure draws 5 to $FIGURE_FPS_LIMIT frames a second ($fps)"
else
  failed "the moving figure draws 5 to $FIGURE_FPS_LIMIT frames a second ($fps)"
fi
exit "$status"

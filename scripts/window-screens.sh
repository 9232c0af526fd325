#!/usr/bin/env bash
# Screenshots of every view of the real window, taken under Xvfb with a
# running daemon (and a notification server on a private session bus) and a
# few weeks of made-up history imported into a throw-away log.
#
# Usage: scripts/window-screens.sh [OUT_DIR]      (default target/screens)
#   BIN=path/to/rebalance   the binary (default target/release/rebalance)
#   DISPLAY_NUM=:99         the Xvfb display to use (a free one by default)
#   ONLY="today week-560x480"  take only the named screenshots
#   SIZES="560x480 2560x1440"  the window sizes of the sized screenshots
# Needs Xvfb, xdotool, ImageMagick's import/convert, python3, dbus-run-session.
set -euo pipefail

cd "$(dirname "$0")/.."
# Run under a private session bus so the daemon finds a notification server
# (dunst, when installed) and nothing touches the user's own session.
if [ -z "${REBALANCE_SCREENS_BUS:-}" ]; then
  export REBALANCE_SCREENS_BUS=1
  exec dbus-run-session -- "$0" "$@"
fi

BIN=$(realpath "${BIN:-target/release/rebalance}")
OUT=$(realpath -m "${1:-target/screens}")
mkdir -p "$OUT"
# Room for the largest sized shot (2560 x 1440) and the tall settings page.
SCREEN=2600x1600x24
# shellcheck source=scripts/window-env.sh
source scripts/window-env.sh
SETTINGS=$XDG_CONFIG_HOME/rebalance/settings.toml

# Reminders all day every day, so the countdowns show whatever the hour.
write_settings() { # theme
  cat >"$SETTINGS" <<EOF
[working_hours]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start = "00:00"
end = "23:59"

[appearance]
theme = "$1"
EOF
}
write_settings light

# Three weeks of history: posture checks, breaks, and the mini routine every
# other day with pain easing from 5 to 3.
python3 - >"$WORK/history.jsonl" <<'EOF'
import datetime as dt, json, random
random.seed(7)
tz = dt.datetime.now().astimezone().tzinfo
today = dt.datetime.now().astimezone().date()
mini = [("glute_bridge", 2, 10, 0, False), ("bird_dog", 2, 0, 10, True), ("deep_squat", 2, 8, 0, False)]
for back in range(21, -1, -1):
    day = today - dt.timedelta(days=back)
    def at(h, m):
        return dt.datetime.combine(day, dt.time(h, m), tz).isoformat(timespec="seconds")
    last = 13 if back == 0 else 17
    for h in range(9, last):
        for m in (5, 35):
            o = random.choices(["all_good", "fixed", "snoozed", "missed"], [6, 3, 1, 1])[0]
            print(json.dumps({"timestamp": at(h, m), "kind": "posture_check", "outcome": o}))
        o = random.choices(["taken", "natural", "skipped", "missed"], [5, 2, 1, 1])[0]
        print(json.dumps({"timestamp": at(h, 50), "kind": "move_break", "outcome": o,
                          "duration_s": 300 if o in ("taken", "natural") else 0}))
    if back % 2 == 1:
        pain = max(2, 5 - (21 - back) // 7)
        print(json.dumps({"timestamp": at(18, 20), "kind": "routine",
                          "outcome": "completed" if back % 6 else "partial",
                          "duration_s": 540, "routine": "mini", "pain": pain,
                          "note": "left hip tighter" if back == 5 else "",
                          "exercises": [{"exercise": e, "sets": s, "reps": r, "hold_s": h, "per_side": p}
                                        for e, s, r, h, p in mini]}))
EOF
"$BIN" import "$WORK/history.jsonl" >/dev/null

start_daemon

# shot NAME SETTLE_S KEYS... -- COMMAND...: starts COMMAND, waits for its
# window, resizes it to WIN_SIZE (e.g. 560x480) when set, presses KEYS
# (xdotool key names, "wait:S" sleeps), waits SETTLE_S, and saves the window
# as NAME.png.
shot() {
  local name=$1 settle=$2
  shift 2
  if [ -n "${ONLY:-}" ] && [[ " $ONLY " != *" $name "* ]]; then return 0; fi
  local keys=()
  while [ "$1" != "--" ]; do keys+=("$1"); shift; done
  shift
  "$@" >"$WORK/$name.out" 2>&1 &
  local pid=$!
  local wid
  wid=$(timeout 20 xdotool search --sync --onlyvisible --name '^Rebalance' | head -1)
  if [ -n "${WIN_SIZE:-}" ]; then
    xdotool windowsize --sync "$wid" "${WIN_SIZE%x*}" "${WIN_SIZE#*x}"
  fi
  sleep 1
  for key in "${keys[@]}"; do
    case $key in
      wait:*) sleep "${key#wait:}" ;;
      *) xdotool windowfocus --sync "$wid" key --window "$wid" "$key"; sleep 0.3 ;;
    esac
  done
  # Park the pointer on the window's corner so no tooltip shows.
  xdotool mousemove --window "$wid" 1 1
  sleep "$settle"
  import -window "$wid" "$OUT/$name.png"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$OUT/$name.png"
}

W=("$BIN" window --view)
shot today 1 -- "${W[@]}" today
shot break 1 -- "${W[@]}" break
shot routine 1 space wait:4 -- "${W[@]}" routine
shot routine-finish 1 Return Return Return Return Return Return Return Return -- "${W[@]}" routine
shot log 1 -- "${W[@]}" log
shot routines 1 -- "${W[@]}" routines
shot week 1 -- "${W[@]}" week
shot settings 1 -- "${W[@]}" settings
# The whole settings page at once, down to "Wait for a better moment".
WIN_SIZE=860x1580 shot settings-tall 1 -- "${W[@]}" settings
shot about 1 -- "${W[@]}" about
shot prompt 1 -- "$BIN" prompt --kind posture-check

# The guided routine's figure mid-repetition, at the smallest and a large size.
figure_shots() { # suffix
  for size in ${SIZES:-560x480 1920x1080}; do
    WIN_SIZE=$size shot "routine-figure-$size$1" 0 space wait:1.2 -- "${W[@]}" routine
  done
}
figure_shots ""

write_settings dark
shot today-dark 1 -- "${W[@]}" today
shot routine-dark 1 space wait:4 -- "${W[@]}" routine
shot week-dark 1 -- "${W[@]}" week
figure_shots -dark
write_settings light
# The smallest window and a large one.
for size in ${SIZES:-560x480 2560x1440}; do
  WIN_SIZE=$size shot "today-$size" 1 -- "${W[@]}" today
  WIN_SIZE=$size shot "week-$size" 1 -- "${W[@]}" week
  WIN_SIZE=$size shot "routine-$size" 1 space wait:4 -- "${W[@]}" routine
  WIN_SIZE=$size shot "welcome-$size" 1 -- "${W[@]}" welcome
done
write_settings dark
for size in ${SIZES:-560x480 2560x1440}; do
  WIN_SIZE=$size shot "welcome-dark-$size" 1 -- "${W[@]}" welcome
done
write_settings light
WINIT_X11_SCALE_FACTOR=2 shot today-200 1 -- "${W[@]}" today
WINIT_X11_SCALE_FACTOR=2 shot settings-200 1 -- "${W[@]}" settings

# Without the daemon: the window says so and offers to start it.
kill "$DAEMON"
wait "$DAEMON" 2>/dev/null || true
shot today-no-daemon 1 -- "${W[@]}" today

# Smaller files for the README: no metadata, best compression.
for f in "$OUT"/*.png; do
  [ -e "$f" ] || continue
  convert "$f" -strip -define png:compression-level=9 "$f"
done

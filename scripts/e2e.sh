#!/usr/bin/env bash
# End-to-end check of the background service on a real desktop stack: the
# real binary under Xvfb, on its own session bus, with dunst as the
# notification server and posture checks every minute in its settings file.
#
#   scripts/e2e.sh [path/to/rebalance]      (default: target/release/rebalance)
#
# Checks: a posture check notification appears with its buttons; answering it
# in dunst is written to the SQLite log; `pause 1h` withdraws it and no
# reminder comes during the pause; a check due while a listed program runs,
# or while dunst is paused (do not disturb), waits until that ends; `status --json` tells the truth; a second
# daemon is refused; with dunst gone the reminder window appears instead;
# `quit` stops the daemon; a first start opens on the welcome and a test
# reminder's answer reaches the status but not the log. Prints PASS/FAIL per check and a final count;
# exits non-zero when any check fails.
#
# Needs: Xvfb, dbus-daemon (dbus-run-session, dbus-monitor), dunst, dunstctl,
# xdotool, sqlite3.

set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-${REBALANCE_BIN:-$here/../target/release/rebalance}}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

if [ -z "${REBALANCE_E2E_INNER:-}" ]; then
  for tool in Xvfb dbus-run-session dbus-monitor dunst dunstctl xdotool sqlite3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
  done
  [ -x "$bin" ] || { echo "FAIL: no binary at $bin (build it with cargo build --release)"; exit 1; }
  work="$(mktemp -d "${TMPDIR:-/tmp}/rebalance-e2e.XXXXXX")"
  # A bus of our own without service activation: the standard session
  # configuration would restart dunst on the next notification after the
  # test stops it, and the fallback could never be seen.
  cat >"$work/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$work</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  REBALANCE_E2E_INNER="$work" dbus-run-session --config-file="$work/bus.conf" -- bash "$0" "$bin"
  status=$?
  if [ "$status" -eq 0 ] && [ -z "${KEEP_E2E:-}" ]; then rm -rf "$work"; else echo "files kept in $work"; fi
  exit "$status"
fi

work="$REBALANCE_E2E_INNER"
source "$here/check-lib.sh"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap cleanup EXIT

export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" \
  XDG_RUNTIME_DIR="$work/run" XDG_CACHE_HOME="$work/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME/rebalance" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CACHE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
# No logind in this session: the host's system bus is not ours to watch.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$work/no-system-bus"
export RUST_LOG="${RUST_LOG:-info}"
db="$XDG_DATA_HOME/rebalance/rebalance.db"

cat >"$XDG_CONFIG_HOME/rebalance/settings.toml" <<'EOF'
version = 1

[posture]
enabled = true
interval = "1m"

[move_break]
enabled = false

[routine]
enabled = false

[working_hours]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start = "00:00"
end = "23:59"

[notifications]
sound = false

[hold]
apps = ["rb-fake-call"]
grace = "0s"
EOF

# --- the desktop: a display, a notification server, a bus monitor ---------
display=99
while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
export DISPLAY=":$display"
within 10 xdotool getdisplaygeometry >/dev/null 2>&1 || { echo "FAIL: Xvfb did not start"; exit 1; }

# dunst's context menu runs this "dmenu": it picks the All good action, as a
# user choosing it from the notification's menu would.
cat >"$work/pick-all-good" <<'EOF'
#!/bin/sh
grep -m1 'All good'
EOF
chmod +x "$work/pick-all-good"
cat >"$work/dunstrc" <<EOF
[global]
    dmenu = $work/pick-all-good
    show_indicators = yes
EOF
dunst -config "$work/dunstrc" >"$work/dunst.log" 2>&1 &
dunst_pid=$!
pids+=("$dunst_pid")
within 10 dunstctl is-paused >/dev/null 2>&1 || { echo "FAIL: dunst did not start"; exit 1; }

dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
  >"$work/notify.log" 2>&1 &
pids+=($!)
sleep 0.5

notify_count() { grep -c 'member=Notify' "$work/notify.log" 2>/dev/null || true; }
displayed() { dunstctl count displayed 2>/dev/null || echo 0; }
json_status() { "$bin" status --json 2>/dev/null; }

# --- the daemon ----------------------------------------------------------
"$bin" daemon >"$work/daemon.out" 2>&1 &
daemon_pid=$!
pids+=("$daemon_pid")
check "the daemon starts and answers" within 10 "$bin" status

# 1. A posture check notification appears, with its buttons.
"$bin" check >/dev/null
has_posture_notice() {
  [ "$(displayed)" -ge 1 ] && grep -q '"all_good"' "$work/notify.log" \
    && grep -q '"fixed_it"' "$work/notify.log" && grep -q '"Rebalance"' "$work/notify.log"
}
check "a posture check notification appears in dunst with All good / Fixed it / Snooze" within 10 has_posture_notice

# 2. Answering it in dunst is logged.
dunstctl context >/dev/null 2>&1
logged_all_good() {
  [ "$(sqlite3 "$db" "SELECT count(*) FROM entries WHERE kind='posture_check' AND outcome='all_good';" 2>/dev/null)" = "1" ]
}
check "answering All good in dunst is written to the log" within 10 logged_all_good
check "the answered notification goes away" within 10 test "$(displayed)" = 0
check "status --json counts the answer" within 5 sh -c "'$bin' status --json | grep -q '\"all_good\": 1'"

# 3. pause 1h withdraws what is pending and stops reminders.
"$bin" check >/dev/null
within 10 test "$(displayed)" -ge 1
before_pause="$(notify_count)"
check "pause 1h is accepted" "$bin" pause 1h
check "pausing withdraws the shown reminder" within 10 test "$(displayed)" = 0
paused_json="$(json_status)"
check "status --json says paused, with an end time" \
  sh -c "echo '$paused_json' | grep -q '\"paused\": true' && echo '$paused_json' | grep -q '\"paused_until\": \"'"
check "status --json shows nothing pending while paused" sh -c "echo '$paused_json' | grep -q '\"pending\": \[\]'"
echo "     (waiting 70 s: a posture check would fall due every minute)"
sleep 70
check "no reminder comes during the pause" test "$(notify_count)" = "$before_pause"
# 3b. A program on the hold list (a stand-in for a video call app) runs
# when the next check falls due: it waits, and comes once the program ends.
cp "$(command -v sleep)" "$work/rb-fake-call"
"$work/rb-fake-call" 600 &
fake_call=$!
pids+=("$fake_call")
check "resume is accepted" "$bin" resume
check "status --json says running again" sh -c "'$bin' status --json | grep -q '\"paused\": false'"
before_hold="$(notify_count)"
# Someone at the keyboard: without input the user counts as away and the
# check would wait for them anyway.
( x=10; while sleep 5; do x=$(( (x + 37) % 600 + 10 )); xdotool mousemove "$x" 200; done ) &
pids+=($!)
echo "     (waiting 75 s: the next posture check falls due while rb-fake-call runs)"
sleep 75
check "no reminder comes while a listed program runs" test "$(notify_count)" = "$before_hold"
check "status says what holds reminders back" \
  sh -c "'$bin' status | grep -q 'Holding reminders: rb-fake-call is running'"
check "status --json names the app" sh -c "'$bin' status --json | grep -q '\"app\": \"rb-fake-call\"'"
kill "$fake_call"
held_check_shown() { [ "$(notify_count)" -gt "$before_hold" ]; }
check "the held check comes once the program has ended" within 45 held_check_shown
sleep 2
check "it comes once, not in a burst" test "$(notify_count)" = "$((before_hold + 1))"
"$bin" skip >/dev/null 2>&1
# 3c. dunst's do not disturb holds the next check the same way.
dunstctl set-paused true
before_dnd="$(notify_count)"
echo "     (waiting 70 s: the next posture check falls due on do not disturb)"
sleep 70
check "no reminder comes on do not disturb" test "$(notify_count)" = "$before_dnd"
check "status says do not disturb holds reminders" \
  sh -c "'$bin' status | grep -q 'Holding reminders: do not disturb'"
dunstctl set-paused false
dnd_check_shown() { [ "$(notify_count)" -gt "$before_dnd" ]; }
check "the held check comes once do not disturb is off" within 45 dnd_check_shown
"$bin" skip >/dev/null 2>&1

# 4. A second daemon is refused.
timeout 10 "$bin" daemon >"$work/second.out" 2>&1
code=$?
check "a second daemon exits with code 2" test "$code" = 2
check "a second daemon says why" grep -q 'already running' "$work/second.out"
check "the first daemon still answers" "$bin" status

# 5. With dunst gone, the reminder window appears instead.
kill "$dunst_pid"
within 10 sh -c '! dunstctl is-paused >/dev/null 2>&1'
"$bin" check >/dev/null
fallback_window() { xdotool search --name 'Rebalance: Posture check' >/dev/null 2>&1; }
no_fallback_window() { ! fallback_window; }
check "without a notification server the reminder window appears" within 20 fallback_window
check "status --json reports notifications degraded" within 5 sh -c "'$bin' status --json | grep -q '\"feature\": \"notifications\"'"
if fallback_window; then
  "$bin" skip >/dev/null 2>&1
  check "answering elsewhere closes the reminder window" within 10 no_fallback_window
else
  fail "answering elsewhere closes the reminder window (it never appeared)"
fi

# 6. quit stops the daemon.
check "quit is accepted" "$bin" quit
check "the daemon exits" within 10 sh -c "! kill -0 $daemon_pid 2>/dev/null"
wait "$daemon_pid" 2>/dev/null
check "the daemon exited cleanly" test "$?" = 0
"$bin" status >/dev/null 2>&1
code=$?
check "status after quit exits with code 3 (not running)" test "$code" = 3

# 7. A first start: with an empty home the window opens on the welcome
# (and remembers in the log that it showed it); a test reminder shows in
# dunst with its buttons, and answering it reaches the status, not the log.
export HOME="$work/first/home" XDG_CONFIG_HOME="$work/first/config" XDG_DATA_HOME="$work/first/data" \
  XDG_RUNTIME_DIR="$work/first/run" XDG_CACHE_HOME="$work/first/cache"
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CACHE_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
first_db="$XDG_DATA_HOME/rebalance/rebalance.db"
dunst -config "$work/dunstrc" >"$work/dunst-first.log" 2>&1 &
pids+=($!)
within 10 dunstctl is-paused >/dev/null 2>&1
"$bin" daemon >"$work/daemon-first.out" 2>&1 &
pids+=($!)
check "a first start's daemon answers" within 10 "$bin" status
"$bin" window >"$work/window-first.out" 2>&1 &
pids+=($!)
check "a first start opens the window" within 20 xdotool search --name '^Rebalance$'
welcome_shown() {
  sqlite3 "$first_db" "SELECT json FROM state WHERE key = 'ui.welcome_shown';" 2>/dev/null | grep -q true
}
check "the window shows the welcome and remembers that it did" within 10 welcome_shown
before_test="$(notify_count)"
"$bin" test-reminder >/dev/null
test_notice() {
  [ "$(notify_count)" -gt "$before_test" ] && [ "$(displayed)" -ge 1 ] \
    && grep -q 'a test reminder' "$work/notify.log"
}
check "a test reminder appears in dunst" within 10 test_notice
dunstctl context >/dev/null 2>&1
check "answering it in dunst reaches the status" \
  within 10 sh -c "'$bin' status --json | grep -q '\"test_answer\": \"all_good\"'"
check "a test answer is not logged" \
  test "$(sqlite3 "$first_db" 'SELECT count(*) FROM entries;' 2>/dev/null)" = 0
"$bin" quit >/dev/null 2>&1

echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  echo "--- daemon log"; tail -n 40 "$work/daemon.out"
  exit 1
fi
exit 0

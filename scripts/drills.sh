#!/usr/bin/env bash
# Reliability drills: the real binary on a throw-away desktop (Xvfb, a
# private session bus, dunst), each drill with its own settings, data and
# socket folders, each breaking one thing a real machine can break:
#
#   kill9          kill -9 while answers are being written
#   corrupt        a settings file that is not TOML
#   unwritable     a data folder that cannot be written
#   diskfull       the disk fills up while answers are being written
#
# What needs no real desktop is a Rust test instead, run by `cargo test`:
# the notification server going away and coming back, a tray host
# appearing late, clock jumps and suspend (tests/daemon_shell.rs, the
# service loop against fakes of its seams, the clock among them), a second
# daemon (tests/daemon_reminders.rs), kill -9 mid-write
# (tests/store_crash.rs) and an unwritable log (tests/drill_readonly_log.rs,
# tests/drill_log_write_fails.rs).
#
#   scripts/drills.sh [path/to/rebalance] [drill ...]
#     (default: target/release/rebalance, every drill)
#
# Prints the evidence of each check, then PASS/FAIL per drill and a final
# "N passed, N failed" line; exits non-zero when a drill fails. A drill that
# needs what this machine cannot give (mounting a tmpfs) says
# SKIP and why, or FAIL when CI=true. KEEP_WORK=1 keeps the working folder.
#
# Needs: Xvfb, dbus-daemon, dunst, dunstctl, dbus-monitor, xdotool, sqlite3,
# jq; tesseract and ImageMagick's `import`
# to read the window's warning banner (else only the status is checked).

set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source "$here/session-lib.sh"
session_enter "$0" "$@"

bin=""
selected=()
for arg in "$@"; do
  case "$arg" in
    */*) bin="$arg" ;;
    *) selected+=("$arg") ;;
  esac
done
bin="${bin:-${REBALANCE_BIN:-$here/../target/release/rebalance}}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
[ -x "$bin" ] || { echo "FAIL: no binary at $bin (build it with cargo build --release)"; exit 1; }
for tool in Xvfb dbus-daemon dbus-monitor dunst dunstctl xdotool sqlite3 jq; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done

work="$SESSION_WORK"

# --- the desktop -------------------------------------------------------------

start_xvfb || { echo "FAIL: Xvfb did not start"; exit 1; }
# dunst's context menu runs this "dmenu": it picks All good, as a user
# choosing it from the notification's menu would.
cat >"$work/pick-all-good" <<'EOF'
#!/bin/sh
grep -m1 'All good'
EOF
chmod +x "$work/pick-all-good"
printf '[global]\n    dmenu = %s\n' "$work/pick-all-good" >"$work/dunstrc"
start_dunst "$work/dunstrc" || { echo "FAIL: dunst did not start"; exit 1; }
dbus-monitor --session "type='method_call',interface='org.freedesktop.Notifications',member='Notify'" \
  >"$work/notify.log" 2>&1 &
session_pids+=($!)
# Someone is at the desk: the pointer moves every few seconds, so idle
# detection never decides the user is away.
(while sleep 4; do xdotool mousemove_relative -- 1 1 mousemove_relative -- -1 -1; done) \
  >/dev/null 2>&1 &
session_pids+=($!)
sleep 0.5

# --- reporting ---------------------------------------------------------------

passed=0
failed=0
skipped=0
drill_ok=1
drill_skip=""
# Records one check of the current drill: its description, then the command.
check() {
  local what="$1"
  shift
  if "$@"; then
    echo "    ok   $what"
  else
    echo "    NOT  $what"
    drill_ok=0
  fi
}
# Evidence worth printing with the checks.
note() { echo "         $*"; }
skip() { drill_skip="$1"; }

run_drill() {
  local name="$1" title="$2"
  echo "== $name: $title"
  drill_ok=1
  drill_skip=""
  "drill_$name"
  stop_daemon
  if [ -n "$drill_skip" ] && [ "${CI:-}" = true ]; then
    # In CI a drill that cannot run is a missing tool, not a pass.
    echo "FAIL: $name (could not run: $drill_skip)"
    failed=$((failed + 1))
  elif [ -n "$drill_skip" ]; then
    echo "SKIP: $name ($drill_skip)"
    skipped=$((skipped + 1))
  elif [ "$drill_ok" = 1 ]; then
    echo "PASS: $name"
    passed=$((passed + 1))
  else
    echo "FAIL: $name (its folder: $home)"
    failed=$((failed + 1))
    if [ -f "$home/daemon.err" ]; then
      echo "    --- daemon output (last lines)"
      plain "$home/daemon.err" | tail -n 15 | sed 's/^/    /'
    fi
  fi
}

# --- helpers -----------------------------------------------------------------

home=""
daemon_pid=""

# A fresh home for drill $1 with reminders all day long, posture checks
# every 30 min, move breaks every 50 min and no routine reminder.
fresh_home() {
  home="$work/$1"
  use_home "$home"
  mkdir -p "$XDG_CONFIG_HOME/rebalance"
  write_settings
  db="$XDG_DATA_HOME/rebalance/rebalance.db"
}

write_settings() {
  cat >"$XDG_CONFIG_HOME/rebalance/settings.toml" <<'EOF'
version = 1

[posture]
enabled = true
interval = "30m"

[move_break]
enabled = true
interval = "50m"

[routine]
enabled = false

[working_hours]
days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
start = "00:00"
end = "23:59"

[notifications]
sound = false
EOF
}

# Starts the daemon (extra environment as arguments) and waits until it
# answers. Its output goes to $home/daemon.err.
start_daemon() {
  env "$@" "$bin" daemon >>"$home/daemon.err" 2>&1 &
  daemon_pid=$!
  session_pids+=("$daemon_pid")
  within 10 "$bin" status >/dev/null 2>&1
}

stop_daemon() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    "$bin" quit >/dev/null 2>&1 || kill "$daemon_pid" 2>/dev/null
    within 5 sh -c "! kill -0 $daemon_pid 2>/dev/null"
  fi
  daemon_pid=""
}

alive() { kill -0 "$daemon_pid" 2>/dev/null; }
status_json() { "$bin" status --json 2>/dev/null; }
sql() { sqlite3 -cmd '.timeout 2000' "$db" "$1" 2>&1; }
entries() { sql "SELECT count(*) FROM entries WHERE $1;"; }
# count_is WHERE N: the log holds N entries matching WHERE (for `within`).
count_is() { [ "$(entries "$1")" = "$2" ]; }
integrity_ok() { [ "$(sql 'PRAGMA integrity_check;')" = "ok" ]; }
# A log file without its colour codes.
plain() { sed 's/\x1b\[[0-9;]*m//g' "$@"; }
no_panic() { ! grep -q 'panicked' "$@" 2>/dev/null; }
epoch() { date -d "$1" +%s; }

# --- drills --------------------------------------------------------------------

# Answers posture checks through the command line in a loop while the
# daemon is killed with SIGKILL at a random moment, several times. Every
# answer the command line reported as done must be in the log, the database
# must pass its integrity check, and each restart must resume the schedule
# (same move-break time, the answered reminder not back).
drill_kill9() {
  fresh_home kill9
  start_daemon || { check "the daemon starts" false; return; }
  local first_break
  first_break="$(status_json | jq -r '.next.move_break')"
  note "move break due at $first_break"
  local acks="$home/acks" round
  : >"$acks"
  for round in 1 2 3 4 5 6 7 8; do
    (
      i=0
      while :; do
        "$bin" check >/dev/null 2>&1
        [ $? -ge 3 ] && break
        if [ $((i % 3)) = 1 ]; then
          "$bin" snooze >/dev/null 2>&1 && echo snoozed >>"$acks"
          "$bin" check >/dev/null 2>&1
        fi
        "$bin" skip >/dev/null 2>&1
        case $? in
          0) echo skipped >>"$acks" ;;
          3 | 4) break ;;
        esac
        i=$((i + 1))
      done
    ) &
    local writer=$!
    sleep "$(awk -v r="$RANDOM" 'BEGIN {printf "%.2f", 1 + r / 32768 * 1.5}')"
    kill -9 "$daemon_pid"
    local killed_at
    killed_at="$(date +%s)"
    wait "$writer" 2>/dev/null
    wait "$daemon_pid" 2>/dev/null
    local skipped_acks snoozed_acks skipped_rows snoozed_rows
    skipped_acks="$(grep -c skipped "$acks")"
    snoozed_acks="$(grep -c snoozed "$acks")"
    skipped_rows="$(entries "kind='posture_check' AND outcome='skipped'")"
    snoozed_rows="$(entries "kind='posture_check' AND outcome='snoozed'")"
    note "round $round: killed; acknowledged $skipped_acks skips, $snoozed_acks snoozes; the log holds $skipped_rows, $snoozed_rows"
    # Each kill may land after an answer was written and before its reply
    # left: over the rounds so far the log may hold up to one more than
    # was acknowledged per kill, never fewer.
    check "round $round: every acknowledged skip is in the log" \
      test "$skipped_rows" -ge "$skipped_acks" -a "$skipped_rows" -le $((skipped_acks + round))
    check "round $round: every acknowledged snooze is in the log" \
      test "$snoozed_rows" -ge "$snoozed_acks" -a "$snoozed_rows" -le $((snoozed_acks + round))
    check "round $round: PRAGMA integrity_check is ok" integrity_ok
    sleep 1.1
    start_daemon || { check "round $round: the daemon restarts" false; return; }
    local status
    status="$(status_json)"
    note "after restart: next move break $(jq -r '.next.move_break' <<<"$status"), next posture check $(jq -r '.next.posture_check' <<<"$status"), pending $(jq -c '[.pending[] | {kind, due_at}]' <<<"$status")"
    check "round $round: the move break keeps its time (no reset)" \
      test "$(jq -r '.next.move_break' <<<"$status")" = "$first_break"
    local next_posture
    next_posture="$(jq -r '.next.posture_check // empty' <<<"$status")"
    if [ -n "$next_posture" ]; then
      local latest=$((killed_at + 30 * 60)) midnight
      midnight="$(date -d 'tomorrow 00:00' +%s)"
      # Near midnight the working day (00:00 to 23:59 here) ends first, and
      # the timer starts afresh with the next one.
      [ "$latest" -ge $((midnight - 60)) ] && latest=$((midnight + 30 * 60))
      check "round $round: the posture timer resumes from the last answer, not from the restart" \
        test "$(epoch "$next_posture")" -le "$latest"
    fi
    # A reminder the log says was answered must not be waiting again.
    local back
    back="$(jq -r '.pending[] | select(.kind == "posture_check") | .due_at' <<<"$status")"
    if [ -n "$back" ]; then
      local due_ms
      due_ms=$(($(date -d "$back" +%s%3N)))
      check "round $round: the pending posture check was not answered before the kill" \
        test "$(entries "kind='posture_check' AND outcome='skipped' AND due_ms=$due_ms")" = 0
    fi
  done
  check "the daemon never panicked" no_panic "$home/daemon.err"
}

# A settings file that is not TOML: kept aside as settings.toml.bad-*, the
# defaults used (and written), the warning in `status` and in the window.
drill_corrupt() {
  fresh_home corrupt
  local file="$XDG_CONFIG_HOME/rebalance/settings.toml"
  printf 'version = 1\n[posture\ninterval = "30m"\n\x00\xff garbage\n' >"$file"
  cp "$file" "$home/original"
  start_daemon || { check "the daemon starts despite the bad file" false; return; }
  local backup
  backup="$(ls "$file".bad-* 2>/dev/null | head -n 1)"
  note "kept aside as: ${backup:-nothing}"
  check "the bad file is kept aside, byte for byte" cmp -s "$home/original" "${backup:-/nonexistent}"
  # The defaults, as a first run writes them.
  (use_home "$home/first-run" && "$bin" stats >/dev/null 2>&1)
  check "the defaults are in use (a fresh settings file equal to a first run's)" \
    cmp -s "$file" "$home/first-run/config/rebalance/settings.toml"
  local warning
  warning="$(status_json | jq -r '.settings_warning // empty')"
  note "status --json settings_warning: $warning"
  check "status --json carries the warning, naming the backup" \
    grep -qF "$(basename "${backup:-none}")" <<<"$warning"
  check "status (text) shows the warning" sh -c "'$bin' status | grep -qi 'settings'"

  "$bin" window >"$home/window.err" 2>&1 &
  local window=$!
  session_pids+=("$window")
  if within 20 xdotool search --name '^Rebalance$' >/dev/null 2>&1; then
    sleep 3
    local id
    id="$(xdotool search --name '^Rebalance$' | head -n 1)"
    if command -v import >/dev/null && command -v tesseract >/dev/null; then
      import -window "$id" "$home/window.png" 2>/dev/null
      # Twice the size reads better.
      # Dark text on light, twice the size: what OCR reads best.
      convert "$home/window.png" -resize 200% -colorspace Gray -negate -normalize \
        "$home/window-2x.png" 2>/dev/null
      tesseract "$home/window-2x.png" "$home/window" >/dev/null 2>&1
      note "window screenshot: $home/window.png; banner text read: $(grep -i -m1 'settings file' "$home/window.txt" 2>/dev/null)"
      check "the window shows the warning banner" grep -qi 'settings file had a problem' "$home/window.txt"
    elif [ "${CI:-}" = true ]; then
      check "tesseract and ImageMagick are installed to read the window's banner" false
    else
      note "no tesseract/ImageMagick: the window's banner was not read (it shows status.settings_warning)"
    fi
  else
    check "the window opens" false
  fi
  kill "$window" 2>/dev/null
  wait "$window" 2>/dev/null
  check "nothing panicked" no_panic "$home/daemon.err" "$home/window.err"
}

# A data folder that cannot be written: the daemon and `import` fail with a
# clear error naming it and a non-zero exit; reading commands either read
# what is there or say clearly why not; nothing panics.
drill_unwritable() {
  fresh_home unwritable
  # Entries to import, from a log made in a writable folder.
  start_daemon && "$bin" check >/dev/null && sleep 0.3 && "$bin" skip >/dev/null
  stop_daemon
  "$bin" export -o "$home/entries.csv" 2>"$home/export-sample.err"
  check "a sample log was exported for the import" grep -q skipped "$home/entries.csv"

  # Root may write anywhere: a folder whose parent is a regular file, and a
  # read-only mount, are what it cannot write.
  printf 'not a folder\n' >"$home/file"
  export XDG_DATA_HOME="$home/file/data"
  local code
  # refused NAME FOLDER REASON ARGS...: `rebalance ARGS` must fail, naming
  # FOLDER and saying REASON.
  refused() {
    local what="$1" folder="$2" reason="$3"
    shift 3
    timeout 20 "$bin" "$@" >"$home/$what.out" 2>"$home/$what.err"
    code=$?
    note "rebalance $* -> exit $code: $(head -c 300 "$home/$what.err")"
    check "rebalance $1 fails with a non-zero exit" test "$code" -ne 0 -a "$code" -ne 124
    check "rebalance $1 names the folder and says why ($reason)" \
      sh -c "grep -qF '$folder' '$home/$what.err' && grep -qi '$reason' '$home/$what.err'"
    check "rebalance $1 does not panic" no_panic "$home/$what.err"
  }
  refused daemon "$home/file" 'not a directory' daemon
  refused import "$home/file" 'not a directory' import "$home/entries.csv"
  "$bin" stats >"$home/stats.out" 2>"$home/stats.err"
  code=$?
  note "rebalance stats (no log can exist there) -> exit $code, $(grep -c . "$home/stats.out") lines out: $(head -c 200 "$home/stats.err")"
  check "rebalance stats shows an empty week or says why not" \
    sh -c "[ $code = 0 ] && grep -q 'Week of' '$home/stats.out' || { [ $code != 0 ] && [ -s '$home/stats.err' ]; }"
  check "rebalance stats does not panic" no_panic "$home/stats.err"

  local mnt="$home/ro"
  mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=2m tmpfs "$mnt" 2>/dev/null; then
    note "cannot mount a tmpfs here: the read-only mount part is not run"
    return
  fi
  # A log made while the folder was writable, then the folder made read-only.
  export XDG_DATA_HOME="$mnt"
  start_daemon && "$bin" check >/dev/null && sleep 0.3 && "$bin" skip >/dev/null
  stop_daemon
  if mount -o remount,ro "$mnt"; then
    refused ro-daemon "$mnt" 'read-only' daemon
    refused ro-import "$mnt" 'read-only' import "$home/entries.csv"
    "$bin" export >"$home/ro-export.out" 2>"$home/ro-export.err"
    code=$?
    note "read-only data folder: rebalance export -> exit $code, $(grep -c . "$home/ro-export.out") lines: $(head -c 300 "$home/ro-export.err")"
    check "read-only data folder: export reads the log, or says it is read-only" \
      sh -c "[ $code = 0 ] && grep -q skipped '$home/ro-export.out' || { [ $code != 0 ] && grep -qi 'read-only' '$home/ro-export.err'; }"
    check "read-only data folder: export does not panic" no_panic "$home/ro-export.err"
  fi
  umount "$mnt"
}

# The data folder is a 2 MB tmpfs that fills up while answers are written:
# a clear error, no crash or busy loop, nothing acknowledged lost, and the
# log intact and writable again once space is freed.
drill_diskfull() {
  fresh_home diskfull
  local mnt="$home/data"
  if ! mount -t tmpfs -o size=2m,mode=700 tmpfs "$mnt" 2>/dev/null; then
    skip "cannot mount a tmpfs here (needs root)"
    return
  fi
  start_daemon || { check "the daemon starts" false; umount "$mnt"; return; }
  local acks="$home/acks" refused="$home/refused" i
  : >"$acks"
  : >"$refused"
  answer_once() {
    "$bin" check >/dev/null 2>&1
    if "$bin" skip >>"$home/answers.out" 2>>"$home/answers.err"; then
      echo skipped >>"$acks"
    else
      echo refused >>"$refused"
    fi
  }
  answer_once
  answer_once
  dd if=/dev/zero of="$mnt/filler" bs=64k >/dev/null 2>&1
  note "disk full: $(df -h "$mnt" | tail -n 1)"
  local ticks0
  ticks0="$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")"
  for i in 1 2 3 4 5 6; do answer_once; done
  sleep 2
  local ticks1
  ticks1="$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")"
  note "while full: $(wc -l <"$acks") answers acknowledged in all, $(wc -l <"$refused") refused: $(sort -u "$home/answers.err" | head -n 3 | tr '\n' ' ')"
  note "daemon log: $(plain "$home/daemon.err" | grep -i -m1 'disk is full')"
  check "the daemon still runs (no crash)" alive
  check "the daemon is not busy-looping (under 0.5 s of CPU while full)" test $((ticks1 - ticks0)) -lt 50
  check "a clear error is logged (disk full)" grep -qi 'full' "$home/daemon.err"
  check "every answer refused while full was reported as not saved" \
    test "$(grep -c 'not saved' "$home/answers.err")" = "$(grep -c . "$refused")"
  rm -f "$mnt/filler"
  answer_once
  check "with space again, answers are saved" test "$(tail -n 1 "$acks")" = skipped
  check "PRAGMA integrity_check is ok" integrity_ok
  local acked rows
  acked="$(grep -c skipped "$acks")"
  rows="$(entries "kind='posture_check' AND outcome='skipped'")"
  note "acknowledged skips: $acked; in the log: $rows"
  check "every acknowledged answer is in the log" test "$rows" -ge "$acked"
  stop_daemon
  start_daemon && check "the daemon restarts on the same log" alive
  stop_daemon
  check "nothing panicked" no_panic "$home/daemon.err"
  umount "$mnt"
}

# --- run -----------------------------------------------------------------------

all=(kill9 corrupt unwritable diskfull)
[ ${#selected[@]} -gt 0 ] || selected=("${all[@]}")
for name in "${selected[@]}"; do
  case "$name" in
    kill9) run_drill kill9 "kill -9 while answers are written" ;;
    corrupt) run_drill corrupt "a corrupt settings file" ;;
    unwritable) run_drill unwritable "a data folder that cannot be written" ;;
    diskfull) run_drill diskfull "the disk fills while writing" ;;
    *) echo "unknown drill: $name (one of: ${all[*]})"; exit 64 ;;
  esac
done
[ "$skipped" -gt 0 ] && echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

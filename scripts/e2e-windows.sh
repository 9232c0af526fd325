#!/usr/bin/env bash
# End-to-end check of the Windows build under Wine on Xvfb, in a Wine
# prefix of its own:
#
#   scripts/e2e-windows.sh path/to/rebalance.exe [path/to/setup.exe]
#
# With an installer it is installed silently first (and checked: files,
# Start-menu shortcut, Add/Remove Programs entry), the checks run against
# the installed rebalance.exe, and a silent uninstall at the end must
# remove the program and its autostart value and keep the log.
#
# Checks: the daemon starts and `status --json` answers; `check` shows the
# reminder prompt window (Wine has no toast service); a click on its
# "All good" button is written to the log; the main window opens and draws
# (a screenshot goes to $E2E_OUT, default the target folder's
# ci-output/windows-e2e/); a second daemon is refused; `quit` stops the
# daemon. The pipe refusing other users, remote clients or a program that
# took its name first cannot be shown under Wine: every process runs as
# the same user, there are no remote pipes, and Wine 8.0 does not enforce
# FILE_FLAG_FIRST_PIPE_INSTANCE. Prints the
# daemon's memory under Wine, PASS/FAIL per check and a final count; exits
# non-zero when any check fails.
#
# Needs: wine, Xvfb, xdotool, ImageMagick (import), sqlite3,
# x86_64-w64-mingw32-gcc (for the bcryptprimitives.dll stand-in).

set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 path/to/rebalance.exe [path/to/setup.exe]" >&2; exit 2; }
exe="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
installer="${2:-}"
out_dir="${E2E_OUT:-${CARGO_TARGET_DIR:-$here/../target}/ci-output/windows-e2e}"

for tool in wine wineserver Xvfb xdotool import sqlite3 x86_64-w64-mingw32-gcc; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }
done
[ -f "$exe" ] || { echo "FAIL: no executable at $exe"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/rebalance-e2e-windows.XXXXXX")"
mkdir -p "$out_dir"
source "$here/check-lib.sh"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  # Only this run's prefix: its wineserver and the processes in it.
  WINEPREFIX="$work/prefix" wineserver --kill 2>/dev/null
  wait 2>/dev/null
  if [ "$failed" -eq 0 ] && [ -z "${KEEP_E2E:-}" ]; then rm -rf "$work"; else echo "files kept in $work"; fi
}
trap cleanup EXIT

# --- a display and a prefix of our own --------------------------------------
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
pids+=($!)
within 10 test -s "$work/display" || { echo "FAIL: Xvfb did not start"; exit 1; }
export DISPLAY=":$(cat "$work/display")"

source "$here/wine/wine-lib.sh"
export WINEPREFIX="$work/prefix"
echo "     (creating a Wine prefix)"
wine_prepare_prefix || { echo "FAIL: the Wine prefix could not be made"; exit 1; }
export RUST_LOG="${RUST_LOG:-info}"

# Wine's Windows folders for this prefix, as Unix paths.
win_env() { wine cmd /c echo "%$1%" 2>/dev/null | tr -d '\r'; }
appdata="$(wine_unix_path "$(win_env APPDATA)")"
localappdata="$(wine_unix_path "$(win_env LOCALAPPDATA)")"
[ -d "$appdata" ] && [ -d "$localappdata" ] || { echo "FAIL: no APPDATA/LOCALAPPDATA in the prefix"; exit 1; }
db="$localappdata/Rebalance/rebalance.db"
run_key='HKCU\Software\Microsoft\Windows\CurrentVersion\Run'

# --- the installer -------------------------------------------------------------
if [ -n "$installer" ]; then
  timeout 120 wine "$installer" /S
  check "the installer runs silently and succeeds" test "$?" = 0
  wineserver --wait
  installed="$localappdata/Programs/Rebalance"
  check "it installs rebalance.exe to %LOCALAPPDATA%\\Programs\\Rebalance" test -f "$installed/rebalance.exe"
  check "the installed rebalance.exe is the one built" cmp -s "$installed/rebalance.exe" "$exe"
  check "it writes an uninstaller" test -f "$installed/uninstall.exe"
  check "it makes a Start-menu shortcut" test -f "$appdata/Microsoft/Windows/Start Menu/Programs/Rebalance.lnk"
  check "it registers with Add/Remove Programs under HKCU" \
    sh -c "wine reg query 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Rebalance' /v UninstallString | grep -q uninstall.exe"
  exe="$installed/rebalance.exe"
fi

# Short prompts, nothing falling due by itself while the checks run.
mkdir -p "$appdata/Rebalance"
cat >"$appdata/Rebalance/settings.toml" <<'EOF'
version = 1

[posture]
enabled = true
interval = "2h"

[move_break]
enabled = false

[routine]
enabled = false

[notifications]
sound = false
EOF

rb() { timeout 60 wine "$exe" "$@"; }

# --- the daemon ------------------------------------------------------------
wine "$exe" daemon >"$work/daemon.out" 2>&1 &
daemon_pid=$!
pids+=("$daemon_pid")
check "the daemon starts and answers" within 40 rb status
rb status --json >"$work/status.json" 2>/dev/null
check "status --json answers with JSON" grep -q '"paused": false' "$work/status.json"

# The daemon's memory: the Unix process Wine runs it in (Wine's own DLLs
# and its loader included, so only a rough figure for Windows).
rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$daemon_pid/status" 2>/dev/null)
pss_kb=$(awk '/^Pss:/ {print $2}' "/proc/$daemon_pid/smaps_rollup" 2>/dev/null)
echo "     daemon memory under Wine: RSS ${rss_kb:-?} KiB, PSS ${pss_kb:-?} KiB"

# --- a reminder, answered with a click -----------------------------------------
prompt_window() { xdotool search --onlyvisible --name '^Rebalance: Posture check$' 2>/dev/null | head -n 1; }
has_prompt() { [ -n "$(prompt_window)" ]; }
rb check >/dev/null 2>&1
check "check shows the reminder prompt window (no toast service under Wine)" within 40 has_prompt
wid="$(prompt_window)"
if [ -n "$wid" ]; then
  sleep 2 # let it draw its first frame before the screenshot and the click
  import -window "$wid" "$out_dir/prompt.png" 2>/dev/null
  # All good is the one button filled with the accent colour (ui::theme,
  # the dark or the light one): click the middle of that area.
  box=""
  for accent in '#6fc2ad' '#1f7a68'; do
    box=$(convert "$out_dir/prompt.png" -alpha off -fuzz 3% -fill black +opaque "$accent" \
      -fill white -opaque "$accent" -format '%@' info: 2>/dev/null)
    # A button is at least a line of text high; anything smaller is a stray pixel.
    read -r w h _ _ <<<"$(echo "${box:-0x0+0+0}" | tr 'x+' '  ')"
    [ "${h:-0}" -ge 20 ] && break
    box=""
  done
  if [ -n "$box" ]; then
    read -r w h x y <<<"$(echo "$box" | tr 'x+' '  ')"
    xdotool mousemove --window "$wid" $((x + w / 2)) $((y + h / 2)) sleep 0.5 click 1
  else
    echo "     (no accent-coloured button found in $out_dir/prompt.png)"
  fi
fi
# Read through rebalance.exe while the daemon runs: a Linux sqlite3 and
# Wine's SQLite do not see each other's locks.
logged_all_good() {
  [ "$(rb export 2>/dev/null | grep -c ',posture_check,all_good,')" = 1 ]
}
check "a click on All good is written to the log (export shows it)" within 30 logged_all_good
check "the prompt window closes after the answer" within 20 sh -c "! xdotool search --onlyvisible --name '^Rebalance: Posture check$' >/dev/null 2>&1"
check "status --json counts the answer" within 10 sh -c "timeout 60 wine '$exe' status --json 2>/dev/null | grep -q '\"all_good\": 1'"

# --- the main window -------------------------------------------------------------
main_window() { xdotool search --onlyvisible --name '^Rebalance$' 2>/dev/null | head -n 1; }
has_main_window() { [ -n "$(main_window)" ]; }
rb open >/dev/null 2>&1
check "open shows the main window" within 40 has_main_window
wid="$(main_window)"
if [ -n "$wid" ]; then
  sleep 3
  shot="$out_dir/window.png"
  import -window "$wid" "$shot" 2>/dev/null
  # Drawn means more than a blank surface: many distinct colours.
  colours=$(convert "$shot" -format %k info: 2>/dev/null || echo 0)
  check "the window draws (screenshot $shot, $colours colours)" test "${colours:-0}" -gt 20
  # Alt+F4 as a user would close it (Wine turns it into WM_CLOSE; a bare
  # X destroy would leave the Windows window and its process behind).
  xdotool windowfocus --sync "$wid" key --clearmodifiers alt+F4 2>/dev/null
  window_process_gone() { ! pgrep -f 'rebalance\.exe window' >/dev/null; }
  check "closing the window ends the window process" within 20 window_process_gone
  check "the daemon keeps running after the window closes" rb status
else
  fail "the window draws (it never appeared)"
fi

# --- refused: a second daemon -----------------------------------------------------
timeout 60 wine "$exe" daemon >"$work/second.out" 2>&1
code=$?
check "a second daemon exits with code 2" test "$code" = 2
check "a second daemon says why" grep -q 'already running' "$work/second.out"
check "the first daemon still answers" rb status

# --- quit ----------------------------------------------------------------------------
check "quit is accepted" rb quit
check "the daemon exits" within 20 sh -c "! kill -0 $daemon_pid 2>/dev/null"
wait "$daemon_pid" 2>/dev/null
check "the daemon exited cleanly" test "$?" = 0
rb status >/dev/null 2>&1
code=$?
check "status after quit exits with code 3 (not running)" test "$code" = 3
check "the SQLite log in %LOCALAPPDATA%\\Rebalance holds the answer" \
  test "$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM entries WHERE kind='posture_check' AND outcome='all_good';" 2>/dev/null)" = 1

# --- uninstall -----------------------------------------------------------------------
if [ -n "$installer" ]; then
  wine reg add "$run_key" /v Rebalance /d "\"C:\\x\\rebalance.exe\" daemon" /f >/dev/null 2>&1
  timeout 120 wine "$installed/uninstall.exe" /S
  # The uninstaller copies itself away and finishes in the background.
  check "the uninstaller removes the program folder" within 30 test ! -e "$installed/rebalance.exe"
  if [ -e "$installed/rebalance.exe" ]; then
    echo "     (Rebalance processes still running:)"; pgrep -a -f 'rebalance\.exe' | sed 's/^/     /'
  fi
  check "it removes the Start-menu shortcut" test ! -e "$appdata/Microsoft/Windows/Start Menu/Programs/Rebalance.lnk"
  check "it removes the autostart value" sh -c "! wine reg query '$run_key' /v Rebalance >/dev/null 2>&1"
  check "it removes the Add/Remove Programs entry" \
    sh -c "! wine reg query 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Rebalance' >/dev/null 2>&1"
  check "a silent uninstall keeps the log" test -f "$db"
fi

echo "$passed passed, $failed failed"
if [ "$failed" -gt 0 ]; then
  echo "--- daemon log"; tail -n 40 "$work/daemon.out"
  exit 1
fi
exit 0

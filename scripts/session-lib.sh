# Shared by scripts/footprint.sh and scripts/drills.sh (sourced, not run):
# a throw-away desktop of our own - a session bus without service
# activation, Xvfb, dunst - and per-instance XDG folders, so nothing touches
# the user's real session, data or settings.

# Re-runs the calling script inside its own session bus. Call it first
# thing with the script's path and arguments; it returns only inside the
# bus (with $SESSION_WORK set to a fresh working folder), otherwise it exits
# with the script's status. KEEP_WORK=1 keeps the folder afterwards.
session_enter() {
  local script="$1"
  shift
  if [ -n "${SESSION_WORK:-}" ]; then
    return 0
  fi
  SESSION_WORK="$(mktemp -d "${TMPDIR:-/tmp}/rebalance-session.XXXXXX")"
  # Without service activation: the standard session configuration would
  # restart dunst on the next notification after a drill stops it.
  cat >"$SESSION_WORK/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$SESSION_WORK</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  local status
  # The bus daemon's own chatter goes to a file; the script keeps this
  # terminal's stderr (passed through as fd 3).
  exec 3>&2
  SESSION_WORK="$SESSION_WORK" dbus-run-session --config-file="$SESSION_WORK/bus.conf" -- \
    bash -c 'exec 2>&3 3>&-; exec bash "$@"' bash "$script" "$@" 2>>"$SESSION_WORK/bus.log"
  status=$?
  exec 3>&-
  if [ "$status" -eq 0 ] && [ -z "${KEEP_WORK:-}" ]; then
    rm -rf "$SESSION_WORK"
  else
    echo "files kept in $SESSION_WORK"
  fi
  exit "$status"
}

# Polls a command until it succeeds, for at most $1 seconds.
within() {
  local seconds="$1"
  shift
  local end=$((SECONDS + seconds))
  until "$@"; do
    [ "$SECONDS" -ge "$end" ] && return 1
    sleep 0.2
  done
}

# Background processes to stop on exit.
session_pids=()
session_cleanup() {
  local pid
  for pid in "${session_pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
}
trap session_cleanup EXIT

# Starts Xvfb with a screen of $1 (default 1280x800x24) on a free display,
# or on $DISPLAY_NUM (e.g. :41) when set, and exports DISPLAY.
start_xvfb() {
  local screen="${1:-1280x800x24}" display=99
  if [ -n "${DISPLAY_NUM:-}" ]; then
    display="${DISPLAY_NUM#:}"
  else
    while [ -e "/tmp/.X11-unix/X$display" ] || [ -e "/tmp/.X$display-lock" ]; do
      display=$((display + 1))
    done
  fi
  Xvfb ":$display" -screen 0 "$screen" -nolisten tcp >"$SESSION_WORK/xvfb.log" 2>&1 &
  session_pids+=($!)
  export DISPLAY=":$display"
  within 10 xdotool getdisplaygeometry >/dev/null 2>&1
}

# Starts dunst with the configuration file $1 (optional); sets $dunst_pid.
start_dunst() {
  if [ -n "${1:-}" ]; then
    dunst -config "$1" >>"$SESSION_WORK/dunst.log" 2>&1 &
  else
    dunst >>"$SESSION_WORK/dunst.log" 2>&1 &
  fi
  dunst_pid=$!
  session_pids+=("$dunst_pid")
  within 10 dunstctl is-paused >/dev/null 2>&1
}

# Points every XDG folder (and HOME) of the processes started from here on
# at fresh folders under $1, so each instance has its own settings, data
# and socket.
use_home() {
  local root="$1"
  export HOME="$root/home" XDG_CONFIG_HOME="$root/config" XDG_DATA_HOME="$root/data" \
    XDG_RUNTIME_DIR="$root/run" XDG_CACHE_HOME="$root/cache" XDG_STATE_HOME="$root/state"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" "$XDG_CACHE_HOME" \
    "$XDG_STATE_HOME"
  chmod 700 "$XDG_RUNTIME_DIR"
}

# Starts a second private bus standing in for the system bus (with no
# logind on it), for programs that will not run without one; exports
# DBUS_SYSTEM_BUS_ADDRESS.
start_system_bus() {
  mkdir -p "$SESSION_WORK/system-bus"
  sed "s|<listen>unix:dir=$SESSION_WORK</listen>|<listen>unix:dir=$SESSION_WORK/system-bus</listen>|" \
    "$SESSION_WORK/bus.conf" >"$SESSION_WORK/system-bus.conf"
  dbus-daemon --config-file="$SESSION_WORK/system-bus.conf" --nofork --print-address=3 \
    3>"$SESSION_WORK/system-bus.address" 2>>"$SESSION_WORK/system-bus.log" &
  session_pids+=($!)
  within 5 test -s "$SESSION_WORK/system-bus.address" || return 1
  DBUS_SYSTEM_BUS_ADDRESS="$(head -n 1 "$SESSION_WORK/system-bus.address")"
  export DBUS_SYSTEM_BUS_ADDRESS
}

# By default no system bus: the host's is not ours to watch.
export DBUS_SYSTEM_BUS_ADDRESS="unix:path=/nonexistent/rebalance-no-system-bus"

# Shared setup for the window-*.sh scripts (sourced, not run): a private
# Xvfb display, throw-away XDG folders, and cleanup of everything started.
# Expects SCREEN (e.g. 1280x1000x24); DISPLAY_NUM picks the display (a free
# one by default).

WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -n "${DISPLAY_NUM:-}" ]; then
  Xvfb "$DISPLAY_NUM" -screen 0 "$SCREEN" -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
  PIDS+=($!)
  export DISPLAY=$DISPLAY_NUM
else
  # Let Xvfb pick a free display, so other sessions' displays are left alone.
  Xvfb -displayfd 3 -screen 0 "$SCREEN" -nolisten tcp 3>"$WORK/display" >"$WORK/xvfb.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do [ -s "$WORK/display" ] && break; sleep 0.1; done
  export DISPLAY=:$(cat "$WORK/display")
fi
for _ in $(seq 100); do xwininfo -root >/dev/null 2>&1 && break; sleep 0.1; done
# Services the bus starts on demand (the notification server) use it too.
dbus-update-activation-environment DISPLAY 2>/dev/null || true

export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data
export XDG_STATE_HOME=$WORK/state XDG_RUNTIME_DIR=$WORK/run
mkdir -p "$HOME" "$XDG_CONFIG_HOME/rebalance" "$XDG_DATA_HOME" "$XDG_STATE_HOME"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# Starts the daemon in the background and waits until it answers. The bus
# starts a notification server (dunst, where installed) when it first asks.
start_daemon() {
  "$BIN" daemon >"$WORK/daemon.log" 2>&1 &
  DAEMON=$!
  PIDS+=("$DAEMON")
  for _ in $(seq 100); do "$BIN" status >/dev/null 2>&1 && break; sleep 0.1; done
}

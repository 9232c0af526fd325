# Shared by scripts/wine-run.sh and scripts/e2e-windows.sh (sourced, not
# run): a private Wine prefix with the test-harness bcryptprimitives.dll.
#
# Debian 12's Wine 8.0 has no bcryptprimitives.dll, which Rust's standard
# library loads for ProcessPrng; without it every Rust .exe fails to load
# (exit code 53). scripts/wine/bcryptprimitives.c is a stand-in. It goes
# into the prefix's system32, not beside the executables: the prefix lies
# outside the source and target folders, so the stand-in can never be
# picked up by the installer, and every .exe the tests start (the daemon
# starting its reminder window, say) finds it.

WINE_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export WINEDEBUG="${WINEDEBUG:--all}"
# No Mono or Gecko download prompts: nothing here needs .NET or HTML.
export WINEDLLOVERRIDES="${WINEDLLOVERRIDES:-mscoree,mshtml=}"

# Builds the stand-in DLL into $1 when the sources are newer.
wine_build_shim() {
  local out="$1"
  local src="$WINE_LIB_DIR/bcryptprimitives.c" def="$WINE_LIB_DIR/bcryptprimitives.def"
  if [ ! -f "$out" ] || [ "$src" -nt "$out" ] || [ "$def" -nt "$out" ]; then
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$out.tmp" "$src" "$def" -ladvapi32 &&
      mv "$out.tmp" "$out"
  fi
}

# Makes $WINEPREFIX ready: created on first use (under a lock, as test
# binaries may start together), the stand-in DLL in its system32.
wine_prepare_prefix() {
  : "${WINEPREFIX:?WINEPREFIX must be set}"
  export WINEPREFIX
  mkdir -p "$(dirname "$WINEPREFIX")"
  (
    flock 9
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
      wineboot --init >"$WINEPREFIX.boot.log" 2>&1 || { echo "wineboot failed, see $WINEPREFIX.boot.log" >&2; exit 1; }
      wineserver --wait
    fi
    wine_build_shim "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
  ) 9>"$WINEPREFIX.lock"
}

# The Windows form (C:\...) of a path inside the prefix, as a Unix path.
wine_unix_path() {
  winepath --unix "$1" 2>/dev/null | tr -d '\r'
}

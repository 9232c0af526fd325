#!/usr/bin/env bash
# CI: the Windows build, proven on Linux. Cross-builds for
# x86_64-pc-windows-gnu with mingw-w64, lints it, runs the test suite under
# Wine on a private Xvfb display (scripts/wine-run.sh), builds the release
# .exe and the NSIS installer (scripts/package-windows.sh), and runs the
# end-to-end check under Wine (scripts/e2e-windows.sh). Installs what a
# fresh machine lacks. Fails when any step fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
target=x86_64-pc-windows-gnu

need_pkgs=()
for tool in x86_64-w64-mingw32-gcc:gcc-mingw-w64-x86-64 wine:wine wine64:wine64 makensis:nsis \
  Xvfb:xvfb xvfb-run:xvfb xdotool:xdotool import:imagemagick sqlite3:sqlite3 xwininfo:x11-utils; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || [ -x "/usr/lib/wine/${tool%%:*}" ] || need_pkgs+=("${tool##*:}")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "== installing: ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
rustup target list --installed 2>/dev/null | grep -qx "$target" || rustup target add "$target"

# One display for the whole run: Wine's desktop process stays with the
# display it started on, so the tests share one.
work="$(mktemp -d "${TMPDIR:-/tmp}/rebalance-ci-windows.XXXXXX")"
xvfb_pid=
cleanup() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"

export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER="$PWD/scripts/wine-run.sh"

echo "== cargo clippy --target $target"
cargo clippy --all-targets --locked --target "$target" -- -D warnings
echo "== cargo test --target $target (under Wine)"
cargo test --locked --target "$target"
echo "== cargo build --release --target $target"
cargo build --release --locked --target "$target"
exe="$CARGO_TARGET_DIR/$target/release/rebalance.exe"
echo "rebalance.exe: $(stat -c %s "$exe") bytes"

installer_dir="$CARGO_TARGET_DIR/windows-installer"
rm -f "$installer_dir"/rebalance-*-setup.exe
OUT_DIR="$installer_dir" bash scripts/package-windows.sh "$exe"
installer=$(ls "$installer_dir"/rebalance-*-setup.exe)

# The end-to-end check brings its own display and prefix.
kill "$xvfb_pid" 2>/dev/null
xvfb_pid=
unset DISPLAY
bash scripts/e2e-windows.sh "$exe" "$installer"

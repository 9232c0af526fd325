#!/usr/bin/env bash
# Runs a Windows executable under Wine, for cargo:
#
#   CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=scripts/wine-run.sh \
#     cargo test --target x86_64-pc-windows-gnu
#
# Uses a private prefix ($REBALANCE_WINEPREFIX, default
# ~/.cache/rebalance-wine/prefix), set up on first use with the
# bcryptprimitives.dll stand-in (see scripts/wine/wine-lib.sh). Without a
# display it runs under its own Xvfb (xvfb-run), so window tests can draw.
# The executable's exit code is passed through.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 program.exe [args...]" >&2; exit 2; }

source "$(dirname "$0")/wine/wine-lib.sh"
export WINEPREFIX="${REBALANCE_WINEPREFIX:-$HOME/.cache/rebalance-wine/prefix}"
wine_prepare_prefix

if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24 -nolisten tcp" wine "$@"
fi
exec wine "$@"

#!/usr/bin/env bash
# Builds the per-user Windows installer with NSIS (makensis) from the
# cross-built release rebalance.exe:
#
#   scripts/package-windows.sh [path/to/rebalance.exe]
#
# Without an argument it builds the release .exe for x86_64-pc-windows-gnu
# first. The AppUserModelID and the autostart value's name are read from
# the Rust source, where each is defined once, and handed to makensis, so
# the shortcut, the toasts and the uninstaller agree. Prints the
# installer's path and size; OUT_DIR (default: the target folder's
# windows-installer/) receives it, with the draft winget manifests filled
# in for it (RELEASE_URL: the folder the installer is published in).
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
target=x86_64-pc-windows-gnu
out_dir="${OUT_DIR:-$CARGO_TARGET_DIR/windows-installer}"

fail() { echo "package-windows: $*" >&2; exit 1; }
command -v makensis >/dev/null || fail "makensis is needed (apt-get install nsis)"
command -v convert >/dev/null || fail "ImageMagick's convert is needed for the icon (apt-get install imagemagick)"

exe="${1:-}"
if [ -z "$exe" ]; then
  echo "== cargo build --release --target $target"
  cargo build --release --locked --target "$target"
  exe="$CARGO_TARGET_DIR/$target/release/rebalance.exe"
fi
[ -f "$exe" ] || fail "no executable at $exe"

# The string value of `const NAME: &str = "...";`, which must occur exactly
# once under src/.
rust_const() {
  local name="$1" found
  found=$(grep -rhoE "const $name: &str = \"[^\"]+\"" src | sort -u)
  [ "$(printf '%s\n' "$found" | grep -c .)" = 1 ] ||
    fail "expected one definition of const $name in src/, found: ${found:-none}"
  printf '%s\n' "$found" | sed -E 's/.*= "([^"]+)"/\1/'
}
version=$(sed -nE '0,/^version = "([^"]+)"/s//\1/p' Cargo.toml)
[ -n "$version" ] || fail "no version in Cargo.toml"
aumid=$(rust_const APP_USER_MODEL_ID)
run_value=$(rust_const RUN_VALUE_NAME)

mkdir -p "$out_dir"
icon="$out_dir/rebalance.ico"
convert assets/icons/rebalance-16.png assets/icons/rebalance-24.png assets/icons/rebalance-32.png \
  assets/icons/rebalance-48.png assets/icons/rebalance-64.png assets/icons/rebalance-256.png "$icon"
installer="$out_dir/rebalance-$version-x86_64-setup.exe"

echo "== makensis (AppUserModelID $aumid)"
makensis -V2 -INPUTCHARSET UTF8 \
  "-DVERSION=$version" "-DEXE=$exe" "-DICON=$icon" "-DAUMID=$aumid" \
  "-DRUN_VALUE=$run_value" "-DOUTFILE=$installer" \
  packaging/windows/rebalance.nsi
[ -f "$installer" ] || fail "makensis wrote no installer"
echo "installer: $installer"
echo "installer size: $(stat -c %s "$installer") bytes"

# The winget manifests for this installer (see packaging/windows/winget/).
release_url="${RELEASE_URL:-$(sed -nE 's/^repository = "([^"]+)"/\1/p' Cargo.toml)/releases/download/v$version}"
sha256=$(sha256sum "$installer" | cut -d' ' -f1 | tr a-f A-F)
mkdir -p "$out_dir/winget"
for manifest in packaging/windows/winget/*.yaml; do
  sed -e "s|@VERSION@|$version|g" -e "s|@SHA256@|$sha256|g" -e "s|@DATE@|$(date -u +%F)|g" \
    -e "s|@RELEASE_URL@|$release_url|g" -e "s|@INSTALLER@|$(basename "$installer")|g" \
    "$manifest" >"$out_dir/winget/$(basename "$manifest")"
done
if grep -l '@[A-Z_]*@' "$out_dir"/winget/*.yaml; then fail "a winget manifest kept a template field"; fi
echo "winget manifests (draft): $out_dir/winget"

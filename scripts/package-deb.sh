#!/usr/bin/env bash
# Builds the Debian package and checks it: the release binary, the manual
# pages and completions generated from it (scripts/package-assets.sh, which
# also validates the desktop entry and the AppStream metainfo), `cargo deb`,
# then the package's file list, and the packaged binary run from a scratch
# root. Installs cargo-deb when it is missing.
# Prints the path and size of the .deb; OUT_DIR (default: the target
# folder's debian/) receives it.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
out_dir=${1:-$CARGO_TARGET_DIR/debian}

fail() { echo "package-deb: $*" >&2; exit 1; }

command -v dpkg-deb >/dev/null || fail "dpkg-deb is needed (a Debian-based system)"
if ! command -v cargo-deb >/dev/null; then
  echo "== installing cargo-deb"
  # Its own temporary build folder, not the project's target folder.
  env -u CARGO_TARGET_DIR cargo install cargo-deb --locked
fi

echo "== release build"
cargo build --release --locked
bin="$CARGO_TARGET_DIR/release/rebalance"

bash scripts/package-assets.sh "$bin" "$CARGO_TARGET_DIR/release/package-assets"

echo "== cargo deb"
mkdir -p "$out_dir"
deb=$(cargo deb --no-build --locked --output "$out_dir" | tail -n 1)
[ -f "$deb" ] || fail "cargo deb printed no package path ($deb)"

echo "== package contents"
listing=$(dpkg-deb -c "$deb")
expected=(
  usr/bin/rebalance
  usr/share/applications/rebalance.desktop
  usr/share/metainfo/app.rebalance.Rebalance.metainfo.xml
  usr/share/icons/hicolor/scalable/apps/rebalance.svg
  usr/share/man/man1/rebalance.1.gz
  usr/share/bash-completion/completions/rebalance
  usr/share/zsh/vendor-completions/_rebalance
  usr/share/fish/vendor_completions.d/rebalance.fish
  usr/share/doc/rebalance/copyright
)
for png in assets/icons/rebalance-*.png; do
  size=${png##*-}; size=${size%.png}
  expected+=("usr/share/icons/hicolor/${size}x${size}/apps/rebalance.png")
done
for command in $("$bin" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && $1 != "help" && NF {print $1}'); do
  expected+=("usr/share/man/man1/rebalance-$command.1.gz")
done
for path in "${expected[@]}"; do
  grep -q " \./$path\$" <<<"$listing" || fail "$path is not in the package"
done
grep -Eq '^-rwxr-xr-x (root/root|0/0) .* \./usr/bin/rebalance$' <<<"$listing" \
  || fail "usr/bin/rebalance must be an executable owned by root"
if grep -v ' \./usr/bin/rebalance$' <<<"$listing" | grep -q '^-..x'; then
  fail "only the binary may be executable"
fi
echo "   ${#expected[@]} expected paths present"

echo "== package fields"
dpkg-deb -f "$deb" Package Version Architecture Section Priority Depends Recommends

echo "== the packaged binary runs"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
version=$("$root/usr/bin/rebalance" --version)
expected_version="rebalance $(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
[ "$version" = "$expected_version" ] || fail "--version printed '$version', not '$expected_version'"
echo "   $version"
gzip -dc "$root/usr/share/man/man1/rebalance.1.gz" | grep -q '^\.TH rebalance 1' || fail "the man page is not roff"
desktop-file-validate "$root/usr/share/applications/rebalance.desktop"
appstreamcli validate --no-net "$root/usr/share/metainfo/app.rebalance.Rebalance.metainfo.xml" >/dev/null

size=$(stat -c %s "$deb")
echo "== built $deb ($size bytes, $((size / 1024)) KiB)"
dpkg-deb -c "$deb" | awk '{print $1, $3, $6}'

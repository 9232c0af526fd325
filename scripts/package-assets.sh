#!/usr/bin/env bash
# Generates the manual pages and shell completions from a built `rebalance`
# binary, and checks every desktop integration file the package installs:
# the desktop entry, the AppStream metainfo, the icon sizes, and that each
# asset listed in Cargo.toml's [package.metadata.deb] exists.
#
# Usage: scripts/package-assets.sh BINARY OUT_DIR
# OUT_DIR receives man/*.1.gz and completions/{rebalance,_rebalance,rebalance.fish};
# Cargo.toml expects OUT_DIR to be $CARGO_TARGET_DIR/release/package-assets.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${1:?usage: scripts/package-assets.sh BINARY OUT_DIR}
out=${2:?usage: scripts/package-assets.sh BINARY OUT_DIR}
[ -x "$bin" ] || { echo "package-assets: $bin is not an executable" >&2; exit 1; }

fail() { echo "package-assets: $*" >&2; exit 1; }

need_pkgs=()
for tool in desktop-file-validate:desktop-file-utils appstreamcli:appstream groff:groff-base gzip:gzip; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need_pkgs+=("${tool##*:}")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "== installing: ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

# A fixed page date keeps the package reproducible.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

rm -rf "$out"
mkdir -p "$out/man" "$out/completions"

echo "== manual pages"
"$bin" generate man --out "$out/man" >/dev/null
[ -s "$out/man/rebalance.1" ] || fail "rebalance.1 was not generated"
# Every command listed in --help has its page and is named in rebalance.1.
commands=$("$bin" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && $1 != "help" && NF {print $1}')
[ -n "$commands" ] || fail "no commands found in --help"
for command in $commands; do
  [ -s "$out/man/rebalance-$command.1" ] || fail "no page for rebalance $command"
  # roff writes every hyphen of a name as "\-".
  grep -qF "rebalance\\-${command//-/\\-}(1)" "$out/man/rebalance.1" || fail "rebalance.1 does not name $command"
done
for page in "$out"/man/*.1; do
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || fail "$page: $warnings"
done
gzip -9nf "$out"/man/*.1
echo "   $(ls "$out/man" | wc -l) pages: $(echo "$commands" | wc -l) commands plus rebalance.1"

echo "== shell completions"
for shell in bash zsh fish; do
  "$bin" generate completions "$shell" --out "$out/completions" >/dev/null
done
for file in rebalance _rebalance rebalance.fish; do
  [ -s "$out/completions/$file" ] || fail "completions/$file was not generated"
  for command in $commands; do
    grep -q -- "$command" "$out/completions/$file" || fail "completions/$file lacks $command"
  done
done
bash -n "$out/completions/rebalance" || fail "the bash completions do not parse"
if command -v zsh >/dev/null; then zsh -n "$out/completions/_rebalance"; fi
if command -v fish >/dev/null; then fish --no-execute "$out/completions/rebalance.fish"; fi
# The bash completion really completes: "rebalance sta<TAB>" offers status and stats.
offered=$(bash -c 'source "$1"; COMP_WORDS=(rebalance sta); COMP_CWORD=1; _rebalance rebalance sta rebalance; echo "${COMPREPLY[*]}"' _ "$out/completions/rebalance")
[ "$offered" = "status stats" ] || fail "bash completion of 'sta' offered '$offered'"

echo "== desktop entry and AppStream metainfo"
desktop-file-validate assets/rebalance.desktop
appstreamcli validate --no-net assets/rebalance.metainfo.xml
grep -q '^Exec=rebalance$' assets/rebalance.desktop || fail "the desktop entry must run rebalance"
grep -q '^Icon=rebalance$' assets/rebalance.desktop || fail "the desktop entry must use the rebalance icon"
grep -q '<launchable type="desktop-id">rebalance.desktop</launchable>' assets/rebalance.metainfo.xml \
  || fail "the metainfo must launch rebalance.desktop"

echo "== icons"
for png in assets/icons/rebalance-*.png; do
  size=${png##*-}; size=${size%.png}
  # The PNG header: 8-byte signature, IHDR length and type, then width and height.
  read -r w1 w2 w3 w4 h1 h2 h3 h4 < <(od -An -tu1 -j16 -N8 "$png")
  width=$(( (w1 << 24) | (w2 << 16) | (w3 << 8) | w4 ))
  height=$(( (h1 << 24) | (h2 << 16) | (h3 << 8) | h4 ))
  [ "$width" = "$size" ] && [ "$height" = "$size" ] || fail "$png is ${width}x${height}, not ${size}x${size}"
done
grep -q '<svg' assets/rebalance.svg || fail "assets/rebalance.svg is not an SVG"

echo "== Debian package assets listed in Cargo.toml"
listed=0
while read -r source dest; do
  listed=$((listed + 1))
  case "$source" in
    target/release/package-assets/*) path="$out/${source#target/release/package-assets/}" ;;
    target/release/rebalance) path="$bin" ;;
    *) path="$source" ;;
  esac
  # shellcheck disable=SC2086 # the source may be a glob
  set -- $path
  [ -e "$1" ] || fail "asset $source (for $dest) is missing ($path)"
  case "$dest" in
    usr/share/icons/hicolor/*x*/apps/rebalance.png)
      size=${dest#usr/share/icons/hicolor/}; size=${size%%x*}
      [ "$source" = "assets/icons/rebalance-$size.png" ] || fail "$dest comes from $source" ;;
  esac
done < <(sed -n 's/^ *\["\([^"]*\)", *"\([^"]*\)".*/\1 \2/p' Cargo.toml)
[ "$listed" -ge 16 ] || fail "only $listed assets found in Cargo.toml"
echo "   $listed assets present"
echo "== package assets ok: $out"

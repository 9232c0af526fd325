#!/usr/bin/env bash
# Draws every exercise's figure (start, working and hold frames, and the other
# side of one-sided exercises) on one contact sheet:
# assets/screenshots/exercise-figures.png (or the path given).
# Needs ImageMagick's convert and an SVG reader for it (rsvg-convert, from
# librsvg2-bin).
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${1:-assets/screenshots/exercise-figures.png}
SVG=$(mktemp --suffix=.svg)
trap 'rm -f "$SVG"' EXIT
cargo run --quiet --example figure_sheet >"$SVG"
convert -density 96 "$SVG" -strip -define png:compression-level=9 "$OUT"
echo "$OUT"

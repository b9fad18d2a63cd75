#!/usr/bin/env bash
# Copies the DKFDS files we use from node_modules into static/vendor/dkfds.
# Run through `make vendor` after changing the pinned version in package.json.
set -euo pipefail
src=node_modules/dkfds/dist
dst=static/vendor/dkfds
[ -d "$src" ] || { echo "node_modules/dkfds missing: run npm ci first" >&2; exit 1; }
rm -rf "$dst"
mkdir -p "$dst/css" "$dst/js" "$dst/img"
cp "$src/css/dkfds.min.css" "$dst/css/"
cp "$src/js/dkfds.min.js" "$dst/js/"
cp "$src/LICENSE.md" "$dst/"
cp "$src/img/all-svg-icons.svg" "$dst/img/"
# Only the fonts and icons the stylesheet refers to.
grep -o 'url([^)]*)' "$src/css/dkfds.min.css" | sed -e 's/^url(//' -e 's/)$//' -e 's/^["'"'"']//' -e 's/["'"'"']$//' \
  | grep '^\.\./' | grep -v '\.eot\|\.ttf' | sed 's#^\.\./##' | sort -u | while read -r rel; do
    rel=${rel%%\?*}; rel=${rel%%#*}
    [ -f "$src/$rel" ] || continue
    mkdir -p "$dst/$(dirname "$rel")"
    cp "$src/$rel" "$dst/$rel"
  done
echo "DKFDS $(node -p "require('./node_modules/dkfds/package.json').version") vendored into $dst ($(du -sh "$dst" | cut -f1))"

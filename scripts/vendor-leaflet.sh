#!/usr/bin/env bash
# Copies Leaflet (the optional task map) from node_modules into static/vendor/leaflet:
# only the script, the stylesheet, its images and the licence. Run through `make vendor`
# after changing the pinned version in package.json.
set -euo pipefail
pkg=node_modules/leaflet
dst=static/vendor/leaflet
[ -d "$pkg/dist" ] || { echo "node_modules/leaflet missing: run npm ci first" >&2; exit 1; }
rm -rf "$dst"
mkdir -p "$dst/images"
cp "$pkg/dist/leaflet.js" "$pkg/dist/leaflet.css" "$pkg/LICENSE" "$dst/"
cp "$pkg/dist/images/"*.png "$dst/images/"
# The minified script ends with a source-map comment; the map is not vendored, so drop it
# (browsers would otherwise ask for a file that is not there).
sed -i '/^\/\/# sourceMappingURL=/d' "$dst/leaflet.js"
echo "Leaflet $(node -p "require('./$pkg/package.json').version") vendored into $dst ($(du -sh "$dst" | cut -f1))"

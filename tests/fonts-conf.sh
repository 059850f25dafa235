#!/usr/bin/env bash
# fonts-conf.sh PACKAGE... - a fontconfig configuration that sees exactly
# the font files of the given Debian packages, on stdout. tests/run.sh
# points FONTCONFIG_FILE at it with the Makefile's FONT_PACKAGES, so the
# suites see the fonts a fresh machine has after `make deps` and nothing
# else: a test that uses a font from a package the Makefile does not list
# fails here too, not only on the next machine. The folders of those
# files are scanned (fontconfig's system caches still serve them) and
# every file in them that is not one of the packages' is rejected.
# Exit 1, naming it, when a package is not installed.
set -u
files=$(mktemp)
trap 'rm -f "$files"' EXIT
for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        echo "fonts-conf.sh: font package $pkg is not installed (make deps installs it)" >&2
        exit 1
    fi
    dpkg -L "$pkg" | grep -E '\.(ttf|otf|ttc|pfb|pfa|otb)$' >>"$files"
done
xml() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
echo '<?xml version="1.0"?>'
echo '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
echo '<fontconfig>'
sed 's|/[^/]*$||' "$files" | sort -u | xml | sed 's|.*|  <dir>&</dir>|'   # their folders
echo '  <cachedir>/var/cache/fontconfig</cachedir>'
echo '  <cachedir prefix="xdg">fontconfig</cachedir>'
echo '  <selectfont>'
echo '    <acceptfont>'
sort -u "$files" | xml | sed 's|.*|      <glob>&</glob>|'
echo '    </acceptfont>'
echo '    <rejectfont><glob>/*</glob></rejectfont>'
echo '  </selectfont>'
echo '</fontconfig>'

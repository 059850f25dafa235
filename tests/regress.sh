#!/usr/bin/env bash
# regress.sh - regression definitions: one per layout defect found, each
# built with --check-layout in every layout of layouts/ and compared with
# what its comments expect. Ends with "N passed, N failed".
#
# The convention (comments near the top of tests/regress/*.xml):
#   <!-- expect: exit=0 warn="shortened" pages=2 -->
#       exit=N            the build's exit code (default 0; 70 = a layout
#                         check failed)
#       warn="ERE"        some line of the diagnostics matches this extended
#                         regular expression (grep -E); absent: not checked
#       warn@NAME="ERE"   the same, for layout NAME only (instead of warn=)
#       pages=N           the PDF has N pages (pdfinfo)
#   <!-- expect-text: ERE -->      the PDF's text (pdftotext) matches ERE
#   <!-- expect-no-text: ERE -->   ... and does not match this one
# A definition whose layout= is a path (a layout of its own, kept in
# tests/regress/layouts/) is built in that layout only. File names say
# what is tested: table-*, chrome-* (running headers and footers),
# cover-*; one file per defect.
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
TMP=tests/tmp-regress
rm -rf "$TMP" && mkdir -p "$TMP"
pass=0 fail=0

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# key NAME FILE: the value of NAME= in the file's expect comment ("" if none)
key() {
    sed -n 's/.*<!-- *expect: \(.*\)-->.*/\1/p' "$2" | head -n 1 |
        sed -n "s/.*\(^\| \)$1=\"\([^\"]*\)\".*/\2/p; t; s/.*\(^\| \)$1=\([^ ]*\).*/\2/p"
}
has_key() { sed -n 's/.*<!-- *expect: \(.*\)-->.*/\1/p' "$2" | head -n 1 | grep -qE "(^| )$1="; }
comment() { sed -n "s/.*<!-- *$1: \(.*\) -->.*/\1/p" "$2" | head -n 1; }

for def in tests/regress/*.xml; do
    [ -e "$def" ] || continue
    name=$(basename "$def" .xml)
    if grep -qE 'layout="[^"]*[/.][^"]*"' "$def"; then
        layouts="(own)"
    else
        layouts=$(for l in layouts/*.xml; do basename "$l" .xml; done)
    fi
    want_exit=$(key exit "$def"); want_exit=${want_exit:-0}
    pages=$(key pages "$def")
    text=$(comment expect-text "$def")
    notext=$(comment expect-no-text "$def")
    for lay in $layouts; do
        id="$name [$lay]"
        out=$TMP/$name-$lay.pdf err=$TMP/$name-$lay.err
        if [ "$lay" = "(own)" ]; then
            $RG build "$def" --check-layout -o "$out" 2>"$err"
        else
            $RG build "$def" --layout "$lay" --check-layout -o "$out" 2>"$err"
        fi
        rc=$?
        if [ "$rc" -eq "$want_exit" ]; then ok; else
            bad "$id: exit $rc, expected $want_exit: $(head -c 600 "$err" | tr '\n' ' ')"; fi
        if has_key "warn@$lay" "$def"; then warn=$(key "warn@$lay" "$def"); else warn=$(key warn "$def"); fi
        if [ -n "$warn" ]; then
            if grep -qE -- "$warn" "$err"; then ok; else bad "$id: no diagnostic matches /$warn/"; fi
        fi
        [ "$rc" -eq 0 ] || continue
        if [ -n "$pages" ]; then
            got=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/ { print $2 }')
            if [ "$got" = "$pages" ]; then ok; else bad "$id: $got pages, expected $pages"; fi
        fi
        if [ -n "$text$notext" ]; then
            pdftotext -enc UTF-8 "$out" "$TMP/$name-$lay.txt"
            if [ -n "$text" ]; then
                if grep -qE -- "$text" "$TMP/$name-$lay.txt"; then ok
                else bad "$id: the PDF's text does not match /$text/"; fi
            fi
            if [ -n "$notext" ]; then
                if ! grep -qE -- "$notext" "$TMP/$name-$lay.txt"; then ok
                else bad "$id: the PDF's text matches /$notext/: $(grep -E -- "$notext" "$TMP/$name-$lay.txt" | head -n 3 | tr '\n' ' ')"; fi
            fi
        fi
    done
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

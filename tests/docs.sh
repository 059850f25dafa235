#!/usr/bin/env bash
# docs.sh - the language references are generated from the schemas'
# xs:documentation (docs/schema-doc.py). Fails when a declaration of
# report.xsd or layout.xsd has no documentation, or when docs/language.md
# or docs/layout-language.md no longer matches its schema (run make docs).
# Also checks that the generator refuses an undocumented element and that
# its output is the same on a second run. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
TMP=tests/tmp/docs
rm -rf "$TMP" && mkdir -p "$TMP"
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

check "docs/language.md matches generator/schema/report.xsd" \
    python3 docs/schema-doc.py generator/schema/report.xsd --check docs/language.md
check "docs/layout-language.md matches layouts/layout.xsd" \
    python3 docs/schema-doc.py layouts/layout.xsd --check docs/layout-language.md

python3 docs/schema-doc.py layouts/layout.xsd >"$TMP/a.md" 2>/dev/null
python3 docs/schema-doc.py layouts/layout.xsd >"$TMP/b.md" 2>/dev/null
check "the same schema gives the same bytes" cmp -s "$TMP/a.md" "$TMP/b.md"

# an element without documentation is refused, naming it and its line
sed 's|<xs:element name="page" type="Page">|<xs:element name="page" type="Page"/><xs:element name="undocumented" type="Page">|' \
    layouts/layout.xsd >"$TMP/undocumented.xsd"
line=$(grep -n 'name="undocumented"' "$TMP/undocumented.xsd" | cut -d: -f1)
python3 docs/schema-doc.py "$TMP/undocumented.xsd" >/dev/null 2>"$TMP/undocumented.err"
check "an undocumented element: exit 1" test $? -eq 1
check "an undocumented element is named with its line" \
    grep -q "undocumented.xsd:$line: element 'page'" "$TMP/undocumented.err"

# README.md stays an introduction: short, its links resolve, and the
# definition it shows builds (with the sample's data beside it).
lines=$(wc -l <README.md)
check "README.md is under 200 lines (has $lines)" test "$lines" -lt 200
for link in $(grep -oE '\]\([^)#]+\)' README.md docs/*.md generator/README.md | sed 's/.*\](\(.*\))/\1/' | sort -u); do
    case $link in http*|mailto:*) continue ;; esac
    found=0
    for base in . docs generator; do [ -e "$base/$link" ] && found=1; done
    check "link $link in the docs points to a file" test "$found" -eq 1
done
RG=${RG:-build/reportgen}
mkdir -p "$TMP/readme" && cp -r samples/data "$TMP/readme/"
awk '/^```xml$/ {on = 1; next} on && /^```$/ {exit} on' README.md >"$TMP/readme/example.xml"
check "README.md's example definition builds" \
    "$RG" build "$TMP/readme/example.xml" -o "$TMP/readme/example.pdf"

rm -rf "$TMP"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

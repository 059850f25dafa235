#!/usr/bin/env bash
# tags.sh - the text readers take from the tags, word for word: the sample
# in every layout through pdfinfo -struct-text (no words run together at a
# line break, every paragraph whole; tests/words_check.py) and pdftotext
# (no hyphen-minus inside a word, hyphenated words whole after joining a
# line-end U+00AD, no word end read twice), and with /ActualText applied
# (tests/words_check.py actual: every hyphenated word whole, once; also in
# Lato); characters no font has and no-break spaces keep the
# rest of their paragraph in the structure tree (tests/tags/*.xml).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
TMP=tests/tmp-tags
rm -rf "$TMP" && mkdir -p "$TMP"
SAMPLE=samples/viermaandsrapportage-2023-T1.xml
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# ---- the sample, in every layout --------------------------------------------
for layout in layouts/*.xml; do
    name=$(basename "$layout" .xml)
    pdf=$TMP/sample-$name.pdf
    if ! $RG build "$SAMPLE" --layout "$layout" -o "$pdf" 2>"$TMP/build-$name.err"; then
        bad "sample build ($name)"; cat "$TMP/build-$name.err" >&2; continue
    fi
    pdfinfo -struct-text "$pdf" >"$TMP/struct-$name.txt"
    pdftotext -enc UTF-8 "$pdf" "$TMP/text-$name.txt"
    # the sample's known places: lines that met without a space
    check "$name: no run-together pairs of the sample" \
        bash -c "! grep -qE 'januarit/m|vanTom|naarde|isgeworden|dehele|kunnendoen' '$TMP/struct-$name.txt'"
    check "$name: struct text word for word" \
        python3 tests/words_check.py struct "$SAMPLE" "$TMP/struct-$name.txt"
    check "$name: pdftotext hyphenation" \
        python3 tests/words_check.py text "$SAMPLE" "$TMP/text-$name.txt"
    # readers that apply /ActualText: hyphenated words whole, read once;
    # readers that ignore it: a line-end hyphen is U+00AD (faces with one)
    check "$name: hyphenated words whole with ActualText" \
        python3 tests/words_check.py actual --raw-shy "$SAMPLE" "$pdf"
done

# the sample in Lato, whose hyphen has no U+00AD glyph: whole words too
pdf=$TMP/sample-lato.pdf
if $RG build "$SAMPLE" --layout tests/tags/lato-layout.xml -o "$pdf" 2>"$TMP/build-lato.err"; then
    check "lato: hyphenated words whole with ActualText" \
        python3 tests/words_check.py actual "$SAMPLE" "$pdf"
    pdftotext -enc UTF-8 "$pdf" "$TMP/text-lato.txt"
    check "lato: pdftotext hyphenation" \
        python3 tests/words_check.py text "$SAMPLE" "$TMP/text-lato.txt"
else
    bad "sample build (lato)"; cat "$TMP/build-lato.err" >&2
fi

# ... and find a word read twice: the rest of a hyphenated word without
# its empty ActualText
qpdf --qdf --object-streams=disable "$TMP/sample-logius.pdf" "$TMP/planted.qdf"
LC_ALL=C sed 's|/ActualText () |/Lang (nl) |' "$TMP/planted.qdf" >"$TMP/planted2.qdf"
fix-qdf "$TMP/planted2.qdf" >"$TMP/planted.pdf"
check "words_check finds a hyphenated word read twice (ActualText)" \
    bash -c "! python3 tests/words_check.py actual '$SAMPLE' '$TMP/planted.pdf' >/dev/null"
pdftotext -enc UTF-8 "$TMP/planted.pdf" "$TMP/text-twice.txt"
check "words_check finds a hyphenated word read twice (pdftotext)" \
    bash -c "! python3 tests/words_check.py text '$SAMPLE' '$TMP/text-twice.txt' >/dev/null"

# the checks find what they are for: the lines of a paragraph run together,
# and an inserted hyphen read as a hyphen-minus
sed 's/ \(de nieuwe\)/\1/' "$TMP/struct-logius.txt" >"$TMP/struct-planted.txt"
check "words_check finds words run together" \
    bash -c "! python3 tests/words_check.py struct '$SAMPLE' '$TMP/struct-planted.txt' >/dev/null"
# (pdftotext applies ActualText, so its lines no longer end in U+00AD)
sed 's/beschikbaarheid/beschik-baarheid/' "$TMP/text-logius.txt" >"$TMP/text-planted.txt"
check "words_check finds a hyphen-minus inside a word" \
    bash -c "! python3 tests/words_check.py text '$SAMPLE' '$TMP/text-planted.txt' >/dev/null"

# ---- characters no font has, no-break spaces --------------------------------
# (the Lato layout: Lato's no-break space is its space glyph)
DEF=tests/tags/missing-glyphs.xml
for layout in plain logius tests/tags/lato-layout.xml; do
    name=$(basename "$layout" .xml)
    pdf=$TMP/missing-$name.pdf
    if ! $RG build "$DEF" --layout "$layout" -o "$pdf" 2>"$TMP/missing-$name.err"; then
        bad "missing-glyphs build ($name)"; cat "$TMP/missing-$name.err" >&2; continue
    fi
    pdfinfo -struct-text "$pdf" >"$TMP/missing-$name.txt"
    check "$name: struct text keeps every paragraph" \
        python3 tests/words_check.py struct "$DEF" "$TMP/missing-$name.txt"
    # .notdef reads as U+FFFD; each missing character has its own /ActualText
    check "$name: a missing character is never read as another" \
        bash -c "! grep -q '漢' '$TMP/missing-$name.txt'"
    qpdf --qdf --object-streams=disable "$pdf" "$TMP/missing-$name.qdf"
    check "$name: ActualText for each missing character" \
        bash -c "grep -qai 'ActualText <FEFF6F22>' '$TMP/missing-$name.qdf' &&
                 grep -qai 'ActualText <FEFF5B57>' '$TMP/missing-$name.qdf'"
    check "$name: pdftotext gives the missing characters" \
        bash -c "pdftotext -enc UTF-8 '$pdf' - | grep -q 'tekens 漢字 staat'"
done

rm -rf "$TMP"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

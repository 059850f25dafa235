#!/usr/bin/env bash
# e2e.sh - end-to-end tests: build the sample and check the PDF with
# independent readers (qpdf, pdffonts, pdftotext, pdfinfo), check invalid
# definitions are refused cleanly, and check the command line's contract.
# With TAG_CHECK=1, every sample and every definition of tests/golden and
# tests/valid is built in every layout and judged by tests/tag_check.py
# (one run over all of them).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
TMP=tests/tmp/e2e
rm -rf "$TMP" && mkdir -p "$TMP"
SAMPLE=samples/viermaandsrapportage-2023-T1.xml
PDF=$TMP/sample.pdf
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# ---- the sample -----------------------------------------------------------
if ! $RG build "$SAMPLE" -o "$PDF" 2>"$TMP/build.err"; then
    bad "sample build"; cat "$TMP/build.err" >&2
    echo "$pass passed, $((fail + 1)) failed"; exit 1
fi
ok
check "sample build prints no warnings" test ! -s "$TMP/build.err"

# qpdf: structurally clean, no warnings
qpdf --check "$PDF" >"$TMP/qpdf.txt" 2>&1
check "qpdf --check exit 0" test $? -eq 0
check "qpdf --check has no warnings" bash -c "! grep -qi warning '$TMP/qpdf.txt'"

# pdffonts: every font embedded, subset, with a Unicode map
pdffonts "$PDF" >"$TMP/fonts.txt"
fonts_ok() {                       # [pdffonts output, default the sample's]
    local rows; rows=$(tail -n +3 "${1:-$TMP/fonts.txt}")
    [ -n "$rows" ] || return 1
    # columns from the right: emb sub uni object ID
    echo "$rows" | awk '{ n = NF; if ($(n-4) != "yes" || $(n-3) != "yes" || $(n-2) != "yes") bad = 1;
                         if ($1 !~ /^[A-Z][A-Z][A-Z][A-Z][A-Z][A-Z]\+/) bad = 1 }
                       END { exit bad }'
}
check "pdffonts: embedded, subset, unicode" fonts_ok
check "pdffonts: CID TrueType fonts" grep -q "CID TrueType" "$TMP/fonts.txt"

# pdfinfo: title, pages, language-neutral metadata
pdfinfo "$PDF" >"$TMP/info.txt"
check "pdfinfo title" grep -q "^Title: *Viermaandsrapportage januari t/m april 2023$" "$TMP/info.txt"
check "pdfinfo author" grep -q "^Author: *Logius$" "$TMP/info.txt"
pages=$(awk '/^Pages:/ { print $2 }' "$TMP/info.txt")
check "pdfinfo pages >= 6" test "${pages:-0}" -ge 6
check "pdfinfo creation date from definition" grep -q "^CreationDate: .*2023" "$TMP/info.txt"

# pdftotext: every paragraph of the seed, word for word. Lines may end in a
# hyphen the layout inserted, or break after '@' in an address, so both
# sides are compared without whitespace and hyphens (every letter, in order).
pdftotext -enc UTF-8 "$PDF" "$TMP/text.txt"
# no-break spaces count as spaces on both sides (pdftotext may write either)
sed 's/\xc2\xa0/ /g' "$TMP/text.txt" | tr '\n' ' ' | tr -s ' ' >"$TMP/text-joined.txt"
squeeze() { sed -e 's/\xc2\xa0//g' -e 's/\xc2\xad//g' | tr -d ' \n-'; }
squeeze <"$TMP/text.txt" >"$TMP/text-squeezed.txt"
missing=0
while IFS= read -r line; do
    para=$(printf '%s' "$line" | sed -e 's/^ *• *//')
    [ -z "$(printf '%s' "$para" | tr -d ' ')" ] && continue
    [ "$para" = "Main content" ] && continue
    if ! grep -qF -- "$(printf '%s' "$para" | squeeze)" "$TMP/text-squeezed.txt"; then
        echo "  missing from PDF text: $para" >&2
        missing=$((missing + 1))
    fi
done <tests/data/seed-2023-T1.txt
check "pdftotext: every seed paragraph present" test "$missing" -eq 0
check "pdftotext: exact special characters" grep -qF "€ 357,4 mln" "$TMP/text-joined.txt"
check "pdftotext: ligature text exact" grep -qF "efficiëntie" "$TMP/text-joined.txt"
check "pdftotext: running footer" grep -qE "pagina 3 van $pages" "$TMP/text.txt"

# tables and charts: numbered captions, Dutch number formats, marks, TOC lists
sed 's/\xc2\xa0/ /g; s/\xe2\x88\x92/-/g' "$TMP/text.txt" >"$TMP/text-plain.txt"
check "table caption" grep -q "Tabel 1 Beschikbaarheid per voorziening" "$TMP/text-plain.txt"
check "figure caption" grep -q "Figuur 1 Beschikbaarheid per voorziening" "$TMP/text-plain.txt"
check "second table and figures" grep -q "Figuur 3 " "$TMP/text-plain.txt"
check "availability value formatted" grep -q "99,62 %" "$TMP/text-plain.txt"
check "value below norm marked with a sign" grep -q "99,62 % ▼" "$TMP/text-plain.txt"
check "finance amounts formatted" grep -q "€ 357,4 mln" "$TMP/text-plain.txt"
check "2023-T1: the prose's figures come from the data (<value-of>), as the report printed them" \
    bash -c "test \$(grep -c '<value-of ' samples/viermaandsrapportage-2023-T1.xml) -eq 5 && tr '\n' ' ' <'$TMP/text-plain.txt' | grep -q 'komt uit op € 354,9 mln., een onderschrijding'"
check "negative total with a minus sign" grep -q -- "-€ 2,5 mln" "$TMP/text-plain.txt"
check "TOC lists tables" grep -q "^Tabellen" "$TMP/text-plain.txt"
check "reference to a table" grep -q "Tabel 1 en Figuur 1 tonen" "$TMP/text-plain.txt"
check "dataset note under the table" grep -q "Illustratieve cijfers" "$TMP/text-plain.txt"

# outline (bookmarks) mirrors the sections
qpdf --json --json-key=outlines "$PDF" >"$TMP/outline.json" 2>/dev/null
for t in "Voorwoord" "Samenvatting domeinen" "Toegang" "Infrastructuur" \
         "Samenvatting algemeen" "Financiën" "Duurzaamheid"; do
    check "outline entry $t" grep -qE "\"title\": \"([0-9.]+ )?$t\"" "$TMP/outline.json"
done

# the mailto link, without a visible border; TOC links to destinations
qpdf --qdf --object-streams=disable "$PDF" "$TMP/qdf.pdf" 2>/dev/null
check "mailto annotation" grep -qa "/URI (mailto:communicatie@logius.nl)" "$TMP/qdf.pdf"
qpdf --json=2 --json-key=qpdf "$PDF" | tr -d ' \n' >"$TMP/objects.json"
nlinks=$(grep -o '"/Subtype":"/Link"' "$TMP/objects.json" | wc -l)
nborderless=$(grep -o '"/Border":\[0,0,0\]' "$TMP/objects.json" | wc -l)
check "link annotations present ($nlinks)" test "$nlinks" -ge 10
check "every link has no visible border" test "$nlinks" -eq "$nborderless"
check "internal links to destinations (TOC)" grep -q '"/Dest":' "$TMP/objects.json"
check "document language" grep -qa "/Lang (nl-NL)" "$TMP/qdf.pdf"
check "page labels" grep -qa "/PageLabels" "$TMP/qdf.pdf"

# tagged PDF: the structure tree, marked content and its text (struct_check.py
# says what it asserts), and the structure types the sample must use. Add
# --strict-order once list labels are painted before their bodies (content
# order = reading order); until then that difference is only a note.
check "structure tree" python3 tests/struct_check.py --strict-order "$PDF"
pdfinfo -struct "$PDF" >"$TMP/struct.txt" 2>&1
for role in H1 H2 L LI Table TH TD Figure Link; do
    check "structure has $role" grep -qE "^ *$role( |:|\$)" "$TMP/struct.txt"
done

# same input, same bytes
$RG build "$SAMPLE" -o "$TMP/sample2.pdf" 2>/dev/null
check "byte-identical rebuild" cmp -s "$PDF" "$TMP/sample2.pdf"

# pages render (poppler) without errors
check "pdftoppm renders page 1" bash -c "pdftoppm -png -r 20 -f 1 -l 1 '$PDF' '$TMP/p' 2>&1 | (! grep -q .)"

# ---- invalid definitions: exit 65, file:line, no output ---------------------
for def in tests/invalid/*.xml; do
    name=$(basename "$def" .xml)
    line=$(sed -n 's/.*expect-line: *\([0-9]*\).*/\1/p' "$def" | head -n 1)
    out=$TMP/invalid-$name.pdf
    $RG build "$def" -o "$out" 2>"$TMP/invalid-$name.err"
    rc=$?
    check "$name: exit 65 (got $rc)" test "$rc" -eq 65
    at=$(sed -n 's/.*expect-at: *\([^ ]*\) .*/\1/p' "$def" | head -n 1)
    [ -n "$at" ] || at="$def:$line"
    check "$name: message with $at:" grep -q "^$at:[0-9]*: error: " "$TMP/invalid-$name.err"
    msg=$(sed -n 's/.*expect-message: *\(.*[^ ]\) *-->.*/\1/p' "$def" | head -n 1)
    [ -z "$msg" ] || check "$name: message matches '$msg'" grep -Eq -- "$msg" "$TMP/invalid-$name.err"
    check "$name: no output file" test ! -e "$out"
    $RG validate "$def" >/dev/null 2>&1
    check "$name: validate exit 65" test $? -eq 65
done
for lay in tests/invalid-layout/*.xml; do
    name=$(basename "$lay" .xml)
    line=$(sed -n 's/.*expect-line: *\([0-9]*\).*/\1/p' "$lay" | head -n 1)
    $RG build "$SAMPLE" --layout "$lay" -o "$TMP/layout-$name.pdf" 2>"$TMP/layout-$name.err"
    rc=$?
    check "layout $name: exit 65 (got $rc)" test "$rc" -eq 65
    check "layout $name: message with $lay:$line:" grep -q "^$lay:$line:[0-9]*: error: " "$TMP/layout-$name.err"
    check "layout $name: no output file" test ! -e "$TMP/layout-$name.pdf"
done
$RG build tests/valid/xinclude-inside.xml -o "$TMP/xinclude.pdf" 2>"$TMP/xinclude.err"
built "XInclude inside the folder builds" "$TMP/xinclude.err"
check "XInclude text arrives in the PDF" bash -c "pdftotext '$TMP/xinclude.pdf' - | tr '\n' ' ' | grep -q 'Before, '"
check "no temporary files left" bash -c "! ls -A '$TMP' | grep -q '^\.reportgen-'"
# a CSV file as Dutch Excel saves it, read with dialect="nl": 1.234,5 is 1234.5
$RG build tests/valid/csv-dialect-nl.xml -o "$TMP/dialect-nl.pdf" 2>"$TMP/dialect-nl.err"
built "a Dutch Excel CSV with dialect=\"nl\" builds" "$TMP/dialect-nl.err"
dutch_figures() {
    local text; text=$(pdftotext "$TMP/dialect-nl.pdf" - | sed 's/\xc2\xa0/ /g')
    grep -qF "€ 1.234,5 mln" <<<"$text" && grep -qF "€ 1.300,0 mln" <<<"$text" &&
        grep -qF "€ 12,5 mln" <<<"$text"
}
check "Dutch figures arrive right in the PDF (€ 1.234,5 mln)" dutch_figures

# a failed rebuild leaves the previous PDF untouched
cp "$PDF" "$TMP/keep.pdf"
first_invalid=$(ls tests/invalid/*.xml | head -n 1)
$RG build "$first_invalid" -o "$TMP/keep.pdf" 2>/dev/null
check "failed rebuild keeps previous PDF" cmp -s "$PDF" "$TMP/keep.pdf"

# ---- command line contract --------------------------------------------------
$RG --help >"$TMP/help.txt"; check "--help exit 0" test $? -eq 0
check "--help documents exit codes" grep -q "73" "$TMP/help.txt"
$RG --version | grep -q "^reportgen [0-9]"; check "--version" test $? -eq 0
$RG build --bogus "$SAMPLE" 2>/dev/null; check "unknown option: 64" test $? -eq 64
$RG 2>/dev/null; check "no command: 64" test $? -eq 64
$RG build "$TMP/does-not-exist.xml" -o "$TMP/x.pdf" 2>/dev/null
check "missing input: 66" test $? -eq 66
$RG validate "$SAMPLE" >/dev/null; check "validate sample: 0" test $? -eq 0
$RG validate samples/*.xml >/dev/null; check "every sample period validates" test $? -eq 0
# editors: every sample names its schema in an <?xml-model?> instruction
# (docs/writing-reports.md), which reportgen ignores: the same PDF without it
for def in samples/*.xml samples/gallery/*.xml; do
    href=$(sed -n 's|^<?xml-model href="\([^"]*\)" schematypens="http://www.w3.org/2001/XMLSchema"?>$|\1|p' "$def")
    check "$def: <?xml-model?> names generator/schema/report.xsd" \
        test -n "$href" -a "$(realpath -m "$(dirname "$def")/$href")" = "$PWD/generator/schema/report.xsd"
done
mkdir -p "$TMP/pi" && cp -r samples/data samples/common "$TMP/pi/"
sed '/^<?xml-model /d' "$SAMPLE" >"$TMP/pi/no-pi.xml"
$RG build "$TMP/pi/no-pi.xml" -o "$TMP/pi/no-pi.pdf" 2>"$TMP/pi/no-pi.err"
built "the sample without <?xml-model?> builds" "$TMP/pi/no-pi.err"
check "<?xml-model?> changes nothing in the PDF" cmp -s "$PDF" "$TMP/pi/no-pi.pdf"
$RG build "$SAMPLE" -o "$TMP" 2>/dev/null; check "output is a directory: 73" test $? -eq 73
$RG build "$SAMPLE" -o "$TMP/no/such/dir/x.pdf" 2>/dev/null; check "unwritable output: 73" test $? -eq 73
$RG build "$SAMPLE" --layout tests/data/missing-font-layout.xml -o "$TMP/f.pdf" 2>"$TMP/font.err"
check "missing font family: 69" test $? -eq 69
check "missing font family is named" grep -q "No Such Family" "$TMP/font.err"
check "missing font family: no output" test ! -e "$TMP/f.pdf"
$RG build "$SAMPLE" --layout plain -o "$TMP/plain.pdf" 2>"$TMP/plain.err"
built "plain layout builds" "$TMP/plain.err"

# ---- many fonts: more than the font builder has threads ----------------------
# pdf/font.c subsets and compresses fonts on two threads and makes their PDF
# objects afterwards. With this layout basic.xml uses 14 faces, and each
# line checked below is set in a face of its own (cover title Noto Serif
# Display Bold, subtitle Noto Sans Mono, date DejaVu Sans, TOC title Noto
# Serif Italic, h1 Noto Serif Bold, h2 DejaVu Serif Bold, footer DejaVu
# Sans Mono, signature Noto Sans Mono Bold, quote DejaVu Serif Italic, body
# Noto Sans in three styles): a font given another's CIDs or ToUnicode map
# garbles its line.
MF=$TMP/many-fonts.pdf
MF_ARGS="tests/golden/basic.xml --layout tests/data/many-fonts-layout.xml"
$RG build $MF_ARGS -o "$MF" 2>"$TMP/many-fonts.err"
built "many fonts: builds" "$TMP/many-fonts.err"
pdffonts "$MF" >"$TMP/many-fonts.txt" 2>&1
nfonts=$(tail -n +3 "$TMP/many-fonts.txt" | wc -l)
check "many fonts: 14 fonts (got $nfonts)" test "$nfonts" -eq 14
check "many fonts: embedded, subset, unicode" fonts_ok "$TMP/many-fonts.txt"
check "many fonts: no face twice" bash -c \
    "tail -n +3 '$TMP/many-fonts.txt' | awk '{ sub(/^[A-Z]+\\+/, \"\", \$1); print \$1 }' | sort | uniq -d | (! grep -q .)"
pdftotext -enc UTF-8 "$MF" - | tr -d '\f' >"$TMP/many-fonts-text.txt"   # no page breaks
for line in "Golden basis" "januari t/m april 2023" "15 juni 2023" "Inhoud" \
            "Samenvatting domeinen" "Toegang" "2 / 3" "Tom Kok" "Dat is wat wij doen."; do
    check "many fonts: text '$line'" grep -qxF "$line" "$TMP/many-fonts-text.txt"
done
check "many fonts: body text in three styles" \
    grep -qF "Logius leverde continuïteit in dienstverlening: de" "$TMP/many-fonts-text.txt"
for i in 2 3; do
    $RG build $MF_ARGS -o "$TMP/many-fonts-$i.pdf" 2>/dev/null
    check "many fonts: byte-identical rebuild $i" cmp -s "$MF" "$TMP/many-fonts-$i.pdf"
done
# PDF/A-1b: a CIDSet per font
$RG build $MF_ARGS --pdfa=1b -o "$TMP/many-fonts-1b.pdf" 2>"$TMP/many-fonts-1b.err"
built "many fonts, PDF/A-1b: builds" "$TMP/many-fonts-1b.err"
ncidset=$(qpdf --qdf "$TMP/many-fonts-1b.pdf" - 2>/dev/null | grep -ac "/CIDSet [0-9]* 0 R")
check "many fonts, PDF/A-1b: a CIDSet per font (got $ncidset)" test "$ncidset" -eq 14

# ---- golden display-list dumps ----------------------------------------------
for def in tests/golden/*.xml; do
    [ -e "$def" ] || continue
    exp=${def%.xml}.dump
    $RG build "$def" --dump-layout "$TMP/golden.dump" 2>"$TMP/golden.err"
    if cmp -s "$exp" "$TMP/golden.dump"; then ok; else
        bad "golden $(basename "$def") ($(head -c 300 "$TMP/golden.err" | tr '\n' ' '))"; diff "$exp" "$TMP/golden.dump" | head -n 20 >&2
    fi
done

# ---- links: underlined in every layout, colours with contrast (issue 18) -----
# WCAG 1.4.1: every link piece carries an underline in its own marked
# content (a wrapped link one per line); the shipped link colours have
# 4.5:1 on the page and 3:1 against the body text (tests/link_contrast.py).
for lay in layouts/*.xml; do
    name=$(basename "$lay" .xml)
    for def in tests/regress/link-underline.xml "$SAMPLE"; do
        dump=$TMP/underline-$name-$(basename "$def" .xml).dump
        $RG build "$def" --layout "$lay" -o "$TMP/underline.pdf" --dump-layout "$dump" \
            2>"$TMP/underline.err"
        built "links underlined: $def builds in $name" "$TMP/underline.err"
    done
    check "links underlined, one wrapped ($name)" python3 tests/underline_check.py \
        "$TMP/underline-$name-link-underline.dump" --min 8 --wrapped
    check "sample's links underlined ($name)" python3 tests/underline_check.py \
        "$TMP/underline-$name-$(basename "$SAMPLE" .xml).dump" --min 3
done
check "link colours: 4.5:1 on the page, 3:1 against body text" \
    python3 tests/link_contrast.py --cue layouts/*.xml

# ---- hyphenation patterns: from the build's image or parsed, the same PDF -----
# The sample needs hyphenation (some paragraphs do not fit without it). With
# the build's image of hyph_nl_NL.dic the patterns load from it; with a data
# folder without images, or with a damaged image, libhyphen parses them.
if [ -r /usr/share/hyphen/hyph_nl_NL.dic ]; then
    $RG build "$SAMPLE" -o "$TMP/hy-image.pdf" --stage-times 2>"$TMP/hy-image.err"
    check "sample's patterns come from the build's image" \
        grep -q "hyphenation patterns: 1 from images, 0 parsed" "$TMP/hy-image.err"
    data=$TMP/hy-data
    mkdir -p "$data/schema" "$data/layouts" "$data/fonts"
    cp generator/schema/*.xsd "$data/schema/" && cp layouts/* "$data/layouts/"
    REPORTGEN_DATADIR=$data $RG build "$SAMPLE" -o "$TMP/hy-parsed.pdf" --stage-times \
        2>"$TMP/hy-parsed.err"
    check "without images the patterns are parsed" \
        grep -q "hyphenation patterns: 0 from images, 1 parsed" "$TMP/hy-parsed.err"
    check "parsed patterns give the same PDF as the image" \
        cmp -s "$TMP/hy-image.pdf" "$TMP/hy-parsed.pdf"
    mkdir -p "$data/hyphen"
    img=$(dirname "$RG")/hyphen/hyph_nl_NL.img
    python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[len(b) // 2] ^= 1
open(sys.argv[2], "wb").write(b)' "$img" "$data/hyphen/hyph_nl_NL.img"
    REPORTGEN_DATADIR=$data $RG build "$SAMPLE" -o "$TMP/hy-damaged.pdf" --stage-times \
        2>"$TMP/hy-damaged.err"
    check "a damaged image is not used" \
        grep -q "hyphenation patterns: 0 from images, 1 parsed" "$TMP/hy-damaged.err"
    check "a damaged image gives the same PDF" cmp -s "$TMP/hy-image.pdf" "$TMP/hy-damaged.pdf"
    cp "$img" "$data/hyphen/"
    REPORTGEN_DATADIR=$data $RG build "$SAMPLE" -o "$TMP/hy-copied.pdf" --stage-times \
        2>"$TMP/hy-copied.err"
    check "an intact image in the data folder is used" \
        grep -q "hyphenation patterns: 1 from images, 0 parsed" "$TMP/hy-copied.err"
else
    bad "hyph_nl_NL.dic is not installed (hyphen-nl)"
fi

# ---- schemas without their documentation (load/schema-compact-main.c) ------
# reportgen validates with the build's compact copies when they are at least
# as new as the documented schemas. They must judge every definition alike,
# and an edited schema must count before the build catches up.
BUILD_DIR=$(dirname "$RG")
for x in report xml layout; do
    check "the build made a compact $x.xsd" test -s "$BUILD_DIR/schema/$x.xsd"
done
check "the compact report.xsd has no documentation" \
    bash -c "! grep -q 'xs:documentation' '$BUILD_DIR/schema/report.xsd'"
sd=$TMP/schema-data
mkdir -p "$sd/schema/compact" "$sd/layouts"
cp generator/schema/*.xsd "$sd/schema/" && cp layouts/* "$sd/layouts/"
cp "$BUILD_DIR"/schema/*.xsd "$sd/schema/compact/"
touch -d '2001-01-01' "$sd/schema/report.xsd" "$sd/layouts/layout.xsd"
REPORTGEN_DATADIR=$sd $RG validate samples/*.xml tests/invalid/*.xml >"$TMP/v-compact.out" 2>&1
touch "$sd/schema/report.xsd" "$sd/layouts/layout.xsd"
touch -d '2001-01-01' "$sd"/schema/compact/*.xsd
REPORTGEN_DATADIR=$sd $RG validate samples/*.xml tests/invalid/*.xml >"$TMP/v-documented.out" 2>&1
check "compact and documented schemas give the same messages" \
    cmp -s "$TMP/v-compact.out" "$TMP/v-documented.out"
# which copy is used: a compact copy that refuses <cover> shows it
sed 's|name="cover"|name="kaft"|' "$BUILD_DIR/schema/report.xsd" >"$sd/schema/compact/report.xsd"
touch -d '2001-01-01' "$sd/schema/report.xsd"
REPORTGEN_DATADIR=$sd $RG validate "$SAMPLE" >/dev/null 2>&1
check "a compact copy newer than its source is used" test $? -eq 65
touch "$sd/schema/report.xsd"
touch -d '2001-01-01' "$sd/schema/compact/report.xsd"
REPORTGEN_DATADIR=$sd $RG validate "$SAMPLE" >/dev/null 2>&1
check "a compact copy older than its source is not used" test $? -eq 0

# ---- the font memo: fontconfig's answers remembered between runs -------------
# (generator/fonts/memo.h) The first run asks fontconfig and writes the memo,
# the next ones use it; a changed stamp, a remembered file that is gone and
# a memo that cannot be written all fall back to fontconfig; the PDF is the
# same every time.
memo_run() {                       # NAME [env...]: builds the sample, keeps stderr
    local name=$1; shift
    env XDG_CACHE_HOME="$PWD/$TMP/memo" "$@" $RG build "$SAMPLE" -o "$TMP/memo-$name.pdf" \
        --stage-times 2>"$TMP/memo-$name.err"
}
rm -rf "$TMP/memo"
memo_run first
check "memo: the first run asks fontconfig" \
    grep -q "font lookups: 0 from the memo, 10 by fontconfig" "$TMP/memo-first.err"
check "memo: the first run writes the memo" grep -q '^a 1 0 1 0 Noto Sans' "$TMP/memo/reportgen/fonts"
memo_run second
check "memo: the next run uses it" \
    grep -q "font lookups: 10 from the memo, 0 by fontconfig" "$TMP/memo-second.err"
check "memo: same PDF" cmp -s "$TMP/memo-first.pdf" "$TMP/memo-second.pdf"
# a stamp line that no longer holds (as after installing a font)
sed -i 's|^s [0-9][0-9.]* \([0-9]* [0-9]* /usr/share/fonts\)$|s 1.000000000 \1|' "$TMP/memo/reportgen/fonts"
memo_run stale
check "memo: a stale memo is not used" \
    grep -q "font lookups: 0 from the memo, 10 by fontconfig" "$TMP/memo-stale.err"
check "memo: same PDF after a stale memo" cmp -s "$TMP/memo-first.pdf" "$TMP/memo-stale.pdf"
memo_run renewed
check "memo: rewritten after a stale one" \
    grep -q "font lookups: 10 from the memo, 0 by fontconfig" "$TMP/memo-renewed.err"
# a remembered file that is gone (the stamp still holds): fontconfig answers
sed -i 's|NotoSans-Bold.ttf$|NotoSans-Gone.ttf|' "$TMP/memo/reportgen/fonts"
memo_run gone
check "memo: a remembered file that is gone is asked again" \
    grep -q "font lookups: 10 from the memo, 1 by fontconfig" "$TMP/memo-gone.err"
check "memo: same PDF after a gone file" cmp -s "$TMP/memo-first.pdf" "$TMP/memo-gone.pdf"
check "memo: the gone file is forgotten" bash -c "! grep -q NotoSans-Gone '$TMP/memo/reportgen/fonts'"
: >"$TMP/memo-file"                # a file where the cache folder should be
env XDG_CACHE_HOME="$PWD/$TMP/memo-file" $RG build "$SAMPLE" -o "$TMP/memo-nowrite.pdf" 2>"$TMP/memo-nowrite.err"
check "memo: a memo that cannot be written does not fail the build" test $? -eq 0
check "memo: ... and says nothing" test ! -s "$TMP/memo-nowrite.err"

# ---- text set ahead on a second thread (layout/ahead.c) ----------------------
# A 98-page synthetic report (56 KB of running text, a 2,000-row table, 33
# "line left short" warnings): the thread must set paragraphs and table
# cells, and the PDF and every diagnostic must be the same as with the
# thread switched off.
synth=$(python3 bench/gen_report.py 100 "$TMP/synth")
$RG build "$synth" -o "$TMP/ahead-on.pdf" --stage-times 2>"$TMP/ahead-on.err"
REPORTGEN_LAYOUT_THREAD=0 $RG build "$synth" -o "$TMP/ahead-off.pdf" --stage-times \
    2>"$TMP/ahead-off.err"
check "layout thread: sets paragraphs and table cells ahead" \
    grep -Eq "set ahead: [1-9][0-9]* paragraphs, [1-9][0-9]* cells$" "$TMP/ahead-on.err"
check "layout thread: off when asked" grep -q "set ahead: 0 paragraphs, 0 cells$" "$TMP/ahead-off.err"
check "layout thread: the same PDF" cmp -s "$TMP/ahead-on.pdf" "$TMP/ahead-off.pdf"
check "layout thread: the same diagnostics, in the same order" \
    cmp -s <(grep -v '^stage times' "$TMP/ahead-on.err") <(grep -v '^stage times' "$TMP/ahead-off.err")
check "layout thread: the report has warnings to compare" \
    test "$(grep -c 'warning:' "$TMP/ahead-on.err")" -gt 10
# paragraphs the thread must hand back: a character no face has (a warning
# given once per character; with --strict an error) and bold words (a face
# the thread may not load); and paragraphs in languages without hyphenation
# patterns, which either thread may meet first (one warning per language,
# at the first paragraph that needs it)
odd=$TMP/synth/odd.xml
python3 - "$synth" "$odd" <<'PY'
import re, sys
n = 0
def mark(m):
    global n
    n += 1
    tag = '<p xml:lang="en-US">' if n % 5 == 0 else '<p xml:lang="la">' if n % 13 == 0 else m.group(0)
    return tag + ("\u4e2d " if n % 7 == 0 else "") + ("<strong>Vet</strong> " if n % 11 == 0 else "")
text = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(re.sub(r"<p>", mark, text))
PY
for strict in "" --strict; do
    $RG build "$odd" -o "$TMP/odd-on.pdf" $strict 2>"$TMP/odd-on.err"; on=$?
    REPORTGEN_LAYOUT_THREAD=0 $RG build "$odd" -o "$TMP/odd-off.pdf" $strict 2>"$TMP/odd-off.err"; off=$?
    check "layout thread ${strict:-default}: same exit status ($on/$off)" test "$on" -eq "$off"
    check "layout thread ${strict:-default}: same diagnostics" cmp -s "$TMP/odd-on.err" "$TMP/odd-off.err"
    check "layout thread ${strict:-default}: the missing glyph is reported once" \
        test "$(grep -c 'U+4E2D' "$TMP/odd-on.err")" -eq 1
    check "layout thread ${strict:-default}: a language without patterns is reported once" \
        test "$(grep -c "no hyphenation patterns for language 'en-US'" "$TMP/odd-on.err")" -eq 1
    if [ -z "$strict" ]; then
        check "layout thread: same PDF with handed-back paragraphs" \
            cmp -s "$TMP/odd-on.pdf" "$TMP/odd-off.pdf"
        rm -f "$TMP/odd-on.pdf" "$TMP/odd-off.pdf"
    else
        check "layout thread --strict: fails (65) and writes no PDF" \
            test "$on" -eq 65 -a ! -e "$TMP/odd-on.pdf" -a ! -e "$TMP/odd-off.pdf"
    fi
done

# ---- make install: staged with DESTDIR, then moved: it finds its data and helper
# (pipeline/paths.c: BIN/../share/reportgen and BIN/../libexec/reportgen from
# the executable's real folder; REPORTGEN_LIBEXECDIR overrides the latter)
# (a build of its own, for PREFIX=/usr, unoptimized: what is tested is where
# things go, and -O0 compiles in a third of the time)
inst=$(mktemp -d)
if make --no-print-directory -s -j2 install DESTDIR="$inst/stage" PREFIX=/usr BUILD="$inst/build" \
        CFLAGS=-O0 >"$inst/install.log" 2>&1; then
    ok
    mv "$inst/stage/usr" "$inst/moved"          # elsewhere: nothing is where PREFIX says
    irg=$inst/moved/bin/reportgen
    (cd "$inst" && "$irg" build "$OLDPWD/$SAMPLE" -o "$inst/s.pdf" 2>"$inst/s.err")
    built "installed, moved binary builds the sample" "$inst/s.err"
    check "installed man page" test -s "$inst/moved/share/man/man1/reportgen.1"
    (cd "$inst" && "$irg" reply --help >/dev/null 2>"$inst/reply.err")
    built "installed, moved reportgen finds reportgen-reply (reply --help)" "$inst/reply.err"
    (cd "$inst" && "$irg" reply "$OLDPWD/samples/verzoek.eml" --attach "$inst/s.pdf" -o "$inst/r.eml" \
        2>"$inst/reply2.err")
    built "installed, moved reportgen replies" "$inst/reply2.err"
    check "... the reply is written" grep -q "^Content-Type: application/pdf" "$inst/r.eml"
    check "installed layouts" test -s "$inst/moved/share/reportgen/layouts/logius.xml"
    check "installed mail desk service, timer and cron line" test -s \
        "$inst/moved/share/reportgen/mail/systemd/reportgen-inbox.service" -a -s \
        "$inst/moved/share/reportgen/mail/systemd/reportgen-inbox.timer" -a -s \
        "$inst/moved/share/reportgen/mail/cron.example"
    (cd "$inst" && "$irg" inbox --help >/dev/null 2>"$inst/inbox.err")
    built "installed, moved reportgen runs inbox (inbox --help)" "$inst/inbox.err"
    (cd "$inst" && "$irg" build "$OLDPWD/$SAMPLE" -o "$inst/s2.pdf" \
        --stage-times 2>"$inst/times.err")
    check "installed binary loads the installed pattern image" \
        grep -q "1 from images, 0 parsed" "$inst/times.err"
    mkdir -p "$inst/elsewhere"
    mv "$inst/moved/libexec/reportgen/reportgen-reply" "$inst/elsewhere/"
    "$irg" reply --help >/dev/null 2>"$inst/gone.err"
    rc=$?
    check "helper moved away: reply fails with 69 (got $rc)" test "$rc" -eq 69
    check "... naming REPORTGEN_LIBEXECDIR" grep -q "REPORTGEN_LIBEXECDIR" "$inst/gone.err"
    REPORTGEN_LIBEXECDIR=$inst/elsewhere "$irg" reply --help >/dev/null 2>"$inst/env.err"
    built "REPORTGEN_LIBEXECDIR finds the moved helper" "$inst/env.err"
else
    bad "make install DESTDIR=... PREFIX=/usr ($(tail -c 400 "$inst/install.log" | tr '\n' ' '))"
fi
rm -rf "$inst"

# ---- the chart gallery: every chart type and part, in every layout ----------
for l in layouts/*.xml; do
    lay=$(basename "$l" .xml)
    $RG build samples/gallery/grafieken.xml --layout "$lay" --check-layout \
        -o "$TMP/gallery-$lay.pdf" 2>"$TMP/gallery-$lay.err"
    built "gallery builds in $lay with --check-layout" "$TMP/gallery-$lay.err"
    check "gallery in $lay: qpdf --check" qpdf --check "$TMP/gallery-$lay.pdf" >/dev/null
done

# ---- pictures (issue 15): the annual report's bytes in the PDF --------------
JV=samples/jaarverslag/jaarverslag-2023.xml
$RG build --check-layout "$JV" -o "$TMP/jv.pdf" --dump-layout="$TMP/jv.dump" 2>"$TMP/jv.err"
built "jaarverslag builds with --check-layout" "$TMP/jv.err"
pdfimages -list "$TMP/jv.pdf" >"$TMP/jv.images" 2>&1
# page num type width height color comp bpc enc ...
check "jaarverslag: the PNG as a 600x260 RGB image" \
    grep -Eq '^ +[0-9]+ +[0-9]+ +image +600 +260 +rgb +3 +8 +image ' "$TMP/jv.images"
check "jaarverslag: the PNG's alpha as a 600x260 soft mask" \
    grep -Eq '^ +[0-9]+ +[0-9]+ +smask +600 +260 +gray +1 +8 ' "$TMP/jv.images"
check "jaarverslag: the JPEG embedded as it is (DCT, 800x500 RGB)" \
    grep -Eq '^ +[0-9]+ +[0-9]+ +image +800 +500 +rgb +3 +8 +jpeg ' "$TMP/jv.images"
check "jaarverslag: the JPEG's bytes unchanged" \
    bash -c "mkdir -p '$TMP/jvimg' && pdfimages -j '$TMP/jv.pdf' '$TMP/jvimg/i' && cmp -s '$TMP/jvimg/i-002.jpg' samples/jaarverslag/afbeeldingen/polder.jpg"
check "jaarverslag: the SVG logo drawn as paths, no image" \
    bash -c "test \$(grep -c ' image \| smask ' '$TMP/jv.images') -eq 3"
check "jaarverslag: qpdf --check" qpdf --check "$TMP/jv.pdf" >/dev/null
check "jaarverslag: the figures listed and referred to" \
    bash -c "pdftotext '$TMP/jv.pdf' - | grep -q 'Figuur 2 De polder bij meetpunt Oostdijk'"
# document structure (issue 16): footnotes, appendices, cross-references, a landscape section
check "jaarverslag: portrait pages around one landscape page (the 13-column table)" \
    bash -c "pdfinfo -f 1 -l 9 '$TMP/jv.pdf' | awk '/^Page +[0-9]+ size:/ {printf \"%s\", (\$4 > \$6 ? \"L\" : \"P\")}' | grep -qx PPPPLPPPP"
check "jaarverslag: the landscape page holds the table's twelve months" \
    bash -c "pdftotext -f 5 -l 5 -layout '$TMP/jv.pdf' - | grep -Eq '^ *Vaartsluis( +−[0-9]+){12} *\$'"
check "jaarverslag: the footnote on the table's figure at the foot of the table's page" \
    bash -c "for p in 1 2 3 4 5 6 7 8 9; do t=\$(pdftotext -f \$p -l \$p '$TMP/jv.pdf' -); grep -q '^3²\$' <<<\"\$t\" && { grep -q '^Twee van de drie storingen' <<<\"\$t\"; exit; }; done; exit 1"
check "jaarverslag: every page number a cross-reference prints is its target's page" \
    python3 tests/xref_pages.py "$TMP/jv.pdf" --min 5 appendices=Bijlagen
check "jaarverslag: the appendices in the TOC under Bijlagen, with their pages" \
    bash -c "pdftotext -f 2 -l 2 -layout '$TMP/jv.pdf' - | grep -Eq '^ *Bijlage C +Lijst van gebruikte afkortingen[ .]+9\$'"
check "jaarverslag: the appendix's table is Tabel A.1" \
    bash -c "pdftotext -f 7 -l 7 '$TMP/jv.pdf' - | grep -q '^Tabel A.1 Meetpunten, ligging en metingen in 2023'"
check "jaarverslag: three Note elements, each with its Lbl" \
    bash -c "test \$(pdfinfo -struct '$TMP/jv.pdf' | grep -A1 ' Note <rg-note-' | grep -c 'Lbl') -eq 3"
# tables with structure, figures from the data and text blocks (issue 17)
check "jaarverslag: subtotals computed from the group's rows, the total from all" \
    bash -c "t=\$(pdftotext -f 8 -l 8 -layout '$TMP/jv.pdf' -); grep -Eq '^ *Subtotaal Uitvoering +€ 323.000 +€ 320.000 *\$' <<<\"\$t\" && grep -Eq '^ *Totaal +€ 350.000 +€ 349.400 *\$' <<<\"\$t\""
check "jaarverslag: the prose figures are the table's" \
    bash -c "pdftotext -f 8 -l 8 '$TMP/jv.pdf' - | tr '\n' ' ' | grep -q 'gaf in 2023 € 349.400 uit, tegen € 350.000 begroot. De uitvoering kostte € 320.000'"
# pdfinfo -struct-text takes seconds (tests/struct_check.py says why): once
pdfinfo -struct-text "$TMP/jv.pdf" >"$TMP/jv.struct" 2>&1
check "jaarverslag: the box is a Div with its title" \
    bash -c "grep -A3 '^ *Div' '$TMP/jv.struct' | grep -q 'Wat is een meetpunt?'"
check "jaarverslag: the quote says who said it" \
    bash -c "pdftotext -f 6 -l 6 '$TMP/jv.pdf' - | grep -q '^— Anna de Vries, voorzitter (verzonnen)'"
check "jaarverslag: the abbreviations as a list with labels" \
    bash -c "grep -A2 '^ *Lbl' '$TMP/jv.struct' | grep -q '\"PDF/UA\"'"
# bidirectional text (issue 17): the Arabic and Hebrew names of open data
# read right to left, each in a Span with its /Lang
check "jaarverslag: the Arabic and Hebrew phrases drawn right to left, tagged with their language" \
    python3 tests/bidi_check.py "$TMP/jv.dump" "$TMP/jv.pdf" \
        'phrase="البيانات المفتوحة" phrase="מידע פתוח" lang=ar:1 lang=he:1'
check "jaarverslag: pdftotext gives the phrases in logical order" \
    bash -c "t=\$(pdftotext -f 2 -l 2 '$TMP/jv.pdf' -); grep -q 'البيانات المفتوحة' <<<\"\$t\" && grep -q 'מידע פתוח' <<<\"\$t\""
$RG build "$JV" --layout logius -o "$TMP/jv-logius.pdf" 2>/dev/null
check "jaarverslag in logius: pictures numbered with the charts in the list of figures" \
    bash -c "pdftotext -f 2 -l 2 '$TMP/jv-logius.pdf' - | grep -q '^Figuur 2 De polder bij meetpunt Oostdijk'"

# a cover with a logo leaves the layout's text wordmark out: the 2023-T1
# cover said "Logius" beside its drawn logo and again under the ribbon
pdftotext -f 1 -l 1 "$PDF" "$TMP/cover.txt" 2>/dev/null
check "2023-T1 cover: the logo, no text wordmark beside it (Logius once: the foot)" \
    test "$(grep -c '^Logius$' "$TMP/cover.txt")" -eq 1

# logos named by a layout file (relative to its folder): on the cover and in
# the running header, a definition's <cover logo=> before the layout's
mkdir -p "$TMP/logolayout/sub"
cp samples/common/logo-logius.svg "$TMP/logolayout/sub/logo.svg"
sed 's|<cover ribbon-width="0" band-height="0"/>|<cover ribbon-width="0" band-height="0" logo="sub/logo.svg"/>|; s|<header rule="false"/>|<header left="{organisation}" rule="false" logo="sub/logo.svg"/>|' \
    layouts/plain.xml >"$TMP/logolayout/logos.xml"
$RG build --check-layout --dump-layout="$TMP/logolayout/t2.dump" samples/viermaandsrapportage-2023-T2.xml \
    --layout "$TMP/logolayout/logos.xml" -o "$TMP/logolayout/t2.pdf" 2>"$TMP/logolayout/t2.err"
built "layout logos: builds with --check-layout" "$TMP/logolayout/t2.err"
# the logo's paths: once on the cover (a Figure) and once in every header
npaths=$(grep -c '^  path M .* fill=#1F4E8C' "$TMP/logolayout/t2.dump")
nheads=$(grep -c '^page ' "$TMP/logolayout/t2.dump")
check "layout logos: drawn on the cover and in the headers ($npaths filled paths, $nheads pages)" \
    test "$npaths" -ge "$nheads"
check "layout logos: the cover logo is a Figure 'Logo Logius'" \
    grep -q 'Figure .*alt="Logo Logius"' "$TMP/logolayout/t2.dump"
sed 's|logo="sub/logo.svg"|logo="../logo.svg"|' "$TMP/logolayout/logos.xml" >"$TMP/logolayout/outside.xml"
$RG build samples/viermaandsrapportage-2023-T2.xml --layout "$TMP/logolayout/outside.xml" \
    -o "$TMP/logolayout/outside.pdf" 2>"$TMP/logolayout/outside.err"
check "layout logos: a logo outside the layout's folder is refused (exit 65)" test $? -eq 65
check "layout logos: ... naming the layout's line" \
    grep -q "outside.xml:[0-9]*:[0-9]*: error: cannot read image '../logo.svg'" "$TMP/logolayout/outside.err"

# ---- the tags against the definitions (tests/tag_check.py) -----------------
if [ "${TAG_CHECK:-0}" != 0 ]; then
    mkdir -p "$TMP/tag"
    : >"$TMP/tag/list"
    for def in samples/*.xml samples/gallery/*.xml samples/jaarverslag/*.xml tests/golden/*.xml tests/valid/*.xml; do
        for l in layouts/*.xml; do
            lay=$(basename "$l" .xml)
            out="$TMP/tag/$(basename "$def" .xml)-$lay.pdf"
            $RG build "$def" --layout "$lay" -o "$out" 2>/dev/null &&
                printf '%s\t%s\n' "$out" "$def" >>"$TMP/tag/list"
        done
    done
    python3 tests/tag_check.py --list "$TMP/tag/list" >"$TMP/tag/out"
    rc=$?
    sed "s|$TMP/tag/||" "$TMP/tag/out"
    check "tag_check.py: the tags are what the definitions wrote" test "$rc" -eq 0
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

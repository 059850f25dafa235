#!/usr/bin/env bash
# streams.sh - stream compression tests. The pdf stage deflates page
# content, font files, ToUnicode maps and the ICC profile itself and hands
# libharu finished bytes (generator/pdf/deflate.c); these checks fail when
# a stream is no longer Flate-compressed, does not decode, or the XMP
# metadata gets a filter (PDF/A forbids it). Run on the default output
# (tagged PDF/A-2a, object streams), --pdfa=1b (no object streams) and
# --pdfa=off (untagged). The page writer writes every content operator
# itself (paths too): content_check.py checks their operands and nesting
# in the sample and in tests/data/paths.xml, which draws each kind of path
# (a table, a dashed norm line in q/Q, pie curves). Ends with
# "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
TMP=tests/tmp/streams
rm -rf "$TMP" && mkdir -p "$TMP"
SAMPLE=samples/viermaandsrapportage-2023-T1.xml
PATHS=tests/data/paths.xml
# operators paths.xml must produce: row fills, rules, the dashed norm line
# (q, d, Q), pie slices (c, h, B), colours and widths
PATH_OPS="re m l c h f S B q Q d w RG rg"
# The sample is ~54 KB at the chosen zlib levels; a level or filter
# regression that makes it larger than this fails.
MAX_SAMPLE_BYTES=61440
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# Object numbers of every page's content streams, in page order.
content_objects() {
    qpdf --show-pages "$1" | awk '/content:/ {c = 1; next} c && /^ +[0-9]+ 0 R$/ {print $1; next} {c = 0}'
}

# stream_is_flate PDF OBJ: the stream's dictionary names FlateDecode and
# its data decodes without a word from qpdf.
stream_is_flate() {
    qpdf --show-object="$2" "$1" 2>&1 | grep -qE "/Filter (\[ *)?/FlateDecode( *\])?" || return 1
    qpdf --show-object="$2" --filtered-stream-data "$1" >"$TMP/obj-$2.bin" 2>"$TMP/obj-$2.err" &&
        test ! -s "$TMP/obj-$2.err"
}

every_content_flate() {
    local n=0 obj
    for obj in $(content_objects "$1"); do
        stream_is_flate "$1" "$obj" || { echo "  content object $obj" >&2; return 1; }
        n=$((n + 1))
    done
    test "$n" -gt 0
}

# page 1's content decodes to text operators: BT ... [<glyphs>] TJ ... ET
first_page_has_text() {
    local obj
    obj=$(content_objects "$1" | head -n 1)
    qpdf --show-object="$obj" --filtered-stream-data "$1" >"$TMP/page1.txt" 2>/dev/null &&
        grep -q "^BT$" "$TMP/page1.txt" && grep -q "TJ$" "$TMP/page1.txt" &&
        grep -q "^ET$" "$TMP/page1.txt"
}

# Object numbers of the streams a key points to, in a QDF file (qpdf
# renumbers objects there; --stream-data=preserve keeps filters and bytes).
refs_of() {
    grep -ao "/$2 [0-9]* 0 R" "$1" | awk '{print $2}' | sort -un
}

every_ref_flate() {
    local qdf=$1 key=$2 n=0 obj
    for obj in $(refs_of "$qdf" "$key"); do
        stream_is_flate "$qdf" "$obj" || { echo "  /$key object $obj" >&2; return 1; }
        n=$((n + 1))
    done
    test "$n" -gt 0
}

# A decoded FontFile2 is a TrueType font: sfnt version 0x00010000 or 'true'.
font_files_are_truetype() {
    local obj head
    for obj in $(refs_of "$1" FontFile2); do
        head=$(qpdf --show-object="$obj" --filtered-stream-data "$1" 2>/dev/null | head -c 4 | od -An -tx1 | tr -d ' ')
        case $head in 00010000 | 74727565) ;; *) echo "  FontFile2 $obj starts $head" >&2; return 1 ;; esac
    done
}

# The XMP stream carries no /Filter (PDF/A-1 6.7.2) and is readable as is.
metadata_unfiltered() {
    local obj
    obj=$(refs_of "$1" Metadata | head -n 1)
    test -n "$obj" || return 1
    ! qpdf --show-object="$obj" "$1" 2>&1 | grep -q "/Filter" &&
        qpdf --show-object="$obj" --raw-stream-data "$1" 2>/dev/null | grep -q "<x:xmpmeta"
}

qpdf_clean() {
    qpdf --check "$1" >"$TMP/check.txt" 2>&1 && ! grep -qiE "warning|error:" "$TMP/check.txt"
}

# ---- each flavour of output ------------------------------------------------
for flavour in default 1b off; do
    pdf=$TMP/sample-$flavour.pdf
    case $flavour in
        default) args=() ;;
        *) args=(--pdfa="$flavour") ;;
    esac
    if ! $RG build "$SAMPLE" "${args[@]}" -o "$pdf" 2>"$TMP/build-$flavour.err"; then
        bad "$flavour: build"; cat "$TMP/build-$flavour.err" >&2
        continue
    fi
    qdf=$TMP/sample-$flavour.qdf
    qpdf --qdf --object-streams=disable --stream-data=preserve "$pdf" "$qdf" 2>/dev/null
    check "$flavour: qpdf --check clean" qpdf_clean "$pdf"
    check "$flavour: every page's content stream is Flate and decodes" every_content_flate "$pdf"
    check "$flavour: page 1 decodes to BT ... TJ ... ET" first_page_has_text "$pdf"
    check "$flavour: font files are Flate and decode" every_ref_flate "$qdf" FontFile2
    check "$flavour: decoded font files are TrueType" font_files_are_truetype "$qdf"
    check "$flavour: ToUnicode maps are Flate and decode" every_ref_flate "$qdf" ToUnicode
    check "$flavour: content operators well-formed and nested" \
        bash -c "python3 tests/content_check.py --expect 're m l c f S B' '$pdf' >'$TMP/content-$flavour.txt'"
    check "$flavour: pdftotext reads the page text" \
        bash -c "pdftotext -f 1 -l 1 '$pdf' - | grep -q Viermaandsrapportage"
    if [ "$flavour" != off ]; then
        check "$flavour: ICC profile is Flate and decodes" every_ref_flate "$qdf" DestOutputProfile
        check "$flavour: XMP metadata is not filtered" metadata_unfiltered "$qdf"
    fi
done

# ---- every kind of path ------------------------------------------------------
for flavour in default 1b; do
    pdf=$TMP/paths-$flavour.pdf
    args=()
    [ "$flavour" = default ] || args=(--pdfa="$flavour")
    if ! $RG build "$PATHS" "${args[@]}" -o "$pdf" 2>"$TMP/paths-$flavour.err"; then
        bad "paths $flavour: build"; cat "$TMP/paths-$flavour.err" >&2
        continue
    fi
    check "paths $flavour: qpdf --check clean" qpdf_clean "$pdf"
    check "paths $flavour: every content stream is Flate and decodes" every_content_flate "$pdf"
    if python3 tests/content_check.py --expect "$PATH_OPS" "$pdf" >"$TMP/paths-$flavour.txt"; then ok
    else bad "paths $flavour: path operators well-formed, q/Q balanced, outside BT/ET"; cat "$TMP/paths-$flavour.txt" >&2; fi
done

check "1b: no object streams (PDF/A-1)" bash -c "! grep -qa '/ObjStm' '$TMP/sample-1b.pdf'"
check "default: object streams" grep -qa "/Type /ObjStm" "$TMP/sample-default.pdf"
size=$(stat -c %s "$TMP/sample-default.pdf" 2>/dev/null || echo 0)
check "sample PDF is at most $MAX_SAMPLE_BYTES bytes (is $size)" test "$size" -gt 0 -a "$size" -le "$MAX_SAMPLE_BYTES"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# pdfa.sh - PDF/A tests. Apache PDFBox preflight (the only free PDF/A
# validator packaged in Debian; it knows PDF/A-1b only) judges the sample
# built with --pdfa=1b and a small definition whose metadata needs XML
# escaping. For 2b/2u/2a, which preflight cannot judge, our own checks:
# the XMP claims the level (and PDF/UA-1 exactly when the file is tagged),
# the info dict and the XMP say the same, the sRGB OutputIntent is there,
# every font has a ToUnicode map and every link prints; qpdf --check is
# clean and output is byte-identical across runs. Ends with
# "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
TMP=tests/tmp/pdfa
rm -rf "$TMP" && mkdir -p "$TMP"
SAMPLE=samples/viermaandsrapportage-2023-T1.xml
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# PDFBox 2 preflight and what it loads (Debian: libpdfbox2-java,
# libfontbox2-java, libcommons-logging-java, libactivation-java,
# libjaxb-api-java; java from default-jre-headless).
J=/usr/share/java
CP=$J/preflight.jar:$J/pdfbox2.jar:$J/fontbox2.jar:$J/xmpbox.jar:$J/commons-logging.jar
CP=$CP:$J/javax.activation.jar:$J/jaxb-api.jar

# preflight PDF: passes when PDFBox says the file is valid PDF/A-1b,
# else prints PDFBox's messages.
preflight() {
    local out=$TMP/$(basename "$1" .pdf).preflight
    java -cp "$CP" org.apache.pdfbox.preflight.Validator_A1b "$1" >"$out" 2>&1
    local rc=$?
    if [ $rc -eq 0 ] && grep -q "is a valid PDF/A-1b file" "$out"; then return 0; fi
    sed 's/^/  preflight: /' "$out" | head -n 40 >&2
    return 1
}

# xmp PDF PROPERTY: the text of <PROPERTY>...</PROPERTY> in the XMP (the
# first rdf:li inside it for containers), XML entities decoded.
xmp() {
    pdfinfo -meta "$1" | tr '\n' ' ' |
        sed -n "s|.*<$2>\(<rdf:[A-Za-z]*><rdf:li[^>]*>\)\{0,1\}\([^<]*\)<.*|\2|p" |
        sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&amp;/\&/g'
}
info() { pdfinfo -isodates "$1" | sed -n "s/^$2: *//p"; }

# info dict == XMP, field by field; dates as instants (pdfinfo writes Z).
same_meta() {
    local pdf=$1 f
    for f in "Title dc:title" "Author dc:creator" "Subject dc:description" \
             "Keywords pdf:Keywords" "Creator xmp:CreatorTool" "Producer pdf:Producer"; do
        set -- $f
        if [ "$(info "$pdf" "$1")" != "$(xmp "$pdf" "$2")" ]; then
            echo "  $1: info '$(info "$pdf" "$1")' xmp '$(xmp "$pdf" "$2")'" >&2; return 1
        fi
    done
    for f in "CreationDate xmp:CreateDate" "ModDate xmp:ModifyDate"; do
        set -- $f
        local i x; i=$(info "$pdf" "$1"); x=$(xmp "$pdf" "$2")
        if [ "${i%Z}+00:00" != "$x" ]; then echo "  $1: info '$i' xmp '$x'" >&2; return 1; fi
    done
}

fonts_unicode() {
    pdffonts "$1" | tail -n +3 | awk '{ if ($(NF-2) != "yes" || $(NF-4) != "yes") bad = 1; n++ }
                                      END { exit bad || n == 0 }'
}

qpdf_clean() { qpdf --check "$1" >"$TMP/qpdf.txt" 2>&1 && ! grep -qi warning "$TMP/qpdf.txt"; }

objects() { qpdf --json=2 --json-key=qpdf "$1" | tr -d ' \n'; }

# ---- PDF/A-1b: PDFBox preflight ---------------------------------------------
if $RG build --pdfa=1b "$SAMPLE" -o "$TMP/1b.pdf" 2>"$TMP/1b.err"; then ok; else
    bad "build --pdfa=1b"; cat "$TMP/1b.err" >&2
fi
check "1b: preflight says valid PDF/A-1b" preflight "$TMP/1b.pdf"
check "1b: XMP part 1" test "$(xmp "$TMP/1b.pdf" pdfaid:part)" = 1
check "1b: XMP conformance B" test "$(xmp "$TMP/1b.pdf" pdfaid:conformance)" = B
check "1b: header %PDF-1.4" test "$(head -c 8 "$TMP/1b.pdf")" = "%PDF-1.4"

# pictures (issue 15): the annual report's PNG with alpha is flattened onto
# white with a warning (PDF/A-1 forbids soft masks), its JPEG stays DCT,
# its SVG logo is paths; the result must pass preflight
JV=samples/jaarverslag/jaarverslag-2023.xml
if $RG build --pdfa=1b "$JV" -o "$TMP/jv-1b.pdf" 2>"$TMP/jv-1b.err"; then ok; else
    bad "build --pdfa=1b $JV"; cat "$TMP/jv-1b.err" >&2
fi
check "jaarverslag 1b: preflight says valid PDF/A-1b" preflight "$TMP/jv-1b.pdf"
check "jaarverslag 1b: the flattening is warned" \
    grep -q "proces.png: warning: its transparency is flattened onto white" "$TMP/jv-1b.err"
check "jaarverslag 1b: no soft mask" bash -c "! pdfimages -list '$TMP/jv-1b.pdf' | grep -q smask"
check "jaarverslag 1b: the JPEG still DCT" bash -c "pdfimages -list '$TMP/jv-1b.pdf' | grep -q ' 800 *500 .* jpeg '"
$RG build --pdfa=2b "$JV" -o "$TMP/jv-2b.pdf" 2>"$TMP/jv-2b.err"
check "jaarverslag 2b: soft mask kept, no warning" \
    bash -c "pdfimages -list '$TMP/jv-2b.pdf' | grep -q smask && test ! -s '$TMP/jv-2b.err'"
# a CMYK JPEG under PDF/A is refused with a message, never a file
mkdir -p "$TMP/cmyk"
cp tests/images/cmyk.jpg "$TMP/cmyk/"
cat >"$TMP/cmyk/cmyk.xml" <<'EOF2'
<report xmlns="urn:reportgen:report:1" xml:lang="nl-NL" layout="plain">
  <info><title>CMYK</title><organisation>Test</organisation>
    <period id="T" from="2023-01-01" to="2023-01-31">januari 2023</period></info>
  <section id="s"><title>Foto</title><image src="cmyk.jpg" alt="Een CMYK-foto"/></section>
</report>
EOF2
$RG build --pdfa=1b "$TMP/cmyk/cmyk.xml" -o "$TMP/cmyk/cmyk.pdf" 2>"$TMP/cmyk.err"
rc=$?
check "cmyk JPEG under PDF/A: exit 65 (got $rc)" test "$rc" -eq 65
check "cmyk JPEG under PDF/A: no file" test ! -e "$TMP/cmyk/cmyk.pdf"
check "cmyk JPEG under PDF/A: the message names it" grep -q "cmyk.jpg.* is a CMYK JPEG" "$TMP/cmyk.err"

# metadata that needs escaping, and a date from SOURCE_DATE_EPOCH
cat >"$TMP/escape.xml" <<'EOF'
<report xmlns="urn:reportgen:report:1" xml:lang="nl-NL" layout="plain">
  <info>
    <title>R&amp;D &lt;kwartaal&gt; "Q1" – € 5</title>
    <organisation>Test</organisation>
    <author>Jansen &amp; de Vries</author>
    <subject>Onderwerp met ‘aanhalingstekens’ &amp; &lt;hoekhaken&gt;</subject>
    <keywords>a&amp;b, c&lt;d</keywords>
    <period id="T" from="2023-01-01" to="2023-01-31">januari 2023</period>
  </info>
  <section id="s"><title>Tekst</title><p>Een alinea met <a href="https://example.org/?a=1&amp;b=2">een link</a>.</p></section>
</report>
EOF
SOURCE_DATE_EPOCH=1700000000 $RG build --pdfa=1b "$TMP/escape.xml" -o "$TMP/escape.pdf" 2>"$TMP/escape.err"
built "escape: builds" "$TMP/escape.err"
check "escape: preflight says valid PDF/A-1b" preflight "$TMP/escape.pdf"
check "escape: XMP is well-formed XML" bash -c "pdfinfo -meta '$TMP/escape.pdf' | xmllint --noout -"
check "escape: info dict = XMP" same_meta "$TMP/escape.pdf"
check "escape: title survives" test "$(xmp "$TMP/escape.pdf" dc:title)" = "R&D <kwartaal> \"Q1\" – € 5"
check "escape: date from SOURCE_DATE_EPOCH" \
    test "$(xmp "$TMP/escape.pdf" xmp:CreateDate)" = "2023-11-14T22:13:20+00:00"

# ---- PDF/A-2b, 2u, 2a: own checks -------------------------------------------
for level in 2b 2u 2a; do
    pdf=$TMP/$level.pdf
    if ! $RG build --pdfa=$level "$SAMPLE" -o "$pdf" 2>"$TMP/$level.err"; then
        bad "build --pdfa=$level"; cat "$TMP/$level.err" >&2; continue
    fi
    ok
    check "$level: no warnings" test ! -s "$TMP/$level.err"
    want=$(echo "${level#2}" | tr a-z A-Z)
    check "$level: XMP part 2" test "$(xmp "$pdf" pdfaid:part)" = 2
    check "$level: XMP conformance $want" test "$(xmp "$pdf" pdfaid:conformance)" = "$want"
    tagged=$(pdfinfo "$pdf" | sed -n 's/^Tagged: *//p')
    ua=$(xmp "$pdf" pdfuaid:part)
    check "$level: pdfuaid:part 1 exactly when tagged (Tagged: $tagged, pdfuaid '$ua')" \
        test "$([ "$tagged" = yes ] && echo 1)" = "$ua"
    if [ -n "$ua" ]; then
        check "$level: pdfuaid described by an extension schema" \
            bash -c "pdfinfo -meta '$pdf' | grep -q '<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>'"
    fi
    check "$level: info dict = XMP" same_meta "$pdf"
    check "$level: XMP is well-formed XML" bash -c "pdfinfo -meta '$pdf' | xmllint --noout -"
    check "$level: every font has a ToUnicode map" fonts_unicode "$pdf"
    check "$level: qpdf --check clean" qpdf_clean "$pdf"
    objects "$pdf" >"$TMP/$level.json"
    check "$level: sRGB OutputIntent" grep -q '"/OutputConditionIdentifier":"u:sRGBIEC61966-2.1","/RegistryName":"u:http://www.color.org","/S":"/GTS_PDFA1"' "$TMP/$level.json"
    check "$level: ICC profile with /N 3" grep -q '"/N":3' "$TMP/$level.json"
    check "$level: metadata stream unfiltered" \
        bash -c "grep -o '\"dict\":{[^}]*\"/Subtype\":\"/XML\"[^}]*}' '$TMP/$level.json' | grep -qv Filter"
    nlinks=$(grep -o '"/Subtype":"/Link"' "$TMP/$level.json" | wc -l)
    nprint=$(grep -o '"/F":4,' "$TMP/$level.json" | wc -l)
    check "$level: every link prints ($nprint of $nlinks)" test "$nlinks" -gt 0 -a "$nlinks" -eq "$nprint"
    ncid=$(pdffonts "$pdf" | tail -n +3 | wc -l)
    nset=$(grep -o '"/CIDSet":' "$TMP/$level.json" | wc -l)
    check "$level: a CIDSet per font ($nset of $ncid)" test "$ncid" -eq "$nset"
done
$RG build "$SAMPLE" -o "$TMP/default.pdf" 2>/dev/null
check "default is PDF/A-2a" cmp -s "$TMP/default.pdf" "$TMP/2a.pdf"
$RG build --pdfa=2u "$SAMPLE" -o "$TMP/2u-again.pdf" 2>/dev/null
check "2u: byte-identical rebuild" cmp -s "$TMP/2u.pdf" "$TMP/2u-again.pdf"
$RG build --pdfa=1b "$SAMPLE" -o "$TMP/1b-again.pdf" 2>/dev/null
check "1b: byte-identical rebuild" cmp -s "$TMP/1b.pdf" "$TMP/1b-again.pdf"

# ---- off: none of it --------------------------------------------------------
$RG build --pdfa=off "$SAMPLE" -o "$TMP/off.pdf" 2>"$TMP/off.err"
built "off: builds" "$TMP/off.err"
check "off: no XMP claim" bash -c "! pdfinfo -meta '$TMP/off.pdf' | grep -q pdfaid"
check "off: no OutputIntent" bash -c "! qpdf --json=2 --json-key=qpdf '$TMP/off.pdf' | grep -q OutputIntents"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

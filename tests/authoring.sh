#!/usr/bin/env bash
# authoring.sh - writing reports from the command line (issue 20,
# "Standard input" and "Authoring"): a definition read from standard input
# (build -, validate -), the next period's definition written by init, and
# build --watch rebuilding on every save. Every run is bounded by a
# timeout: a hang fails, it does not stall. RG may name another binary
# (RG=/work/main/build/reportgen shows what fails without these changes).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
case $RG in /*) ;; *) RG=$PWD/$RG ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rg-authoring.XXXXXX")
WATCH_PID=
cleanup() {
    [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
    [ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check; missing tools named
SCALE=${HOSTILE_TIMEOUT_SCALE:-1}
[ -n "${VALGRIND_LOGS:-}" ] && SCALE=20
T=$((10 * SCALE))                      # seconds any one run may take
nap() { sleep "$(awk -v s="$1" -v k="$SCALE" 'BEGIN { print s * k }')"; }   # nap SECONDS, scaled

# expect NAME WANT PHRASE CMD...: CMD exits WANT within $T s (124 is a
# hang) and its stderr holds PHRASE (unless it is empty).
expect() {
    local name=$1 want=$2 phrase=$3; shift 3
    if [ "$1" = in ]; then shift; set -- bash -c 'cd "$1" && shift && exec "$@"' _ "$@"; fi
    timeout "$T" "$@" >"$TMP/out-$name" 2>"$TMP/err-$name"
    local rc=$?
    check "$name: exit $want (got $rc)" test "$rc" -eq "$want"
    [ -z "$phrase" ] || check "$name: message '$phrase'" grep -qF -- "$phrase" "$TMP/err-$name"
    [ "$rc" -eq "$want" ] || head -n 3 "$TMP/err-$name" >&2
}

# A copy of the samples: definitions, parts (common/) and data.
S=$TMP/s
cp -r samples "$S"
export SOURCE_DATE_EPOCH=1700000000

# ---- input '-': the definition from standard input --------------------------
for p in 2023-T1 2023-T2; do
    DEF=viermaandsrapportage-$p.xml
    (cd "$S" && timeout "$T" "$RG" build "$DEF" -o "$TMP/file-$p.pdf") 2>/dev/null
    (cd "$S" && timeout "$T" "$RG" build - -o "$TMP/stdin-$p.pdf") <"$S/$DEF" 2>"$TMP/err-stdin-$p"
    check "stdin $p: exit 0" test $? -eq 0
    check "stdin $p: the same PDF bytes as the file's" cmp -s "$TMP/file-$p.pdf" "$TMP/stdin-$p.pdf"
done
# through a pipe, as the issue shows it (2023-T2 has XIncludes: found in the current folder)
cat "$S/viermaandsrapportage-2023-T2.xml" |
    (cd "$S" && timeout "$T" "$RG" build - -o "$TMP/pipe.pdf") 2>/dev/null
check "stdin through a pipe: the same PDF bytes" cmp -s "$TMP/file-2023-T2.pdf" "$TMP/pipe.pdf"
(cd "$S" && timeout "$T" "$RG" build - -o -) <"$S/viermaandsrapportage-2023-T1.xml" \
    >"$TMP/both.pdf" 2>/dev/null
check "stdin to stdout (-o -): the same PDF bytes" cmp -s "$TMP/file-2023-T1.pdf" "$TMP/both.pdf"
(cd "$S" && timeout "$T" "$RG" validate -) <"$S/viermaandsrapportage-2023-T2.xml" \
    >"$TMP/out-validate" 2>"$TMP/err-validate"
check "validate -: exit 0" test $? -eq 0
check "validate -: '<stdin>: valid'" grep -qx "<stdin>: valid" "$TMP/out-validate"

# a broken definition: <stdin>:LINE:COL, exit 65, no file
line=$(grep -n '<title>Over deze rapportage' "$S/viermaandsrapportage-2023-T1.xml" | cut -d: -f1)
sed "${line}s|<title>|<title><p>|" "$S/viermaandsrapportage-2023-T1.xml" >"$TMP/broken.xml"
expect stdin-broken 65 "<stdin>:$line:" in "$S" "$RG" build - -o "$TMP/broken.pdf" <"$TMP/broken.xml"
check "stdin-broken: '<stdin>:LINE:COL: error'" \
    grep -qE '^<stdin>:[0-9]+:[0-9]+: error: ' "$TMP/err-stdin-broken"
check "stdin-broken: no PDF written" test ! -e "$TMP/broken.pdf"
# XIncludes and data files are looked for in the current folder, and named so
sed 's|data/2023-T2-financien.csv|data/missing.csv|' "$S/viermaandsrapportage-2023-T2.xml" \
    >"$TMP/missing-csv.xml"
expect stdin-missing-csv 65 "error: cannot read data file 'data/missing.csv'" \
    in "$S" "$RG" validate - <"$TMP/missing-csv.xml"
check "stdin-missing-csv: named <stdin>:LINE:COL" \
    grep -qE "^<stdin>:[0-9]+:1: error: cannot read data file 'data/missing.csv'" "$TMP/err-stdin-missing-csv"
expect stdin-other-folder 65 "xi:include of 'common/contact.xml' failed" \
    in "$TMP" "$RG" validate - <"$S/viermaandsrapportage-2023-T2.xml"
# without -o there is no name to give the PDF
expect stdin-no-output 64 "reading from standard input: give -o FILE or -o -" \
    "$RG" build - </dev/null
expect stdin-twice 64 "standard input ('-') can be read only once" "$RG" validate - - </dev/null
# the same limit as a file, and a stream longer than it is refused at the
# limit, not read to its end (/dev/zero has none)
expect stdin-endless 65 "too large (more than 16777216 bytes" "$RG" validate - </dev/zero
head -c 17000000 /dev/zero | tr '\0' ' ' >"$TMP/huge.xml"
expect stdin-huge-file 65 "too large" "$RG" validate - <"$TMP/huge.xml"
# a redirected definition is an input: -o may not write over it
cp "$S/viermaandsrapportage-2023-T1.xml" "$S/self.xml"
expect stdin-self 73 "one of this report's inputs" in "$S" "$RG" build - -o self.xml <"$S/self.xml"
check "stdin-self: the definition intact" cmp -s "$S/self.xml" samples/viermaandsrapportage-2023-T1.xml

# ---- init: the next period's definition -------------------------------------
I=$TMP/i
cp -r samples "$I"
OLD=$I/viermaandsrapportage-2023-T1.xml
NEW=$I/viermaandsrapportage-2024-T1.xml
expect init-2024-T1 0 "viermaandsrapportage-2024-T1.xml: 2024-T1, januari t/m april 2024" \
    "$RG" init --from "$OLD" --period 2024-T1
has() { grep -qF -- "$2" "$1"; }
check "init 2024-T1: the period moved on" \
    has "$NEW" '<period id="2024-T1" from="2024-01-01" to="2024-04-30">januari t/m april 2024</period>'
check "init 2024-T1: the title" has "$NEW" "<title>Viermaandsrapportage januari t/m april 2024</title>"
check "init 2024-T1: the subject" \
    has "$NEW" "<subject>Verantwoording van Logius aan de eigenaar over januari t/m april 2024</subject>"
check "init 2024-T1: the keywords" \
    has "$NEW" "<keywords>Logius, viermaandsrapportage, verantwoording, 2024-T1</keywords>"
check "init 2024-T1: the date moved on, marked to check" \
    grep -qE '<date>2024-06-15<\?reportgen-todo [^>]*\?></date>' "$NEW"
check "init 2024-T1: the data file name moved on" has "$NEW" 'src="data/2024-T1-beschikbaarheid.csv"'
check "init 2024-T1: the new CSV holds the old one's header row only" \
    cmp -s "$I/data/2024-T1-beschikbaarheid.csv" <(head -n 1 "$I/data/2023-T1-beschikbaarheid.csv")
check "init 2024-T1: the old CSV untouched" \
    cmp -s "$I/data/2023-T1-beschikbaarheid.csv" samples/data/2023-T1-beschikbaarheid.csv
check "init 2024-T1: a figure emptied and marked, keeping the old value" \
    has "$NEW" '<value>B&amp;E GDI</value><value><?reportgen-todo was 228.3 in 2023-T1?></value>'
# 16 lines edited (info 5, src 1, records 7, alts 3), one added (the CSV's mark)
check "init 2024-T1: the rest kept byte for byte" \
    test "$(diff "$OLD" "$NEW" | grep -c '^<')" -eq 16 -a "$(diff "$OLD" "$NEW" | grep -c '^>')" -eq 17
line=$(grep -n 'Met de <em>Viermaandsrapportage januari t/m april 2023' "$NEW" | cut -d: -f1)
check "init 2024-T1: the text that still names 2023 is pointed at" \
    grep -qF "viermaandsrapportage-2024-T1.xml:$line: warning: the text still names the previous period" \
    "$TMP/err-init-2024-T1"
check "init 2024-T1: the old definition untouched" cmp -s "$OLD" samples/viermaandsrapportage-2023-T1.xml

# validate lists every place left to fill in, with file:line:col, and counts them
(cd "$I" && timeout "$T" "$RG" validate viermaandsrapportage-2024-T1.xml) >/dev/null 2>"$TMP/err-todo"
check "init 2024-T1: validate exits 65" test $? -eq 65
check "init 2024-T1: 22 places listed" \
    test "$(grep -cE '^viermaandsrapportage-2024-T1.xml:[0-9]+:[0-9]+: error: to be filled in: ' "$TMP/err-todo")" -eq 22
line=$(grep -n '<record><value>B&amp;E GDI' "$NEW" | cut -d: -f1)
check "init 2024-T1: a figure named with its line and column" has "$TMP/err-todo" \
    "viermaandsrapportage-2024-T1.xml:$line:48: error: to be filled in: 'begroting' of 'B&E GDI' in dataset 'financien' (was 228.3 in 2023-T1)"
line=$(grep -n '^      <?reportgen-todo the records of data/2024-T1-beschikbaarheid.csv' "$NEW" | cut -d: -f1)
check "init 2024-T1: the CSV to fill in named" has "$TMP/err-todo" \
    "viermaandsrapportage-2024-T1.xml:$line:7: error: to be filled in: dataset 'beschikbaarheid': the records of data/2024-T1-beschikbaarheid.csv"
check "init 2024-T1: a chart's alt text named" has "$TMP/err-todo" \
    "error: to be filled in: <alt> of 'figuur-financien'"
check "init 2024-T1: the count" has "$TMP/err-todo" \
    "viermaandsrapportage-2024-T1.xml: error: 22 places left to fill in"
expect init-build-unfilled 65 "22 places left to fill in" "$RG" build "$NEW" -o "$TMP/unfilled.pdf"
check "init: no PDF while figures are left to fill in" test ! -e "$TMP/unfilled.pdf"

# filled in (the figures, the CSV's records, the alt texts and the date): it builds
fill() {
    sed -i -e 's|<value><?reportgen-todo [^>]*?></value>|<value>12.5</value>|g' \
        -e 's|<?reportgen-todo [^>]*?>||g' "$1"
}
fill "$NEW"
tail -n +2 "$I/data/2023-T1-beschikbaarheid.csv" >>"$I/data/2024-T1-beschikbaarheid.csv"
expect init-filled-validate 0 "" "$RG" validate "$NEW"
expect init-filled-build 0 "" "$RG" build "$NEW" -o "$TMP/filled.pdf"
check "init 2024-T1 filled in: the PDF says the new period" \
    sh -c "pdftotext '$TMP/filled.pdf' - | grep -q 'januari t/m april 2024'"

# 2023-T2: its definition and data exist already in the samples
expect init-exists 73 "exists already: init never replaces a file" \
    "$RG" init --from "$OLD" --period 2023-T2
check "init-exists: the existing definition untouched" \
    cmp -s "$I/viermaandsrapportage-2023-T2.xml" samples/viermaandsrapportage-2023-T2.xml
NEW2=$I/next-T2.xml
expect init-2023-T2 0 "data/2023-T2-beschikbaarheid.csv exists already: used as it is" \
    "$RG" init --from "$OLD" --period 2023-T2 -o "$NEW2"
check "init 2023-T2: the period moved on" \
    has "$NEW2" '<period id="2023-T2" from="2023-05-01" to="2023-08-31">mei t/m augustus 2023</period>'
check "init 2023-T2: the date moved on by four months" grep -q '<date>2023-10-15<?reportgen-todo' "$NEW2"
check "init 2023-T2: the existing CSV kept" \
    cmp -s "$I/data/2023-T2-beschikbaarheid.csv" samples/data/2023-T2-beschikbaarheid.csv
(cd "$I" && timeout "$T" "$RG" validate next-T2.xml) >/dev/null 2>"$TMP/err-todo2"
check "init 2023-T2: validate exits 65" test $? -eq 65
check "init 2023-T2: 21 places left (the CSV exists)" has "$TMP/err-todo2" "next-T2.xml: error: 21 places left to fill in"
fill "$NEW2"
expect init-2023-T2-filled 0 "" "$RG" build "$NEW2" -o "$TMP/filled-T2.pdf"
expect init-exists-o 73 "exists already" "$RG" init --from "$OLD" --period 2023-T2 -o "$NEW2"

# NEW in another folder: said, and a CSV whose folder is not there is left to write
mkdir -p "$TMP/elsewhere"
expect init-elsewhere 0 "has no folder for data/2023-T2-beschikbaarheid.csv" \
    "$RG" init --from "$OLD" --period 2023-T2 -o "$TMP/elsewhere/next.xml"
check "init-elsewhere: the other folder said" grep -qF "not in $OLD's folder" "$TMP/err-init-elsewhere"
expect init-elsewhere-validate 65 "to be filled in: dataset 'beschikbaarheid': write data/2023-T2-beschikbaarheid.csv" \
    "$RG" validate "$TMP/elsewhere/next.xml"

# the default period is the next; T3 is followed by next year's T1
I3=$TMP/i3
cp -r samples "$I3"
expect init-after-T3 0 "2024-T1, januari t/m april 2024 (2024-01-01 to 2024-04-30)" \
    "$RG" init --from "$I3/viermaandsrapportage-2023-T3.xml"
check "init after T3: three CSVs with their header rows" \
    test "$(cat "$I3"/data/2024-T1-*.csv | wc -l)" -eq 3
check "init after T3: the XIncludes kept" \
    test "$(grep -c '<xi:include' "$I3/viermaandsrapportage-2024-T1.xml")" -eq 3

# what init refuses
expect init-no-from 64 "--from PREVIOUS.xml is needed" "$RG" init --period 2024-T1
expect init-operand 64 "init takes no operands" "$RG" init --from "$OLD" "$OLD"
expect init-help 0 "" "$RG" init --help
check "init --help: lists --from, --period and -o" \
    grep -qE -- '--from=FILE' "$TMP/out-init-help"
expect init-T4 64 "a year has 3 periods of 4 months" "$RG" init --from "$OLD" --period 2024-T4 -o "$TMP/x.xml"
expect init-other-form 64 "is not of the form of 2023-T1" "$RG" init --from "$OLD" --period 2024-Q1 -o "$TMP/x.xml"
sed 's|<title>Over|<title><p>Over|' "$OLD" >"$I/broken.xml"
expect init-invalid 65 "not a valid definition: init starts from a valid one" \
    "$RG" init --from "$I/broken.xml" --period 2024-T1 -o "$TMP/x.xml"
check "init refusals: nothing written" test ! -e "$TMP/x.xml"
sed 's|from="2023-01-01"|from="2023-01-15"|' "$OLD" >"$I/odd-2023-T1.xml"
expect init-not-months 65 "is not a run of whole months" "$RG" init --from "$I/odd-2023-T1.xml"

# labels in the previous one's words: English, a quarter, across a year, zero-padded ids
mkdef() {   # FILE LANG LABEL ID FROM TO
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<report xmlns="urn:reportgen:report:1" xml:lang="%s">\n  <info>\n    <title>Report %s</title>\n    <organisation>X</organisation>\n    <period id="%s" from="%s" to="%s">%s</period>\n  </info>\n  <section id="a"><title>A</title><p>Text.</p></section>\n</report>\n' \
        "$2" "$3" "$4" "$5" "$6" "$3" >"$1"
}
L=$TMP/labels
mkdir -p "$L"
label_case() {   # NAME LANG LABEL ID FROM TO PERIOD|- WANT-PERIOD-ELEMENT
    mkdef "$L/$1.xml" "$2" "$3" "$4" "$5" "$6"
    local p=()
    [ "$7" != - ] && p=(--period "$7")
    timeout "$T" "$RG" init --from "$L/$1.xml" "${p[@]}" -o "$L/$1-next.xml" 2>"$TMP/err-label-$1"
    check "init label $1: exit 0" test $? -eq 0
    check "init label $1: $8" has "$L/$1-next.xml" "$8"
}
label_case english en "January to April 2023" 2023-T1 2023-01-01 2023-04-30 2023-T3 \
    '<period id="2023-T3" from="2023-09-01" to="2023-12-31">September to December 2023</period>'
label_case quarter en "Q4 2023" 2023-Q4 2023-10-01 2023-12-31 - \
    '<period id="2024-Q1" from="2024-01-01" to="2024-03-31">Q1 2024</period>'
check "init label quarter: the title too" has "$L/quarter-next.xml" "<title>Report Q1 2024</title>"
label_case across en "Maart t/m Juni 2023" 2023-P2 2023-03-01 2023-06-30 2024-P1 \
    '<period id="2024-P1" from="2023-11-01" to="2024-02-29">November 2023 t/m Februari 2024</period>'
label_case year nl "2023" 2023 2023-01-01 2023-12-31 - \
    '<period id="2024" from="2024-01-01" to="2024-12-31">2024</period>'
check "init label year: no warning" test ! -s "$TMP/err-label-year" -o -z "$(grep warning "$TMP/err-label-year")"
label_case padded nl "mei 2023" 2023-M05 2023-05-01 2023-05-31 - \
    '<period id="2023-M06" from="2023-06-01" to="2023-06-30">juni 2023</period>'

# ---- build --watch: a rebuild on every save --------------------------------
Wd=$TMP/w
cp -r samples "$Wd"
WDEF=$Wd/viermaandsrapportage-2023-T2.xml
WERR=$TMP/watch.err
(cd "$Wd" && exec "$RG" build --watch viermaandsrapportage-2023-T2.xml -o out.pdf) 2>"$WERR" &
WATCH_PID=$!
# until SECONDS CMD...: CMD holds within SECONDS (polled)
until_ok() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do
        [ "$SECONDS" -ge "$end" ] && return 1
        kill -0 "$WATCH_PID" 2>/dev/null || { "$@"; return; }
        sleep 0.05
    done
}
builds() { grep -c " built out.pdf in [0-9]* ms, [0-9]* warning" "$WERR"; }
built_more() { [ "$(builds)" -gt "$1" ]; }
differs() { ! cmp -s "$Wd/out.pdf" "$1"; }
check "watch: the first build" until_ok "$T" built_more 0
check "watch: the PDF written" test -s "$Wd/out.pdf"
check "watch: the build line says the time, the PDF, the milliseconds and the warnings" \
    grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2} built out\.pdf in [0-9]+ ms, 0 warnings$' "$WERR"
n=$(builds); cp "$Wd/out.pdf" "$TMP/w0.pdf"
# the definition saved by rename (sed -i writes a new file and renames it)
sed -i 's|<title>Viermaandsrapportage mei|<title>Viermaandsrapportage Mei|' "$WDEF"
check "watch: the definition saved by rename: rebuilt" until_ok "$T" built_more "$n"
check "watch: the definition saved by rename: a new PDF" until_ok "$T" differs "$TMP/w0.pdf"
n=$(builds); cp "$Wd/out.pdf" "$TMP/w1.pdf"
# a CSV written in place (the same file, truncated and written)
sed 's/59\.1/61.7/; s/^Verstrekt,[0-9.]*/Verstrekt,61.7/' "$Wd/data/2023-T2-opdrachten.csv" >"$TMP/csv"
cat "$TMP/csv" >"$Wd/data/2023-T2-opdrachten.csv"
check "watch: a CSV written in place: rebuilt" until_ok "$T" built_more "$n"
check "watch: a CSV written in place: a new PDF" until_ok "$T" differs "$TMP/w1.pdf"
n=$(builds); cp "$Wd/out.pdf" "$TMP/w2.pdf"
# an XIncluded part
sed -i 's|<title>Contact</title>|<title>Contact en vragen</title>|' "$Wd/common/contact.xml"
check "watch: an XIncluded part: rebuilt" until_ok "$T" built_more "$n"
check "watch: an XIncluded part: a new PDF" until_ok "$T" differs "$TMP/w2.pdf"
n=$(builds)
# a burst of saves is one rebuild; files the build does not read are not watched
for i in 1 2 3 4 5; do touch "$WDEF"; done
echo "notes" >"$Wd/notes.txt"; echo "x" >"$Wd/data/other.csv"
check "watch: a burst of saves: rebuilt" until_ok "$T" built_more "$n"
nap 0.5
check "watch: a burst of saves is one rebuild (or two), other files none ($(builds) after $n)" \
    test "$(builds)" -le $((n + 2))
n=$(builds); cp "$Wd/out.pdf" "$TMP/w3.pdf"
nap 0.4
check "watch: writing its own PDF does not rebuild" test "$(builds)" -eq "$n"
# a broken definition: its error and the time, the last good PDF kept
cp "$WDEF" "$TMP/good.xml"
sed -i 's|<title>Samenvatting domeinen</title>|<title>Samenvatting <p>domeinen</title>|' "$WDEF"
failed() { grep -qE '^[0-9:]{8} failed \(exit 65\), [0-9]+ errors?: out\.pdf kept as it was$' "$WERR"; }
check "watch: a broken definition: a failed line" until_ok "$T" failed
check "watch: a broken definition: its error with file:line:col" \
    grep -qE '^viermaandsrapportage-2023-T2\.xml:[0-9]+:[0-9]+: error: ' "$WERR"
check "watch: a broken definition: the last good PDF kept" cmp -s "$Wd/out.pdf" "$TMP/w3.pdf"
check "watch: a broken definition: still watching" kill -0 "$WATCH_PID"
n=$(builds)
cp "$TMP/good.xml" "$WDEF"
check "watch: mended: built again" until_ok "$T" built_more "$n"
# Ctrl-C ends it with status 0
kill -INT "$WATCH_PID"
timeout "$T" tail --pid="$WATCH_PID" -f /dev/null
wait "$WATCH_PID"
rc=$?
WATCH_PID=
check "watch: Ctrl-C ends it with exit 0 (got $rc)" test "$rc" -eq 0
check "watch: Ctrl-C: no temporary file left" test -z "$(ls -A "$Wd" | grep '^\.reportgen-')"
expect watch-stdin 64 "--watch needs a definition file" "$RG" build --watch - -o "$TMP/x.pdf"
expect watch-stdout 64 "--watch writes a file again and again" "$RG" build --watch "$WDEF" -o -

unset SOURCE_DATE_EPOCH
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# faults.sh - files that are not what they seem (issue 23, points 1, 3, 9):
# every input reportgen reads must be a regular file, opened without
# blocking (a FIFO as definition, CSV, layout, XInclude part, font or font
# memo must not hang a run); every output target that exists must be a
# regular file that is none of the run's inputs (a device node, FIFO or
# symbolic link is never replaced, a definition never overwritten); -o -
# writes the PDF to standard output; SOURCE_DATE_EPOCH outside 1970-9999 is
# a usage error. Device nodes are made with mknod on a tmpfs in a private
# mount namespace (unshare -m), so the real /dev is never touched; without
# the capabilities for that those cases say so and are skipped.
# Every run is bounded by a timeout: a hang fails, it does not stall.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
case $RG in /*) ;; *) RG=$PWD/$RG ;; esac
SRC=$PWD
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rg-faults.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named
SCALE=${HOSTILE_TIMEOUT_SCALE:-1}
[ -n "${VALGRIND_LOGS:-}" ] && SCALE=20
T=$((10 * SCALE))                      # seconds any one run may take

# expect NAME WANT PHRASE CMD...: CMD exits WANT within $T s (124 is a
# hang) and its stderr holds PHRASE.
expect() {
    local name=$1 want=$2 phrase=$3; shift 3
    timeout "$T" "$@" >"$TMP/out-$name" 2>"$TMP/err-$name"
    local rc=$?
    check "$name: exit $want (got $rc)" test "$rc" -eq "$want"
    check "$name: message '$phrase'" grep -qF -- "$phrase" "$TMP/err-$name"
    [ "$rc" -eq "$want" ] || head -n 3 "$TMP/err-$name" >&2
}

# A copy of the samples to spoil: definitions, parts (common/) and data.
S=$TMP/s
cp -r samples "$S"
DEF=$S/viermaandsrapportage-2023-T1.xml
cp "$DEF" "$TMP/def-before.xml"

# ---- 3. FIFOs as inputs: refused at once, never waited on -------------------
mkfifo "$TMP/fifo.xml"
expect fifo-definition 66 "a FIFO, not a regular file" "$RG" build "$TMP/fifo.xml" -o "$TMP/x.pdf"
expect fifo-validate 66 "a FIFO, not a regular file" "$RG" validate "$TMP/fifo.xml"
expect fifo-layout-option 66 "a FIFO, not a regular file" \
    "$RG" build "$DEF" --layout "$TMP/fifo.xml" -o "$TMP/x.pdf"
check "fifo: no PDF written" test ! -e "$TMP/x.pdf"

F=$TMP/f
cp -r samples "$F"
rm "$F/data/2023-T1-beschikbaarheid.csv" && mkfifo "$F/data/2023-T1-beschikbaarheid.csv"
expect fifo-csv 65 "a FIFO, not a regular file" \
    "$RG" build "$F/viermaandsrapportage-2023-T1.xml" -o "$TMP/x.pdf"
cp -r samples "$F-inc"
rm "$F-inc/common/contact.xml" && mkfifo "$F-inc/common/contact.xml"
expect fifo-xinclude 65 "a FIFO, not a regular file" \
    "$RG" build "$F-inc/viermaandsrapportage-2023-T2.xml" -o "$TMP/x.pdf"
sed 's/layout="logius"/layout="own-layout.xml"/' "$DEF" >"$S/own-layout-def.xml"
mkfifo "$S/own-layout.xml"
expect fifo-definition-layout 66 "a FIFO, not a regular file" \
    "$RG" build "$S/own-layout-def.xml" -o "$TMP/x.pdf"
rm "$S/own-layout.xml" "$S/own-layout-def.xml"

# A batch with a FIFO among its definitions builds the others.
B=$TMP/batch-in
mkdir -p "$B" && cp -r samples/common samples/data "$B/"
cp samples/viermaandsrapportage-2023-T1.xml samples/viermaandsrapportage-2023-T2.xml "$B/"
mkfifo "$B/stuck.xml"
timeout "$T" "$RG" batch "$B" -o "$TMP/batch-out" -q 2>"$TMP/err-batch"
rc=$?
check "fifo in a batch: fails without hanging (exit $rc)" test "$rc" -eq 66
check "fifo in a batch: the other reports are built" \
    test "$(ls "$TMP/batch-out"/*.pdf 2>/dev/null | wc -l)" -eq 2
check "fifo in a batch: named" grep -qF "stuck.xml" "$TMP/err-batch"

# The data folder as an installation has it, its fonts/ spoilt: a FIFO
# and /dev/zero with a font's name are skipped with a warning (the
# binary is copied out of its build folder, so that it reads
# REPORTGEN_DATADIR; under valgrind RG is a script, and this is skipped).
# peak_kib FILE CMD...: runs CMD, writes the peak RSS of it in KiB to FILE.
peak_kib() {
    local file=$1; shift
    python3 -c 'import resource, subprocess, sys
rc = subprocess.run(sys.argv[2:]).returncode
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$file" "$@"
}
if [ "$(head -c 4 "$RG" | tr -d '\0')" = "$(printf '\177ELF')" ]; then
    D=$TMP/data
    mkdir -p "$D/fonts" "$D/schema" "$TMP/bin"
    ln -s "$SRC/generator/schema/report.xsd" "$SRC/generator/schema/xml.xsd" "$D/schema/"
    ln -s "$SRC/layouts" "$D/layouts"
    ln -s "$(dirname "$RG")/hyphen" "$D/hyphen"
    mkfifo "$D/fonts/Stuck.ttf"
    ln -s /dev/zero "$D/fonts/Zero.ttf"
    cp "$RG" "$TMP/bin/reportgen"
    REPORTGEN_DATADIR=$D peak_kib "$TMP/rss-fonts" timeout "$T" "$TMP/bin/reportgen" build "$DEF" \
        -o "$TMP/fonts.pdf" 2>"$TMP/err-fonts"
    rc=$?
    check "fonts folder with a FIFO and /dev/zero: builds (exit $rc)" test "$rc" -eq 0
    check "fonts folder: the FIFO is named" \
        grep -qF "Stuck.ttf: warning: font skipped: a FIFO" "$TMP/err-fonts"
    check "fonts folder: /dev/zero is named" \
        grep -qF "Zero.ttf: warning: font skipped: a character device" "$TMP/err-fonts"
    # reading /dev/zero as a font cost 534 MB; a build (sanitizers too) stays far below
    rss=$(cat "$TMP/rss-fonts")
    check "fonts folder: /dev/zero is not read (peak ${rss} KiB < 400 MiB)" \
        test "${rss:-999999}" -lt 409600
else
    echo "SKIP: fonts folder cases: $RG is not an executable to copy (valgrind?)" >&2
fi

# The memo of fontconfig's answers is a FIFO: ignored (it is a cache).
C=$TMP/cache
mkdir -p "$C/reportgen" && mkfifo "$C/reportgen/fonts"
XDG_CACHE_HOME=$C timeout "$T" "$RG" build "$DEF" -o "$TMP/memo.pdf" 2>"$TMP/err-memo"
rc=$?
check "font memo is a FIFO: builds (exit $rc)" test "$rc" -eq 0
check "font memo is a FIFO: still a FIFO" test -p "$C/reportgen/fonts"

# ---- 1. outputs that are not ours -------------------------------------------
expect out-definition 73 "one of this report's inputs" "$RG" build "$DEF" -o "$DEF"
check "out-definition: definition intact" cmp -s "$DEF" "$TMP/def-before.xml"
CSV=$(ls "$S"/data/2023-T1-*.csv | head -n 1)
cp "$CSV" "$TMP/csv-before"
expect out-csv 73 "one of this report's inputs" "$RG" build "$DEF" -o "$CSV"
check "out-csv: data intact" cmp -s "$CSV" "$TMP/csv-before"
cp "$S/common/contact.xml" "$TMP/part-before.xml"
expect out-part 73 "one of this report's inputs" \
    "$RG" build "$S/viermaandsrapportage-2023-T2.xml" -o "$S/common/contact.xml"
check "out-part: the part intact" cmp -s "$S/common/contact.xml" "$TMP/part-before.xml"
ln "$DEF" "$S/hardlink.pdf"
expect out-hard-link 73 "one of this report's inputs" "$RG" build "$DEF" -o "$S/hardlink.pdf"
rm "$S/hardlink.pdf"
mkfifo "$TMP/out.fifo"
expect out-fifo 73 "it is a FIFO" "$RG" build "$DEF" -o "$TMP/out.fifo"
check "out-fifo: still a FIFO" test -p "$TMP/out.fifo"
expect dump-fifo 73 "it is a FIFO" "$RG" build "$DEF" --dump-layout "$TMP/out.fifo"
echo keep >"$TMP/target.pdf"
ln -s "$TMP/target.pdf" "$TMP/link.pdf"
expect out-symlink 73 "it is a symbolic link" "$RG" build "$DEF" -o "$TMP/link.pdf"
check "out-symlink: still a link" test -L "$TMP/link.pdf"
check "out-symlink: its target untouched" grep -qx keep "$TMP/target.pdf"
mkdir "$TMP/folder.pdf"
expect out-folder 73 "it is a folder" "$RG" build "$DEF" -o "$TMP/folder.pdf"

# -o - : the PDF on standard output, byte for byte the file's
export SOURCE_DATE_EPOCH=1700000000
timeout "$T" "$RG" build "$DEF" -o "$TMP/file.pdf" 2>/dev/null
timeout "$T" "$RG" build "$DEF" -o - >"$TMP/stdout.pdf" 2>"$TMP/err-stdout"
check "-o -: exit 0" test $? -eq 0
check "-o -: same bytes as -o FILE" cmp -s "$TMP/file.pdf" "$TMP/stdout.pdf"
check "-o -: no file named '-'" test ! -e -
check "-o -: no file named '-' beside the definition" test ! -e "$S/-"
expect stdout-twice 64 "cannot both go to standard output" \
    "$RG" build "$DEF" -o - --dump-layout -
unset SOURCE_DATE_EPOCH

# Device nodes: in a private mount namespace, on a tmpfs of its own.
cat >"$TMP/nodes.sh" <<EOF
set -u
N=$TMP/nodes
mkdir -p "\$N" && mount -t tmpfs tmpfs "\$N" || exit 77
mknod "\$N/null" c 1 3 && mknod "\$N/full" c 1 7 && mknod "\$N/zero" c 1 5 || exit 77
ln -s "\$N/null" "\$N/stdout-link"
for t in null full stdout-link; do
    timeout $T "$RG" build "$DEF" -o "\$N/\$t" 2>"$TMP/err-node-\$t"
    echo "\$t \$? \$(stat -c %F "\$N/\$t" | tr ' ' _)"
done
timeout $T "$RG" build "\$N/zero" -o "$TMP/zero.pdf" 2>"$TMP/err-node-input"
echo "input \$? \$(stat -c %F "\$N/zero" | tr ' ' _)"
EOF
unshare -m bash "$TMP/nodes.sh" >"$TMP/nodes.txt" 2>"$TMP/nodes.err"
rc=$?
if [ "$rc" -eq 77 ] || [ ! -s "$TMP/nodes.txt" ]; then
    echo "SKIP: device nodes: no private mount namespace here (unshare -m, mount, mknod: $(head -c 200 "$TMP/nodes.err"))" >&2
else
    while read -r what code kind; do
        want=73
        [ "$what" = input ] && want=66
        check "device node $what: exit $want (got $code)" test "$code" -eq "$want"
        case $what in
        stdout-link) check "device node $what: still a link" test "$kind" = symbolic_link ;;
        *) check "device node $what: still a device ($kind)" test "$kind" = character_special_file ;;
        esac
    done <"$TMP/nodes.txt"
    check "device node -o: message" grep -qF "it is a character device" "$TMP/err-node-null"
    check "device node as definition: message" grep -qF "a character device, not a regular file" \
        "$TMP/err-node-input"
fi

# ---- 9. SOURCE_DATE_EPOCH within what a PDF date can say --------------------
for v in 253402300800 -1 1e9 abc 99999999999999999999; do
    SOURCE_DATE_EPOCH=$v expect "sde-$v" 64 "SOURCE_DATE_EPOCH='$v' is not a time" \
        "$RG" build "$DEF" -o "$TMP/x.pdf"
done
SOURCE_DATE_EPOCH=abc expect sde-batch 64 "SOURCE_DATE_EPOCH" "$RG" batch "$DEF" -o "$TMP/sde-out"
SOURCE_DATE_EPOCH=253402300800 expect sde-reply 64 "SOURCE_DATE_EPOCH" \
    "$RG" reply samples/verzoek.eml --build "$DEF" -o "$TMP/reply.eml"
check "sde: no reply written" test ! -e "$TMP/reply.eml"
check "sde: nothing written" test ! -e "$TMP/x.pdf" -a ! -e "$TMP/sde-out"
# the last second of 9999 on a definition without a date: Info and XMP agree
grep -v "<date>" "$DEF" >"$S/no-date.xml"
SOURCE_DATE_EPOCH=253402300799 timeout "$T" "$RG" build "$S/no-date.xml" -o "$TMP/y9999.pdf" \
    2>"$TMP/err-9999"
check "sde 9999-12-31: builds" test $? -eq 0
qpdf --qdf --object-streams=disable "$TMP/y9999.pdf" "$TMP/y9999-qdf.pdf" 2>/dev/null
check "sde 9999-12-31: Info date" grep -aq "CreationDate (D:99991231235959" "$TMP/y9999-qdf.pdf"
check "sde 9999-12-31: XMP date" grep -aq "<xmp:CreateDate>9999-12-31T23:59:59" "$TMP/y9999-qdf.pdf"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

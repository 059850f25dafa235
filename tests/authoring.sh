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
pass=0 fail=0
SCALE=${HOSTILE_TIMEOUT_SCALE:-1}
[ -n "${VALGRIND_LOGS:-}" ] && SCALE=20
T=$((10 * SCALE))                      # seconds any one run may take

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

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
sed '47s|<title>|<title><p>|' "$S/viermaandsrapportage-2023-T1.xml" >"$TMP/broken.xml"
(cd "$S" && expect stdin-broken 65 "<stdin>:47:" "$RG" build - -o "$TMP/broken.pdf") <"$TMP/broken.xml"
check "stdin-broken: '<stdin>:LINE:COL: error'" \
    grep -qE '^<stdin>:[0-9]+:[0-9]+: error: ' "$TMP/err-stdin-broken"
check "stdin-broken: no PDF written" test ! -e "$TMP/broken.pdf"
# XIncludes and data files are looked for in the current folder, and named so
sed 's|data/2023-T2-financien.csv|data/missing.csv|' "$S/viermaandsrapportage-2023-T2.xml" \
    >"$TMP/missing-csv.xml"
(cd "$S" && expect stdin-missing-csv 65 "<stdin>:28:1: error: cannot read data file 'data/missing.csv'" \
    "$RG" validate -) <"$TMP/missing-csv.xml"
(cd "$TMP" && expect stdin-other-folder 65 "xi:include of 'common/contact.xml' failed" \
    "$RG" validate -) <"$S/viermaandsrapportage-2023-T2.xml"
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
(cd "$S" && expect stdin-self 73 "one of this report's inputs" "$RG" build - -o self.xml) <"$S/self.xml"
check "stdin-self: the definition intact" cmp -s "$S/self.xml" samples/viermaandsrapportage-2023-T1.xml

unset SOURCE_DATE_EPOCH
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# spill.sh - issue 22: a display list whose pages are spilled to a scratch
# file while the report is laid out and read back when it is written
# (generator/dlist/spill.c) gives the same PDF, byte for byte, as one kept
# in memory. Every definition here is built twice, with
# REPORTGEN_SPILL_AFTER=0 (every page spilled as soon as layout has gone two
# pages on; with --check-layout, whose invariants then read the pages back)
# and =-1 (never), and the PDFs are compared: both samples, every
# definition in tests/regress/ that builds in the default layout, and
# SPILL_SEEDS (40) random definitions of tests/gen_definitions.py from
# SPILL_FIRST (5001). Then: a scratch folder that cannot be written keeps
# the pages in memory (same PDF), and an ordinary report does not spill.
# The spilled build also keeps tables' lines two rows at a time
# (REPORTGEN_TABLE_WINDOW=2, layout/table.c: a big table's window of rows),
# the other all at once (-1): windows must not change a byte either.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RG=${RG:-$BUILD/reportgen}
SPILL_SEEDS=${SPILL_SEEDS:-40}
SPILL_FIRST=${SPILL_FIRST:-5001}
export SOURCE_DATE_EPOCH=1684230000
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# one DEF: prints "same DEF", "differ DEF", "spill-failed DEF" or nothing
# (a definition that does not build without spilling either is not ours)
compare_one() {
    local def=$1 out
    out="$T/out/$(echo "$def" | tr '/' '_')"
    mkdir -p "$out"
    REPORTGEN_SPILL_AFTER=-1 REPORTGEN_TABLE_WINDOW=-1 "$RG" build -q "$def" -o "$out/mem.pdf" \
        >/dev/null 2>&1 || return 0
    if ! REPORTGEN_SPILL_AFTER=0 REPORTGEN_TABLE_WINDOW=2 "$RG" build -q --check-layout "$def" \
            -o "$out/spill.pdf" >"$out/err" 2>&1; then
        echo "spill-failed $def"
        sed 's/^/    /' "$out/err" | head -5
    elif cmp -s "$out/mem.pdf" "$out/spill.pdf"; then
        echo "same $def"
    else
        echo "differ $def"
    fi
    rm -f "$out/mem.pdf" "$out/spill.pdf"
}
export -f compare_one
export RG T

mkdir -p "$T/gen"
python3 tests/gen_definitions.py --seed "$SPILL_FIRST" --count "$SPILL_SEEDS" --out "$T/gen" \
    >/dev/null || bad "gen_definitions.py failed"
{
    echo samples/viermaandsrapportage-2023-T1.xml
    echo samples/jaarverslag/jaarverslag-2023.xml
    ls tests/regress/*.xml
    ls "$T"/gen/seed-*.xml
} >"$T/list"
xargs -P 2 -I{} bash -c 'compare_one "$1"' _ {} <"$T/list" >"$T/results"
same=$(grep -c '^same ' "$T/results")
while read -r verdict def; do
    case "$verdict" in
    same) ok ;;
    differ) bad "spilled pages or windowed tables give another PDF: $def (replay: REPORTGEN_SPILL_AFTER=0 REPORTGEN_TABLE_WINDOW=2 $RG build $def)" ;;
    spill-failed) bad "spilled build failed: $def" ;;
    esac
done < <(grep -v '^    ' "$T/results")
grep '^    ' "$T/results"
[ "$same" -ge 100 ] && ok || bad "only $same definitions compared (expected 100 or more)"

# the samples' build really spilled: --stage-times says how many pages
s=samples/viermaandsrapportage-2023-T1.xml
REPORTGEN_SPILL_AFTER=0 "$RG" build --stage-times "$s" -o "$T/a.pdf" 2>"$T/times" >/dev/null
grep -qE 'spilled: [1-9][0-9]* pages' "$T/times" && ok ||
    bad "the sample did not spill with REPORTGEN_SPILL_AFTER=0: $(tail -1 "$T/times")"
# and by default an 8-page report does not (RG_SPILL_AFTER_PAGES)
"$RG" build --stage-times "$s" -o "$T/b.pdf" 2>"$T/times" >/dev/null
grep -q 'spilled: 0 pages' "$T/times" && ok ||
    bad "an 8-page report spilled by default: $(tail -1 "$T/times")"
cmp -s "$T/a.pdf" "$T/b.pdf" && ok || bad "the sample differs spilled and not"

# standard output: the scratch folder is $TMPDIR; one that cannot be made
# keeps the pages in memory, and the PDF is the same
REPORTGEN_SPILL_AFTER=0 TMPDIR="$T/no/such/folder" "$RG" build "$s" -o - >"$T/c.pdf" 2>"$T/err"
rc=$?
[ $rc -eq 0 ] && cmp -s "$T/b.pdf" "$T/c.pdf" && ok ||
    bad "without a scratch folder: exit $rc, $(head -2 "$T/err")"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

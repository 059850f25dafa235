#!/usr/bin/env bash
# generated.sh - builds random valid definitions made by
# tests/gen_definitions.py, one per seed, with the layouts in layouts/ in turn
# (seed N uses layout number N mod their count, in name order). A seed passes
# when the build exits 0 with a PDF that qpdf --check accepts (when qpdf is
# installed), or exits 65 with a "file:line:col: error: ..." line (a
# documented refusal; layout's refusals name the element's line only, as
# libxml2 keeps no column for elements; the page limit's names no line). A signal,
# a timeout (60 s), exit 70 or any other code, or a missing or empty PDF
# after exit 0 fails it, with a replay line.
# Builds run two at a time. With TAG_CHECK=1 the PDFs of the seeds that
# built are kept with their definitions and judged at the end by
# tests/tag_check.py in one run (one more result). Ends with
# "N passed, N failed".
#
#   tests/generated.sh                          SEEDS (300) seeds from FIRST (1);
#                                               make check passes SEEDS=200
#   SEEDS=3000 FIRST=1 BUILD=build tests/generated.sh
#   tests/generated.sh --seed N [--layout L]    replay one seed verbosely
#
# With --check-layout in reportgen's usage text, every build checks the
# layout invariants too (exit 70 and messages when one is broken).
set -u
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RG=${RG:-$BUILD/reportgen}
SEEDS=${SEEDS:-300}
FIRST=${FIRST:-1}
JOBS=${JOBS:-2}
CHUNK=${CHUNK:-10}          # seeds generated per python run
TIMEOUT=${TIMEOUT:-60}
TAG_CHECK=${TAG_CHECK:-0}
GEN="python3 tests/gen_definitions.py"

LAYOUTS=()
for f in layouts/*.xml; do LAYOUTS+=("$(basename "$f" .xml)"); done
layout_of() { echo "${LAYOUTS[$(($1 % ${#LAYOUTS[@]}))]}"; }

CHECK_FLAG=
if { "$RG" --help 2>&1; "$RG" build --help 2>&1; } | grep -q -- '--check-layout'; then
    CHECK_FLAG=--check-layout
fi
# Refusals documented without a line (docs/usage.md "Limits", tests/hostile.sh):
# the page limit is found by layout, which has no line to name.
REFUSED_WITHOUT_LINE='^[^ ]+: error: the document would have more than [0-9]+ pages \(the page limit'
HAVE_QPDF=0
command -v qpdf >/dev/null 2>&1 && HAVE_QPDF=1

# judge SEED LAYOUT DEF OUT ERR: builds DEF and writes one result line to
# stdout: "PASS seed layout warned refused" or "FAIL seed layout exit message".
# qpdf 11.3 warns "input stream is complete but output may still be
# valid" on a well-formed Flate stream when its input chunk ends where its
# output buffer fills (tests/flate_check.py says more): when that is
# qpdf's only complaint, the streams are proved with zlib instead.
QPDF_BOUNDARY='WARNING: .*: input stream is complete but output may still be valid$'
qpdf_boundary_only() {             # PDF QPDF-OUTPUT
    grep -qE "$QPDF_BOUNDARY" "$2" &&
        ! grep -vE "$QPDF_BOUNDARY|^qpdf: operation succeeded with warnings" "$2" |
            grep -qiE 'warning|error' &&
        python3 tests/flate_check.py "$1" >/dev/null
}

judge() {
    local seed=$1 lay=$2 def=$3 out=$4 err=$5 rc msg warned refused=0
    rm -f "$out"
    # shellcheck disable=SC2086
    timeout "$TIMEOUT" "$RG" build "$def" -o "$out" --layout "$lay" $CHECK_FLAG \
        >/dev/null 2>"$err"
    rc=$?
    warned=$(grep -c ': warning:' "$err")
    first_diag() {
        local l
        l=$(grep -m 1 ': error:' "$err")
        [ -n "$l" ] || l=$(grep -m 1 -v '^[[:space:]]*$' "$err")
        printf '%s' "${l:0:300}"
    }
    case $rc in
    0)
        if [ ! -s "$out" ]; then
            echo "FAIL $seed $lay 0 no PDF (or an empty one) after exit 0"; return
        fi
        if [ "$HAVE_QPDF" = 1 ] && ! qpdf --check "$out" >"$err.qpdf" 2>&1 &&
            ! qpdf_boundary_only "$out" "$err.qpdf"; then
            msg=$(grep -m 1 -iE 'error|warning' "$err.qpdf")
            echo "FAIL $seed $lay 0 qpdf --check: ${msg:0:300}"; return
        fi
        ;;
    65)
        if ! grep -qE '^[^ ]+:[0-9]+(:[0-9]+)?: error: ' "$err" &&
            ! grep -qE "$REFUSED_WITHOUT_LINE" "$err"; then
            echo "FAIL $seed $lay 65 refused without a file:line[:col] error: $(first_diag)"
            return
        fi
        refused=1
        ;;
    124) echo "FAIL $seed $lay 124 timeout after ${TIMEOUT}s: $(first_diag)"; return ;;
    *)
        if [ "$rc" -gt 128 ]; then
            msg="signal $((rc - 128))"
            echo "FAIL $seed $lay $rc $msg: $(first_diag)"; return
        fi
        echo "FAIL $seed $lay $rc $(first_diag)"; return
        ;;
    esac
    echo "PASS $seed $lay $warned $refused"
}

# ---- replay one seed ----------------------------------------------------------
if [ "${1:-}" = "--seed" ]; then
    seed=${2:?--seed N}
    lay=$(layout_of "$seed")
    [ "${3:-}" = "--layout" ] && lay=${4:?--layout L}
    dir=${TMPDIR:-/tmp}/generated-seed-$seed
    rm -rf "$dir" && mkdir -p "$dir"
    $GEN --seed "$seed" --out "$dir" || { echo "0 passed, 1 failed (generator failed)"; exit 1; }
    def=$dir/seed-$seed.xml
    echo "definition: $def"
    echo "build:      $RG build $def -o $dir/seed-$seed.pdf --layout $lay $CHECK_FLAG"
    res=$(judge "$seed" "$lay" "$def" "$dir/seed-$seed.pdf" "$dir/build.err")
    echo "--- stderr:"
    cat "$dir/build.err"
    [ -s "$dir/build.err.qpdf" ] && { echo "--- qpdf --check:"; head -n 20 "$dir/build.err.qpdf"; }
    echo "--- result: $res"
    case $res in
    PASS*) echo "1 passed, 0 failed" ;;
    *) echo "0 passed, 1 failed"; exit 1 ;;
    esac
    exit 0
fi

# ---- one chunk of seeds (run by xargs, two at a time) --------------------------
if [ "${1:-}" = "--chunk" ]; then
    first=$2 count=$3 work=$4
    dir=$work/chunk-$first
    mkdir -p "$dir"
    if ! $GEN --seed "$first" --count "$count" --out "$dir" 2>"$dir/gen.err"; then
        for ((s = first; s < first + count; s++)); do
            echo "FAIL $s - - generator failed: $(head -c 300 "$dir/gen.err" | tr '\n' ' ')" \
                >"$work/results/$s"
        done
        exit 0
    fi
    for ((s = first; s < first + count; s++)); do
        lay=$(layout_of "$s")
        judge "$s" "$lay" "$dir/seed-$s.xml" "$dir/seed-$s.pdf" "$dir/seed-$s.err" \
            >"$work/results/$s"
        grep ': warning:' "$dir/seed-$s.err" >"$work/warnings/$s" 2>/dev/null
        # the tag check reads the PDF with its definition (and its CSV files)
        if [ "$TAG_CHECK" != 0 ] && [ -s "$dir/seed-$s.pdf" ]; then
            mkdir -p "$work/tag"
            mv "$dir/seed-$s.pdf" "$dir/seed-$s.xml" "$work/tag/"
            mv "$dir"/seed-"$s"-*.csv "$work/tag/" 2>/dev/null
            printf '%s\t%s\n' "$work/tag/seed-$s.pdf" "$work/tag/seed-$s.xml" >"$work/tag/$s.list"
        fi
    done
    rm -rf "$dir"
    exit 0
fi

# ---- the suite -----------------------------------------------------------------
if [ ! -x "$RG" ]; then
    echo "FAIL: $RG not built"
    echo "0 passed, 1 failed"; exit 1
fi
WORK=$(mktemp -d "${TMPDIR:-/tmp}/generated.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/results" "$WORK/warnings"
start=$(date +%s)
last=$((FIRST + SEEDS - 1))
for ((s = FIRST; s <= last; s += CHUNK)); do
    n=$((last - s + 1)); [ "$n" -gt "$CHUNK" ] && n=$CHUNK
    echo "$s $n $WORK"
done | xargs -P "$JOBS" -L 1 bash "$SELF" --chunk

pass=0 fail=0 warned=0 refused=0
if [ "$HAVE_QPDF" = 0 ]; then      # the seeds were judged without it: say so
    fail=$((fail + 1))
    echo "FAIL: qpdf is not installed (package qpdf): no seed's PDF was checked with qpdf --check"
fi
if [ "$TAG_CHECK" != 0 ] && [ -d "$WORK/tag" ]; then
    cat "$WORK"/tag/*.list >"$WORK/tag.list"
    # on JOBS cores at once (a PDF a line; the slices report apart)
    split -n "l/$JOBS" "$WORK/tag.list" "$WORK/tag.part."
    rc=0
    for part in "$WORK"/tag.part.*; do
        python3 tests/tag_check.py --list "$part" >"$part.out" &
    done
    for job in $(jobs -p); do wait "$job" || rc=1; done
    cat "$WORK"/tag.part.*.out >"$WORK/tag.out"
    sed "s|$WORK/tag/||" "$WORK/tag.out"
    if [ "$rc" -eq 0 ]; then pass=$((pass + 1)); else
        fail=$((fail + 1))
        echo "FAIL: tag_check.py: exit $rc (findings above)"
        echo "$rc tag_check.py findings" >>"$WORK/failed"
    fi
fi
for ((s = FIRST; s <= last; s++)); do
    r=$(cat "$WORK/results/$s" 2>/dev/null)
    [ -n "$r" ] || r="FAIL $s $(layout_of "$s") - no result (the chunk did not run)"
    read -r verdict seed lay code rest <<<"$r"
    [ -s "$WORK/warnings/$s" ] && warned=$((warned + 1))
    if [ "$verdict" = PASS ]; then
        pass=$((pass + 1))
        [ "$rest" = 1 ] && refused=$((refused + 1))
    else
        fail=$((fail + 1))
        rest=$(printf '%s' "$rest" | sed "s|$WORK/chunk-[0-9]*/||g")
        echo "FAIL: seed $seed layout $lay: exit $code: $rest"
        echo "  replay: tests/generated.sh --seed $seed --layout $lay"
        echo "$code ${rest##*error: }" >>"$WORK/failed"
    fi
done
wlines=$(cat "$WORK"/warnings/* 2>/dev/null | wc -l)
secs=$(($(date +%s) - start))
echo "generated: seeds $FIRST..$last, layouts ${LAYOUTS[*]}${CHECK_FLAG:+, $CHECK_FLAG}, $JOBS at a time, ${secs}s"
echo "warnings: $warned of $SEEDS seeds warned ($wlines warning lines); $refused refused with exit 65"
if [ "$wlines" -gt 0 ]; then
    # the most frequent kinds: the message without place, quotes and numbers
    cat "$WORK"/warnings/* | sed -e 's/^.*: warning: //' -e "s/'[^']*'/'…'/g" \
        -e 's/"[^"]*"/"…"/g' -e 's/[0-9][0-9.,]*/N/g' | sort | uniq -c | sort -rn | head -n 5 |
        sed 's/^/  /'
fi
if [ "$fail" -gt 0 ]; then
    echo "failures by their first diagnostic (place, quotes and numbers left out):"
    sed -e 's/page [0-9]*: //' -e 's/: ".*//' -e "s/'[^']*'/'…'/g" -e 's/ -\{0,1\}[0-9][0-9.,]*/ N/g' \
        -e 's/^\([0-9]*\) /exit \1: /' "$WORK/failed" | sort | uniq -c | sort -rn | sed 's/^/  /'
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

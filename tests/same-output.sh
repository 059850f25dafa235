#!/usr/bin/env bash
# same-output.sh OLD_REPORTGEN NEW_REPORTGEN - do two builds write the same
# bytes? For refactors that must not change any output (moving files,
# restructuring): every sample, golden, valid, invalid, hostile and regress
# definition and two seeded synthetic reports are built by both, and the
# PDFs, display-list dumps, stderr and exit codes are compared byte for
# byte. Not part of make check (it needs a second build); run it by hand:
#   git worktree add --detach ../rg-before HEAD~5 && make -C ../rg-before all
#   tests/same-output.sh ../rg-before/build/reportgen build/reportgen
# Prints one line per difference and a summary; exit 1 on any difference.
set -u
old=$(realpath "$1") new=$(realpath "$2")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000 XDG_CACHE_HOME="$work/cache"

python3 bench/gen_report.py 100 "$work/gen" 7 >/dev/null
python3 bench/gen_report.py 300 "$work/gen" 11 >/dev/null

inputs=(samples/*.xml tests/golden/*.xml tests/valid/*.xml tests/data/paths.xml
        tests/invalid/*.xml tests/hostile/*.xml tests/regress/*.xml "$work"/gen/*.xml)
same=0 differ=0
# run ID RG ARGS...: stdout, stderr and exit code of one run into $work/ID.*
run() {
    local id=$1 rg=$2; shift 2
    "$rg" "$@" >"$work/$id.out" 2>"$work/$id.err"
    echo $? >"$work/$id.rc"
}
compare() {                     # compare LABEL FILE... (pairs old/new by suffix)
    local label=$1; shift
    for f in "$@"; do
        if ! cmp -s "$work/old.$f" "$work/new.$f"; then
            echo "DIFFERS: $label ($f)"
            differ=$((differ + 1))
            return
        fi
    done
    same=$((same + 1))
}
# three builds of each: with a dump, with a dump in the plain layout, and
# without a dump (layout then records no boxes nor sources, issue 22)
for def in "${inputs[@]}"; do
    for layout in "" plain nodump; do
        args=(build "$def" -o "$work/X.pdf")
        [ "$layout" != nodump ] && args+=(--dump-layout "$work/X.dump")
        [ "$layout" = plain ] && args+=(--layout "$layout")
        for side in old new; do
            rm -f "$work/X.pdf" "$work/X.dump"
            rg=$old; [ $side = new ] && rg=$new
            run "$side" "$rg" "${args[@]}"
            # the temporary names in messages are the same for both
            for out in pdf dump; do
                if [ -f "$work/X.$out" ]; then mv "$work/X.$out" "$work/$side.$out"
                else echo absent >"$work/$side.$out"; fi
            done
        done
        compare "$def${layout:+ [$layout]}" rc err out pdf dump
    done
done
for side in old new; do
    rg=$old; [ $side = new ] && rg=$new
    run "$side" "$rg" validate samples/*.xml tests/invalid/*.xml
done
compare "validate samples and invalid" rc err out
echo "same-output: $same same, $differ differ"
[ "$differ" -eq 0 ]

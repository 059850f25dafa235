#!/usr/bin/env bash
# run.sh - runs every test suite (even after one fails), then prints the
# suites' results with the seconds each took and one closing line
# "N passed, N failed" over all.
# Usage: tests/run.sh SUITE-COMMAND...   (each prints "N passed, N failed")
set -u
cd "$(dirname "$0")/.."
# reportgen remembers fontconfig's answers in $XDG_CACHE_HOME/reportgen
# (generator/fonts/memo.h): the tests keep theirs to themselves.
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
# pdfinfo -struct-text of one PDF is asked for by several checks and takes
# seconds: tests/struct_check.py keeps its answers here, by the PDF's hash
STRUCT_TEXT_CACHE=$XDG_CACHE_HOME/struct-text
mkdir -p "$STRUCT_TEXT_CACHE"
export STRUCT_TEXT_CACHE
# every document the suites build has its layout checked (generator/check/check.h)
REPORTGEN_CHECK_LAYOUT=1
export REPORTGEN_CHECK_LAYOUT
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT   # and the background outputs (below)
# The suites' Python is Debian's (tests/needs.txt: the python3 package,
# whose modules they import), even when another python3 comes first on
# PATH: a pyenv shim there costs ~0.3 s a start, regress.sh 150 -> 96 s.
if [ -x /usr/bin/python3 ]; then
    mkdir -p "$XDG_CACHE_HOME/bin"
    ln -s /usr/bin/python3 "$XDG_CACHE_HOME/bin/python3"
    PATH=$XDG_CACHE_HOME/bin:$PATH
    export PATH
fi
# With RG_FONT_PACKAGES (the Makefile's FONT_PACKAGES), fontconfig sees the
# fonts of those packages and no others: what a fresh machine has after
# make deps (tests/fonts-conf.sh).
if [ -n "${RG_FONT_PACKAGES:-}" ]; then
    FONTCONFIG_FILE=$XDG_CACHE_HOME/fonts.conf
    # shellcheck disable=SC2086
    if ! tests/fonts-conf.sh $RG_FONT_PACKAGES >"$FONTCONFIG_FILE"; then
        echo "0 passed, 1 failed (the fonts the tests need are not installed)"
        exit 1
    fi
    export FONTCONFIG_FILE
fi
total_pass=0 total_fail=0 broken=0
summary=""
# RUN_JOBS (default 1) suites run at once; with more than one, a suite's
# output is shown when it ends. A suite given as "background: CMD" (one
# that mostly waits: the mail suites' slow SMTP servers) starts at once
# beside the others; it is shown and counted after them, last in the
# summary. One given as "solo: CMD" runs with no other beside it, not even
# a background one: a suite that times itself (linear.sh's ratios,
# authoring.sh's waits on --watch), the sanitizer runs' look at the logs
# every suite left.
# Suites that run at once keep their files apart (tests/tmp/SUITE, mktemp).
RUN_JOBS=${RUN_JOBS:-1}
work=$(mktemp -d)
trap 'rm -rf "$XDG_CACHE_HOME" "$work"' EXIT
cmds=() kinds=()
for suite in "$@"; do
    case $suite in
    background:*) kinds+=(background) cmds+=("${suite#background:}") ;;
    solo:*) kinds+=(solo) cmds+=("${suite#solo:}") ;;
    *) kinds+=(plain) cmds+=("$suite") ;;
    esac
done
# run_quiet I / run_shown I: runs suite I, keeping its output, exit status
# and tenths of seconds in $work; run_shown also shows the output as it comes
run_quiet() { run_kept "$1" >"$work/$1.out"; }
run_shown() { echo "== ${cmds[$1]}"; run_kept "$1" | tee "$work/$1.out"; }
run_kept() {                       # I: the suite's output on stdout
    local i=$1 t0
    t0=$(date +%s%N)
    bash -c "${cmds[i]}" 2>&1
    echo $? >"$work/$i.rc"
    echo $((($(date +%s%N) - t0) / 100000000)) >"$work/$i.secs"
}
show() { echo "== ${cmds[$1]}$2"; cat "$work/$1.out"; }
bg_pids=()
for i in "${!cmds[@]}"; do
    [ "${kinds[i]}" = background ] || continue
    run_quiet "$i" &
    bg_pids+=($!)
done
declare -A lane=()                 # pid -> suite, for the suites running at once
finish_one() {                     # waits for one of them and shows it
    local pid
    wait -n -p pid "${!lane[@]}"
    show "${lane[$pid]}" ""
    unset "lane[$pid]"
}
for i in "${!cmds[@]}"; do
    case ${kinds[i]} in background) continue ;; esac
    if [ "${kinds[i]}" = solo ]; then
        while [ ${#lane[@]} -gt 0 ]; do finish_one; done
        for pid in "${bg_pids[@]}"; do wait "$pid"; done
        bg_pids=()
        run_shown "$i"
        continue
    fi
    if [ "$RUN_JOBS" -le 1 ]; then run_shown "$i"; continue; fi
    while [ ${#lane[@]} -ge "$RUN_JOBS" ]; do finish_one; done
    run_quiet "$i" &
    lane[$!]=$i
done
while [ ${#lane[@]} -gt 0 ]; do finish_one; done
for pid in "${bg_pids[@]}"; do wait "$pid"; done
for i in "${!cmds[@]}"; do
    [ "${kinds[i]}" = background ] && show "$i" " (ran in the background)"
done
# the summary: the suites in their order, the background ones last
order=()
for i in "${!cmds[@]}"; do [ "${kinds[i]}" = background ] || order+=("$i"); done
for i in "${!cmds[@]}"; do [ "${kinds[i]}" = background ] && order+=("$i"); done
for i in "${order[@]}"; do
    suite=${cmds[i]}
    rc=$(cat "$work/$i.rc" 2>/dev/null || echo "?")
    secs=$(cat "$work/$i.secs" 2>/dev/null || echo 0)
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/$i.out" 2>/dev/null | tail -n 1)
    if [ -z "$line" ]; then
        broken=$((broken + 1))
        summary="$summary\n  $suite: no result line (exit $rc)"
        continue
    fi
    p=${line%% passed*}
    f=${line#*passed, }
    f=${f%% failed*}
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    [ "$rc" != 0 ] && [ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
    summary="$summary\n  $suite: $line (exit $rc, $((secs / 10)).$((secs % 10)) s)"
done
printf "== results:%b\n" "$summary"
total_fail=$((total_fail + broken))
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]

#!/usr/bin/env bash
# run.sh - runs every test suite (even after one fails), then prints the
# suites' results with the seconds each took (a background suite's: the
# wait for it after the others) and one closing line "N passed, N failed"
# over all.
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
# A suite given as "background: CMD" (one that mostly waits: the mail suite's
# slow SMTP servers) starts at once beside the others; its output is shown
# and counted after them, in its place in the summary's order at the end.
bg_dir=$(mktemp -d)
trap 'rm -rf "$XDG_CACHE_HOME" "$bg_dir"' EXIT
nbg=0
for suite in "$@"; do
    case $suite in
    background:*)
        nbg=$((nbg + 1))
        cmd=${suite#background:}
        printf '%s' "$cmd" >"$bg_dir/$nbg.cmd"
        ( bash -c "$cmd" >"$bg_dir/$nbg.out" 2>&1; echo $? >"$bg_dir/$nbg.rc" ) &
        ;;
    esac
done
run_suite() {                      # SUITE: runs it (or collects a background one)
    local suite=$1
    case $suite in
    background:*)
        bgi=$((bgi + 1))
        suite=${suite#background:}
        wait
        echo "== $suite (ran in the background)"
        cat "$bg_dir/$bgi.out"
        cp "$bg_dir/$bgi.out" "$out"
        rc=$(cat "$bg_dir/$bgi.rc")
        ;;
    *)
        echo "== $suite"
        bash -c "$suite" 2>&1 | tee "$out"
        rc=${PIPESTATUS[0]}
        ;;
    esac
    shown=$suite
}
bgi=0
ordered=()
for suite in "$@"; do case $suite in background:*) ;; *) ordered+=("$suite") ;; esac; done
for suite in "$@"; do case $suite in background:*) ordered+=("$suite") ;; esac; done
for suite in "${ordered[@]}"; do
    out=$(mktemp)
    t0=$(date +%s%N)
    run_suite "$suite"
    secs=$(( ($(date +%s%N) - t0) / 100000000 ))   # tenths: what the budget is spent on
    suite=$shown
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
    rm -f "$out"
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
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && total_fail=$((total_fail + 1))
    summary="$summary\n  $suite: $line (exit $rc, $((secs / 10)).$((secs % 10)) s)"
done
printf "== results:%b\n" "$summary"
total_fail=$((total_fail + broken))
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]

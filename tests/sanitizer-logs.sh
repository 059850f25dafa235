#!/usr/bin/env bash
# sanitizer-logs.sh DIR - the last suite of 'make asan', 'make ubsan',
# 'make sanitize-check' and 'make leakcheck': fails when ASan, UBSan, LSan or
# valgrind wrote a report into DIR (ASan/UBSan log_path files, valgrind
# --log-file files; an empty valgrind log is a clean run). The tests throw
# away much of reportgen's stderr, and a run that aborted passes a test that
# only expects a failure, so the reports are judged here. Prints each report
# (cut at 80 lines) and ends with "N passed, N failed".
set -u
dir=${1:?usage: tests/sanitizer-logs.sh DIR}
n=0
for f in "$dir"/*; do
    [ -s "$f" ] || continue
    n=$((n + 1))
    echo "FAIL: report in $f" >&2
    head -n 80 "$f" >&2
done
if [ "$n" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, $n failed"; fi
[ "$n" -eq 0 ]

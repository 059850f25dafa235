#!/bin/sh
# valgrind-rg.sh - runs reportgen under valgrind memcheck, for
# 'make leakcheck': RG=tests/valgrind-rg.sh makes every suite's reportgen run
# go through it. The program is $RG_REAL (default build/reportgen; the unit
# tests use RG_REAL=build/unit-tests). Reports go to $VALGRIND_LOGS/vg.PID.log
# (default build/logs), where tests/sanitizer-logs.sh finds them: an empty
# log is a clean run. A memory error or a definite/indirect leak not in
# tests/valgrind.supp also makes the run exit 1.
# Only shell builtins before the exec: some tests run reportgen with an
# empty PATH (no sendmail to be found), so valgrind falls back to /usr/bin.
here=${0%/*}
logs=${VALGRIND_LOGS:-build/logs}
[ -d "$logs" ] || { echo "valgrind-rg.sh: no folder $logs" >&2; exit 2; }
vg=$(command -v valgrind || echo /usr/bin/valgrind)
exec "$vg" --tool=memcheck -q --error-exitcode=1 --trace-children=yes \
    --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$here/valgrind.supp" --num-callers=30 \
    --log-file="$logs/vg.%p.log" $VALGRIND_EXTRA \
    "${RG_REAL:-build/reportgen}" "$@"

#!/usr/bin/env bash
# run_test.sh - tests/run.sh itself, on stand-in suites: it decides whether
# make check and CI pass, so a miscount would hide failures. With one suite
# at a time and with two (RUN_JOBS): every suite's counts are summed, a
# suite that fails without saying so, or says nothing, counts as failed,
# and the exit status says whether anything failed; a "solo:" suite runs
# after the background ones have ended; two plain suites do run at once
# with RUN_JOBS=2 (and not with 1).
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# Stand-in suites: they leave marks in $TMP to show what ran beside what.
M=$TMP/marks
plain_ok="echo '2 passed, 0 failed'"
plain_bad="echo '3 passed, 1 failed'; exit 1"
silent_fail="echo 'no result'; exit 3"
exit_only="echo '1 passed, 0 failed'; exit 1"
slow_a="touch $M/a-start; sleep 1; [ -e $M/b-start ] && touch $M/overlap; echo '1 passed, 0 failed'"
slow_b="touch $M/b-start; sleep 1; echo '1 passed, 0 failed'"
background="sleep 2; touch $M/bg-done; echo '4 passed, 0 failed'"
solo="[ -e $M/bg-done ] && touch $M/solo-after-bg; echo '1 passed, 0 failed'"

for jobs in 1 2; do
    rm -rf "$M" && mkdir -p "$M"
    out=$TMP/out-$jobs
    RUN_JOBS=$jobs tests/run.sh "$slow_a" "$slow_b" "$plain_ok" "$plain_bad" "$silent_fail" \
        "$exit_only" "background:$background" "solo:$solo" >"$out" 2>&1
    rc=$?
    # passed: 1 + 1 + 2 + 3 + 1 + 4 + 1 = 13; failed: 1 (counted) + 1 (no
    # result line) + 1 (exit 1 with 0 failed counted)
    check "RUN_JOBS=$jobs: the closing line sums every suite" \
        grep -qx '13 passed, 3 failed' "$out"
    check "RUN_JOBS=$jobs: exit status 1 (got $rc)" test "$rc" -eq 1
    check "RUN_JOBS=$jobs: a suite without a result line is named" \
        grep -q "echo 'no result'; exit 3: no result line (exit 3)" "$out"
    check "RUN_JOBS=$jobs: every suite's output is shown" \
        test "$(grep -c '^== ' "$out")" -eq 9
    check "RUN_JOBS=$jobs: the solo suite ran after the background one" test -e "$M/solo-after-bg"
    if [ "$jobs" = 2 ]; then
        check "RUN_JOBS=2: two plain suites ran at once" test -e "$M/overlap"
    else
        check "RUN_JOBS=1: one suite at a time" test ! -e "$M/overlap"
    fi
done

# all passing: exit 0
RUN_JOBS=2 tests/run.sh "$plain_ok" "$plain_ok" "solo:echo '1 passed, 0 failed'" >"$TMP/ok" 2>&1
rc=$?
check "all passing: exit 0 (got $rc)" test "$rc" -eq 0
check "all passing: 5 passed, 0 failed" grep -qx '5 passed, 0 failed' "$TMP/ok"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

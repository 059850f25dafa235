#!/usr/bin/env bash
# regress.sh - regression definitions (tests/regress/*.xml), one per defect
# found: each is built with --check-layout in every layout of layouts/, and
# what it must give is written in comments at its top:
#   <!-- expect: exit=0 warn="REGEX" -->   exit code; stderr matches REGEX
#                                           (grep -E); without warn=, no
#                                           warning at all
#   <!-- expect-flow: PROPERTY... -->       page-flow properties of the
#                                           display list (tests/flow_check.py)
# Ends with "N passed, N failed" (one test per definition and layout).
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
TMP=tests/tmp-regress
rm -rf "$TMP" && mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

for def in tests/regress/*.xml; do
    head=$(head -c 4000 "$def")
    expect=$(printf '%s\n' "$head" | sed -n 's/.*<!-- *expect: *\(.*\)-->.*/\1/p' | head -n 1)
    flow=$(printf '%s\n' "$head" | sed -n 's/.*<!-- *expect-flow: *\(.*\)-->.*/\1/p' | head -n 1)
    want_exit=$(printf '%s' "$expect" | sed -n 's/.*exit=\([0-9]*\).*/\1/p')
    want_exit=${want_exit:-0}
    warn=$(printf '%s' "$expect" | sed -n 's/.*warn="\([^"]*\)".*/\1/p')
    has_warn=$(printf '%s' "$expect" | grep -c 'warn="' || true)
    for layout in layouts/*.xml; do
        name=$(basename "$layout" .xml)
        what="$(basename "$def") ($name)"
        "$RG" build "$def" --layout "$name" --check-layout --dump-layout "$TMP/out.dump" \
            2>"$TMP/err" >/dev/null
        rc=$?
        if [ "$rc" -ne "$want_exit" ]; then
            bad "$what: exit $rc, expected $want_exit: $(head -c 400 "$TMP/err" | tr '\n' ' ')"
            continue
        fi
        if [ "$has_warn" -gt 0 ]; then
            if ! grep -Eq -- "$warn" "$TMP/err"; then
                bad "$what: no diagnostic matches \"$warn\": $(head -c 400 "$TMP/err" | tr '\n' ' ')"
                continue
            fi
        elif grep -q 'warning' "$TMP/err"; then
            bad "$what: unexpected warning: $(grep -m 1 warning "$TMP/err")"
            continue
        fi
        if [ -n "$flow" ] && [ "$rc" -eq 0 ]; then
            # shellcheck disable=SC2086
            if ! python3 tests/flow_check.py "$TMP/out.dump" $flow 2>"$TMP/flow"; then
                bad "$what: $(head -c 600 "$TMP/flow" | tr '\n' ' ')"
                continue
            fi
        fi
        pass=$((pass + 1))
    done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

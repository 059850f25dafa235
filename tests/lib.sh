# lib.sh - sourced by the shell suites, from the tree's root, with the
# suite's scratch folder:  . tests/lib.sh "$TMP"
# The counters (pass, fail) and ok, bad, check and built, which every suite
# uses; and a stand-in for each tool of tests/needs.txt that is not on
# PATH: a shell function of its name (exported, so `bash -c` sees it too)
# that says "qpdf: not installed (package qpdf)" and fails with 127. A check
# that ran one fails, and so does every check after it, with the tool and
# its package in the failure line ("FAIL: qpdf --check exit 0 [missing:
# qpdf (package qpdf)]"): a test that cannot run says why, and one that
# only passed because a tool was not there to say no (`! qpdf ... | grep`)
# does not pass. The suite's first lines name the missing tools.
pass=0 fail=0
RG_MISSING_LOG=$1/.missing-tools
export RG_MISSING_LOG
: >"$RG_MISSING_LOG"
rg_missing_seen=0

while read -r rg_set rg_kind rg_pkg rg_tool; do
    case $rg_set in '#'*) continue ;; esac
    [ "$rg_kind" = tool ] || continue
    command -v "$rg_tool" >/dev/null 2>&1 && continue
    eval "$rg_tool() { echo '$rg_tool (package $rg_pkg)' >>\"\$RG_MISSING_LOG\"
        echo '$rg_tool: not installed (package $rg_pkg; make deps installs it)' >&2; return 127; }"
    export -f "${rg_tool?}"
    echo "missing: $rg_tool (package $rg_pkg): the checks that run it fail" >&2
done <tests/needs.txt
unset rg_set rg_kind rg_pkg rg_tool

# rg_missing_new: true when a missing tool ran since the last check
rg_missing_new() {
    [ -s "$RG_MISSING_LOG" ] || return 1
    local n
    n=$(wc -l <"$RG_MISSING_LOG")
    [ "$n" -gt "$rg_missing_seen" ] || return 1
    rg_missing_seen=$n
}
# the missing tools run so far, as " [missing: A (package P); ...]"
rg_missing_note() {
    [ -s "$RG_MISSING_LOG" ] || return 0
    printf ' [missing: %s]' "$(sort -u "$RG_MISSING_LOG" | paste -sd ';' | sed 's/;/; /g')"
}

bad() { rg_missing_new; fail=$((fail + 1)); echo "FAIL: $*$(rg_missing_note)" >&2; }
# ok [NAME]: a pass, unless a missing tool ran since the last check
ok() {
    if rg_missing_new; then
        fail=$((fail + 1))
        echo "FAIL: ${1:-a check} passed without running a tool it needs$(rg_missing_note)" >&2
    else
        pass=$((pass + 1))
    fi
}
check() { local name=$1; shift; if "$@"; then ok "$name"; else bad "$name"; fi; }
# built NAME ERRFILE: the build just run exited 0; a failure line carries
# reportgen's own message (say, the font family a fresh machine lacks).
built() {
    local rc=$? name=$1 err=$2
    if [ "$rc" -eq 0 ]; then ok "$name"; else bad "$name (exit $rc: $(head -c 400 "$err" | tr '\n' ' '))"; fi
}

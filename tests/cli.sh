#!/usr/bin/env bash
# cli.sh - the command line (issue 20): one parser for every command with
# GNU conventions (--opt=value and --opt value, -ovalue and -o value,
# bundled short flags, "--", a lone "-"), usage errors that name the
# option and the command, numbers checked against their range, choices
# listed; help from the option tables (reportgen help [COMMAND], COMMAND
# --help and -h) on stdout; -q and -v on every command; batch's --period
# that matches no definition and unknown --name fields refused before any
# work; batch progress on stderr only, never glued onto an error line.
# (The man page against --help: tests/cli_man.py.) Each case failed on the
# command line before it. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
case $RG in /*) ;; *) RG=$PWD/$RG ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rg-cli.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT
DEF=$PWD/samples/viermaandsrapportage-2023-T1.xml
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# run NAME CMD...: CMD's exit status in $rc, its stdout and stderr in
# $TMP/NAME.out and $TMP/NAME.err
run() {
    local name=$1; shift
    timeout 60 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
    rc=$?
}
# expect NAME WANT PHRASE CMD...: CMD exits WANT and its stderr holds PHRASE.
expect() {
    local name=$1 want=$2 phrase=$3; shift 3
    run "$name" "$@"
    check "$name: exit $want (got $rc)" test "$rc" -eq "$want"
    check "$name: says '$phrase'" grep -qF -- "$phrase" "$TMP/$name.err"
}
# builds NAME PDF CMD...: CMD exits 0 and writes the PDF.
builds() {
    local name=$1 pdf=$2; shift 2
    run "$name" "$@"
    check "$name: exit 0 (got $rc: $(head -c 200 "$TMP/$name.err"))" test "$rc" -eq 0
    check "$name: writes $(basename "$pdf")" test -s "$pdf"
}

# ---- 1. one parser, GNU conventions

builds long-equals "$TMP/a.pdf" "$RG" build --layout=plain "$DEF" --output="$TMP/a.pdf"
builds short-attached "$TMP/b.pdf" "$RG" build "$DEF" -o"$TMP/b.pdf"
builds pdfa-separate "$TMP/c.pdf" "$RG" build --pdfa 2b "$DEF" -o "$TMP/c.pdf"
builds pdfa-equals "$TMP/d.pdf" "$RG" build --pdfa=2b "$DEF" -o "$TMP/d.pdf"
check "--pdfa 2b and --pdfa=2b give the same PDF" cmp -s "$TMP/c.pdf" "$TMP/d.pdf"
mkdir -p "$TMP/odd" && cp -r samples/data samples/common "$TMP/odd/" && cp "$DEF" "$TMP/odd/-odd-name.xml"
builds double-dash "$TMP/odd/out.pdf" bash -c 'cd "$1" && "$2" build -o out.pdf -- -odd-name.xml' \
    _ "$TMP/odd" "$RG"
run bundled "$RG" validate -qv "$DEF"
check "bundled -qv: exit 0 (got $rc)" test "$rc" -eq 0
check "bundled -qv: the last flag counts (-v)" grep -qF "valid (period 2023-T1" "$TMP/bundled.out"

expect unknown-build 64 "reportgen build: unknown option --bogus" "$RG" build --bogus "$DEF"
check "unknown option: points at 'reportgen build --help'" \
    grep -qF "Try 'reportgen build --help'." "$TMP/unknown-build.err"
expect unknown-validate 64 "reportgen validate: unknown option -x" "$RG" validate -x "$DEF"
expect unknown-batch 64 "reportgen batch: unknown option --bogus" \
    "$RG" batch "$DEF" -o "$TMP/never" --bogus
check "unknown option in batch: nothing written" test ! -e "$TMP/never"
expect unknown-reply 64 "reportgen reply: unknown option --bogus" \
    "$RG" reply samples/verzoek.eml --attach "$TMP/a.pdf" --bogus
expect unknown-inbox 64 "reportgen inbox: unknown option --bogus" \
    "$RG" inbox "$TMP" --reports "$TMP" --bogus
expect abbreviated 64 "unknown option --out (did you mean --output?" "$RG" build "$DEF" --out x.pdf
expect missing-value 64 "reportgen build: -o needs a value: -o FILE" "$RG" build "$DEF" -o
expect missing-value-batch 64 "reportgen batch: --period needs a value" \
    "$RG" batch "$DEF" -o "$TMP/never" --period
expect flag-with-value 64 "--strict takes no value" "$RG" build "$DEF" --strict=yes
expect given-twice 64 "--output given twice" "$RG" build "$DEF" -o "$TMP/x.pdf" --output "$TMP/y.pdf"
check "given twice: nothing written" test ! -e "$TMP/x.pdf" -a ! -e "$TMP/y.pdf"

# numbers against their range (-j is batch's one numeric option)
for j in 0 abc 99999 -1; do
    expect "jobs-$j" 64 "reportgen batch: -j takes a whole number from 1 to 64, not '$j'" \
        "$RG" batch "$DEF" -o "$TMP/never" -j "$j"
done
check "bad -j: nothing written" test ! -e "$TMP/never"
expect jobs-long 64 "--jobs takes a whole number from 1 to 64, not '65'" \
    "$RG" batch "$DEF" -o "$TMP/never" --jobs=65
run jobs-ok "$RG" batch "$DEF" -o "$TMP/jobs" -qj1
check "-qj1 (bundled, value attached): exit 0 (got $rc)" test "$rc" -eq 0
check "-qj1: one worker" grep -qF "1 workers" "$TMP/jobs-ok.out"

# choices, listed when wrong
expect pdfa-bad 64 "reportgen build: --pdfa takes off, 1b, 2b, 2u or 2a, not '3x'" \
    "$RG" build "$DEF" --pdfa=3x
expect pdfa-bad-batch 64 "--pdfa takes off, 1b, 2b, 2u or 2a, not '3x'" \
    "$RG" batch "$DEF" -o "$TMP/never" --pdfa 3x

# reply reads its options with the same parser
run reply-forms "$RG" reply samples/verzoek.eml --attach="$TMP/a.pdf" -o"$TMP/reply.eml"
check "reply --attach=FILE -oFILE: exit 0 (got $rc)" test "$rc" -eq 0
check "reply --attach=FILE -oFILE: writes the reply" grep -q "^Subject: Re:" "$TMP/reply.eml"

# ---- 2. help from the tables, -q and -v

run help "$RG" help
check "help: exit 0" test "$rc" -eq 0
for cmd in build validate batch reply inbox; do
    check "help: lists $cmd" grep -qE "^  $cmd +" "$TMP/help.out"
done
for cmd in build validate batch reply inbox; do
    for form in "help $cmd" "$cmd --help" "$cmd -h"; do
        name="help-${form// /_}"
        # shellcheck disable=SC2086
        run "$name" "$RG" $form
        check "$form: exit 0 (got $rc)" test "$rc" -eq 0
        check "$form: the usage on stdout" grep -q "^usage: reportgen $cmd " "$TMP/$name.out"
        check "$form: nothing on stderr" test ! -s "$TMP/$name.err"
        check "$form: -q and -v" grep -qE '^  -q, --quiet .*' "$TMP/$name.out"
        check "$form: -v" grep -qE '^  -v, --verbose ' "$TMP/$name.out"
    done
done
for o in --output= --layout= --dump-layout= --strict --check-layout --stage-times --pdfa=; do
    check "build --help lists $o" grep -qF -- "$o" "$TMP/help-build_--help.out"
done
for o in --output= --jobs= --period= --name= --force --layout= --pdfa= --strict; do
    check "batch --help lists $o" grep -qF -- "$o" "$TMP/help-batch_--help.out"
done
expect help-unknown 64 "unknown command 'nosuch'" "$RG" help nosuch

run validate-q "$RG" validate -q "$DEF"
check "validate -q: exit 0" test "$rc" -eq 0
check "validate -q: nothing on stdout" test ! -s "$TMP/validate-q.out"
run build-v "$RG" build "$DEF" -o "$TMP/v.pdf" -v
check "build -v: exit 0" test "$rc" -eq 0
check "build -v: says what it wrote" grep -qF "wrote $TMP/v.pdf" "$TMP/build-v.err"
check "build -v: the stages' times" grep -qF "stage times:" "$TMP/build-v.err"
run build-q "$RG" build "$DEF" -o "$TMP/q.pdf" -q
check "build -q: exit 0, nothing said" test "$rc" -eq 0 -a ! -s "$TMP/build-q.err"
run reply-v "$RG" reply samples/verzoek.eml --attach "$TMP/a.pdf" -o "$TMP/reply-v.eml" -v
check "reply -v: exit 0" test "$rc" -eq 0
check "reply -v: whom to and where" grep -qE "^reportgen reply: to .*@.*; written to $TMP/reply-v.eml" \
    "$TMP/reply-v.err"
run batch-v "$RG" batch "$DEF" -o "$TMP/bv" -v
check "batch -v: exit 0" test "$rc" -eq 0
check "batch -v: a line per report on stderr (not a terminal)" \
    grep -qE '^\[1/1\] built .*/bv/viermaandsrapportage-2023-T1.pdf \(.*, [0-9.]+ s\)$' "$TMP/batch-v.err"

# ---- 3. batch: --period and --name refused before any work

expect period-typo 64 \
    "reportgen batch: --period 2023-t1 matches no report; the periods are 2022-T3, 2023-T1, 2023-T2, 2023-T3" \
    "$RG" batch samples -o "$TMP/typo" --period 2023-t1
check "--period typo: nothing built, no folder made" test ! -e "$TMP/typo"
expect period-list 64 "--period 2023-T1,2023-t2: 2023-t2 matches no report; the periods are" \
    "$RG" batch samples -o "$TMP/typo" --period 2023-T1,2023-t2
check "--period list with a typo: nothing built" test ! -e "$TMP/typo"
expect period-range 64 "--period 2030-T1..2030-T3 matches no report; the periods are 2022-T3" \
    "$RG" batch samples -o "$TMP/typo" --period 2030-T1..2030-T3
run period-range-ok "$RG" batch samples -o "$TMP/range" --period 2022-T3..2023-T1 -q
check "--period FROM..TO: exit 0 (got $rc)" test "$rc" -eq 0
check "--period FROM..TO: the two in range built" \
    grep -qF "batch: 2 built, 0 unchanged, 0 failed, 2 not selected" "$TMP/period-range-ok.out"
expect name-field 64 \
    "reportgen batch: --name '{title}.pdf': unknown field {title}; the fields are {slug} {period} {name}" \
    "$RG" batch samples -o "$TMP/names" --name '{title}.pdf'
check "unknown --name field: nothing written" test ! -e "$TMP/names"

# ---- 3. progress on stderr (a terminal) only, never glued onto a message

mkdir -p "$TMP/defs" && cp -r samples/data samples/common "$TMP/defs/"
for i in 1 2 3 4 5; do cp "$DEF" "$TMP/defs/r$i.xml"; done
sed 's|<title>Voorwoord</title>|<title>Voorwoord</title><bogus/>|' "$DEF" >"$TMP/defs/r3-kapot.xml"
# tty_run WHICH OUT ERR ARGS...: reportgen with stderr (WHICH=err),
# stdout (out) or both (both: all in OUT, as a terminal shows it) on a
# pseudo-terminal, the other a pipe
tty_run() {
    python3 - "$@" <<'EOF'
import os, pty, subprocess, sys
which, out_path, err_path, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
master, slave = pty.openpty()
kw = {"err": {"stderr": slave, "stdout": subprocess.PIPE},
      "out": {"stdout": slave, "stderr": subprocess.PIPE},
      "both": {"stdout": slave, "stderr": slave}}[which]
p = subprocess.Popen(args, **kw)
os.close(slave)
tty = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    tty += chunk
piped = b"" if which == "both" else (p.stdout if which == "err" else p.stderr).read()
p.wait()
tty_file, pipe_file = (err_path, out_path) if which == "err" else (out_path, err_path)
open(tty_file, "wb").write(tty)
open(pipe_file, "wb").write(piped)
EOF
}
# not_glued FILE: every error line in FILE (split at CR and LF, as a
# terminal shows them) starts with the broken definition's name
not_glued() {
    python3 -c '
import re, sys
text = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
errors = [p for p in re.split(r"[\r\n]", text) if "error:" in p]
assert errors, text
assert all(p.startswith(sys.argv[2]) for p in errors), errors' "$1" "$TMP/defs/r3-kapot.xml"
}
tty_run err "$TMP/p.out" "$TMP/p.err" "$RG" batch "$TMP/defs" -o "$TMP/p" --name '{name}.pdf' -j 2
check "stderr a terminal: the progress line there" grep -qaF "[6/6] 5 built, 0 unchanged, 1 failed" "$TMP/p.err"
check "stderr a terminal: with an ETA" grep -qaE '\[[0-9]/6\] .* failed, ETA [0-9]+ s' "$TMP/p.err"
check "stderr a terminal: stdout has the summary only" \
    test "$(tr -d '\r' <"$TMP/p.out")" = "$(grep '^batch: 5 built, 0 unchanged, 1 failed' "$TMP/p.out" | tr -d '\r')"
check "stderr a terminal: the error on a line of its own, not glued onto the progress" \
    not_glued "$TMP/p.err"
tty_run both "$TMP/b.tty" /dev/null "$RG" batch "$TMP/defs" -o "$TMP/b" --name '{name}.pdf' -j 2
check "one terminal for both: the error not glued onto the progress" not_glued "$TMP/b.tty"
check "one terminal for both: the summary on a line of its own" \
    grep -qaE $'(^|\r)batch: 5 built, 0 unchanged, 1 failed' "$TMP/b.tty"
tty_run out "$TMP/s.out" "$TMP/s.err" "$RG" batch "$TMP/defs" -o "$TMP/s" --name '{name}.pdf' -j 2
check "stdout a terminal: no progress on stdout" bash -c "! grep -qa 'ETA' '$TMP/s.out'"
check "stdout a terminal: no carriage return on stdout" bash -c "! tr -d '\n' <'$TMP/s.out' | grep -qa \$'\r.'"
check "stdout a terminal: no progress on stderr (a pipe)" bash -c "! grep -qa 'ETA' '$TMP/s.err'"
tty_run err "$TMP/q.out" "$TMP/q.err" "$RG" batch "$TMP/defs" -o "$TMP/q" --name '{name}.pdf' -j 2 -q
check "-q: no progress line on a terminal" bash -c "! grep -qa 'ETA' '$TMP/q.err'"
check "-q: the error still shown" grep -qaF "r3-kapot.xml:" "$TMP/q.err"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

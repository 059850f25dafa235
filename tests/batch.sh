#!/usr/bin/env bash
# batch.sh - reportgen batch: one broken definition among good ones, a kill
# in the middle, skipping unchanged reports, parallel = serial, period
# selection, output names that cannot escape the folder.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
T=tests/tmp-batch
rm -rf "$T" && mkdir -p "$T"
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { local name=$1; shift; if "$@"; then ok; else bad "$name"; fi; }

# a folder of definitions: the sample under several names, plus a broken one
mkdir -p "$T/defs"
cp -r samples/data "$T/defs/"
for i in 01 02 03 04 05 06; do cp samples/viermaandsrapportage-2023-T1.xml "$T/defs/rapport-$i.xml"; done
sed 's|<title>Voorwoord</title>|<title>Voorwoord</title><bogus/>|' \
    samples/viermaandsrapportage-2023-T1.xml >"$T/defs/rapport-07-kapot.xml"
bogus_line=$(grep -n '<bogus/>' "$T/defs/rapport-07-kapot.xml" | cut -d: -f1)

$RG batch "$T/defs" -o "$T/out" --name '{name}.pdf' -j 2 -q >"$T/run1.out" 2>"$T/run1.err"
rc=$?
check "one broken definition: non-zero exit ($rc)" test "$rc" -eq 65
check "one broken definition: the others are built" test "$(ls "$T/out"/rapport-0[1-6].pdf 2>/dev/null | wc -l)" -eq 6
check "one broken definition: no PDF for it" test ! -e "$T/out/rapport-07-kapot.pdf"
check "the error names file:line" grep -q "rapport-07-kapot.xml:$bogus_line:" "$T/run1.err"
check "summary line counts" grep -q "^batch: 6 built, 0 unchanged, 1 failed" "$T/run1.out"
for f in "$T"/out/rapport-0*.pdf; do
    qpdf --check "$f" >/dev/null 2>&1 || bad "qpdf --check $f"
done
ok

# skip when unchanged; a changed input rebuilds; --force rebuilds all
rm "$T/defs/rapport-07-kapot.xml"
$RG batch "$T/defs" -o "$T/out" --name '{name}.pdf' -q >"$T/run2.out" 2>&1
check "second run: all unchanged" grep -q "^batch: 0 built, 6 unchanged, 0 failed" "$T/run2.out"
sed -i 's|<title>Voorwoord</title>|<title>Voorwoord bij de rapportage</title>|' "$T/defs/rapport-03.xml"
$RG batch "$T/defs" -o "$T/out" --name '{name}.pdf' -q >"$T/run3.out" 2>&1
check "changed definition: rebuilt" grep -q "^batch: 1 built, 5 unchanged, 0 failed" "$T/run3.out"
echo "Verstoring,99.1,99.8" >>"$T/defs/data/2023-T1-beschikbaarheid.csv"
$RG batch "$T/defs" -o "$T/out" --name '{name}.pdf' -q >"$T/run4.out" 2>&1
check "changed CSV: all that use it rebuilt" grep -q "^batch: 6 built, 0 unchanged, 0 failed" "$T/run4.out"
rm "$T/out/rapport-02.pdf"
$RG batch "$T/defs" -o "$T/out" --name '{name}.pdf' -q >"$T/run5.out" 2>&1
check "missing PDF: rebuilt" grep -q "^batch: 1 built, 5 unchanged, 0 failed" "$T/run5.out"
$RG batch "$T/defs" -o "$T/out" --name '{name}.pdf' -q --force >"$T/run6.out" 2>&1
check "--force: all built" grep -q "^batch: 6 built, 0 unchanged, 0 failed" "$T/run6.out"

# parallel output equals serial output, byte for byte
$RG batch "$T/defs" -o "$T/serial" --name '{name}.pdf' -j 1 -q >/dev/null 2>&1
$RG batch "$T/defs" -o "$T/parallel" --name '{name}.pdf' -j 2 -q >/dev/null 2>&1
same=1
for f in "$T"/serial/*.pdf; do cmp -s "$f" "$T/parallel/$(basename "$f")" || same=0; done
check "parallel = serial, byte for byte" test "$same" -eq 1
check "serial run wrote all" test "$(ls "$T"/serial/*.pdf | wc -l)" -eq 6

# killed in the middle: no partial PDF under a final name, no temporary files
mkdir -p "$T/many"
cp -r samples/data "$T/many/"
for i in $(seq -w 1 80); do cp samples/viermaandsrapportage-2023-T1.xml "$T/many/r$i.xml"; done
# killed at three moments: a signal while a worker creates its temporary
# file must not leave it behind (a handler on another thread once could)
leftover=0
for delay in 0.05 0.2; do
    $RG batch "$T/many" -o "$T/killed-$delay" --name '{name}.pdf' -j 2 -q >/dev/null 2>&1 &
    pid=$!
    sleep $delay
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    leftover=$((leftover + $(ls -A "$T/killed-$delay" 2>/dev/null | grep -c '^\.reportgen-[^b]')))
done
check "killed batches: no temporary files left ($leftover)" test "$leftover" -eq 0
$RG batch "$T/many" -o "$T/killed" --name '{name}.pdf' -j 2 -q >/dev/null 2>&1 &
pid=$!
sleep 0.1
kill -TERM "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
n=$(ls "$T"/killed/*.pdf 2>/dev/null | wc -l)
check "killed batch: stopped before the end ($n of 80)" test "$n" -lt 80
allgood=1
for f in "$T"/killed/*.pdf; do [ -e "$f" ] || continue; qpdf --check "$f" >/dev/null 2>&1 || allgood=0; done
check "killed batch: every PDF complete" test "$allgood" -eq 1
check "killed batch: no temporary files left" bash -c "! ls -A '$T/killed' | grep -q '^\.reportgen-[^b]'"

# period selection and names that cannot leave the output folder
$RG batch samples -o "$T/sel" --period 2023-T1 -q >"$T/sel.out" 2>&1
check "--period selects one" test "$(ls "$T"/sel/*.pdf | wc -l)" -eq 1
check "default name from the period" test -s "$T/sel/viermaandsrapportage-2023-T1.pdf"
$RG batch samples/viermaandsrapportage-2023-T1.xml -o "$T/esc" --name 'x/../{period}.pdf' -q >/dev/null 2>&1
check "a '/' in a name stays inside the folder" test -s "$T/esc/x-..-2023-T1.pdf"
$RG batch samples/viermaandsrapportage-2023-T1.xml -o "$T/esc2" --name '../{period}.pdf' -q >/dev/null 2>"$T/esc2.err"
check "a name starting with '.' is refused" test $? -ne 0
check "nothing written outside" test ! -e "$T/2023-T1.pdf"
$RG batch -o "$T/x" 2>/dev/null; check "no definitions: 64" test $? -eq 64

# a worker's caches outlive a report; its warnings do not: every report with
# English text (no hyphenation patterns) is told so, not only the first
mkdir -p "$T/lang"
words=$(printf 'informatiebeveiligingsbeleid gegevensuitwisselingsvoorziening %.0s' $(seq 20))
for i in 1 2 3; do
    cat >"$T/lang/r$i.xml" <<EOF
<report xmlns="urn:reportgen:report:1" xml:lang="nl-NL">
  <info><title>Taal $i</title><organisation>Logius</organisation>
    <period id="2023-T$i" from="2023-01-01" to="2023-04-30">2023</period></info>
  <section><title>Engels</title><p xml:lang="en-US">$words</p></section>
</report>
EOF
done
$RG batch "$T/lang" -o "$T/lang-out" -j 1 >/dev/null 2>"$T/lang.err"
check "a language without patterns: warned in each report of a batch" \
    test "$(grep -c "no hyphenation patterns for language 'en-US'" "$T/lang.err")" -eq 3

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

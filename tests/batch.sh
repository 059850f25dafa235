#!/usr/bin/env bash
# batch.sh - reportgen batch: one broken definition among good ones, a kill
# in the middle, skipping unchanged reports, parallel = serial, period
# selection, output names that cannot escape the folder; the manifest
# shared by runs side by side (JSON lines under a lock, kept when a run is
# killed, a full disk reported), files of dead runs removed, outputs that
# would replace the definitions refused.
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
T=tests/tmp-batch
rm -rf "$T" && mkdir -p "$T"
. tests/lib.sh "$T"   # pass, fail, ok, bad, check, built; missing tools named

# a folder of definitions: the sample under several names, plus a broken one
mkdir -p "$T/defs"
cp -r samples/data samples/common "$T/defs/"
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
cp -r samples/data samples/common "$T/many/"
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

# ---- the manifest: JSON lines shared by runs side by side (issue 23, point 6)

# N copies of the sample with period ids PREFIX-01.. in folder DIR
make_defs() {
    local dir=$1 prefix=$2 n=$3
    mkdir -p "$dir" && cp -r samples/data samples/common "$dir/"
    for i in $(seq -w 1 "$n"); do
        sed "s|<period id=\"2023-T1\"|<period id=\"$prefix-$i\"|" \
            samples/viermaandsrapportage-2023-T1.xml >"$dir/r$i.xml"
    done
}
manifest_lines() { local n; n=$(grep -c '^{"reportgen_manifest":1,' "$1/.reportgen-batch" 2>/dev/null); echo "${n:-0}"; }
built_of() { sed -n 's/^batch: \([0-9]*\) built.*/\1/p' "$1"; }
# temporary files (.reportgen-XXXXXX) and claim files left in a folder
leftovers() { ls -A "$1" 2>/dev/null | grep -cE '^\.reportgen-([A-Za-z0-9]{6}|batch\.claim-.*)$' || true; }

# the format: one line per report, what the mail desk and shards read
line=$(grep '"output":"rapport-01.pdf"' "$T/out/.reportgen-batch")
check "manifest: a JSON line per report with every field" python3 -c '
import json, sys
e = json.loads(sys.argv[1])
assert e["reportgen_manifest"] == 1 and e["output"] == "rapport-01.pdf", e
assert e["definition"] == "../defs/rapport-01.xml" and e["period"] == "2023-T1", e
assert e["from"] == "2023-01-01" and e["to"] == "2023-04-30", e
assert e["title"].startswith("Viermaandsrapportage") and len(e["hash"]) == 16, e' "$line"
check "manifest: compacted, one line per PDF" test "$(manifest_lines "$T/out")" -eq 6
check "manifest: no lock or claim left but the lock file" test "$(leftovers "$T/out")" -eq 0

# two_batches OUT J DEFS1 DEFS2: two batches at once into OUT; their
# output in OUT.1 and OUT.2, their exit codes in rc1 and rc2
two_batches() {
    local out=$1 j=$2
    $RG batch "$3" -o "$out" -j "$j" -q >"$out.1" 2>&1 &
    local p1=$!
    $RG batch "$4" -o "$out" -j "$j" -q >"$out.2" 2>&1 &
    local p2=$!
    wait $p1; rc1=$?
    wait $p2; rc2=$?
}

# two batches of 40 into one folder at once keep all 80 lines; a rerun builds nothing
make_defs "$T/side-a" A 40
make_defs "$T/side-b" B 40
t0=$SECONDS
two_batches "$T/side" 1 "$T/side-a" "$T/side-b"
check "side by side: both succeed ($rc1, $rc2)" test "$rc1$rc2" = 00
check "side by side: 80 PDFs" test "$(ls "$T"/side/*.pdf | wc -l)" -eq 80
check "side by side: every line kept ($(manifest_lines "$T/side") of 80)" test "$(manifest_lines "$T/side")" -eq 80
$RG batch "$T/side-a" "$T/side-b" -o "$T/side" -q >"$T/side-rerun.out" 2>&1
check "side by side: a rerun builds nothing" grep -q "^batch: 0 built, 80 unchanged, 0 failed" "$T/side-rerun.out"
echo "side by side: 2 x 40 reports in $((SECONDS - t0)) s"

# two batches of the same 40 at once: each report built once, never twice at once
two_batches "$T/same" 2 "$T/side-a" "$T/side-a"
b1=$(built_of "$T/same.1") b2=$(built_of "$T/same.2")
check "same reports at once: both succeed ($rc1, $rc2)" test "$rc1$rc2" = 00
check "same reports at once: each built once ($b1 + $b2 of 40)" test "$((b1 + b2))" -eq 40
check "same reports at once: 40 lines" test "$(manifest_lines "$T/same")" -eq 40

# an output folder that does not exist yet: made with its parents, and by
# two batches at once (the second used to exit 73 "File exists")
$RG batch samples/viermaandsrapportage-2023-T1.xml -o "$T/new/deeper/out" -q >/dev/null 2>"$T/new.err"
check "a missing output folder is made with its parents" test -s "$T/new/deeper/out/viermaandsrapportage-2023-T1.pdf"
racefail=0
for i in $(seq 1 10); do
    two_batches "$T/race-$i" 1 samples/viermaandsrapportage-2023-T1.xml samples/viermaandsrapportage-2023-T2.xml
    racefail=$((racefail + (rc1 != 0) + (rc2 != 0)))
done
check "two batches into one new folder: all succeed ($racefail failed)" test "$racefail" -eq 0

# killed (SIGKILL, SIGTERM) in the middle: the finished reports keep their
# lines, a rerun builds only the others, and no file of the dead run stays
make_defs "$T/thirty" K 30
killed_run() {   # killed_run SIGNAL FOLDER: kill once at least 10 PDFs are there
    local sig=$1 dir=$2
    $RG batch "$T/thirty" -o "$dir" -j 2 -q >/dev/null 2>&1 &
    local pid=$! tries=0
    while [ "$(ls "$dir"/*.pdf 2>/dev/null | wc -l)" -lt 10 ] && [ $tries -lt 500 ]; do
        sleep 0.01; tries=$((tries + 1))
    done
    kill -"$sig" "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
}
for sig in KILL TERM; do
    dir="$T/killed-$sig"
    killed_run "$sig" "$dir"
    pdfs=$(ls "$dir"/*.pdf 2>/dev/null | wc -l)
    kept=$(manifest_lines "$dir")
    # a worker may be killed between its rename and its line: at most 2
    check "SIG$sig: finished reports keep their lines ($kept lines, $pdfs PDFs)" \
        test "$kept" -ge 1 -a "$kept" -ge $((pdfs - 2)) -a "$pdfs" -lt 30
    $RG batch "$T/thirty" -o "$dir" -j 2 -q >"$dir.rerun" 2>&1
    check "SIG$sig: the rerun builds only the unfinished ($(built_of "$dir.rerun") of $((30 - kept)))" \
        test "$(built_of "$dir.rerun")" -eq $((30 - kept))
    check "SIG$sig: no file of the dead run left" test "$(leftovers "$dir")" -eq 0
done

# what dead runs left is removed, what a live process holds is not
dir="$T/killed-KILL"
touch "$dir/.reportgen-Dead01" "$dir/.reportgen-batch.claim-r01.pdf"
exec 9>"$dir/.reportgen-Live01"     # held locked by this shell, as a live run holds its own
flock -x 9
$RG batch "$T/thirty" -o "$dir" -q >/dev/null 2>"$dir.sweep"
check "a dead run's temporary and claim files removed" \
    test ! -e "$dir/.reportgen-Dead01" -a ! -e "$dir/.reportgen-batch.claim-r01.pdf"
check "a live process's temporary file kept" test -e "$dir/.reportgen-Live01"
check "the removal is told" grep -q "removed 2 files left by interrupted runs" "$dir.sweep"
exec 9>&-
rm -f "$dir/.reportgen-Live01"

# a manifest that cannot be written (full disk) is an error, not exit 0:
# a tmpfs with room for the PDF and not a page more
MNT="$T/mnt"
mkdir -p "$MNT" "$T/one"
cp samples/viermaandsrapportage-2023-T1.xml "$T/one/"
cp -r samples/data samples/common "$T/one/"
$RG batch "$T/one" -o "$T/one-out" -q >/dev/null 2>&1
size=$(stat -c %s "$T/one-out/viermaandsrapportage-2023-T1.pdf")
if mount -t tmpfs -o size=$(( (size + 4095) / 4096 * 4096 )) tmpfs "$MNT" 2>/dev/null; then
    $RG batch "$T/one" -o "$MNT" -q >/dev/null 2>"$T/full.err"
    rc=$?
    check "full disk: the PDF fits" test -s "$MNT/viermaandsrapportage-2023-T1.pdf"
    check "full disk: the manifest write fails with exit 73 (got $rc)" test "$rc" -eq 73
    check "full disk: says why" grep -q "\.reportgen-batch: error: cannot record .*No space left on device" "$T/full.err"
    umount "$MNT"
else
    echo "skipped: cannot mount a tmpfs (full-disk manifest case counted as passed)"
    ok; ok; ok
fi

# the reader: the old format is read as none (built once more, rewritten),
# a line it cannot read is skipped with a warning, a newer version is
# never rewritten
mkdir -p "$T/reader"
printf '0123456789abcdef viermaandsrapportage-2023-T1.pdf\n' >"$T/reader/.reportgen-batch"
$RG batch "$T/one" -o "$T/reader" -q >"$T/reader.out" 2>&1
check "old manifest format: read as none, the report built" grep -q "^batch: 1 built" "$T/reader.out"
check "old manifest format: said so" grep -q "format before version 1" "$T/reader.out"
check "old manifest format: rewritten as JSON lines" test "$(manifest_lines "$T/reader")" -eq 1 -a "$(wc -l <"$T/reader/.reportgen-batch")" -eq 1
printf '{"reportgen_manifest":1,"output":"x.pdf"\n\001\377garbage\n' >>"$T/reader/.reportgen-batch"
$RG batch "$T/one" -o "$T/reader" -q >"$T/reader2.out" 2>&1
check "unreadable lines: skipped with a warning naming the line" grep -q "batch: warning: line 3 skipped" "$T/reader2.out"
check "unreadable lines: the good line still counts" grep -q "^batch: 0 built, 1 unchanged" "$T/reader2.out"
check "unreadable lines: dropped at compaction" test "$(wc -l <"$T/reader/.reportgen-batch")" -eq 1
echo '{"reportgen_manifest":2,"output":"future.pdf"}' >>"$T/reader/.reportgen-batch"
cp "$T/reader/.reportgen-batch" "$T/reader-before"
$RG batch "$T/one" -o "$T/reader" -q >"$T/reader3.out" 2>&1
rc=$?
check "a newer manifest version: exit 73 (got $rc)" test "$rc" -eq 73
check "a newer manifest version: left as it was" cmp -s "$T/reader-before" "$T/reader/.reportgen-batch"

# outputs onto the batch's own definitions are refused (issue 23, point 1)
mkdir -p "$T/ontodefs"
cp -r samples/data samples/common "$T/ontodefs/"
cp samples/viermaandsrapportage-2023-T1.xml "$T/ontodefs/a.xml"
cp samples/viermaandsrapportage-2023-T2.xml "$T/ontodefs/b.xml"
sums() { (cd "$T/ontodefs" && md5sum ./*.xml); }
before=$(sums)
$RG batch "$T/ontodefs" -o "$T/ontodefs" --name '{name}.xml' -q >/dev/null 2>"$T/ontodefs1.err"
rc=$?
check "--name '{name}.xml' into the definitions: exit 73 (got $rc)" test "$rc" -eq 73
check "--name '{name}.xml': says why" grep -q "refusing to write here" "$T/ontodefs1.err"
check "--name '{name}.xml': definitions intact" test "$(sums)" = "$before"
# each writes the other's definition: a.xml holds 2023-T1, b.xml 2023-T2
mv "$T/ontodefs/a.xml" "$T/ontodefs/2023-T2.xml"
mv "$T/ontodefs/b.xml" "$T/ontodefs/2023-T1.xml"
before=$(sums)
$RG batch "$T/ontodefs" -o "$T/ontodefs" --name '{period}.xml' -j 1 -q >/dev/null 2>"$T/ontodefs2.err"
rc=$?
check "an output named as another definition: exit 73 (got $rc)" test "$rc" -eq 73
check "an output named as another definition: says why" grep -q "one of this batch's definitions" "$T/ontodefs2.err"
check "an output named as another definition: definitions intact" test "$(sums)" = "$before"
mkdir -p "$T/fifo" && mkfifo "$T/fifo/viermaandsrapportage-2023-T1.pdf"
timeout 20 $RG batch samples/viermaandsrapportage-2023-T1.xml -o "$T/fifo" -q >/dev/null 2>"$T/fifo.err"
rc=$?
check "an output that is a FIFO: exit 73 (got $rc)" test "$rc" -eq 73
check "an output that is a FIFO: still a FIFO" test -p "$T/fifo/viermaandsrapportage-2023-T1.pdf"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

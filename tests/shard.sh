#!/usr/bin/env bash
# shard.sh - one batch spread over many processes (issue 22, scale-out):
# reportgen batch --shard K/N, --list and --merge, and the files in
# docs/scale-out/. N = 1, 2, 3 and 5 shards run at once on a batch root
# of 12 definitions: into one shared folder, and into folders of their
# own that --merge combines; both must equal one run of the whole batch,
# byte for byte, with no report built twice. --list's shares must be the
# documented hash of the relative path (the same from any mount point),
# together every definition once. The GNU parallel script runs over "ssh"
# to local hosts (a stand-in ssh that runs the command here as sshd
# would); the Slurm and Kubernetes files cannot run here, so their
# command lines run with every array / completion index, and must give
# every share once. Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
T=tests/tmp-shard
rm -rf "$T" && mkdir -p "$T"
. tests/lib.sh "$T"   # pass, fail, ok, bad, check, built; missing tools named
TA=$PWD/$T            # absolute: the docs' commands run from elsewhere
RGA=$(cd "$(dirname "$RG")" && pwd)/$(basename "$RG")
# reportgen on PATH, as the docs' commands expect: the one under test, run
# from the tree's root with this suite's sanitizer or valgrind settings
# (RG may be a wrapper with paths relative to the root; sshd passes no
# environment)
mkdir -p "$TA/bin"
{
    echo '#!/bin/bash'
    for v in ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS VALGRIND_LOGS RG_REAL; do
        [ -n "${!v:-}" ] && printf 'export %s=%q\n' "$v" "${!v}"
    done
    printf 'cd %q && exec %q "$@"\n' "$PWD" "$RG"
} >"$TA/bin/reportgen"
chmod +x "$TA/bin/reportgen"
export SOURCE_DATE_EPOCH=1700000000
DOCS=docs/scale-out

# the batch root: the four samples three times, under other names (one
# not ASCII), each with a period id of its own so that the default output
# names differ
R=$TA/root
mkdir -p "$R" && cp -r samples/data samples/common "$R/"
for group in noord zuid östra; do
    suffix=$(echo "$group" | tr -cd 'a-z')
    for f in samples/viermaandsrapportage-*.xml; do
        id=$(basename "$f" .xml | sed 's/viermaandsrapportage-//')
        sed "s|<period id=\"$id\"|<period id=\"$id-$suffix\"|" "$f" >"$R/$group-$id.xml"
    done
done
ndefs=$(ls "$R"/*.xml | wc -l)

# the reference: the whole batch in one run
"$RG" batch "$R" -o "$TA/single" -j 2 -q >"$T/single.out" 2>&1
check "one run builds all $ndefs" grep -q "^batch: $ndefs built, 0 unchanged, 0 failed" "$T/single.out"

# same_folder A B: the same files with the same bytes (PDFs, manifest, lock file)
same_folder() { diff -r "$1" "$2" >/dev/null; }
# built_lines ERRFILES...: the definitions -v says were built, one a line
built_lines() { sed -n 's/^\[[0-9]*\/[0-9]*\] built [^ ]* (\(.*\), [0-9.]* s)$/\1/p' "$@"; }
# shares_of FILES...: the "in share K/N" of the summary lines, one a line, sorted
shares_of() { sed -n 's/.* in share \([0-9]*\)\/[0-9]*,.*/\1/p' "$@" | sort -n | paste -sd ' '; }

# ---- N shards at once into one shared folder
t0=$SECONDS
for n in 1 2 3 5; do
    out=$TA/shared-$n
    pids=()
    for k in $(seq 1 "$n"); do
        # started a little apart, so that they finish (and compact) at different times
        "$RG" batch "$R" --shard "$k/$n" -o "$out" -j 1 -v >"$T/shared-$n.$k.out" 2>"$T/shared-$n.$k.err" &
        pids+=($!)
        sleep 0.0$k
    done
    rcs=""
    for p in "${pids[@]}"; do wait "$p"; rcs="$rcs$?"; done
    check "$n shards into one folder: all exit 0 ($rcs)" test "$rcs" = "$(printf '0%.0s' $(seq 1 "$n"))"
    check "$n shards into one folder: the PDFs and the manifest equal one run's, byte for byte" \
        same_folder "$TA/single" "$out"
    nbuilt=$(built_lines "$T"/shared-$n.*.err | wc -l)
    ndistinct=$(built_lines "$T"/shared-$n.*.err | sort -u | wc -l)
    check "$n shards into one folder: every report built once ($nbuilt builds, $ndistinct reports)" \
        test "$nbuilt" -eq "$ndefs" -a "$ndistinct" -eq "$ndefs"
    check "$n shards into one folder: none found another's report built (0 unchanged)" \
        test "$(grep -l '^batch: [0-9]* built, 0 unchanged, 0 failed' "$T"/shared-$n.*.out | wc -l)" -eq "$n"
done

# ---- N shards into folders of their own, then --merge
for n in 1 2 3 5; do
    srcs=()
    for k in $(seq 1 "$n"); do
        "$RG" batch "$R" --shard "$k/$n" -o "$TA/own-$n/$k" -j 1 -q >/dev/null 2>&1 &
        srcs+=("$TA/own-$n/$k")
    done
    wait
    "$RG" batch --merge "$TA/merged-$n" "${srcs[@]}" >"$T/merge-$n.out" 2>&1
    check "$n own folders merged: exit 0 ($?)" test $? -eq 0
    check "$n own folders merged: equal to one run, byte for byte" same_folder "$TA/single" "$TA/merged-$n"
    cp "$TA/merged-$n/.reportgen-batch" "$T/manifest-before"
    "$RG" batch --merge "$TA/merged-$n" "${srcs[@]}" >"$T/merge-$n.again" 2>&1
    check "$n own folders merged again: nothing copied" grep -q "^merge: 0 copied, $ndefs already there" "$T/merge-$n.again"
    check "$n own folders merged again: still equal to one run" same_folder "$TA/single" "$TA/merged-$n"
done
echo "shards and merges: $((SECONDS - t0)) s"

# a batch into the merged folder finds everything built (the manifest's
# definitions were made relative to it)
"$RG" batch "$R" -o "$TA/merged-3" -q >"$T/after-merge.out" 2>&1
check "a batch after a merge builds nothing" grep -q "^batch: 0 built, $ndefs unchanged" "$T/after-merge.out"

# ---- merge refusals: nothing half-merged
mkdir -p "$T/other"
cp -r samples/data samples/common "$T/other/"
sed 's|<title>Voorwoord</title>|<title>Voorwoord, anders</title>|' \
    samples/viermaandsrapportage-2023-T1.xml >"$T/other/viermaandsrapportage-2023-T1.xml"
"$RG" batch samples/viermaandsrapportage-2023-T1.xml samples/viermaandsrapportage-2023-T2.xml \
    -o "$TA/src-a" -q >/dev/null 2>&1
"$RG" batch "$T/other" -o "$TA/src-b" -q >/dev/null 2>&1
"$RG" batch --merge "$TA/conflict" "$TA/src-a" "$TA/src-b" >/dev/null 2>"$T/conflict.err"
rc=$?
check "one name, two input hashes: exit 65 (got $rc)" test "$rc" -eq 65
check "one name, two input hashes: both named" \
    grep -q "src-b/viermaandsrapportage-2023-T1.pdf: error: built from other inputs than .*src-a/viermaandsrapportage-2023-T1.pdf" "$T/conflict.err"
check "one name, two input hashes: nothing merged" test -z "$(ls "$TA/conflict" 2>/dev/null | grep pdf)"
mkdir -p "$TA/foreign"
echo "mine" >"$TA/foreign/viermaandsrapportage-2023-T2.pdf"
"$RG" batch --merge "$TA/foreign" "$TA/src-a" >/dev/null 2>"$T/foreign.err"
rc=$?
check "a file in OUTDIR its manifest does not record: exit 73 (got $rc)" test "$rc" -eq 73
check "a file in OUTDIR its manifest does not record: kept" test "$(cat "$TA/foreign/viermaandsrapportage-2023-T2.pdf")" = mine
check "a file in OUTDIR its manifest does not record: said why" grep -q "not recorded in the folder's manifest" "$T/foreign.err"
check "a file in OUTDIR its manifest does not record: nothing else merged" test ! -e "$TA/foreign/viermaandsrapportage-2023-T1.pdf"

# ---- --list: JSON lines; shares disjoint, together every definition; the
# documented hash; the hash the build records; nothing written
"$RG" batch "$R" --list -o "$TA/not-made" >"$T/list-all" 2>"$T/list-all.err"
check "--list: exit 0 ($?)" test $? -eq 0
check "--list: writes nothing" test ! -e "$TA/not-made"
for n in 2 3 5; do
    for k in $(seq 1 "$n"); do "$RG" batch "$R" --list --shard "$k/$n" >"$T/list-$n.$k"; done
done
ln -s root "$TA/mounted-elsewhere"
(cd "$TA" && "$RGA" batch ./mounted-elsewhere/ --list --shard 2/3) >"$T/list-elsewhere"
mkdir -p "$T/deep/noord" "$T/deep/zuid"
for d in noord zuid; do
    cp -r samples/data samples/common "$T/deep/$d/"
    cp samples/viermaandsrapportage-2023-T1.xml "$T/deep/$d/$d.xml"
done
"$RG" batch "$T/deep/noord" "$T/deep/zuid" --list --name '{name}.pdf' --shard 1/1 >"$T/list-deep"
cat >"$T/list_check.py" <<'EOF'
"""list_check.py T MANIFEST WHAT: one check of the --list outputs in T."""
import json, sys, os
t, manifest, what = sys.argv[1:4]
def fnv1a64(b):
    h = 14695981039346656037
    for c in b:
        h = ((h ^ c) * 1099511628211) % 2**64
    return h
def read(name):
    return [json.loads(line) for line in open(os.path.join(t, name), encoding="utf-8")]
everything = read("list-all")
defs = sorted(e["definition"] for e in everything)
if what == "format":
    assert len(defs) == 12 and len(set(defs)) == 12, defs
    assert all(e["reportgen_list"] == 1 and set(e) == {"reportgen_list", "definition", "period", "output", "hash"}
               for e in everything), everything[0]
    assert any(not d.isascii() for d in defs), defs        # "östra-...": hashed as UTF-8 bytes
elif what == "hashes":
    built = {}
    for line in open(manifest, encoding="utf-8"):
        e = json.loads(line)
        built[e["output"]] = e["hash"]
    for e in everything:
        assert built[e["output"]] == e["hash"], ("the build recorded another hash", e)
elif what == "partition":
    for n in (2, 3, 5):
        seen = []
        for k in range(1, n + 1):
            seen += [e["definition"] for e in read("list-%d.%d" % (n, k))]
        assert sorted(seen) == defs, (n, "shares overlap or leave out", sorted(seen))
elif what == "documented":
    for n in (2, 3, 5):
        for k in range(1, n + 1):
            for e in read("list-%d.%d" % (n, k)):
                share = fnv1a64(e["definition"].encode("utf-8")) % n + 1
                assert share == k, ("share", n, k, share, e["definition"])
elif what == "elsewhere":
    mine = sorted(e["definition"] for e in read("list-3.2"))
    elsewhere = sorted(e["definition"] for e in read("list-elsewhere"))
    assert mine == elsewhere, (mine, elsewhere)
elif what == "folders":
    deep = sorted(e["definition"] for e in read("list-deep"))
    assert deep == ["noord/noord.xml", "zuid/zuid.xml"], deep
else:
    sys.exit("unknown check " + what)
EOF
list_check() { python3 "$T/list_check.py" "$T" "$TA/single/.reportgen-batch" "$1"; }
check "--list: JSON lines, 12 definitions, the fields" list_check format
check "--list: the input hashes the build recorded" list_check hashes
check "--list: the shares of N = 2, 3, 5 are disjoint and together every definition" list_check partition
check "--list: each share is FNV-1a-64(relative path) mod N + 1, as documented" list_check documented
check "--list: the same share from another mount point of the root" list_check elsewhere
check "--list: definitions in folders: the path from the batch root" list_check folders

# ---- one output name for definitions of two shares: --name '{period}.pdf'
# and two definitions of one period. Every shard loads the other shares'
# definitions for their output names, so each refuses the collision (exit
# 65, naming both) and neither PDF is written; --list refuses it too. A
# definition of another share that cannot be loaded does not fail a shard
# (one warning counts it). Without --shard, the later one is refused.
C=$TA/clash
mkdir -p "$C" && cp -r samples/data samples/common "$C/"
cp samples/viermaandsrapportage-2023-T1.xml "$C/a.xml"
cp samples/viermaandsrapportage-2023-T1.xml "$C/b.xml"
# N: the fewest shares that put a.xml and b.xml apart, by the documented hash
n=$(python3 -c '
def fnv1a64(b):
    h = 14695981039346656037
    for c in b:
        h = ((h ^ c) * 1099511628211) % 2**64
    return h
print(next(n for n in range(2, 50) if fnv1a64(b"a.xml") % n != fnv1a64(b"b.xml") % n))')
ka=$(python3 -c 'import sys
h = 14695981039346656037
for c in b"a.xml": h = ((h ^ c) * 1099511628211) % 2**64
print(h % int(sys.argv[1]) + 1)' "$n")
kb=$(python3 -c 'import sys
h = 14695981039346656037
for c in b"b.xml": h = ((h ^ c) * 1099511628211) % 2**64
print(h % int(sys.argv[1]) + 1)' "$n")
check "one name, two shares: a.xml ($ka/$n) and b.xml ($kb/$n) in different shares" test "$ka" != "$kb"
# both_named FILE: the refusal names the output and both definitions
both_named() {
    grep -q "a.xml: error: another definition in this batch also writes '2023-T1.pdf' (.*b.xml)" "$1" ||
        grep -q "b.xml: error: another definition in this batch also writes '2023-T1.pdf' (.*a.xml)" "$1"
}
for k in $ka $kb; do
    "$RG" batch "$C" --shard "$k/$n" --name '{period}.pdf' -o "$TA/clash-out" -j 1 \
        >"$T/clash-$k.out" 2>"$T/clash-$k.err"
    rc=$?
    check "one name, two shares: shard $k/$n exits 65 (got $rc)" test "$rc" -eq 65
    check "one name, two shares: shard $k/$n names both definitions" both_named "$T/clash-$k.err"
    "$RG" batch "$C" --shard "$k/$n" --name '{period}.pdf' --list >"$T/clash-list-$k.out" 2>"$T/clash-list-$k.err"
    rc=$?
    check "one name, two shares: --list --shard $k/$n exits 65 (got $rc)" test "$rc" -eq 65
    check "one name, two shares: --list --shard $k/$n names both" both_named "$T/clash-list-$k.err"
    check "one name, two shares: --list --shard $k/$n lists nothing of them" \
        test -z "$(grep '2023-T1.pdf' "$T/clash-list-$k.out")"
done
check "one name, two shares: the shared folder gets neither PDF" test ! -e "$TA/clash-out/2023-T1.pdf"
"$RG" batch "$C" --name '{period}.pdf' -o "$TA/clash-single" -j 1 >"$T/clash-single.out" 2>"$T/clash-single.err"
rc=$?
check "one name, one run (for comparison): exit 65 (got $rc)" test "$rc" -eq 65
check "one name, one run (for comparison): names both" both_named "$T/clash-single.err"
# (one run refuses the later of the two only: the first is built, as before)
check "one name, one run (for comparison): one of the two built" test -e "$TA/clash-single/2023-T1.pdf"
# another share's definition that cannot be loaded: its shard reports it, this one warns once
cp -r "$C" "$TA/clash-broken" && rm "$TA/clash-broken/a.xml"
echo '<report' >"$TA/clash-broken/a.xml"
"$RG" batch "$TA/clash-broken" --shard "$kb/$n" --name '{period}.pdf' -o "$TA/clash-broken-out" \
    -j 1 >"$T/clash-broken.out" 2>"$T/clash-broken.err"
rc=$?
check "another share's broken definition: this shard exits 0 (got $rc) and builds its own" \
    test "$rc" -eq 0 -a -e "$TA/clash-broken-out/2023-T1.pdf"
check "another share's broken definition: one warning" test "$(grep -c \
    'warning: 1 definition of another share could not be checked for output names: its shard reports it' \
    "$T/clash-broken.err")" -eq 1
check "another share's broken definition: none of its errors" test "$(grep -c error "$T/clash-broken.err")" -eq 0

# an output that is another share's definition: refused (exit 73), the definition kept
cp -r "$C" "$TA/clash-def"
sed 's|<period id="2023-T1"|<period id="b"|' samples/viermaandsrapportage-2023-T1.xml >"$TA/clash-def/a.xml"
cp "$TA/clash-def/b.xml" "$T/b.xml.before"
"$RG" batch "$TA/clash-def" --shard "$ka/$n" --name '{period}.xml' -o "$TA/clash-def" -j 1 \
    >/dev/null 2>"$T/clash-def.err"
rc=$?
check "an output that is another share's definition: exit 73 (got $rc)" test "$rc" -eq 73
check "an output that is another share's definition: the definition kept" cmp -s "$T/b.xml.before" "$TA/clash-def/b.xml"

# ---- bad --shard values: usage errors naming the option
for v in 0/3 4/3 1/0 x/y 1/2/3 3 /3 1/ -1/3 ' 1/3' 1/3x; do
    "$RG" batch "$R" --shard "$v" -o "$TA/bad" >/dev/null 2>"$T/bad.err"
    rc=$?
    check "--shard '$v': exit 64 (got $rc) naming the option" test "$rc" -eq 64 -a -n "$(grep -- "--shard" "$T/bad.err")"
done
check "bad --shard values: nothing written" test ! -e "$TA/bad"
"$RG" batch --merge "$TA/bad" "$TA/src-a" -o "$TA/bad2" >/dev/null 2>"$T/bad.err"
check "--merge with -o: exit 64 ($?)" test $? -eq 64
"$RG" batch --merge "$TA/bad" "$TA/src-a" -j 2 >/dev/null 2>"$T/bad.err"
check "--merge with -j: exit 64 ($?)" test $? -eq 64 -a ! -e "$TA/bad"

# ---- GNU parallel over ssh, to two local "hosts": a stand-in ssh runs the
# command here as sshd would (a fresh environment, in HOME)
cat >"$TA/ssh" <<'EOF'
#!/bin/sh
host=$1; shift
[ "${1:-}" = "--" ] && shift
echo "$host" >>"$FAKESSH_LOG"
cd "$HOME" && exec env -i HOME="$HOME" PATH="$PATH" SHELL=/bin/sh USER="$(id -un)" sh -c "$*"
EOF
chmod +x "$TA/ssh"
for mode in shared own; do
    : >"$T/hosts-$mode"
    FAKESSH_LOG=$TA/hosts-$mode PARALLEL_SSH=$TA/ssh PATH=$TA/bin:$PATH \
        ROOT=$R OUT=$TA/parallel-$mode HOSTS=1/hostA,2/hostB N=3 \
        sh "$DOCS/gnu-parallel.sh" "$mode" >"$T/parallel-$mode.out" 2>&1
    check "GNU parallel ($mode folders): exit 0 ($?)" test $? -eq 0
    check "GNU parallel ($mode folders): through ssh to both hosts" \
        test "$(sort -u "$T/hosts-$mode" | paste -sd ' ')" = "hostA hostB"
    check "GNU parallel ($mode folders): three shares, each once" \
        test "$(shares_of "$T/parallel-$mode.out")" = "1 2 3"
    check "GNU parallel ($mode folders): equal to one run, byte for byte" \
        same_folder "$TA/single" "$TA/parallel-$mode"
done

# ---- Slurm: --array=1-N and --array=0-(N-1), every index; a step refused
grep -q '^#SBATCH --array=1-' "$DOCS/slurm-array.sh"; check "slurm-array.sh declares --array=1-N" test $? -eq 0
for first in 1 0; do
    n=4 last=$((first + 3))
    for id in $(seq "$first" "$last"); do
        SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_MIN=$first SLURM_ARRAY_TASK_MAX=$last \
            SLURM_ARRAY_TASK_COUNT=$n SLURM_CPUS_PER_TASK=1 PATH=$TA/bin:$PATH \
            ROOT=$R OUT=$TA/slurm-$first bash "$DOCS/slurm-array.sh" >"$T/slurm-$first.$id" 2>&1
    done
    check "Slurm --array=$first-$last: shares 1..4, each once" test "$(shares_of "$T"/slurm-$first.*)" = "1 2 3 4"
    check "Slurm --array=$first-$last: equal to one run, byte for byte" same_folder "$TA/single" "$TA/slurm-$first"
done
SLURM_ARRAY_TASK_ID=3 SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=7 SLURM_ARRAY_TASK_COUNT=4 \
    PATH=$TA/bin:$PATH ROOT=$R OUT=$TA/slurm-step bash "$DOCS/slurm-array.sh" >/dev/null 2>&1
check "Slurm --array=1-7:2: refused (exit $?)" test $? -eq 64 -a ! -e "$TA/slurm-step"

# ---- Kubernetes: the container's command for every completion index
yaml=$DOCS/kubernetes-indexed-job.yaml
cmd=$(sed -n "/^ *args:/{n;s/^ *- '\\(.*\\)'\$/\\1/p}" "$yaml")
completions=$(sed -n 's/^ *completions: *\([0-9]*\)$/\1/p' "$yaml")
shards=$(sed -n '/name: SHARDS/{n;s/^ *value: *"\([0-9]*\)"$/\1/p}' "$yaml")
check "Kubernetes: an Indexed Job" grep -q '^ *completionMode: Indexed$' "$yaml"
check "Kubernetes: SHARDS ($shards) = completions ($completions)" test -n "$shards" -a "$shards" = "$completions"
check "Kubernetes: the command line found" test -n "$cmd"
for idx in $(seq 0 $((completions - 1))); do
    env JOB_COMPLETION_INDEX="$idx" SHARDS="$shards" ROOT="$R" OUT="$TA/k8s" PATH="$TA/bin:$PATH" \
        /bin/sh -c "$cmd" >"$T/k8s.$idx" 2>&1
done
check "Kubernetes: indexes 0..$((completions - 1)) give shares 1..$completions, each once" \
    test "$(shares_of "$T"/k8s.*)" = "$(seq 1 "$completions" | paste -sd ' ')"
check "Kubernetes: equal to one run, byte for byte" same_folder "$TA/single" "$TA/k8s"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

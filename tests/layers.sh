#!/usr/bin/env bash
# layers.sh - the stages' layering (tests/layers.py) holds on the tree and
# on the build's objects, and the check itself fails on each kind of fault
# planted in a copy: a wrong-way include, another stage's internal header,
# a library outside its stages, an unknown library, a bare include from
# another folder, a folder that is no stage, and a wrong-way call written
# with a prototype by hand instead of an include. Ends with
# "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TMP=tests/tmp/layers
rm -rf "$TMP" && mkdir -p "$TMP"
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# The tree as it is: no fault, from sources and from objects.
if python3 tests/layers.py --objects "$BUILD/obj" >"$TMP/tree.txt"; then ok
else bad "the tree keeps its layers"; cat "$TMP/tree.txt" >&2; fi

# The Makefile links the stages' libraries in the table's order.
want=$(python3 tests/layers.py --link-order)
have=$(make -s --no-print-directory -f Makefile print-stages 2>/dev/null)
if [ "$want" = "$have" ]; then ok
else bad "Makefile STAGES is the table's link order (want '$want', have '$have')"; fi

# planted NAME FILE LINE EXPECTED: a copy of generator/ with LINE added at
# the top of FILE must fail with a message holding EXPECTED.
planted() {
    local name=$1 file=$2 line=$3 expected=$4 root=$TMP/$1
    mkdir -p "$root" && cp -r generator "$root/"
    mkdir -p "$(dirname "$root/generator/$file")"
    { echo "$line"; cat "$root/generator/$file" 2>/dev/null; } >"$root/x" && mv "$root/x" "$root/generator/$file"
    if python3 tests/layers.py --root "$root" >"$root/out.txt"; then
        bad "planted $name: the check passed"
    elif grep -qF -- "$expected" "$root/out.txt"; then ok
    else bad "planted $name: no '$expected' in: $(cat "$root/out.txt")"; fi
    rm -rf "$root"
}
planted wrong-way base/base.c '#include "layout/layout.h"' \
    'generator/base/base.c:1: base may not include layout/layout.h'
planted internal chart/chart.c '#include "text/internal.h"' \
    'text/internal.h is internal to text'
planted library layout/table.c '#include <hpdf.h>' \
    'libharu (<hpdf.h>) may be included only in pdf'
planted libpng-in-pdf pdf/page.c '#include <png.h>' \
    'libpng (<png.h>) may be included only in image'
planted harfbuzz-in-pdf pdf/page.c '#include <hb.h>' \
    'HarfBuzz (<hb.h>) may be included only in fonts, text, pdf/font.c'
planted unknown-library chart/pie.c '#include <tiffio.h>' \
    '<tiffio.h> is neither a C/POSIX header nor a library'
planted bare-include layout/flow.c '#include "fonts.h"' \
    '"fonts.h" is not in generator/layout/'
planted no-stage images/images.c '/* a stage nobody placed */' \
    'generator/images/: a folder that is no stage'

# A wrong-way call with a prototype written by hand: only the objects show it.
objs=$TMP/objects
mkdir -p "$objs/base"
cp -r "$BUILD/obj/layout" "$objs/"
printf 'void rg_layout(void);\nvoid planted(void) { rg_layout(); }\n' >"$TMP/planted.c"
if cc -c "$TMP/planted.c" -o "$objs/base/planted.o" 2>"$TMP/cc.txt"; then
    if python3 tests/layers.py --objects "$objs" >"$TMP/calls.txt"; then
        bad "planted call: the check passed"
    elif grep -qF "base calls rg_layout, defined in layout" "$TMP/calls.txt"; then ok
    else bad "planted call: unexpected: $(cat "$TMP/calls.txt")"; fi
else bad "planted call: cannot compile: $(cat "$TMP/cc.txt")"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

#!/usr/bin/env bash
# regress.sh - regression definitions: every tests/regress/*.xml is built
# with --check-layout in every layout of layouts/ (the layout invariants,
# generator/check/check.h, must hold), and what it expects is checked.
# Each file was written for a defect and failed before its fix; its
# comment says which.
#
# Expectations, in XML comments near the top of the file:
#   <!-- expect: exit=N [warn=none | warn="ERE"] [warn@LAYOUT="ERE"] [err="ERE"]
#                [pages=N] [layouts=a,b] -->
#       exit code (default 0); warn=none: no warning at all; warn="ERE": some
#       warning line matches; warn@LAYOUT: the same in that layout only;
#       err="ERE": some error line matches; pages: the PDF has N pages;
#       layouts: only these layouts (default: all in layouts/). A
#       definition whose layout= is a path (a layout of its own, in
#       tests/regress/layouts/) is built in that layout only.
#   <!-- expect-text: "s1" "s2" ... -->   each string is in the PDF's text
#   <!-- expect-text: ERE -->             (unquoted) a line of the text matches
#   <!-- expect-no-text: ERE -->          no line of the text matches
#       (the text is pdftotext -layout's)
#   <!-- expect-pages: N -->
#       the PDF has N pages (as pages= above)
#   <!-- expect-page-sizes: P P L L P -->
#   <!-- expect-page-sizes@LAYOUT: P L P -->   (this layout's, instead)
#       every page's orientation in order, from pdfinfo -f 1 -l N: P when
#       its media box is higher than wide, L when wider (landscape pages)
#   <!-- expect-flow: ARGS -->
#       tests/flow_check.py ARGS on the display list dump passes (if present)
#   <!-- expect-table: ARGS -->
#       tests/table_check.py ARGS on the display list dump passes: how
#       tables break across pages (keep-rows=N, caption-with-rows,
#       note-with-rows, split; see its docstring)
#   <!-- expect-dump: "ERE" OP N -->
#       the display list dump has OP N lines matching ERE (OP: <=, >= or
#       =): what neither the text nor the warnings show, e.g. how many
#       markers a line chart draws ("stroke=#FFFFFF lw=0.75$"); each
#       expect-dump line is checked
#   <!-- expect-pagerefs: N [appendices=TITLE] -->
#       tests/xref_pages.py on the PDF passes: at least N links print a
#       page number, each the printed number of its destination's page
#       (read from the PDF, apart from the layout checker); with
#       appendices=, the outline holds the appendices under TITLE
#   <!-- expect-notes: ARGS -->
#       tests/note_check.py ARGS on the display list dump and the PDF
#       passes: footnotes on their references' pages, numbering, the
#       note's text at that page's foot, "(vervolg)", endnotes (issue 16)
#   <!-- expect-bidi: ARGS -->
#       tests/bidi_check.py on the display list dump and the PDF passes:
#       right-to-left phrases read right to left on their lines, glyphs
#       drawn right to left, /Lang of their tags (issue 17; its docstring)
#   <!-- expect-chart: ARGS -->
#       tests/chart_check.py ARGS on the display list dump passes: how
#       charts tell series apart (entries=N, distinct, contrast=R, pair=R,
#       rules; see its docstring)
# With TAG_CHECK=1 every PDF built is kept and, at the end, judged by
# tests/tag_check.py against its definition in one run (one more result).
# Usage: tests/regress.sh [FILE...]   (BUILD=dir for another build)
set -u
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
cd "$(dirname "$0")/.."
RG=${RG:-${BUILD:-build}/reportgen}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
TAG_CHECK=${TAG_CHECK:-0}
mkdir -p "$TMP/tag"
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# The value of key in an "expect:" line ("" when absent); quoted values may
# hold spaces. (In bash: a python start per key cost 15 s of CPU a run.)
expect_value() {
    local re="(^|[^A-Za-z0-9_@])$2=(\"([^\"]*)\"|([^[:space:]\"]+))"
    [[ $1 =~ $re ]] || return 0
    if [[ ${BASH_REMATCH[2]} == \"* ]]; then printf '%s\n' "${BASH_REMATCH[3]}"
    else printf '%s\n' "${BASH_REMATCH[4]}"; fi
}

layouts_all=$(for l in layouts/*.xml; do basename "$l" .xml; done)
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(tests/regress/*.xml)

# JOBS parts (default 2) run side by side, every JOBS-th file each, each
# with its own scratch folder and tag check; their lines are shown part
# after part and their counts summed.
JOBS=${JOBS:-2}
if [ -z "${REGRESS_PART:-}" ] && [ "$JOBS" -gt 1 ] && [ ${#files[@]} -gt 1 ]; then
    for ((k = 0; k < JOBS; k++)); do
        part=()
        for ((i = k; i < ${#files[@]}; i += JOBS)); do part+=("${files[i]}"); done
        [ ${#part[@]} -gt 0 ] || continue
        REGRESS_PART=1 bash "$self" "${part[@]}" >"$TMP/part-$k.out" 2>&1 &
    done
    wait
    for out in "$TMP"/part-*.out; do
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
        grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$out"
        if [ -z "$line" ]; then bad "a part of the regression suite ended without a result"; continue; fi
        f=${line#*passed, }
        pass=$((pass + ${line%% passed*}))
        fail=$((fail + ${f%% failed*}))
    done
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
    exit
fi
# The expectation comments of $def, read once (each reading of a key was a
# grep | head | sed pipeline: ~25 processes a file). comment VAR KEY: the
# text between "<!-- KEY:" and "-->" of the first such comment ("" when
# none); the first "-->" ends it, or with LAST=1 the line's last.
comment() {
    local line re="<!-- $2:([^>]*)-->"
    [ "${LAST:-0}" = 1 ] && re="<!-- $2:(.*)-->"
    printf -v "$1" '%s' ""
    while IFS= read -r line; do
        [[ $line =~ $re ]] && { printf -v "$1" '%s' "${BASH_REMATCH[1]}"; return; }
    done <<<"$comments"
}
# words ARRAY TEXT: TEXT split into words as the shell (and Python's
# shlex) would: "..." and '...' quote, a backslash escapes the next
# character (in "...": only \\, \", \$ and \`). In bash: a python start per
# comment and layout cost ~5 s of CPU a run.
words() {
    local -n into=$1
    local s=$2 w= q= have=0 c i
    into=()
    for ((i = 0; i < ${#s}; i++)); do
        c=${s:i:1}
        if [ "$q" = "'" ]; then
            if [ "$c" = "'" ]; then q=; else w+=$c; fi
        elif [ "$q" = '"' ]; then
            if [ "$c" = '\' ] && [[ ${s:i+1:1} == [\\\"\$\`] ]]; then w+=${s:i+1:1}; i=$((i + 1))
            elif [ "$c" = '"' ]; then q=
            else w+=$c; fi
        elif [ "$c" = '\' ]; then w+=${s:i+1:1}; i=$((i + 1)); have=1
        elif [ "$c" = '"' ] || [ "$c" = "'" ]; then q=$c have=1
        elif [[ $c == [[:space:]] ]]; then
            [ "$have" = 1 ] && into+=("$w")
            w= have=0
        else w+=$c have=1; fi
    done
    [ "$have" = 1 ] && into+=("$w")
    return 0
}
trim() {                           # trim VAR: without leading and trailing spaces
    local v=${!1}
    v=${v#"${v%%[! ]*}"}
    printf -v "$1" '%s' "${v%"${v##*[! ]}"}"
}
for def in "${files[@]}"; do
    name=${def##*/}
    comments=$(grep -F '<!-- expect' "$def")
    comment expect expect
    [ -n "$expect" ] && expect="<!-- expect:$expect-->"
    want_exit=$(expect_value "$expect" exit)
    want_exit=${want_exit:-0}
    warn=$(expect_value "$expect" warn)
    err=$(expect_value "$expect" err)
    layouts=$(expect_value "$expect" layouts)
    layouts=${layouts//,/ }
    layouts=${layouts:-$layouts_all}
    grep -qE '<report[^>]* layout="[^"]*[/.][^"]*"' "$def" && layouts=own
    comment texts expect-text
    comment pages expect-pages
    trim pages
    [[ $pages =~ ^[0-9]+$ ]] || pages=
    [ -z "$pages" ] && pages=$(expect_value "$expect" pages)
    LAST=1 comment notext expect-no-text
    trim notext
    comment flow expect-flow
    comment table expect-table
    dumped=
    while IFS= read -r line; do          # every expect-dump comment
        [[ $line =~ \<!--\ expect-dump:([^>]*)--\> ]] && dumped+=${BASH_REMATCH[1]}$'\n'
    done <<<"$comments"
    dumped=${dumped%$'\n'}
    comment pagerefs expect-pagerefs
    comment chart expect-chart
    comment notes expect-notes
    comment bidi expect-bidi
    for layout in $layouts; do
        what="$name ($layout)"
        pdf="$TMP/out.pdf"
        rm -f "$pdf"
        layout_args=(--layout "$layout")
        [ "$layout" = own ] && layout_args=()
        # the display list too when a check reads it (the same build)
        dump_args=()
        [ -n "$flow$table$dumped$chart$notes$bidi" ] && dump_args=(--dump-layout "$TMP/dump")
        $RG build "$def" "${layout_args[@]}" --check-layout "${dump_args[@]}" -o "$pdf" 2>"$TMP/err"
        rc=$?
        warn_here=$(expect_value "$expect" "warn@$layout")
        if [ "$rc" -ne "$want_exit" ]; then
            bad "$what: exit $rc, expected $want_exit: $(head -c 400 "$TMP/err" | tr '\n' ' ')"
            continue
        fi
        if ! iconv -f UTF-8 -t UTF-8 "$TMP/err" >/dev/null 2>&1; then
            bad "$what: the diagnostics are not valid UTF-8 (a quote cut inside a character)"
            continue
        fi
        if [ "$warn" = none ] && grep -q ': warning: ' "$TMP/err"; then
            bad "$what: warned: $(grep ': warning: ' "$TMP/err" | head -n 2 | tr '\n' ' ')"
            continue
        fi
        if [ -n "$warn" ] && [ "$warn" != none ] && ! grep ': warning: ' "$TMP/err" | grep -Eq "$warn"; then
            bad "$what: no warning matching /$warn/: $(head -c 300 "$TMP/err" | tr '\n' ' ')"
            continue
        fi
        if [ -n "$warn_here" ] && ! grep ': warning: ' "$TMP/err" | grep -Eq "$warn_here"; then
            bad "$what: no warning matching /$warn_here/: $(head -c 300 "$TMP/err" | tr '\n' ' ')"
            continue
        fi
        if [ -n "$err" ] && ! grep ': error: ' "$TMP/err" | grep -Eq "$err"; then
            bad "$what: no error matching /$err/: $(head -c 300 "$TMP/err" | tr '\n' ' ')"
            continue
        fi
        if [ "$want_exit" -ne 0 ]; then
            if [ -e "$pdf" ]; then bad "$what: a PDF was written although the build failed"; else ok; fi
            continue
        fi
        good=1
        if [ "$TAG_CHECK" != 0 ]; then
            kept="$TMP/tag/${name%.xml}-$layout.pdf"
            cp "$pdf" "$kept" && printf '%s\t%s\n' "$kept" "$def" >>"$TMP/tag/list"
        fi
        pdftotext -layout "$pdf" "$TMP/text" 2>/dev/null
        if [ -n "$texts" ] && [[ "$texts" == *'"'* ]]; then
            words quoted "$texts"
            for s in "${quoted[@]}"; do
                [ -z "$s" ] && continue
                grep -qF -- "$s" "$TMP/text" || { bad "$what: text \"$s\" not in the PDF"; good=0; }
            done
        elif [ -n "$texts" ]; then
            t=$(echo "$texts" | sed 's/^ *//; s/ *$//')
            grep -Eq -- "$t" "$TMP/text" || { bad "$what: no text matching /$t/"; good=0; }
        fi
        if [ -n "$notext" ] && grep -Eq -- "$notext" "$TMP/text"; then
            bad "$what: text matching /$notext/: $(grep -E -- "$notext" "$TMP/text" | head -n 1)"
            good=0
        fi
        if [ -n "$pages" ]; then
            n=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
            [ "$n" = "$pages" ] || { bad "$what: $n pages, expected $pages"; good=0; }
        fi
        comment sizes "expect-page-sizes@$layout"
        [ -z "$sizes" ] && comment sizes expect-page-sizes
        trim sizes
        if [ -n "$sizes" ]; then
            n=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
            got=$(pdfinfo -f 1 -l "${n:-1}" "$pdf" 2>/dev/null |
                awk '/^Page +[0-9]+ size:/ {printf "%s%s", sep, ($4 > $6 ? "L" : "P"); sep=" "}')
            [ "$got" = "$sizes" ] || { bad "$what: page sizes $got, expected $sizes"; good=0; }
        fi
        if [ -n "$flow" ]; then
            # shellcheck disable=SC2086
            out=$(python3 tests/flow_check.py "$TMP/dump" $flow 2>&1) || {
                bad "$what: flow: $out"
                good=0
            }
        fi
        if [ -n "$notes" ]; then
            # shellcheck disable=SC2086
            out=$(python3 tests/note_check.py "$TMP/dump" "$pdf" $notes 2>&1) || {
                bad "$what: notes: $out"
                good=0
            }
        fi
        if [ -n "$bidi" ]; then
            out=$(python3 tests/bidi_check.py "$TMP/dump" "$pdf" "$bidi" 2>&1) || {
                bad "$what: bidi: $out"
                good=0
            }
        fi
        if [ -n "$table" ]; then
            # shellcheck disable=SC2086
            out=$(python3 tests/table_check.py "$TMP/dump" $table 2>&1) || {
                bad "$what: table: $out"
                good=0
            }
        fi
        while IFS= read -r dumped1; do          # each expect-dump line
            [ -z "$dumped1" ] && continue
            words d_words "$dumped1"
            d_re=${d_words[0]:-} d_op=${d_words[1]:-} d_n=${d_words[2]:-}
            d_count=$(grep -cE -- "$d_re" "$TMP/dump")
            case "$d_op" in
            '<=') [ "$d_count" -le "$d_n" ] ;;
            '>=') [ "$d_count" -ge "$d_n" ] ;;
            *) [ "$d_count" -eq "$d_n" ] ;;
            esac || { bad "$what: dump: $d_count lines match /$d_re/, expected $d_op $d_n"; good=0; }
        done <<<"$dumped"
        if [ -n "$pagerefs" ]; then
            # shellcheck disable=SC2086
            out=$(python3 tests/xref_pages.py "$pdf" --min $pagerefs 2>&1) || {
                bad "$what: page references: $out"
                good=0
            }
        fi
        if [ -n "$chart" ]; then
            # shellcheck disable=SC2086
            out=$(python3 tests/chart_check.py "$TMP/dump" $chart 2>&1) || {
                bad "$what: chart: $(echo "$out" | head -n 6 | tr '\n' ' ')"
                good=0
            }
        fi
        [ "$good" -eq 1 ] && ok
    done
done
if [ "$TAG_CHECK" != 0 ] && [ -s "$TMP/tag/list" ]; then
    python3 tests/tag_check.py --list "$TMP/tag/list" >"$TMP/tag/out"
    rc=$?
    sed "s|$TMP/tag/||" "$TMP/tag/out"
    if [ "$rc" -eq 0 ]; then ok; else bad "tag_check.py: exit $rc (findings above)"; fi
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

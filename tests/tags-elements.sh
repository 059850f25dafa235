#!/usr/bin/env bash
# tags-elements.sh - the structure elements a screen reader meets (issue 18),
# in every layout, with and without numbered sections: the sample built
# and read back through independent tools (pdfinfo -struct-text, qpdf).
#   - links are whole (tests/struct_check.py: one Link element per link,
#     every annotation's /Contents its whole text), and the sample's
#     mailto link, which wraps in every layout, is one Link;
#   - the cover title is the first heading, an H1 (struct_check.py: no
#     level skipped after it);
#   - every below-norm sign in a table cell is a Span whose /ActualText
#     and /Alt are the layout's mark-alt ("onder de norm");
#   - a numbered heading, and its TOC entry, reads "1.1 Titel".
# Ends with "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
RG=${RG:-build/reportgen}
SAMPLE=samples/viermaandsrapportage-2023-T1.xml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
. tests/lib.sh "$TMP"   # pass, fail, ok, bad, check, built; missing tools named

# elements PDF NUMBERED: the assertions on one PDF that struct_check.py does
# not make; prints one line per failure.
elements() {
    python3 - "$1" "$2" <<'EOF'
import json, re, subprocess, sys
sys.path.insert(0, "tests")
from struct_check import struct_nodes, text

pdf, numbered = sys.argv[1], sys.argv[2] == "1"
nodes = struct_nodes(pdf)
bad = []

def subtree_text(i):
    depth, out = nodes[i][0], []
    for d, k, v in nodes[i + 1:]:
        if d <= depth:
            break
        if k == "text":
            out.append(v)
    return "".join(out)

heads = [(i, v) for i, (d, k, v) in enumerate(nodes) if k == "elem" and re.fullmatch(r"H[1-6]", v)]
# the cover title first, as an H1
if not heads or heads[0][1] != "H1" or \
        "Viermaandsrapportage" not in subtree_text(heads[0][0]):
    first = f"{heads[0][1]} '{subtree_text(heads[0][0])}'" if heads else "none"
    bad.append(f"the first heading is {first}, not the cover title as H1")

# the wrapped mailto link is one Link element, whole
mail = [i for i, (d, k, v) in enumerate(nodes) if k == "elem" and v == "Link"
        and "communicatie@" in subtree_text(i)]
if len(mail) != 1 or subtree_text(mail[0]) != "communicatie@logius.nl":
    bad.append("the mailto link is not one Link element 'communicatie@logius.nl': "
               + repr([subtree_text(i) for i in mail]))

# every sign in a table cell is inside a Span with the text alternative
objs = json.loads(subprocess.run(["qpdf", "--json=2", "--json-stream-data=none", pdf],
                                 check=True, capture_output=True).stdout)["qpdf"][1]
spans = [v["value"] for v in objs.values() if isinstance(v.get("value"), dict)
         and v["value"].get("/S") == "/Span"]
alt_spans = [s for s in spans if text(s.get("/ActualText")) == "onder de norm"
             and text(s.get("/Alt")) == "onder de norm"]
signs, in_span, path = 0, 0, []
for d, k, v in nodes:
    while path and path[-1][0] >= d:
        path.pop()
    if k == "elem":
        path.append((d, v))
    elif k == "text" and "\u25bc" in v and any(r in ("TD", "TH") for _, r in path):
        signs += v.count("\u25bc")
        in_span += path[-1][1] == "Span" and v.strip() == "\u25bc"
if signs == 0 or in_span != signs or len(alt_spans) != signs:
    bad.append(f"{signs} below-norm signs in table cells, {in_span} alone in a Span, "
               f"{len(alt_spans)} Spans with /ActualText and /Alt 'onder de norm'")

# numbered headings and TOC entries: the number first, then a space
titles = [subtree_text(i) for i, _ in heads] + \
         [subtree_text(i) for i, (d, k, v) in enumerate(nodes) if k == "elem" and v == "TOCI"]
after = [t for t in titles if re.search(r"[^\d\s.]\d+(\.\d+)+\d*$|[A-Za-z]\d(\.\d+)+", t)]
if after:
    bad.append(f"numbers after titles: {after[:3]}")
if numbered:
    h2 = [subtree_text(i) for i, v in heads if v == "H2"]
    if not h2 or not all(re.match(r"\d+\.\d+ \S", t) for t in h2):
        bad.append(f"numbered H2 not read as '1.1 Titel': {h2[:3]}")
for line in bad:
    print(line)
EOF
}

for layout in logius plain; do
    for numbered in 0 1; do
        name="$layout$([ "$numbered" = 1 ] && echo ", numbered")"
        lf="$TMP/$layout-$numbered.xml"
        sed "s/number-sections=\"false\"/number-sections=\"$([ "$numbered" = 1 ] && echo true || echo false)\"/" \
            "layouts/$layout.xml" >"$lf"
        pdf="$TMP/$layout-$numbered.pdf"
        if ! $RG build "$SAMPLE" --layout "$lf" -o "$pdf" 2>"$TMP/err"; then
            bad "$name: build ($(head -c 300 "$TMP/err"))"
            continue
        fi
        ok
        check "$name: structure (struct_check.py)" python3 tests/struct_check.py --strict-order "$pdf"
        out=$(elements "$pdf" "$numbered")
        check "$name: elements${out:+: $out}" test -z "$out"
    done
done

# A <ref/> in a heading or caption reads as drawn ("Tabel 2") in the
# contents, the list of tables and the outline too, forward references
# included (their plain titles left it out: "Een over ").
REF=tests/regress/toc-title-with-ref.xml
"$RG" build "$REF" -o "$TMP/ref.pdf" 2>"$TMP/ref.err"
check "refs in titles: builds" test $? -eq 0
pdftotext "$TMP/ref.pdf" "$TMP/ref.txt"
check "refs in titles: the contents entry and the heading" \
    test "$(grep -c '^Een over Tabel 2$' "$TMP/ref.txt")" -eq 2
check "refs in titles: the list of tables and the caption" \
    test "$(grep -c '^Tabel 1 Tabel 2\( \.\)*$' "$TMP/ref.txt")" -eq 2
qpdf --json "$TMP/ref.pdf" >"$TMP/ref.json" 2>/dev/null
check "refs in titles: the outline" grep -q '"u:Een over Tabel 2"' "$TMP/ref.json"

# Text blocks (issue 17), in every layout: a definition list is an L whose
# LIs hold the term as Lbl and the definition as LBody; a box is a Div whose
# title is a P (no heading inside it); a quote's attribution is the last P
# of its BlockQuote; <span xml:lang="en"> is a Span with /Lang (en).
BLOCKS=tests/regress/blocks-tags.xml
for layout in logius plain; do
    pdf="$TMP/blocks-$layout.pdf"
    if ! "$RG" build "$BLOCKS" --layout "$layout" -o "$pdf" 2>"$TMP/blocks.err"; then
        bad "blocks, $layout: build ($(head -c 300 "$TMP/blocks.err"))"
        continue
    fi
    check "blocks, $layout: structure (struct_check.py)" python3 tests/struct_check.py --strict-order "$pdf"
    out=$(python3 tests/blocks_tags.py "$pdf")
    check "blocks, $layout: tags${out:+: $out}" test -z "$out"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

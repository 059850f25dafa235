#!/usr/bin/env python3
"""tag_check_test.py - the test of tests/tag_check.py: each of its rules
fails on a PDF with a violation planted in it.

    python3 tests/tag_check_test.py [path/to/reportgen]

Builds tests/tag-check/small.xml (every element kind the checker compares,
each text on one line) in every layout of layouts/; that PDF must pass.
Then, on a QDF copy of the logius one, plants one violation at a time
with a byte edit, lets fix-qdf (qpdf's) repair lengths and offsets, and
expects a finding of the planted rule. Ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tag_check  # noqa: E402

ROOT = os.path.dirname(HERE)
DEF = os.path.join(HERE, "tag-check", "small.xml")

# (name, rule expected, pattern, replacement, words expected in the finding)
# The pattern's first match in the QDF file is replaced.
PLANTS = [
    ("glyphs outside any MCID sequence", "marked",
     rb"/P <</MCID (\d+)>> BDC", rb"/P <</MCIX \1>> BDC", "outside any MCID"),
    ("an artifact inside tagged content", "marked",
     rb"(/P <</MCID \d+>> BDC\n)", rb"\1/Artifact BMC\nEMC\n", "inside tagged content"),
    ("an MCID sequence inside an artifact", "marked",
     rb"/Artifact BMC\n", rb"/Artifact BMC\n/Span <</MCID 99>> BDC\nEMC\n", "inside an /Artifact"),
    ("words run together in a paragraph", "text",
     rb"(\n  /S /P\n)", rb"\1  /ActualText (Een kortezin met een link erin.)\n", "kortezin"),
    ("a word lost after a no-break space", "text",
     rb"(\n  /S /P\n)", rb"\1  /ActualText (Een korte)\n", "word 3"),
    ("a heading tagged as P", "text",
     rb"\n  /S /H1\n", rb"\n  /S /P\n", "tagged as P"),
    ("a link's /Contents only a piece of its text", "link",
     rb"/Contents \(een link\)", rb"/Contents (een)", "whole text"),
    ("a link in two Link elements", "link",
     rb"(\n  /S /Link\n)", rb"\1  /ActualText (een)\n", "Link element"),
    ("a Link without content", "ua-struct",
     rb"(/K \[\n)    \d+\n(    <<\n      /Obj)", rb"\1\2", "empty"),
    ("a Figure without /Alt", "alt",
     rb"/Alt \(", rb"/Xlt (", "Figure without /Alt"),
    ("a symbol without a text alternative", "alt",
     rb"(<[0-9A-F]{4}> )<002E>", rb"\1<25BC>", "read by name"),
    ("a TH without /Scope", "scope",
     rb"/Scope /Column", rb"/Scopx /Column", "without /Scope"),
    ("a header cell spanning one column too many", "table",
     rb"/Scope /Column", rb"/Scope /Column /ColSpan 2", "covers"),
    ("H1 followed by H3", "headings",
     rb"\n  /S /H2\n", rb"\n  /S /H3\n", "H3 follows H1"),
    ("DisplayDocTitle false", "ua-meta",
     rb"/DisplayDocTitle true", rb"/DisplayDocTitle false", "DisplayDocTitle"),
    ("no dc:title in the XMP", "ua-meta",
     rb"<dc:title>(.*?)</dc:title>", rb"<dc:titlx>\1</dc:titlx>", "dc:title"),
    ("a /Lang that is no BCP 47 tag", "ua-lang",
     rb"/Lang \(nl-NL\)", rb"/Lang (nl_NL)", "BCP 47"),
    ("a non-standard structure type", "ua-struct",
     rb"\n  /S /TD\n", rb"\n  /S /Xd\n", "neither standard"),
    ("a Note without /ID", "ua-struct",
     rb"/ID \(rg-note", rb"/IX (rg-note", "Note without /ID"),
    ("a Note without its Lbl", "ua-struct",
     rb"/S /Lbl(\n(?:(?!/S /).)*?/ID \(rg-note)", rb"/S /Span\1", "Note without Lbl"),
    ("a Note's text lost", "text",
     rb"(\n  /S /Note\n)", rb"\1  /ActualText (Een noot.)\n", "Note"),
    ("a TD outside a TR", "ua-struct",
     rb"\n  /S /TR\n", rb"\n  /S /Div\n", "parent is Div"),
    ("a link annotation outside a Link element", "ua-annots",
     rb"\n  /S /Link\n", rb"\n  /S /Span\n", "not in one Link"),
    ("a page with annotations without /Tabs /S", "ua-annots",
     rb"/Tabs /S", rb"/Tabs /R", "Tabs"),
    ("a font without ToUnicode", "ua-fonts",
     rb"/ToUnicode", rb"/ToUnicodX", "ToUnicode"),
    ("an optional content configuration without /Name", "ua-misc",
     rb"/Type /Catalog\n", rb"/Type /Catalog\n  /OCProperties << /D << /Order [] >> /OCGs [] >>\n",
     "/Name"),
]


def run(args):
    return subprocess.run(args, capture_output=True)


def main():
    rg = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "reportgen")
    passed = failed = 0

    def result(ok, what, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {what}{': ' + detail if detail else ''}")

    with tempfile.TemporaryDirectory() as tmp:
        layouts = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, "layouts"))
                         if f.endswith(".xml"))
        for lay in layouts:
            pdf = os.path.join(tmp, f"small-{lay}.pdf")
            b = run([rg, "build", DEF, "--layout", lay, "-o", pdf])
            if b.returncode != 0:
                result(False, f"build in {lay}", b.stderr.decode(errors="replace")[:300])
                continue
            f = tag_check.check(pdf, DEF)
            result(not f.items, f"the good PDF ({lay}) passes",
                   "; ".join(f"{r}: {w}: {x}" for r, w, x in f.items[:5]))
        good = os.path.join(tmp, "small-logius.pdf")
        qdf = os.path.join(tmp, "q.pdf")
        if not os.path.exists(good) or run(["qpdf", "--qdf", "--object-streams=disable",
                                            good, qdf]).returncode not in (0, 3):
            result(False, "a QDF copy of the good PDF")
            print(f"{passed} passed, {failed} failed")
            return 1
        data = open(qdf, "rb").read()
        for name, rule, pat, rep, words in PLANTS:
            new, n = re.subn(pat, rep, data, count=1, flags=re.S)
            if n != 1:
                result(False, f"plant '{name}'", f"pattern {pat!r} not in the QDF file")
                continue
            bad = os.path.join(tmp, "bad.pdf")
            fixed = subprocess.run(["fix-qdf"], input=new, capture_output=True)
            with open(bad, "wb") as fh:
                fh.write(fixed.stdout if fixed.returncode == 0 else new)
            f = tag_check.check(bad, DEF)
            hits = [x for x in f.items if x[0] == rule and (words is None or
                                                           words in f"{x[1]}: {x[2]}")]
            result(bool(hits), f"plant '{name}' gives a {rule} finding"
                   + (f" naming '{words}'" if words else ""),
                   "found: " + "; ".join(f"{r}: {w}: {x}" for r, w, x in f.items[:4]))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

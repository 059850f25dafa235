#!/usr/bin/env python3
"""xref_pages.py - every cross-reference's page number is the page it points to,
read from the PDF alone (qpdf --json and pdftotext), apart from the layout
checker (generator/check/check.c, which reads the display list).

A page reference is a link annotation whose visible text (pdftotext of the
annotation's rectangle) is a page number (digits only); its number must be
the page label (/PageLabels, as qpdf reports it) of the page its /Dest
points to. Definitions that use this check print no other links of digits
only (show="number" of a level-1 section would be one); a footnote's mark
is told apart by its description (/Contents "noot 3").

With appendices=TITLE it also checks the PDF outline: one top-level
entry TITLE ("Bijlagen"), and every entry whose title starts with its
first word less the last letter ("Bijlage A ...") is a child of it.

Usage: xref_pages.py PDF [--min N] [appendices=TITLE]
       (at least N page references)
Exit 0 when all hold; 1 with one line per failure."""
import json
import re
import subprocess
import sys


def page_labels(doc):
    """0-based page index -> printed label, from qpdf's "pagelabels"."""
    n = len(doc["pages"])
    ranges = sorted(doc.get("pagelabels", []), key=lambda r: r["index"])
    out = [str(i + 1) for i in range(n)]
    for k, r in enumerate(ranges):
        end = ranges[k + 1]["index"] if k + 1 < len(ranges) else n
        lab = r["label"]
        prefix = lab.get("/P", "")
        prefix = prefix[2:] if prefix.startswith("u:") else prefix
        start = lab.get("/St", 1)
        for i in range(r["index"], end):
            out[i] = prefix + (str(start + i - r["index"]) if lab.get("/S") == "/D" else "")
    return out


def words_by_page(pdf):
    """Per page (1-based) its words as (x0, y0, x1, y1, text), y from the top."""
    html = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        pages.append([(float(m[0]), float(m[1]), float(m[2]), float(m[3]), m[4]) for m in
                      re.findall(r'<word xMin="([^"]+)" yMin="([^"]+)" xMax="([^"]+)" '
                                 r'yMax="([^"]+)">([^<]*)</word>', chunk)])
    return pages


def text_in(words, rect, height):
    """The words that cover most of rect's width on its line (rect in PDF
    coordinates), joined; a word's punctuation outside the link ("(7),")
    is cut off by the caller."""
    x0, y0, x1, y1 = rect
    top, bottom = height - y1, height - y0
    inside = [w[4] for w in words
              if top <= (w[1] + w[3]) / 2 <= bottom and
              min(x1, w[2]) - max(x0, w[0]) > 0.5 * (x1 - x0)]
    return " ".join(inside)


def outline_failures(doc, title):
    """The appendices hang under the top-level entry title in the outline."""
    tops = [o for o in doc.get("outlines", []) if o["title"] == title]
    if len(tops) != 1:
        return ["%d top-level outline entries '%s', expected 1" % (len(tops), title)]
    word = title.split()[0][:-1] + " "              # "Bijlagen" -> "Bijlage "
    kids = [k["title"] for k in tops[0].get("kids", [])]
    out = []
    def walk(entries, parent):
        for o in entries:
            if o["title"].startswith(word) and parent is not tops[0]:
                out.append("outline entry '%s' is not under '%s'" % (o["title"], title))
            walk(o.get("kids", []), o)
    walk(doc.get("outlines", []), None)
    if not kids:
        out.append("'%s' has no entries under it" % title)
    return out


def main():
    pdf = sys.argv[1]
    least = int(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 1
    doc = json.loads(subprocess.run(["qpdf", "--json=2", pdf], capture_output=True,
                                    text=True, check=True).stdout)
    objs = doc["qpdf"][1]
    pages = [p["object"] for p in doc["pages"]]
    labels = page_labels(doc)
    words = words_by_page(pdf)
    failures, found = [], 0
    for pi, ref in enumerate(pages):
        page = objs["obj:" + ref]["value"]
        height = page["/MediaBox"][3]
        annots = page.get("/Annots", [])
        if isinstance(annots, str):
            annots = objs["obj:" + annots]["value"]
        for a in annots:
            v = objs["obj:" + a]["value"] if isinstance(a, str) else a
            if v.get("/Subtype") != "/Link" or not isinstance(v.get("/Dest"), list):
                continue
            shown = text_in(words[pi], v["/Rect"], height)
            shown = re.sub(r"^[(\[]+|[.,;:)\]]+$", "", shown)   # the word's punctuation
            desc = v.get("/Contents", "")
            desc = desc[2:] if desc.startswith("u:") else desc
            if not re.fullmatch(r"[0-9]+", shown) or (desc and not re.fullmatch(r"[0-9]+", desc)):
                continue                        # a footnote's mark says "noot 3"
            found += 1
            target = pages.index(v["/Dest"][0])
            if shown != labels[target]:
                failures.append("page %s: a reference prints %s, its destination is on page %s"
                                % (labels[pi], shown, labels[target]))
    for a in sys.argv[2:]:
        if a.startswith("appendices="):
            failures += outline_failures(doc, a.split("=", 1)[1])
    if found < least:
        failures.append("%d page references found, expected at least %d" % (found, least))
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""note_check.py - footnotes and endnotes (issue 16) in a laid-out document,
read from its display-list dump (`reportgen build DEF --dump-layout FILE`)
and its PDF's text (pdftotext).

Usage: note_check.py DUMP PDF PROPERTY...   (exit 0: all hold; 1: one
                                             fails, each failure on stderr)
Properties (as tests/regress/note-*.xml name them in an `expect-notes:`
comment):
  on-ref-page       every footnote record ("note ... ref-page=P
                    note-page=Q") has P == Q, and there is one
  marks=SPEC        the references (raised runs), in page order, read SPEC:
                    ranges joined by commas, "1-5,1-3" for 1..5 then 1..3
                    (numbering per chapter)
  text-on-page      for every reference on page P that has a footnote
                    record, pdftotext of page P has a line starting with
                    its number followed by text (the note, at that foot)
  last-line-ref=K   on at least K pages the last line of the body (the
                    lowest baseline above the page's first note) carries a
                    reference: the reference on a page's last line
  continued=K       "(vervolg)" is on at least K pages (a note split)
  endnotes          no footnote record and no "rg-note-" destination
                    above a page's body; the PDF's text has a line "Noten"
"""
import re
import subprocess
import sys

PAGE = re.compile(r'^page (\d+) ')
TEXT = re.compile(r'^  text (-?[\d.]+) (-?[\d.]+) w=[\d.]+ font=\S+ size=([\d.]+) color=\S+ "((?:[^"\\]|\\.)*)"(.*)$')
DEST = re.compile(r'^  dest (rg-note-\d+) y=(-?[\d.]+)')
NOTE = re.compile(r'^note "([^"]+)" ref-page=(-?\d+) note-page=(-?\d+)')


def read(path):
    pages, notes = [], []
    for line in open(path, encoding="utf-8"):
        m = PAGE.match(line)
        if m:
            pages.append({"runs": [], "dests": []})
            continue
        m = NOTE.match(line)
        if m:
            notes.append((m.group(1), int(m.group(2)), int(m.group(3))))
            continue
        if not pages:
            continue
        m = TEXT.match(line)
        if m:
            pages[-1]["runs"].append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                                      m.group(4), "raised" in m.group(5).split()))
            continue
        m = DEST.match(line)
        if m:
            pages[-1]["dests"].append((m.group(1), float(m.group(2))))
    return pages, notes


def page_text(pdf, n):
    return subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), pdf, "-"],
                          capture_output=True, text=True).stdout


def spec_numbers(spec):
    out = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    pages, notes = read(argv[1])
    pdf = argv[2]
    fails = []
    # a number right after another reads ",N"
    marks = [(i + 1, r[3].lstrip(",")) for i, p in enumerate(pages) for r in p["runs"] if r[4]]
    for prop in argv[3:]:
        name, _, val = prop.partition("=")
        if name == "on-ref-page":
            if not notes:
                fails.append("on-ref-page: no footnote records")
            for n, p, q in notes:
                if p != q:
                    fails.append(f"on-ref-page: {n}: reference on page {p}, note on page {q}")
        elif name == "marks":
            got = [int(t) if t.isdigit() else t for _, t in marks]
            want = spec_numbers(val)
            if got != want:
                fails.append(f"marks: read {got[:40]}, expected {want[:40]}")
        elif name == "text-on-page":
            ref_pages = {p for _, p, _ in notes}
            texts = {}
            for pg, label in marks:
                if pg not in ref_pages:
                    continue
                if pg not in texts:
                    texts[pg] = page_text(pdf, pg)
                if not re.search(rf"(?m)^\s*{re.escape(label)}\s+\S", texts[pg]):
                    fails.append(f"text-on-page: note {label} not at the foot of page {pg}")
        elif name == "last-line-ref":
            count = 0
            for p in pages:
                if not p["dests"]:
                    continue
                foot = max(y for _, y in p["dests"])
                body = [r for r in p["runs"] if not r[4] and r[1] > foot]
                if not body:
                    continue
                low = min(r[1] for r in body)
                if any(r[4] and low < r[1] <= low + 6 for r in p["runs"]):
                    count += 1
            if count < int(val):
                fails.append(f"last-line-ref: {count} pages end with a reference, expected >= {val}")
        elif name == "continued":
            n = sum("(vervolg)" in page_text(pdf, i + 1) for i in range(len(pages)))
            if n < int(val):
                fails.append(f"continued: '(vervolg)' on {n} pages, expected >= {val}")
        elif name == "endnotes":
            if notes:
                fails.append(f"endnotes: {len(notes)} footnote records")
            text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True,
                                  text=True).stdout
            if not re.search(r"(?m)^\s*Noten\s*$", text):
                fails.append("endnotes: no heading 'Noten'")
        else:
            fails.append(f"unknown property {prop}")
    for f in fails:
        print(f, file=sys.stderr)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

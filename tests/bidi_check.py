#!/usr/bin/env python3
"""bidi_check.py - right-to-left phrases inside left-to-right text (issue 17,
bidi) in a laid-out document, read from its display-list dump
(`reportgen build DEF --dump-layout FILE`) and its PDF.

Usage: bidi_check.py DUMP PDF 'PROPERTY...'   (one argument, split as a
                                              shell would; exit 0: all
                                              hold; 1: one fails, on stderr)
Properties (as tests/regress/bidi-*.xml name them in an `expect-bidi:`
comment):
  phrase="TEXT"    some line (or two in a row, as wrapped= says) has runs
                   that, read from right to left (x falling), give TEXT
                   exactly, every one of them a
                   right-to-left run ("rtl" in the dump) or one between
                   such runs (digits, which stay left to right); and every
                   rtl run draws its glyphs right to left: the clusters of
                   its glyphs, drawn left to right, fall
  wrapped="TEXT"   TEXT is split over two lines in a row: the first has a
                   stretch read right to left that is TEXT's start, the
                   next one that is the rest (the space between them is
                   dropped at the break)
  face=NAME        some right-to-left run is set in a face whose PostScript
                   name holds NAME (NotoSansArabic-Bold)
  lang=L:N         the PDF's structure tree has at least N elements with
                   /Lang (L) (qpdf --qdf)
"""
import re
import shlex
import subprocess
import sys

PAGE = re.compile(r'^page (\d+) ')
TEXT = re.compile(r'^  text (-?[\d.]+) (-?[\d.]+) w=([\d.]+) font=(\S+) size=[\d.]+ color=\S+ '
                  r'"((?:[^"\\]|\\.)*)"(.*)$')
CLUSTERS = re.compile(r' rtl clusters=([\d,]+)')


def unquote(s):
    return re.sub(r'\\(.)', r'\1', s)


def read_lines(path):
    """Lines as lists of runs (x, width, text, rtl, clusters), x rising."""
    lines, page = {}, 0
    for raw in open(path, encoding="utf-8"):
        m = PAGE.match(raw)
        if m:
            page = int(m.group(1))
            continue
        m = TEXT.match(raw)
        if not m:
            continue
        c = CLUSTERS.search(m.group(6))
        run = (float(m.group(1)), float(m.group(3)), unquote(m.group(5)), c is not None,
               [int(v) for v in c.group(1).split(",")] if c else [], m.group(4))
        lines.setdefault((page, round(float(m.group(2)), 2)), []).append(run)
    return [sorted(v) for _, v in sorted(lines.items(), key=lambda kv: (kv[0][0], -kv[0][1]))]


def stretches(line):
    """Every run of consecutive runs that starts and ends with an rtl run,
    as the text read right to left."""
    out = []
    for i, a in enumerate(line):
        if not a[3]:
            continue
        for j in range(i, len(line)):
            if line[j][3]:
                out.append("".join(r[2] for r in reversed(line[i:j + 1])))
    return out


def wrapped(lines, value):
    """Is value split over two lines in a row, each part read right to left?"""
    for a, b in zip(lines, lines[1:]):
        for s in stretches(a):
            if value.startswith(s + " ") and value[len(s) + 1:] in stretches(b):
                return True
    return False


def check_glyph_order(lines, errors):
    for line in lines:
        for x, _, text, rtl, clusters, _ in line:
            if rtl and any(b >= a for a, b in zip(clusters, clusters[1:])):
                errors.append(f'run "{text}" at x={x}: glyphs not right to left ({clusters})')


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    lines = read_lines(sys.argv[1])
    errors = []
    check_glyph_order(lines, errors)
    qdf = None
    for prop in shlex.split(sys.argv[3]):
        key, _, value = prop.partition("=")
        if key == "phrase":
            if not any(value in stretches(ln) for ln in lines) and not wrapped(lines, value):
                errors.append(f'no line (nor two in a row) reads "{value}" right to left')
        elif key == "wrapped":
            if not wrapped(lines, value):
                errors.append(f'"{value}" is not split right to left over two lines')
        elif key == "face":
            if not any(r[3] and value in r[5] for ln in lines for r in ln):
                errors.append(f"no right-to-left run is set in a face named ...{value}...")
        elif key == "lang":
            lang, _, n = value.partition(":")
            if qdf is None:
                qdf = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", sys.argv[2], "-"],
                                     capture_output=True).stdout.decode("latin-1")
            got = qdf.count(f"/Lang ({lang})")
            if got < int(n):
                errors.append(f"{got} elements with /Lang ({lang}), expected at least {n}")
        else:
            errors.append(f"unknown property {prop}")
    for e in errors:
        print(e, file=sys.stderr)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()

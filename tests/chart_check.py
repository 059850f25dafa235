#!/usr/bin/env python3
"""chart_check.py - how charts tell their series apart, read from a laid-out
document's display-list dump (`reportgen build DEF --dump-layout FILE`):
the fills, lines and legend swatches drawn in each Figure's marked content.

Usage: chart_check.py DUMP PROPERTY...   (exit 0: all hold; 1: one fails,
                                          each failure on stderr)
Properties (as tests/regress/chart-*.xml name them in an `expect-chart:`
comment), each over every chart (Figure) of the document:
  entries=N    its legend has N series entries (fill swatches of 9 x 9 pt
               and line swatches), so that the others see what they should
  distinct     no two legend entries look alike: a fill swatch's look is
               its colour with the white hatching drawn over it (each
               path's width, dash and line directions), a line swatch's
               its colour, dash and marker
  contrast=R   every fill (bars, segments, slices, markers, swatches) and
               every series line has at least R:1 against the white page
               (WCAG 1.4.11)
  pair=R       the first two legend entries' colours are R:1 apart
  rules        two fill rectangles that share an edge (grouped bars,
               stacked segments) have a white line on that edge along
               what they share, and every slice is outlined in white
Contrast is WCAG's, as tests/link_contrast.py computes it.
"""
import re
import sys

from link_contrast import contrast

WHITE = '#FFFFFF'
MC = re.compile(r'^  mc (?:c\d+ e(\d+)|-)')
ELEM = re.compile(r'^elem e(\d+) (\S+) ')
NUM = r'(-?[\d.]+)'
RECT = re.compile(r'^  rect %s %s %s %s(?: fill=(#\w+))?(?: stroke=(#\w+) lw=%s)?' %
                  (NUM, NUM, NUM, NUM, NUM))
PATH = re.compile(r'^  path ((?:[MLCZ](?: -?[\d.]+)* ?)+?)(?: fill=(#\w+))?'
                  r'(?: stroke=(#\w+) lw=([\d.]+))?(?: dash=([\d.]+),([\d.]+))?$')


def parse_path(text):
    """[(op, [numbers])...] of a dumped path"""
    out = []
    for tok in text.split():
        if tok in 'MLCZ':
            out.append((tok, []))
        else:
            out[-1][1].append(float(tok))
    return out


def read(path):
    """Each Figure element's items in drawing order: ('rect', x, y, w, h,
    fill, stroke, lw) and ('path', segs, fill, stroke, lw, dash)."""
    items, roles, elem = {}, {}, None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            m = ELEM.match(line)
            if m:
                roles[int(m.group(1))] = m.group(2)
                continue
            m = MC.match(line)
            if m:
                elem = int(m.group(1)) if m.group(1) else None
                continue
            if line.startswith('page ') or line.startswith('  artifact'):
                elem = None
                continue
            if elem is None:
                continue
            m = RECT.match(line)
            if m:
                x, y, w, h = (float(v) for v in m.group(1, 2, 3, 4))
                items.setdefault(elem, []).append(
                    ('rect', x, y, w, h, m.group(5), m.group(6),
                     float(m.group(7)) if m.group(7) else 0))
                continue
            m = PATH.match(line)
            if m:
                dash = (float(m.group(5)), float(m.group(6))) if m.group(5) else (0, 0)
                items.setdefault(elem, []).append(
                    ('path', parse_path(m.group(1)), m.group(2), m.group(3),
                     float(m.group(4)) if m.group(4) else 0, dash))
    return {e: its for e, its in items.items() if roles.get(e) == 'Figure'}


def is_hatch(it):
    """a white path of lines only (MOVE, LINE pairs) wider than a rule"""
    if it[0] != 'path' or it[2] or it[3] != WHITE:
        return False
    segs = it[1]
    if len(segs) % 2 or any(op != ('M' if i % 2 == 0 else 'L') for i, (op, _) in enumerate(segs)):
        return False
    return not (len(segs) == 2 and it[4] <= 0.75)


def directions(segs):
    out = set()
    for i in range(0, len(segs), 2):
        (x0, y0), (x1, y1) = segs[i][1], segs[i + 1][1]
        dx, dy = x1 - x0, y1 - y0
        out.add('h' if abs(dy) < 0.01 else 'v' if abs(dx) < 0.01 else '/' if dx * dy > 0 else '\\')
    return ''.join(sorted(out))


def is_outline(it, x, y):
    return it[0] == 'rect' and it[6] and not it[5] and abs(it[1] - x) < 0.01 and \
        abs(it[2] - y) < 0.01


def legend(items):
    """The series entries of a legend: (colour, look) in order; the mark's
    swatch (hatched, then outlined) is none."""
    out = []
    for i, it in enumerate(items):
        if it[0] == 'rect' and it[5] and abs(it[3] - 9) < 0.01 and abs(it[4] - 9) < 0.01:
            look, k = [], i + 1
            while k < len(items) and is_hatch(items[k]):
                look.append('%.2f:%s:%s' % (items[k][4], items[k][5], directions(items[k][1])))
                k += 1
            if k < len(items) and is_outline(items[k], it[1], it[2]):
                continue
            out.append((it[5], 'fill ' + '|'.join(look)))
        elif it[0] == 'path' and not it[2] and it[3] and it[3] != WHITE and \
                abs(it[4] - 1.75) < 0.01 and len(it[1]) == 2 and \
                abs(it[1][0][1][1] - it[1][1][1][1]) < 0.01 and \
                min(abs(it[1][1][1][0] - it[1][0][1][0] - w) for w in (18, 27)) < 0.01 and \
                i + 1 < len(items) and items[i + 1][0] == 'path' and items[i + 1][2]:
            marker = items[i + 1][1]
            out.append((it[3], 'line %s marker %d' % (it[5], len(marker))))
    return out


def fills(items):
    for it in items:
        if it[0] == 'rect' and it[5]:
            yield it[5]
        elif it[0] == 'path' and it[2]:
            yield it[2]


def series_lines(items):
    for it in items:
        if it[0] == 'path' and not it[2] and it[3] and abs(it[4] - 1.75) < 0.01:
            yield it[3]


def white_line_on(items, x0, y0, x1, y1):
    for it in items:
        if it[0] == 'path' and it[3] == WHITE and len(it[1]) == 2 and not it[2]:
            (a, b), (c, d) = it[1][0][1], it[1][1][1]
            if (abs(a - x0) < 0.02 and abs(b - y0) < 0.02 and abs(c - x1) < 0.02 and
                    abs(d - y1) < 0.02):
                return True
    return False


def unruled(items):
    """shared edges without their white rule, as text"""
    rects = [it for it in items if it[0] == 'rect' and it[5] and not it[6] and
             not (abs(it[3] - 9) < 0.01 and abs(it[4] - 9) < 0.01)]
    out = []
    for i, a in enumerate(rects):
        ax0, ay0, ax1, ay1 = a[1], a[2], a[1] + a[3], a[2] + a[4]
        for b in rects[i + 1:]:
            bx0, by0, bx1, by1 = b[1], b[2], b[1] + b[3], b[2] + b[4]
            if abs(ax1 - bx0) < 0.02 or abs(bx1 - ax0) < 0.02:
                x = ax1 if abs(ax1 - bx0) < 0.02 else ax0
                lo, hi = max(ay0, by0), min(ay1, by1)
                if hi - lo > 0.5 and not white_line_on(items, x, lo, x, hi):
                    out.append('x=%.2f from y=%.2f to %.2f' % (x, lo, hi))
            elif abs(ay1 - by0) < 0.02 or abs(by1 - ay0) < 0.02:
                y = ay1 if abs(ay1 - by0) < 0.02 else ay0
                lo, hi = max(ax0, bx0), min(ax1, bx1)
                if hi - lo > 0.5 and not white_line_on(items, lo, y, hi, y):
                    out.append('y=%.2f from x=%.2f to %.2f' % (y, lo, hi))
    for it in items:                               # slices and markers: closed fills
        if it[0] == 'path' and it[2] and it[1][-1][0] == 'Z' and it[3] != WHITE and \
                not any(o[0] == 'path' and o[1] == it[1] and o[3] == WHITE for o in items):
            out.append('a shape without a white outline')
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    charts = read(argv[1])
    failures = []
    if not charts:
        failures.append('no chart in the document')
    for e, items in sorted(charts.items()):
        label = 'chart e%d' % e
        entries = legend(items)
        for prop in argv[2:]:
            name, _, arg = prop.partition('=')
            if name == 'entries':
                if len(entries) != int(arg):
                    failures.append('%s: %d legend entries, expected %s' %
                                    (label, len(entries), arg))
            elif name == 'distinct':
                seen = {}
                for n, (col, look) in enumerate(entries, 1):
                    if (col, look) in seen:
                        failures.append('%s: entries %d and %d look alike: %s %s' %
                                        (label, seen[(col, look)], n, col, look))
                    seen.setdefault((col, look), n)
            elif name == 'contrast':
                for col in sorted(set(fills(items)) | set(series_lines(items))):
                    if col != WHITE and contrast(col, WHITE) < float(arg):
                        failures.append('%s: %s has %.2f:1 against the white page, under %s:1' %
                                        (label, col, contrast(col, WHITE), arg))
            elif name == 'pair':
                if len(entries) >= 2 and contrast(entries[0][0], entries[1][0]) < float(arg):
                    failures.append('%s: the first two series %s and %s are %.2f:1 apart, '
                                    'under %s:1' % (label, entries[0][0], entries[1][0],
                                                    contrast(entries[0][0], entries[1][0]),
                                                    arg))
            elif name == 'rules':
                for where in unruled(items)[:3]:
                    failures.append('%s: adjacent fills without a white rule: %s' %
                                    (label, where))
            else:
                failures.append('unknown property %s' % prop)
    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

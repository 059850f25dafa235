#!/usr/bin/env python3
"""flow_check.py - page-flow properties of a laid-out document, read from
its display-list dump (`reportgen build DEF --dump-layout FILE`).

Usage: flow_check.py DUMP PROPERTY...   (exit 0: all hold; 1: one fails,
                                         each failure on stderr)
Properties (as tests/regress/flow-*.xml name them in an `expect-flow:`
comment):
  no-stranded-headings  no page but the last one with content ends (in
                        reading order, artifacts left out) with the text of
                        a heading (H1..H3), unless a heading of its level or
                        higher follows (its section is empty)
  no-blank-pages        every page has content besides running headers and
                        footers (artifacts)
  pages=N               the document has N pages
  min-text-width=W      every line of running text (paragraphs and list
                        items) starts at least W points left of the right
                        edge of the widest such line (lists nested deep
                        stay readable)
  quote-bars            every quote's bar (an artifact fill 2.5 pt wide)
                        runs beside its lines on each page: its ends within
                        8 pt of the quote's highest and lowest baselines
  chrome-margins        the running header and footer (artifact text within
                        70 pt of a page's top or foot) keep the same distance
                        from each page's own right edge, top and foot on
                        every page, portrait and landscape alike (landscape
                        pages, issue 16)
  box-frames=N1,N2,...  boxes (issue 17): page k has Nk edges of box frames
                        (0.75 pt lines; pages after the list none), and every
                        line of text in a Div lies inside the frame's sides
                        and between its top and bottom on its page (a
                        frame open at a page break: the page's edges there)
  space-before-h=N      every heading that does not start its page is at
                        least N points below the previous line's baseline
                        plus the heading's own size (room above headings)
"""
import re
import sys

TEXT = re.compile(r'^  text (-?[\d.]+) (-?[\d.]+) w=([\d.]+) font=\S+ size=([\d.]+) ')
PAGE = re.compile(r'^page (\d+) ([\d.]+) x ([\d.]+)')
MC = re.compile(r'^  mc (c(\d+) e(\d+)|-)')
ELEM = re.compile(r'^elem e(\d+) (\S+) parent=e(-?\d+)')
RECT = re.compile(r'^  rect (-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) fill=')


def read(path):
    """Pages as lists of (x, y, w, size, elem) content runs in order, the
    elements' roles and parents, and each page's text area right edge."""
    pages, roles, parents, bars = [], {}, {}, []
    read.chrome = []                 # per page: (width, height, [(x, y, w)]) of artifact text
    elem, artifact = None, 0
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = PAGE.match(line)
            if m:
                pages.append([])
                bars.append([])
                read.chrome.append((float(m.group(2)), float(m.group(3)), []))
                elem, artifact = None, 0
                continue
            m = ELEM.match(line)
            if m:
                roles[int(m.group(1))] = m.group(2)
                parents[int(m.group(1))] = int(m.group(3))
                continue
            if line.startswith('  artifact'):
                artifact += 1
                continue
            if line.startswith('  end-artifact'):
                artifact -= 1
                continue
            m = MC.match(line)
            if m:
                elem = int(m.group(3)) if m.group(2) else None
                continue
            m = RECT.match(line)
            if m and pages and artifact and m.group(3) == '2.50':
                bars[len(pages) - 1].append((float(m.group(2)), float(m.group(2)) + float(m.group(4))))
                continue
            m = TEXT.match(line)
            if m and pages and artifact:
                read.chrome[-1][2].append((float(m.group(1)), float(m.group(2)), float(m.group(3))))
            if m and pages and not artifact and elem is not None:
                pages[-1].append((float(m.group(1)), float(m.group(2)), float(m.group(3)),
                                  float(m.group(4)), elem))
    return pages, roles, parents, bars


def heading_of(elem, roles, parents):
    """The H1..H3 element elem is (or is inside), else None."""
    while elem is not None and elem >= 0:
        role = roles.get(elem, '')
        if re.fullmatch(r'H[1-6]', role):
            return elem
        if role in ('Sect', 'Document', 'TOC', 'P', 'L', 'Table', 'Figure', 'BlockQuote'):
            return None
        elem = parents.get(elem)
    return None


def role_path(elem, roles, parents):
    out = []
    while elem is not None and elem >= 0:
        out.append(roles.get(elem, '?'))
        elem = parents.get(elem)
    return out


FRAME = re.compile(r'^  path M (-?[\d.]+) (-?[\d.]+) L (-?[\d.]+) (-?[\d.]+) stroke=\S+ lw=0\.75$')


def box_frames(path, pages, roles, parents, want):
    """The box-frames property (issue 17): frame edges per page, and the
    text of boxes (Div) inside them."""
    edges, page = [], -1
    with open(path, encoding='utf-8') as f:
        for line in f:
            if PAGE.match(line):
                edges.append([])
                continue
            m = FRAME.match(line)
            if m and edges:
                edges[-1].append(tuple(float(v) for v in m.groups()))
    failures = []
    for i, e in enumerate(edges):
        n = want[i] if i < len(want) else 0
        if len(e) != n:
            failures.append('page %d: %d box frame edges, expected %d' % (i + 1, len(e), n))
        sides = [x for x1, y1, x2, y2 in e for x in [x1] if x1 == x2]
        ys = [y for x1, y1, x2, y2 in e if x1 == x2 for y in (y1, y2)]
        for x, y, w, size, el in pages[i]:
            if 'Div' not in role_path(el, roles, parents):
                continue
            if len(sides) < 2:
                failures.append('page %d: box text at y=%.2f without a frame' % (i + 1, y))
                break
            if x < min(sides) or x + w > max(sides) + 0.01 or y < min(ys) or y > max(ys):
                failures.append('page %d: box text at %.2f,%.2f outside its frame' % (i + 1, x, y))
                break
    return failures


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    pages, roles, parents, bars = read(argv[1])
    failures = []
    last_content = max((i for i, p in enumerate(pages) if p), default=-1)
    for prop in argv[2:]:
        name, _, value = prop.partition('=')
        if name == 'no-stranded-headings':
            for i, runs in enumerate(pages):
                if not runs or i == last_content:
                    continue
                # the last line in reading order: the lowest baseline among the
                # page's last runs (a heading's number is drawn after its text)
                h = heading_of(runs[-1][4], roles, parents)
                # what follows it: a heading of its level or higher means its
                # section is empty (as the layout checker's keep invariant)
                nxt = next((p[0][4] for p in pages[i + 1:] if p), None)
                nh = heading_of(nxt, roles, parents) if nxt is not None else None
                if h is not None and nh is not None and int(roles[nh][1]) <= int(roles[h][1]):
                    h = None
                if h is not None:
                    text_y = min(r[1] for r in runs if heading_of(r[4], roles, parents) == h)
                    failures.append('page %d ends with a heading (%s at y=%.2f)'
                                    % (i + 1, roles[h], text_y))
        elif name == 'no-blank-pages':
            for i, runs in enumerate(pages):
                if not runs:
                    failures.append('page %d is blank' % (i + 1))
        elif name == 'pages':
            if len(pages) != int(value):
                failures.append('%d pages, expected %s' % (len(pages), value))
        elif name == 'min-text-width':
            # the text area's right edge: where the widest line of running text ends
            lines = {}                   # (page, baseline) -> [start, end]
            for i, runs in enumerate(pages):
                for x, y, w, size, e in runs:
                    if role_path(e, roles, parents)[:1] in (['P'], ['LBody']):
                        ln = lines.setdefault((i, y), [x, x + w])
                        ln[0], ln[1] = min(ln[0], x), max(ln[1], x + w)
            right = max((ln[1] for ln in lines.values()), default=0)
            for (i, y), (x, end) in sorted(lines.items()):
                if right - x < float(value):
                    failures.append('page %d: text at x=%.2f, %.1f pt from the right edge '
                                    '(< %s)' % (i + 1, x, right - x, value))
                    break
        elif name == 'space-before-h':
            for i, runs in enumerate(pages):
                prev_y = None
                seen = set()
                for x, y, w, size, e in runs:
                    h = heading_of(e, roles, parents)
                    if h is not None and h not in seen:
                        seen.add(h)
                        if prev_y is not None and prev_y - y < float(value) + size:
                            failures.append('page %d: %s %.2f pt below the line above '
                                            '(< %s + its size %.1f)'
                                            % (i + 1, roles[h], prev_y - y, value, size))
                    if h is None or h in seen:
                        prev_y = y if prev_y is None or y < prev_y else prev_y
        elif name == 'chrome-margins':
            seen = {}
            for i, (pw, ph, runs) in enumerate(read.chrome):
                runs = [r for r in runs if r[1] > ph - 70 or r[1] < 70]
                if not runs:
                    continue
                gaps = {'right': pw - max(x + w for x, y, w in runs)}
                top = [y for x, y, w in runs if y > ph - 70]
                foot = [y for x, y, w in runs if y < 70]
                if top:
                    gaps['top'] = ph - max(top)
                if foot:
                    gaps['foot'] = min(foot)
                for k, v in gaps.items():
                    first = seen.setdefault(k, (i, v))
                    if abs(first[1] - v) > 0.5:
                        failures.append('page %d (%gx%g): chrome %.2f pt from the %s edge, '
                                        'page %d: %.2f' % (i + 1, pw, ph, v, k, first[0] + 1,
                                                           first[1]))
            if not seen:
                failures.append('no running header or footer found')
        elif name == 'quote-bars':
            for i, runs in enumerate(pages):
                ys = [y for x, y, w, size, e in runs if 'BlockQuote' in role_path(e, roles, parents)]
                for bottom, top in bars[i]:
                    if not ys:
                        failures.append('page %d: a quote bar beside no quote text' % (i + 1))
                    elif abs(bottom - min(ys)) > 8 or abs(top - max(ys)) > 16:
                        failures.append('page %d: a quote bar from %.2f to %.2f beside lines '
                                        'from %.2f to %.2f' % (i + 1, top, bottom, max(ys),
                                                               min(ys)))
        elif name == 'box-frames':
            failures += box_frames(argv[1], pages, roles, parents,
                                   [int(v) for v in value.split(',')])
        else:
            failures.append('unknown property %r' % prop)
    for f in failures:
        print('flow_check: %s: %s' % (argv[1], f), file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

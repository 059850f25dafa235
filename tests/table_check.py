#!/usr/bin/env python3
"""table_check.py - how tables break across pages, read from a laid-out
document's display-list dump (`reportgen build DEF --dump-layout FILE`):
the structure elements (Table, Caption, THead, TBody, TR, and the P after a
Table) and the pages their marked-content chunks are on.

Usage: table_check.py DUMP PROPERTY...   (exit 0: all hold; 1: one fails,
                                          each failure on stderr)
Properties (as tests/regress/table-*.xml name them in an `expect-table:`
comment):
  split             some table spans more than one page (the test is
                    about a split table)
  keep-rows=N       a table of 2N rows or more leaves at least N body rows
                    on each side of every page break (a row split between
                    its lines counts on both pages)
  caption-with-rows every table's caption is on the page of its header and
                    of its first body row
  note-with-rows    the paragraph right after a table (the dataset's note)
                    starts on the page of the table's last body row
  group-with-rows   a group row (a TR whose row header TH spans columns:
                    group-by=, issue 17) is on the page of the row after it
"""
import re
import sys

ELEM = re.compile(r'^elem e(\d+) (\S+) parent=e(-?\d+)(?: .*?)? kids=(\S*)')
SPANS = set()                   # TH elements that span columns as row headers (group rows)


def read(path):
    elems = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = ELEM.match(line)
            if m:
                kids = [k for k in m.group(4).split(',') if k]
                elems[int(m.group(1))] = (m.group(2), int(m.group(3)), kids)
                if m.group(2) == 'TH' and re.search(r' scope=Row span=([2-9]|\d\d+)x', line):
                    SPANS.add(int(m.group(1)))
    return elems


def pages_of(elems, e, out=None):
    """The pages (1-based) of element e's content, its kids' included."""
    out = set() if out is None else out
    for k in elems[e][2]:
        if k.startswith('e'):
            pages_of(elems, int(k[1:]), out)
        elif k.startswith('c') and '@p' in k:
            out.add(int(k.split('@p')[1]))
    return out


def kids_of(elems, e, role=None):
    return [int(k[1:]) for k in elems[e][2]
            if k.startswith('e') and (role is None or elems[int(k[1:])][0] == role)]


def tables(elems):
    for e, (role, _, _) in sorted(elems.items()):
        if role == 'Table':
            yield e


def rows_of(elems, t):
    rows = []
    for body in kids_of(elems, t, 'TBody'):
        rows += kids_of(elems, body, 'TR')
    return rows


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    elems = read(argv[1])
    failures = []
    for prop in argv[2:]:
        name, _, arg = prop.partition('=')
        for t in tables(elems):
            rows = rows_of(elems, t)
            pages = [sorted(pages_of(elems, r)) for r in rows]
            label = 'table e%d' % t
            if name == 'split':
                continue
            if name == 'keep-rows':
                n = int(arg)
                if len(rows) < 2 * n:
                    continue
                allp = sorted(set(p for ps in pages for p in ps))
                for p in allp:
                    count = sum(1 for ps in pages if p in ps)
                    if count < n and len(allp) > 1:
                        failures.append('%s: %d body row(s) on page %d, fewer than %d'
                                        % (label, count, p, n))
            elif name == 'caption-with-rows':
                caps = kids_of(elems, t, 'Caption')
                heads = kids_of(elems, t, 'THead')
                if not caps or not rows:
                    continue
                cp = min(pages_of(elems, caps[0]))
                hp = min(pages_of(elems, heads[0])) if heads else cp
                rp = min(pages[0])
                if not cp == hp == rp:
                    failures.append('%s: caption on page %d, header on page %d, first row on '
                                    'page %d' % (label, cp, hp, rp))
            elif name == 'note-with-rows':
                parent = elems[t][1]
                sib = kids_of(elems, parent)
                i = sib.index(t)
                if i + 1 >= len(sib) or elems[sib[i + 1]][0] != 'P' or not rows:
                    failures.append('%s: no paragraph (note) right after it' % label)
                    continue
                npages = pages_of(elems, sib[i + 1])
                if min(npages) != max(pages[-1]):
                    failures.append('%s: its note starts on page %d, its last row is on page %d'
                                    % (label, min(npages), max(pages[-1])))
            elif name == 'group-with-rows':
                for i, r in enumerate(rows[:-1]):
                    if not any(k in SPANS for k in kids_of(elems, r, 'TH')):
                        continue
                    if max(pages[i]) != min(pages[i + 1]):
                        failures.append('%s: group row %d on page %d, the row after it on page '
                                        '%d' % (label, i + 1, max(pages[i]), min(pages[i + 1])))
            else:
                failures.append('unknown property %s' % prop)
                break
        if name == 'split':
            spans = [len(set(p for r in rows_of(elems, t) for p in pages_of(elems, r)))
                     for t in tables(elems)]
            if not any(s > 1 for s in spans):
                failures.append('no table spans more than one page')
    for f in failures:
        print(f, file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

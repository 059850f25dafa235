#!/usr/bin/env python3
"""underline_check.py - every link piece of a laid-out document is
underlined (issue 18, WCAG 1.4.1: links are told apart by more than
colour), read from its display-list dump (`reportgen build DEF
--dump-layout FILE`).

A link piece is a text run followed by a `link` item of its own position
and width (the table of contents' line-wide links are not pieces: they are
not underlined). Its underline is the item right after the run, in the same
marked content (no `mc` line between them: part of the Link's content): a
`rect` fill in the run's colour, exactly the run's advance wide, thinner
than 3 pt, its top at or below the baseline and its bottom less than half
the run's size below it.

Usage: underline_check.py DUMP [--min N] [--wrapped]
  --min N     at least N link pieces (default 1)
  --wrapped   some link has pieces on two or more lines, each underlined
Exit 0: all hold; 1: a failure (each on stderr).
"""
import re
import sys

TEXT = re.compile(r'^  text (\S+) (\S+) w=(\S+) font=\S+ size=(\S+) color=(\S+) "(.*)" gids=')
RECT = re.compile(r'^  rect (\S+) (\S+) (\S+) (\S+) fill=(\S+)$')
LINK = re.compile(r'^  link (\S+) (\S+) (\S+) (\S+) (?:uri|dest)=(.*)$')
EPS = 0.011                        # the dump's two decimals


def read_pages(path):
    """Each page as a list of its item lines (page headers dropped)."""
    pages, cur = [], None
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('page '):
                cur = []
                pages.append(cur)
            elif cur is not None and line.startswith('  '):
                cur.append(line)
    return pages


def piece_run(items, k, x, w):
    """The index of the text run link item k belongs to, else None."""
    for j in range(k - 1, -1, -1):
        m = TEXT.match(items[j])
        if m:
            if abs(float(m.group(1)) - x) < EPS and abs(float(m.group(3)) - w) < EPS:
                return j
            return None
        if not (RECT.match(items[j]) or items[j].startswith('  mc ')):
            return None
    return None


def underline_fault(items, j):
    """Why the run at j has no proper underline, or None."""
    t = TEXT.match(items[j])
    x, y, w, size, color = (float(t.group(1)), float(t.group(2)), float(t.group(3)),
                            float(t.group(4)), t.group(5))
    nxt = items[j + 1] if j + 1 < len(items) else ''
    if nxt.startswith('  mc '):
        return 'its underline is not in its marked content' if RECT.match(
            items[j + 2] if j + 2 < len(items) else '') else 'no underline'
    r = RECT.match(nxt)
    if not r:
        return 'no underline'
    rx, ry, rw, rh, fill = (float(r.group(1)), float(r.group(2)), float(r.group(3)),
                            float(r.group(4)), r.group(5))
    if fill != color:
        return f'underline {fill}, text {color}'
    if abs(rx - x) > EPS or abs(rw - w) > EPS:
        return f'underline x={rx} w={rw}, run x={x} w={w}'
    if not 0 < rh < 3:
        return f'underline {rh} pt thick'
    if ry + rh > y + EPS or ry < y - size / 2 - EPS:
        return f'underline at {ry}..{ry + rh}, baseline {y}'
    return None


def main(argv):
    args = argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path, want_min, want_wrapped = args[0], 1, False
    i = 1
    while i < len(args):
        if args[i] == '--min':
            want_min = int(args[i + 1])
            i += 2
        elif args[i] == '--wrapped':
            want_wrapped = True
            i += 1
        else:
            print(f'underline_check: unknown argument {args[i]}', file=sys.stderr)
            return 2
    failures, pieces, lines_of = [], 0, {}
    for p, items in enumerate(read_pages(path), 1):
        for k, line in enumerate(items):
            m = LINK.match(line)
            if not m:
                continue
            j = piece_run(items, k, float(m.group(1)), float(m.group(3)))
            if j is None:
                continue
            pieces += 1
            text = TEXT.match(items[j])
            fault = underline_fault(items, j)
            if fault:
                failures.append(f'page {p}: link piece "{text.group(6)}": {fault}')
            lines_of.setdefault(m.group(5), set()).add((p, text.group(2)))
    if pieces < want_min:
        failures.append(f'{pieces} link pieces, expected at least {want_min}')
    if want_wrapped and not any(len(v) > 1 for v in lines_of.values()):
        failures.append('no link has pieces on two lines')
    for f in failures:
        print(f'underline_check: {path}: {f}', file=sys.stderr)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

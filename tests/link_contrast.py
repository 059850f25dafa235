#!/usr/bin/env python3
"""link_contrast.py - a layout's link colour meets WCAG 2.1 (issue 18),
computed from the layout file: <colors link> (default #000000) against the
white page is at least 4.5:1 (1.4.3, text contrast), and with --cue against
the body role's colour (default #000000) at least 3:1, so that the colour is
a cue besides the underline every link has (technique G183). Contrast is
WCAG's: (L1 + 0.05) / (L2 + 0.05) of the relative luminances.

Usage: link_contrast.py [--cue] LAYOUT.xml...
Prints each layout's figures; exit 0 when all hold, 1 otherwise.
"""
import sys
import xml.etree.ElementTree as ET

NS = '{urn:reportgen:layout:1}'
PAGE = '#FFFFFF'                   # the page is always white
TEXT_MIN, CUE_MIN = 4.5, 3.0


def luminance(hexcolor):
    def lin(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hexcolor[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(a, b):
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def colours(path):
    """The layout's link colour and body text colour."""
    root = ET.parse(path).getroot()
    c = root.find(NS + 'colors')
    link = c.get('link', '#000000') if c is not None else '#000000'
    body = '#000000'
    for role in root.iter(NS + 'role'):
        if role.get('name') == 'body':
            body = role.get('color', body)
    return link, body


def main(argv):
    cue = '--cue' in argv[1:]
    paths = [a for a in argv[1:] if a != '--cue']
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    bad = 0
    for path in paths:
        link, body = colours(path)
        on_page, on_text = contrast(link, PAGE), contrast(link, body)
        print(f'{path}: link {link}: {on_page:.2f}:1 on the page, '
              f'{on_text:.2f}:1 against the body text {body}')
        if on_page < TEXT_MIN:
            print(f'link_contrast: {path}: link {link} is {on_page:.2f}:1 on the page, '
                  f'below {TEXT_MIN}:1', file=sys.stderr)
            bad = 1
        if cue and on_text < CUE_MIN:
            print(f'link_contrast: {path}: link {link} is {on_text:.2f}:1 against the body '
                  f'text {body}, below {CUE_MIN}:1', file=sys.stderr)
            bad = 1
    return bad


if __name__ == '__main__':
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""content_check.py - checks the operators of every page's content stream.

    python3 tests/content_check.py [--expect 'OP OP ...'] FILE.pdf

The page writer (generator/pdf/page.c) writes every operator itself:
text, marked content and the graphics libharu used to write for it
(rectangles, paths, colours, line widths, dashes, q/Q). This reads the
decoded streams through qpdf (JSON v2, stream data inline) and the
tokenizer of struct_check.py, and asserts per page:

  - each graphics operator has its operands: re 4 numbers, m and l 2,
    c 6, w 1 (not negative), rg and RG 3 in 0..1, d an array of numbers
    and a number; h f S B n q Q BT ET none;
  - q/Q are balanced and never close more than was opened, and lie
    outside BT/ET; BT/ET do not nest and the page ends outside them;
  - a path (m or re, then m l c h re) lies outside BT/ET and is painted or
    ended (f S B n) before any other operator; the page ends outside one;
  - BT/ET and marked content do not interleave: a sequence opened inside
    a text object closes in it, one opened outside closes outside;
  - text is shown by TJ arrays of hex strings of 2-byte CIDs (Identity-H)
    and never shows CID 0, .notdef: a glyph the writer lost (pdf/font.c
    maps every glyph it collected to a CID of its font subset).

With --expect, each operator named must occur somewhere in the file (a
definition drawn for the test names the ones it draws). Prints one line
per failure and exits 1, else "content ok: N pages, OP count ...". Exit 2
when qpdf is missing or fails.
"""
import base64
import json
import os
import subprocess
import sys
from collections import Counter

sys.dont_write_bytecode = True     # no __pycache__ in tests/ from the import below
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from struct_check import operations  # noqa: E402  (same tokenizer as the structure check)

NUMS = {b"re": 4, b"m": 2, b"l": 2, b"c": 6, b"w": 1, b"rg": 3, b"RG": 3}
BARE = {b"h", b"f", b"S", b"B", b"n", b"q", b"Q", b"BT", b"ET", b"W"}
CONSTRUCT = {b"m", b"l", b"c", b"h", b"re"}
PAINT = {b"f", b"S", b"B", b"n", b"F", b"f*", b"B*", b"b", b"b*", b"s"}
CLIP = {b"W", b"W*"}               # between a path's construction and its painting (re W n)
MAX_REPORTS = 20

failures = []


def fail(msg):
    if len(failures) < MAX_REPORTS:
        failures.append(msg)
    elif len(failures) == MAX_REPORTS:
        failures.append("... (more failures not shown)")


def operands_ok(op, args):
    """Whether args are what op takes (for the operators the writer emits)."""
    if op in NUMS:
        if len(args) != NUMS[op] or not all(isinstance(a, float) for a in args):
            return False
        if op in (b"rg", b"RG"):
            return all(0 <= a <= 1 for a in args)
        return op != b"w" or args[0] >= 0
    if op in BARE:
        return not args
    if op == b"d":
        return (len(args) == 2 and isinstance(args[0], list) and isinstance(args[1], float)
                and all(isinstance(a, float) and a >= 0 for a in args[0]))
    return True


def check_text(where, op, args):
    """TJ: an array of hex strings of whole 2-byte codes, none of them 0."""
    if op == b"Tj" or op == b"'" or op == b'"':
        fail(f"{where}: text shown without a TJ array")
        return
    if op != b"TJ":
        return
    if len(args) != 1 or not isinstance(args[0], list):
        fail(f"{where} without an array")
        return
    for item in args[0]:
        if not isinstance(item, tuple):
            continue               # a number: the adjustment between glyphs
        kind, val = item
        hexdigits = bytes(c for c in val if c not in b" \t\r\n")
        if kind != "hex" or len(hexdigits) % 4:
            fail(f"{where}: a string that is not hex 2-byte codes: {val[:20]!r}")
            continue
        cids = [int(hexdigits[i:i + 4], 16) for i in range(0, len(hexdigits), 4)]
        if 0 in cids:
            fail(f"{where}: CID 0 (.notdef) shown: a glyph missing from the font subset")


def check_page(n, data, counts):
    in_text, q, path = False, 0, False
    marks = []                     # per open sequence: opened inside BT?
    for op, args, _, _ in operations(data):
        counts[op] += 1
        where = f"page {n}: {op.decode('latin-1')}"
        if not operands_ok(op, args):
            fail(f"{where} with operands {args}")
        check_text(where, op, args)
        if path and op not in CONSTRUCT and op not in PAINT and op not in CLIP:
            fail(f"{where} inside a path (not painted)")
        if op in CLIP and not path:
            fail(f"{where} without a path to clip to")
            path = False
        if op in CONSTRUCT or op in PAINT:
            if in_text:
                fail(f"{where} inside BT/ET")
            if op in (b"m", b"re"):
                path = True
            elif op in (b"l", b"c", b"h") and not path:
                fail(f"{where} without a current path")
            elif op in PAINT:
                path = False
        elif op == b"q":
            if in_text:
                fail(f"{where} inside BT/ET")
            q += 1
        elif op == b"Q":
            if in_text:
                fail(f"{where} inside BT/ET")
            if q == 0:
                fail(f"{where} without a q")
            q = max(q - 1, 0)
        elif op == b"BT":
            if in_text:
                fail(f"{where} inside BT/ET")
            in_text = True
        elif op == b"ET":
            if not in_text:
                fail(f"{where} without BT")
            if marks and marks[-1]:
                fail(f"{where} inside a marked-content sequence opened in the text object")
            in_text = False
        elif op in (b"BDC", b"BMC"):
            marks.append(in_text)
        elif op == b"EMC":
            if not marks:
                fail(f"{where} without a sequence")
            elif marks.pop() != in_text:
                fail(f"{where} closes a sequence opened {'in' if in_text else 'outside'}"
                     " another text object state (BT/ET and marked content interleave)")
    if in_text:
        fail(f"page {n}: ends inside BT/ET")
    if q:
        fail(f"page {n}: ends with {q} q without Q")
    if path:
        fail(f"page {n}: ends inside a path")
    if marks:
        fail(f"page {n}: ends with {len(marks)} marked-content sequence(s) open")


def main():
    args = sys.argv[1:]
    expect = []
    if len(args) >= 2 and args[0] == "--expect":
        expect, args = args[1].encode().split(), args[2:]
    if len(args) != 1:
        print("usage: " + __doc__.strip().split("\n")[2].strip(), file=sys.stderr)
        return 2
    try:
        out = subprocess.run(["qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf",
                              "--json-stream-data=inline", "--decode-level=generalized", args[0]],
                             capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"qpdf failed: {e}", file=sys.stderr)
        return 2
    j = json.loads(out)
    objs = j["qpdf"][1]
    counts = Counter()
    for n, page in enumerate(j["pages"], 1):
        data = b""
        for ref in page["contents"]:
            stream = objs.get("obj:" + ref, {}).get("stream", {})
            if "data" not in stream or stream.get("dict", {}).get("/Filter"):
                fail(f"page {n}: content stream {ref} does not decode")
                continue
            data += base64.b64decode(stream["data"]) + b"\n"
        check_page(n, data, counts)
    for op in expect:
        if not counts[op]:
            fail(f"no {op.decode()} operator in the file")
    if failures:
        print("\n".join(failures))
        return 1
    shown = " ".join(f"{op.decode('latin-1')} {counts[op]}" for op in
                     [b"re", b"m", b"l", b"c", b"h", b"f", b"S", b"B", b"q", b"Q", b"d"]
                     if counts[op])
    print(f"content ok: {len(j['pages'])} pages, {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

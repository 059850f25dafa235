#!/usr/bin/env python3
"""flate_check.py - every FlateDecode stream of a PDF inflates completely.

    python3 tests/flate_check.py FILE.pdf

qpdf 11.3 warns "input stream is complete but output may still be valid"
on a Flate stream that is well formed when a chunk of input it reads ends
exactly where its 64 KiB output buffer fills (Pl_Flate's Z_BUF_ERROR
boundary case): data-dependent and rare (one seed in thousands). The
suites that take that warning alone as no failure (tests/generated.sh)
prove the streams instead: each one's bytes (its /Length, or up to
"endstream") inflate with zlib to the end of the zlib stream, checksum
included, with no bytes left over. Exit 0 when all do, 1 (naming the
objects) otherwise.
"""
import re
import sys
import zlib

OBJ = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", re.S)


def stream_bytes(data, start, head):
    m = re.search(rb"/Length (\d+)(?!\d| \d+ R)", head)
    if m:
        return data[start:start + int(m.group(1))]
    end = data.index(b"endstream", start)     # an indirect /Length: up to the keyword,
    for eol in (b"\r\n", b"\n", b"\r"):       # less the one end of line before it
        if data.endswith(eol, start, end):
            return data[start:end - len(eol)]
    return data[start:end]


def main(path):
    data = open(path, "rb").read()
    bad, n = [], 0
    for m in OBJ.finditer(data):
        head = m.group(2)
        if b"/FlateDecode" not in head:
            continue
        n += 1
        raw = stream_bytes(data, m.end(), head)
        z = zlib.decompressobj()
        try:
            z.decompress(raw)
        except zlib.error as e:
            bad.append("object %s: %s" % (m.group(1).decode(), e))
            continue
        if not z.eof or z.unused_data.strip(b"\r\n"):
            bad.append("object %s: %s" % (m.group(1).decode(),
                                          "ends early" if not z.eof else "bytes after its end"))
    for b in bad:
        print("flate_check: %s: %s" % (path, b))
    if not bad:
        print("flate_check: %s: %d Flate streams inflate completely" % (path, n))
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().split("\n")[2].strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))

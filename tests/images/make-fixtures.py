#!/usr/bin/env python3
"""make-fixtures.py - writes the PNG fixtures of tests/images/ and the
JPEG ones derived from make-jpeg.c's (run once, after make-jpeg; the files
are committed, nothing in the build or the tests runs this). Only zlib and
struct: each chunk, filter byte 0 on every row, Adam7 by hand.

    python3 tests/images/make-fixtures.py tests/images

The pixel values are formulas of x and y that tests/unit/test_image.c
repeats (see README.md)."""
import os
import struct
import sys
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)


def chunk(kind, body):
    crc = zlib.crc32(kind + body) & 0xffffffff
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def pack_row(samples, depth):
    """A row of sample values at depth bits, packed big-endian."""
    if depth == 8:
        return bytes(samples)
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    out, acc, nbits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        nbits += depth
        if nbits == 8:
            out.append(acc)
            acc, nbits = 0, 0
    if nbits:
        out.append(acc << (8 - nbits))
    return bytes(out)


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png(name, w, h, depth, color, pixel, extra=b"", interlace=0, ihdr=None, cut=None):
    """pixel(x, y) -> tuple of samples; extra: chunks before IDAT."""
    raw = bytearray()
    if interlace:
        for x0, y0, dx, dy in ADAM7:
            xs, ys = range(x0, w, dx), range(y0, h, dy)
            if not xs or not ys:
                continue
            for y in ys:
                raw.append(0)
                raw += pack_row([s for x in xs for s in pixel(x, y)], depth)
    else:
        for y in range(h):
            raw.append(0)
            raw += pack_row([s for x in range(w) for s in pixel(x, y)], depth)
    head = ihdr if ihdr else struct.pack(">IIBBBBB", w, h, depth, color, 0, 0, interlace)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + extra +
            chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))
    if cut:
        data = data[:cut(data)]
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    return data


def rgb(x, y):
    return (10 + 40 * x, 20 + 50 * y, 200 - 10 * x - 20 * y)


png("rgb.png", 4, 3, 8, 2, rgb)
png("rgba.png", 4, 3, 8, 6, lambda x, y: rgb(x, y) + (60 * x + 10 * y,))
png("grey.png", 4, 3, 8, 0, lambda x, y: (30 * x + 70 * y,))
png("grey-alpha.png", 4, 3, 8, 4, lambda x, y: (30 * x + 70 * y, 255 - 60 * x))
png("grey-2bit.png", 5, 2, 2, 0, lambda x, y: ((x + y) % 4,))
# palette: 0 red, 1 green, 2 blue, 3 white; tRNS: 0 transparent, 1 half
pal = chunk(b"PLTE", bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]))
png("palette-trns.png", 4, 2, 2, 3, lambda x, y: ((x + 2 * y) % 4,),
    extra=pal + chunk(b"tRNS", bytes([0, 128])))
png("rgb16.png", 3, 2, 16, 2, lambda x, y: (0x1234 * (x + 1), 0xffff - 0x1111 * y, 0x0080 + 0x0101 * x))
# RGB with a tRNS colour no pixel has: alpha in the header, none decoded
png("rgb-trns-unused.png", 2, 2, 8, 2, rgb, extra=chunk(b"tRNS", struct.pack(">HHH", 1, 2, 3)))
png("interlaced.png", 9, 9, 8, 2, lambda x, y: (20 * x, 25 * y, (x * y) % 256), interlace=1)
# the header of a 100000 x 100000 RGB image, a few bytes of data
huge = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
png("huge.png", 1, 1, 8, 2, rgb, ihdr=huge)
# cut in the middle of IDAT
png("truncated.png", 4, 3, 8, 2, rgb, cut=lambda d: d.index(b"IDAT") + 10)
# IDAT's CRC wrong (well-formed chunks: only libpng sees it)
d = bytearray(png("bad-crc.png", 4, 3, 8, 2, rgb))
i = d.index(b"IEND") - 4 - 5
d[i] ^= 0xff
open(os.path.join(OUT, "bad-crc.png"), "wb").write(bytes(d))
open(os.path.join(OUT, "not-an-image.png"), "wb").write(b"GIF89a, or anything else\n")


# ---- JPEGs derived from make-jpeg.c's ----
def rd(name):
    return open(os.path.join(OUT, name), "rb").read()


def wr(name, data):
    open(os.path.join(OUT, name), "wb").write(data)


grey = rd("grey.jpg")
sof = grey.index(b"\xff\xc0")
# the SOF's precision byte made 12: a 12-bit JPEG as far as any header
# reader can tell (its data stays 8-bit: for the probe only)
wr("12bit.jpg", grey[:sof + 4] + bytes([12]) + grey[sof + 5:])
# cut before the SOF: only SOI and the JFIF APP0 are left
wr("truncated.jpg", grey[:sof])
# cut in the middle of the scan: SOF and SOS are there, EOI is not
prog = rd("progressive.jpg")
wr("truncated-scan.jpg", prog[:len(prog) * 2 // 3])
# an EXIF APP1 (big-endian TIFF, one IFD entry: orientation 6) after SOI
tiff = b"MM\0*" + struct.pack(">IH", 8, 1) + struct.pack(">HHIHH", 0x0112, 3, 1, 6, 0) + struct.pack(">I", 0)
app1 = b"Exif\0\0" + tiff
wr("exif-rotated.jpg", grey[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + grey[2:])

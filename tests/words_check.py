#!/usr/bin/env python3
"""words_check.py - the words of a definition against what readers extract.

  words_check.py struct DEFINITION.xml STRUCT.txt
      STRUCT.txt is `pdfinfo -struct-text` of the PDF. Every paragraph and
      list item of the definition must appear in it word for word, with
      its spaces (the structure tree's texts joined in tree order; a soft
      hyphen, U+00AD, where a line broke is dropped); and no word of it may
      be two words of the definition run together ("naarde").
  words_check.py text DEFINITION.xml TEXT.txt
      TEXT.txt is `pdftotext -enc UTF-8` of the PDF. No hyphen-minus stands
      inside a word that the definition writes without it, every word
      that ends a line in U+00AD, joined with the next line's first word,
      is a word of the definition, and no line starts with the end of the
      word before it again ("Infrastructuur" / "tuur").
  words_check.py actual [--raw-shy] DEFINITION.xml PDF
      Reads the PDF's tagged text (artifacts left out) from its content
      streams (qpdf --json), as readers that apply /ActualText do: every
      hyphenated word (a line ending in a soft hyphen, or in a hyphen with
      /ActualText) reads whole there, and every paragraph and list item
      of the definition appears once and whole. With --raw-shy, readers
      that ignore /ActualText read a line-end hyphen as U+00AD, never as
      a hyphen-minus.

Prints what it finds and exits 1 when anything is wrong.
"""
import re
import sys
import xml.etree.ElementTree as ET

NS = "{urn:reportgen:report:1}"
SHY = "\u00ad"


def norm(s):
    return " ".join(s.replace("\u00a0", " ").split())


REF = "\x00"                      # where a <ref/> puts generated text


def own_text(el):
    """The text of el without nested lists (a nested item is its own LI);
    a cross-reference or a figure from the data (<value-of>), whose text
    the generator makes, as REF."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in (NS + "ref", NS + "value-of"):
            parts.append(REF)
        elif child.tag != NS + "list":
            parts.append(own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def paragraphs(definition):
    root = ET.parse(definition).getroot()
    out = []
    for el in root.iter():
        if el.tag in (NS + "p", NS + "item"):
            t = norm(own_text(el))
            if t:
                out.append(t)
    return out


def words_of(texts):
    words = set()
    for t in texts:
        words.update(re.findall(r"\w[\w'’&/@.,:%-]*\w|\w", t))
    return words


def struct_text(path):
    """The texts of pdfinfo -struct-text in tree order: an element's texts
    and its inline elements' joined as they are, other elements apart."""
    out = []
    for line in open(path, encoding="utf-8"):
        s = line.strip()
        if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
            out.append(s[1:-1])
        elif s and not s.endswith("(inline)") and not s.startswith("Object "):
            out.append("\n")
    return "".join(out)


def run_together(text, vocab):
    """Tokens of text that are no word of the definition but two of them."""
    found = []
    for tok in re.findall(r"[\w/@]+", text):
        if tok in vocab or len(tok) < 4:
            continue
        for i in range(2, len(tok) - 1):
            if tok[:i] in vocab and tok[i:] in vocab:
                found.append(tok)
                break
    return found


def shown(part, text):
    """Whether part is in text with U+FFFD for any of its characters: a
    character no font has is drawn as the face's U+FFFD (else its '?',
    as in Lato), which reads as such, and only /ActualText (which pdfinfo
    does not apply) gives the character."""
    pattern = "".join("(?:%s|\ufffd|\\?)" % re.escape(c) if ord(c) > 0x7F else re.escape(c)
                      for c in part)
    return re.search(pattern, text) is not None


def paragraphs_missing(paras, joined, what):
    """How many paragraphs are not in joined as written (printing each)."""
    bad = 0
    for p in paras:
        parts = [norm(part) for part in p.split(REF)]
        if not all(part in joined or shown(part, joined) for part in parts):
            print(f"  {what}: {p[:100]}")
            bad += 1
    return bad


def check_struct(definition, path):
    paras = paragraphs(definition)
    text = struct_text(path).replace(SHY, "")
    joined = norm(text)
    bad = paragraphs_missing(paras, joined, "not in the structure tree as written")
    vocab = set()
    for p in paras:
        vocab.update(re.findall(r"[\w/@]+", p))
    together = [tok for block in text.split("\n") for tok in run_together(norm(block), vocab)]
    for tok in together:
        print(f"  words run together: {tok}")
    print(f"struct: {len(paras)} paragraphs, {bad} not found, {len(together)} run together")
    return bad == 0 and not together


def check_text(definition, path):
    paras = paragraphs(definition)
    vocab = set()
    for p in paras:
        vocab.update(re.findall(r"\w+(?:[-\u2011]\w+)*", p))
    text = open(path, encoding="utf-8").read().replace("\u00a0", " ")
    bad = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        for tok in re.findall(r"\w+(?:-\w+)+", line):
            if tok not in vocab and not any(tok in p for p in paras):
                print(f"  hyphen-minus inside a word: {tok}")
                bad += 1
    for i, line in enumerate(lines[:-1]):
        m = re.search(r"(\w+)-$", line)
        nxt = re.match(r"\s*(\w+)", lines[i + 1])
        if m and nxt and not any(m.group(1) + "-" + nxt.group(1) in p for p in paras):
            print(f"  hyphen-minus inside a word: {m.group(1)}-{nxt.group(1)}")
            bad += 1
    joined_words = 0
    for i, line in enumerate(lines[:-1]):
        m = re.search(r"(\w+)" + SHY + r"$", line)
        if not m:
            continue
        nxt = re.match(r"\s*(\w+)", lines[i + 1])
        word = m.group(1) + (nxt.group(1) if nxt else "")
        joined_words += 1
        if not any(re.search(r"\b" + re.escape(word), p.replace(SHY, "")) for p in paras):
            print(f"  hyphenated word not whole: {m.group(1)}-{nxt.group(1) if nxt else ''}")
            bad += 1
    doubled = 0
    for i, line in enumerate(lines[:-1]):
        last = re.findall(r"\w+", line)
        nxt = re.match(r"\s*(\w+)", lines[i + 1])
        if last and nxt and len(nxt.group(1)) >= 2 and last[-1] != nxt.group(1) \
                and last[-1].endswith(nxt.group(1)) and re.search(r"\w$", line):
            print(f"  word end read twice: {last[-1]} / {nxt.group(1)}")
            doubled += 1
    print(f"text: {joined_words} words hyphenated at a line end, {bad} wrong, "
          f"{doubled} read twice")
    return bad == 0 and doubled == 0


# ---- the tagged text with /ActualText applied (qpdf --json) -----------------

def qpdf_json(pdf):
    import json
    import subprocess
    r = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                        "--decode-level=generalized", pdf], capture_output=True)
    if r.returncode not in (0, 3):
        sys.exit(f"words_check: qpdf failed: {r.stderr.decode(errors='replace')}")
    return json.loads(r.stdout)


class Pdf:
    def __init__(self, pdf):
        import base64
        self.b64 = base64.b64decode
        j = qpdf_json(pdf)
        self.objs = j["qpdf"][1]
        self.pages = j["pages"]
        self.cmaps = {}

    def obj(self, v):
        while isinstance(v, str) and v.endswith(" R"):
            o = self.objs["obj:" + v]
            v = o["stream"]["dict"] if "stream" in o else o.get("value")
        return v

    def data(self, ref):
        return self.b64(self.objs["obj:" + ref]["stream"]["data"])

    def to_unicode(self, font_ref):
        """code (bytes) -> text, from a font's ToUnicode CMap."""
        if font_ref in self.cmaps:
            return self.cmaps[font_ref]
        m = {}
        tu = self.obj(font_ref).get("/ToUnicode")
        if tu:
            cm = self.data(tu).decode("latin-1")
            hexes = lambda t: [bytes.fromhex(h) for h in re.findall(r"<([0-9A-Fa-f]*)>", t)]
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cm, re.S):
                h = hexes(block)
                for k in range(0, len(h) - 1, 2):
                    m[h[k]] = h[k + 1].decode("utf-16-be", errors="replace")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cm, re.S):
                for a, b, dst in re.findall(r"<(\w+)>\s*<(\w+)>\s*<(\w+)>", block):
                    lo, hi, d = int(a, 16), int(b, 16), int(dst, 16)
                    for c in range(lo, hi + 1):
                        m[c.to_bytes(len(a) // 2, "big")] = chr(d + c - lo)
        self.cmaps[font_ref] = m
        return m


def pdf_string(tok):
    """The bytes of a literal (...) or hex <...> string token."""
    if tok[0] == "<":
        h = re.sub(r"\s", "", tok[1:-1])
        return bytes.fromhex(h + "0" * (len(h) % 2))
    out, i, body = bytearray(), 0, tok[1:-1].encode("latin-1")
    esc = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while i < len(body):
        c = body[i]
        if c == 0x5C and i + 1 < len(body):
            d = body[i + 1]
            oct_ = re.match(rb"[0-7]{1,3}", body[i + 1:i + 4])
            if oct_:
                out.append(int(oct_.group(), 8) & 255)
                i += 1 + len(oct_.group())
                continue
            out.append(esc.get(d, d))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def text_string(b):
    if b[:2] == b"\xfe\xff":
        return b[2:].decode("utf-16-be", errors="replace")
    return b.decode("latin-1")


TOKEN = re.compile(r"\((?:\\.|[^\\)])*\)|<<|>>|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+"
                   r"|[^\s/\[\]()<>]+", re.S)


def content_ops(data):
    """(operator, operands) of a content stream; arrays and dicts as lists
    and dicts. (Strings with nested parentheses are not needed here.)"""
    stack = []
    for tok in TOKEN.findall(data.decode("latin-1")):
        if tok in ("[", "<<"):
            stack.append(tok)
        elif tok in ("]", ">>"):
            opener = "[" if tok == "]" else "<<"
            j = len(stack) - 1
            while j >= 0 and stack[j] != opener:
                j -= 1
            items, stack = stack[j + 1:], stack[:j]
            stack.append(items if tok == "]" else dict(zip(items[::2], items[1::2])))
        elif tok[0] in "/(<" or re.fullmatch(r"[-+.\d]+", tok):
            stack.append(tok)
        else:
            yield tok, stack
            stack = []


def page_segments(pdf, page):
    """The page's tagged text as (raw, actual, y) pieces in content order:
    raw is what the glyphs map to, actual what /ActualText makes of them
    (None: no ActualText)."""
    res = pdf.obj(pdf.obj(page["object"]).get("/Resources")) or {}
    fonts = pdf.obj(res.get("/Font")) or {}
    out, marks, font, ty = [], [], {}, 0.0
    span = None                    # [raw, actual, y] of the open ActualText span
    for ref in page["contents"]:
        for op, args in content_ops(pdf.data(ref)):
            if op in ("BDC", "BMC"):
                props = pdf.obj(args[1]) if op == "BDC" and len(args) > 1 else {}
                props = props if isinstance(props, dict) else {}
                at = props.get("/ActualText")
                artifact = args and args[0] == "/Artifact"
                marks.append((artifact, at is not None and span is None))
                if at is not None and span is None:
                    span = ["", text_string(pdf_string(at)), None]
            elif op == "EMC" and marks:
                _, opened = marks.pop()
                if opened:
                    if span[2] is not None:
                        out.append(tuple(span))
                    span = None
            elif op == "BT":
                ty = 0.0
            elif op == "Td":
                ty += float(args[1])
            elif op == "Tm":
                ty = float(args[5])
            elif op == "Tf":
                font = pdf.to_unicode(fonts[args[0]])
            elif op in ("TJ", "Tj"):
                if any(a for a, _ in marks):
                    continue
                items = args[0] if op == "TJ" else args
                raw = "".join(font.get(b[k:k + 2], "\ufffd")
                              for s_ in items if isinstance(s_, str) and s_[0] in "(<"
                              for b in [pdf_string(s_)] for k in range(0, len(b), 2))
                if span is not None:
                    span[0] += raw
                    span[2] = ty if span[2] is None else span[2]
                else:
                    out.append((raw, None, ty))
    return out


HYPHENS = ("\u00ad", "-", "\u2010")


def check_actual(definition, path, raw_shy):
    pdf = Pdf(path)
    paras = paragraphs(definition)
    actual, raw, points = [], [], []      # texts; hyphen: (offset in actual, whole word)
    segs = [s for page in pdf.pages for s in page_segments(pdf, page)]
    last_y = None
    for k, (r, a, y) in enumerate(segs):
        if last_y is not None and abs(y - last_y) > 0.01:
            actual.append("\n")
            raw.append("\n")
        last_y = y
        line_end = k + 1 == len(segs) or abs(segs[k + 1][2] - y) > 0.01
        if r in HYPHENS and line_end and (a is not None or r == "\u00ad"):
            before = re.search(r"(\w+)$", "".join(raw))
            after = next((re.match(r"\w+", s[0]) for s in segs[k + 1:k + 2]), None)
            if before and after:
                points.append((len("".join(actual)), before.group(1) + after.group(0), r))
        actual.append(r if a is None else a)
        raw.append(r)
    text = "".join(actual)
    bad = 0
    for at, whole, hy in points:
        left = re.search(r"\w*$", text[:at]).group(0)
        right = re.match(r"\w*", text[at:]).group(0)
        if left + right != whole:
            print(f"  hyphenated word not whole: {whole} read as {text[at - len(left):at + 12]!r}")
            bad += 1
        if raw_shy and hy != "\u00ad":
            print(f"  line-end hyphen-minus without ActualText: {whole}")
            bad += 1
    joined = norm(text.replace("\n", "").replace(SHY, ""))
    missing = paragraphs_missing(paras, joined, "not read whole with ActualText applied")
    print(f"actual: {len(points)} hyphenated words, {bad} not whole; "
          f"{len(paras)} paragraphs, {missing} not found")
    return bad == 0 and missing == 0 and len(points) > 0


def main(argv):
    raw_shy = "--raw-shy" in argv
    argv = [a for a in argv if a != "--raw-shy"]
    if len(argv) != 4 or argv[1] not in ("struct", "text", "actual"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    if argv[1] == "actual":
        return 0 if check_actual(argv[2], argv[3], raw_shy) else 1
    ok = (check_struct if argv[1] == "struct" else check_text)(argv[2], argv[3])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

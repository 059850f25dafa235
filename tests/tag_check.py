#!/usr/bin/env python3
"""tag_check.py - compares what a tagged PDF's structure tree says with what
was drawn and with what the report definition wrote.

    python3 tests/tag_check.py [--quiet] [--summary] PDF[=DEFINITION.xml] ...
    python3 tests/tag_check.py --list FILE      (lines "PDF<TAB>DEFINITION")

One process for many PDFs, one `qpdf --json=2 --json-stream-data=inline`
per PDF (content streams, ToUnicode maps and the XMP decoded by qpdf); the
rest is Python's standard library. Every PDF is checked to the end (keep
going); each finding is one line

    FILE: RULE: where: what

and the run ends with "tag_check: N PDFs, M with findings, K findings" and
a count per rule; exit 1 when there is a finding, 2 when a tool fails.

The rules (docs/pdfa-accessibility.md has the table against veraPDF's
PDF/UA-1 rules):

  marked    every glyph and painted path sits in exactly one marked-content
            sequence with an MCID that one element of the structure tree
            references, or in an /Artifact; no artifact inside tagged
            content, no tagged content inside an artifact (7.1-1..3)
  text      with a definition: its literal text blocks in document order
            (section and foreword titles, the toc title, the cover title,
            paragraphs, list items, quote paragraphs and attributions,
            definitions (as LIs), box titles, captions, column
            labels, literal text cells of inline records) are, in that order,
            the text of structure elements of the matching role: glyphs
            through ToUnicode, /ActualText applied, whitespace and U+00AD
            normalised, word for word. Generated text is allowed around
            them: section numbers before headings ("1.2 "), "Tabel 1 " before
            captions, <ref/> as any words, elements the definition has not
            (TOC, cover lines, chart labels).
  link      one Link element per <a> or <ref/> of a block, holding the whole
            text; every OBJR's annotation /Contents equals its Link's text
            (7.18.5)
  alt       every Figure has /Alt (7.3), a chart's /Alt starts with the
            definition's <alt>; a symbol glyph (Unicode So, e.g. U+25BC)
            in tagged content has a text alternative (/Alt or /ActualText
            on it or an enclosing element or span)
  scope     every TH has /Scope (7.5)
  table     every row of a Table covers as many columns as its first row,
            counting /ColSpan and the /RowSpan of cells above (7.5; group
            rows and spans, issue 17)
  headings  headings nest without skipping a level, starting at H1; no H
            mixed with H1-H6 (7.4.2, 7.4.4)
  ua-meta   catalog /Metadata with dc:title and pdfuaid:part 1 (5, 7.1-8/9),
            /ViewerPreferences /DisplayDocTitle true (7.1-10), /MarkInfo
            /Marked true and no /Suspects true (7.1)
  ua-lang   catalog /Lang, every /Lang a BCP 47 tag (7.2)
  ua-struct standard structure types or a RoleMap to one, no standard type
            remapped (7.1-5..7); parents of TR/TH/TD/THead/TBody/TFoot, LI/
            Lbl/LBody, TOCI (7.2); Note has an ID (7.9) and starts with
            its Lbl (the footnote's number; a Lbl is in an LI or a Note);
            no Span, Link or Lbl without content or elements
  ua-annots every annotation in the tree (Link in Link, others in Annot)
            with /Contents (7.18.1, 7.18.5), no PrinterMark in the tree
            (7.18.8), pages with annotations have /Tabs /S (7.18.3)
  ua-fonts  every font embedded (7.21.4.1) with a ToUnicode map that maps
            every code shown (7.21.7), CID 0 (.notdef) never shown (7.21.8)
  ua-misc   no encryption without the accessibility permission (7.16), no
            optional content configuration without /Name (7.10), embedded
            file specifications with /F and /UF (7.11), no reference
            XObjects (7.20), no XFA (7.15)
"""
import array
import base64
import difflib
import json
import os
import re
import subprocess
import tempfile
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from xml.etree import ElementInclude

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import struct_check  # noqa: E402  (its object graph and PDF strings)

DUMP = False               # --dump: print the tree with each element's text
MAX_PER_RULE = 8            # findings printed per rule and PDF: enough to see the pattern
STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct
Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote
Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula
Form""".split())
# 7.2: which parents each table, list and TOC element may have
PARENTS = {
    "TR": {"Table", "THead", "TBody", "TFoot"}, "THead": {"Table"}, "TBody": {"Table"},
    "TFoot": {"Table"}, "TH": {"TR"}, "TD": {"TR"}, "LI": {"L"}, "Lbl": {"LI", "Note"},
    "LBody": {"LI"}, "TOCI": {"TOC"},
}
TEXT_OPS = {"Tj", "TJ", "'", '"'}
PAINT_OPS = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI"}
NS = "{urn:reportgen:report:1}"
LANG_RE = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


class Findings:
    def __init__(self, name):
        self.name, self.items = name, []

    def add(self, rule, where, what):
        self.items.append((rule, where, what))


# ---- the object graph -------------------------------------------------------

class Doc(struct_check.Doc):
    """struct_check's object graph, with stream data (qpdf --json-stream-data=inline)."""

    def get(self, v):
        """struct_check's, without a regular expression per call (the hot path)."""
        for _ in range(50):
            if not (isinstance(v, str) and v.endswith(" R")):
                return v
            o = self.objs.get("obj:" + v)
            if o is None:
                return None
            v = o["stream"]["dict"] if "stream" in o else o.get("value")
        return None

    def data(self, ref):
        o = self.objs.get("obj:" + ref) if isinstance(ref, str) else None
        if not o or "stream" not in o or "data" not in o["stream"]:
            return None
        return base64.b64decode(o["stream"]["data"])


def pdf_text(v):
    """A PDF text string from qpdf JSON (struct_check.text) or from a
    content stream (bytes)."""
    return struct_check.text("b:" + v.hex() if isinstance(v, bytes) else v)


as_list = struct_check.as_list


# ---- content streams ----------------------------------------------------------

TOKEN = re.compile(rb"""
    (?P<ws>[ \t\r\n\f\0]+|%[^\r\n]*)
  | (?P<str>\()
  | (?P<hex><[0-9A-Fa-f \t\r\n]*>)
  | (?P<dopen><<) | (?P<dclose>>>)
  | (?P<aopen>\[) | (?P<aclose>\])
  | (?P<name>/[^ \t\r\n\f\0()<>\[\]{}/%]*)
  | (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))
  | (?P<op>[^ \t\r\n\f\0()<>\[\]{}/%]+)
""", re.X)
ESC = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def literal(data, i):
    """The bytes of the literal string opening at data[i-1]; (bytes, end)."""
    out, depth, n = bytearray(), 1, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:
            i += 1
            c = data[i] if i < n else 0
            if c in ESC:
                out.append(ESC[c])
            elif 0x30 <= c <= 0x37:
                j = i
                while j < n and j < i + 3 and 0x30 <= data[j] <= 0x37:
                    j += 1
                out.append(int(data[i:j], 8) & 0xFF)
                i = j
                continue
            elif c in (0x0A, 0x0D):
                pass
            else:
                out.append(c)
            i += 1
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1
    return bytes(out), n


def operations(data):
    """(operator, operands) pairs; strings are bytes, names str with '/',
    arrays lists, dictionaries dicts."""
    stack, pos, n = [], 0, len(data)
    while pos < n:
        m = TOKEN.match(data, pos)
        if not m:
            pos += 1
            continue
        kind = m.lastgroup
        pos = m.end()
        if kind == "ws":
            continue
        if kind == "str":
            s, pos = literal(data, pos)
            stack.append(s)
        elif kind == "hex":
            h = re.sub(rb"\s", b"", m.group()[1:-1])
            stack.append(bytes.fromhex((h + b"0" * (len(h) % 2)).decode()))
        elif kind in ("dopen", "aopen"):
            stack.append(kind)
        elif kind in ("dclose", "aclose"):
            opener = "dopen" if kind == "dclose" else "aopen"
            j = len(stack) - 1
            while j >= 0 and stack[j] != opener:
                j -= 1
            items = stack[j + 1:]
            del stack[max(j, 0):]
            if kind == "aclose":
                stack.append(items)
            else:
                stack.append({items[k]: items[k + 1] for k in range(0, len(items) - 1, 2)
                              if isinstance(items[k], str)})
        elif kind == "name":
            stack.append(m.group().decode("latin-1"))
        elif kind == "num":
            stack.append(float(m.group()))
        else:
            op = m.group().decode("latin-1")
            if op in ("true", "false", "null"):
                stack.append(op == "true" if op != "null" else None)
                continue
            yield op, [v for v in stack if v not in ("dopen", "aopen")]
            stack = []
            if op == "ID":
                e = re.compile(rb"\sEI(?=\s|$)").search(data, pos)
                pos = e.end() if e else n


NAME = rb"/[^ \t\r\n\f\0()<>\[\]{}/%]+"
FAST = re.compile(rb"""(?=[/\[<EfFBbsSD])
    (?:(?P<bdc>""" + NAME + rb"""\s*(?:<<(?:[^<>]|<[0-9A-Fa-f\s]*>)*>>|""" + NAME + rb""")\s*BDC)
  | (?P<bmc>""" + NAME + rb"""\s*BMC)
  | (?P<emc>(?<![^\s])EMC(?=\s|$))
  | (?P<tf>(?P<font>""" + NAME + rb""")\s+[-+.\d]+\s+Tf)
  | (?P<tj>\[[^\]]*\]\s*TJ|<[0-9A-Fa-f\s]*>\s*Tj)
  | (?P<paint>(?<![^\s])(?:f\*|B\*|b\*|S|s|f|F|B|b|sh|Do)(?=\s|$)))
""", re.X)
HEXSTR = re.compile(rb"<([0-9A-Fa-f\s]*)>")
MCID = re.compile(rb"/MCID\s+(\d+)")
ACTUAL = re.compile(rb"/ActualText\s*(?:<([0-9A-Fa-f\s]*)>|\(\))")
# reportgen writes one literal string: "()", the ActualText of a hyphen it
# added (most pages); content with any other goes through operations()
EMPTY_ACTUAL = b"/ActualText ()"
TAGEND = re.compile(rb"\s*<<")


def scan(data):
    """operations() for the content reportgen writes, about ten times faster:
    only the operators the checks need (marked content, Tf, text showing,
    painting); strings in hexadecimal, or the empty literal "()" as an
    ActualText. Content with another literal string or an inline image
    goes through operations()."""
    if b"BI" in data or data.count(b"(") != data.count(EMPTY_ACTUAL):
        yield from operations(data)
        return
    depth = 0            # painting inside marked content needs no look
    for m in FAST.finditer(data):
        kind = m.lastgroup
        if kind == "tj":
            # one string for the whole array: the pieces' order is all that counts
            yield "Tj", [bytes.fromhex(b"".join(HEXSTR.findall(m.group())).decode())]
        elif kind == "tf":
            yield "Tf", [m.group("font").decode("latin-1"), 0.0]
        elif kind == "emc":
            depth -= 1
            yield "EMC", []
        elif kind == "paint":
            if depth <= 0:
                yield m.group().decode(), []
            continue
        elif kind == "bmc":
            depth += 1
            yield from operations(m.group())
        elif kind == "bdc" and b"<<" in m.group():
            depth += 1
            g = m.group()
            props = {}
            mc = MCID.search(g)
            if mc:
                props["/MCID"] = int(mc.group(1))
            at = ACTUAL.search(g)
            if at:
                hexa = at.group(1)
                props["/ActualText"] = b"" if hexa is None else bytes.fromhex(re.sub(rb"\s", b"", hexa).decode())
            if b"/Alt" in g:
                props["/Alt"] = True
            yield "BDC", [g[:TAGEND.search(g).start()].decode("latin-1"), props]
        else:
            depth += 1
            yield from operations(m.group())


# ---- fonts ------------------------------------------------------------------

class Font:
    def __init__(self, doc, ref, report):
        d = doc.get(ref) or {}
        self.ref = ref
        self.two_bytes = d.get("/Subtype") == "/Type0"
        self.map = {}
        self.has_tounicode = "/ToUnicode" in d
        self.name = (d.get("/BaseFont") or "?")[1:]
        desc = d
        if self.two_bytes:
            desc = doc.get((d.get("/DescendantFonts") or [None])[0]) or {}
        fd = doc.get(desc.get("/FontDescriptor")) or {}
        self.embedded = any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")) or \
            d.get("/Subtype") == "/Type3"
        data = doc.data(d.get("/ToUnicode")) if self.has_tounicode else None
        if data:
            self.parse_cmap(data.decode("latin-1"))
        self.report = report

    def parse_cmap(self, s):
        def uni(h):
            b = bytes.fromhex(h)
            return b.decode("utf-16-be", errors="replace")
        for block in re.findall(r"beginbfchar(.*?)endbfchar", s, re.S):
            for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
                self.map[int(src, 16)] = uni(dst)
        for block in re.findall(r"beginbfrange(.*?)endbfrange", s, re.S):
            for lo, hi, dst in re.findall(
                    r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
                lo, hi = int(lo, 16), int(hi, 16)
                if hi - lo > 65536:
                    continue
                if dst.startswith("["):
                    for k, h in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", dst)):
                        self.map[lo + k] = uni(h)
                else:
                    b = bytes.fromhex(dst[1:-1])
                    base = int.from_bytes(b, "big") if b else 0
                    for k in range(hi - lo + 1):
                        v = (base + k).to_bytes(len(b) or 2, "big")
                        self.map[lo + k] = v.decode("utf-16-be", errors="replace")

    def codes(self, s):
        if self.two_bytes:
            a = array.array("H")
            a.frombytes(s[:len(s) & ~1])
            if sys.byteorder == "little":
                a.byteswap()
            return a
        return list(s)


# ---- one page ---------------------------------------------------------------

class PageText:
    """Reads one page's content: the text of each MCID, and the marked-content
    findings."""

    def __init__(self, doc, f, page_no, page_ref, fonts, referenced):
        self.mcid_text = {}          # mcid -> [pieces of text] (ActualText applied)
        self.mcid_symbols = {}       # mcid -> symbols shown without alternative
        pd = doc.get(page_ref) or {}
        res = doc.get(pd.get("/Resources")) or {}
        font_res = doc.get(res.get("/Font")) or {}
        props_res = doc.get(res.get("/Properties")) or {}
        data = b"\n".join(doc.data(c) or b"" for c in doc.contents.get(page_ref, []))
        # the marked-content stack: [kind, mcid, replaced by ActualText, alt];
        # how many MCID and artifact sequences are open; the innermost MCID;
        # how many open sequences carry an alternative (ActualText or Alt)
        stack, n_mcid, n_art, alts, replaced = [], 0, 0, 0, 0
        cur = []                     # the innermost MCID's list of pieces
        font = None
        counts = Counter()
        where = f"page {page_no}"
        text_ops = TEXT_OPS

        def note(rule, what):
            counts[what] += 1
            if counts[what] <= 3:
                f.add(rule, where, what)

        for op, args in scan(data):
            if op in text_ops:
                if n_mcid == 0 and n_art == 0:
                    note("marked", "glyphs outside any MCID sequence or /Artifact (7.1-3)")
                if font is None:
                    note("ua-fonts", "text shown without a font (Tf)")
                    continue
                fmap, pieces = font.map, []
                for a in args:
                    for x in (a if isinstance(a, list) else (a,)):
                        if isinstance(x, bytes):
                            codes = font.codes(x)
                            t = list(map(fmap.get, codes))
                            if None in t or "" in t:
                                for c, u in zip(codes, t):
                                    if not u:
                                        note("ua-fonts", f"font {font.name}: code {c:#x} has "
                                             "no ToUnicode mapping (7.21.7)")
                                t = [u or "\ufffd" for u in t]
                            if font.two_bytes and 0 in codes:
                                note("ua-fonts", f"font {font.name}: CID 0 (.notdef) shown (7.21.8)")
                            pieces.extend(t)
                if n_mcid and not replaced:
                    text = "".join(pieces)
                    cur.append(text)
                    if not alts and not text.isascii():
                        sym = [ch for ch in text if unicodedata.category(ch) == "So"]
                        if sym:
                            self.mcid_symbols.setdefault(stack_mcid(stack), []).extend(sym)
            elif op == "EMC":
                if not stack:
                    note("marked", "EMC without a sequence")
                    continue
                e = stack.pop()
                n_mcid -= e[0] == "mcid"
                n_art -= e[0] == "artifact"
                alts -= e[3]
                replaced -= e[2]
                if e[0] == "mcid":
                    m = stack_mcid(stack)
                    cur = self.mcid_text[m] if m is not None else []
            elif op in ("BDC", "BMC"):
                tag = args[0] if args and isinstance(args[0], str) else "?"
                props = args[1] if op == "BDC" and len(args) > 1 else None
                if isinstance(props, str):
                    props = doc.get(props_res.get(props)) or {}
                props = props if isinstance(props, dict) else {}
                mcid = props.get("/MCID")
                if tag == "/Artifact":
                    if n_mcid:
                        note("marked", "an /Artifact sequence inside tagged content (7.1-1)")
                    e = ["artifact", None, 0, 0]
                    n_art += 1
                elif isinstance(mcid, (int, float)):
                    mcid = int(mcid)
                    if n_art:
                        note("marked", f"MCID {mcid} inside an /Artifact sequence (7.1-2)")
                    if n_mcid:
                        note("marked", f"MCID {mcid} nested in another MCID sequence: its "
                             "glyphs sit in two")
                    if mcid in self.mcid_text:
                        note("marked", f"MCID {mcid} used twice on the page")
                    if (page_ref, mcid) not in referenced:
                        note("marked", f"MCID {mcid} is not referenced by any structure "
                             "element: its content is unreachable from the tree")
                    cur = self.mcid_text.setdefault(mcid, [])
                    e = ["mcid", mcid, 0, 0]
                    n_mcid += 1
                else:
                    e = ["other", None, 0, 0]
                at = pdf_text(props.get("/ActualText")) if "/ActualText" in props else None
                if at is not None:
                    # the glyphs inside are replaced by the ActualText
                    if n_mcid and not replaced:
                        cur.append(at)
                    e[2] = 1
                if at is not None or "/Alt" in props:
                    e[3] = 1
                stack.append(e)
                replaced += e[2]
                alts += e[3]
            elif op == "Tf":
                ref = font_res.get(args[0]) if args and isinstance(args[0], str) else None
                if ref is None:
                    font = None
                else:
                    font = fonts.get(ref)
                    if font is None:
                        font = fonts[ref] = Font(doc, ref, f)
            elif op in PAINT_OPS:
                if n_mcid == 0 and n_art == 0:
                    note("marked", f"a {op} paint outside any MCID sequence or /Artifact (7.1-3)")
        if stack:
            note("marked", f"{len(stack)} marked-content sequence(s) left open")
        self.mcid_text = {k: "".join(v) for k, v in self.mcid_text.items()}


def stack_mcid(stack):
    for e in reversed(stack):
        if e[0] == "mcid":
            return e[1]
    return None


# ---- the structure tree ---------------------------------------------------------

class Elem:
    __slots__ = ("ref", "d", "role", "s", "kids", "parent", "text", "symbols", "depth")

    def __init__(self, ref, d, role, s, parent, depth):
        self.ref, self.d, self.role, self.s, self.parent = ref, d, role, s, parent
        self.kids, self.text, self.symbols, self.depth = [], "", [], depth


def read_tree(doc, root, f):
    """Elements in tree order, each with its kids: ("mcid", page, n),
    ("objr", annot), ("elem", Elem)."""
    rolemap = doc.get(root.get("/RoleMap")) or {}
    for k, v in rolemap.items():
        if k[1:] in STANDARD:
            f.add("ua-struct", "RoleMap", f"standard type {k} is remapped to {v} (7.1-6)")
    elems, seen = [], set()
    stack = [(k, None, None, 0) for k in reversed(as_list(root.get("/K")))]
    while stack:
        kid, parent, pg, depth = stack.pop()
        d = doc.get(kid)
        if not isinstance(d, dict):
            continue
        key = kid if isinstance(kid, str) else id(d)
        if key in seen:
            f.add("ua-struct", f"element {kid}", "appears twice in the tree")
            continue
        seen.add(key)
        s = d.get("/S", "/?")[1:] if isinstance(d.get("/S"), str) else "?"
        role, hops, visited = s, 0, set()
        while role not in STANDARD and "/" + role in rolemap and hops < 20:
            if role in visited:
                f.add("ua-struct", f"element {kid}", f"circular RoleMap for /{s} (7.1-7)")
                break
            visited.add(role)
            role = str(rolemap["/" + role])[1:]
            hops += 1
        if role not in STANDARD:
            f.add("ua-struct", f"element {kid}", f"/S /{s} is neither standard nor role-mapped "
                  "to a standard type (7.1-5)")
        e = Elem(kid, d, role, s, parent, depth)
        elems.append(e)
        if parent is not None:
            parent.kids.append(("elem", e))
        pg = d.get("/Pg", pg)
        later = []
        for k in as_list(d.get("/K")):
            if isinstance(k, (int, float)):
                e.kids.append(("mcid", pg, int(k)))
                continue
            kd = doc.get(k)
            if isinstance(kd, dict) and kd.get("/Type") == "/OBJR":
                e.kids.append(("objr", kd.get("/Obj")))
            elif isinstance(kd, dict) and "/MCID" in kd and "/S" not in kd:
                e.kids.append(("mcid", kd.get("/Pg", pg), int(kd["/MCID"])))
            else:
                # an element: placed among the kids when popped, in order
                e.kids.append(("pending", k))
                later.append(k)
        for k in reversed(later):
            stack.append((k, e, pg, depth + 1))
    # replace the placeholders by the elements (same order)
    for e in elems:
        real = [k for k in e.kids if k[0] == "elem"]
        out, it = [], iter(real)
        for k in e.kids:
            if k[0] == "pending":
                out.append(next(it, ("elem", None)))
            elif k[0] != "elem":
                out.append(k)
        e.kids = [k for k in out if k[1] is not None or k[0] != "elem"]
    return elems


def covered(e):
    """Whether e or an ancestor has a text alternative."""
    while e is not None:
        if "/Alt" in e.d or "/ActualText" in e.d:
            return True
        e = e.parent
    return False


def element_texts(elems, mcid_text, mcid_symbols):
    """Each element's text (its kids' in order; /ActualText replaces it)."""
    for e in reversed(elems):           # children come after their parent in tree order
        at = pdf_text(e.d.get("/ActualText"))
        parts, syms = [], []
        for k in e.kids:
            if k[0] == "mcid":
                parts.append(mcid_text.get((k[1], k[2]), ""))
                syms.extend(mcid_symbols.get((k[1], k[2]), []))
            elif k[0] == "elem" and k[1].role == "Note":
                pass                    # a note is a block of its own, not its paragraph's text
            elif k[0] == "elem" and not (e.role == "Note" and k[1].role == "Lbl"):
                parts.append(k[1].text)     # (a Note's text is without its number)
        e.text = at if at is not None else "".join(parts)
        e.symbols = syms            # of its own MCIDs: reported once, here


# ---- the definition -----------------------------------------------------------

WILD = "\0"                        # a <ref/>: generated words


def inline_text(el, links=None):
    """The text of mixed content: <ref/> as WILD; <a> texts appended to links."""
    out = [el.text or ""]
    for c in el:
        tag = c.tag.replace(NS, "")
        if tag == "value-of":
            out.append(WILD)                # a figure from the data (issue 17): no link
            out.append(c.tail or "")
            continue
        if tag in ("ref", "note"):
            out.append(WILD)                # a note: its number, a link to it (issue 16)
            if links is not None:
                links.append(WILD)          # a <ref/> is a link too
        elif tag in ("list", "p"):
            out.append(c.tail or "")
            continue
        else:
            t = inline_text(c, links)
            if tag == "a" and links is not None:
                links.append(norm(t))
            out.append(t)
        out.append(c.tail or "")
    return "".join(out)


def norm(s):
    s = s.replace("\u00ad", "").replace("\u200b", "")
    return " ".join(s.split())


def definition_blocks(path):
    """Expected blocks in document order: (kind, text, links, extra)."""
    tree = ET.parse(path)
    root = tree.getroot()
    base = os.path.dirname(os.path.abspath(path))

    def loader(href, parse, encoding=None):
        full = os.path.join(base, href)
        if parse == "xml":
            return ET.parse(full).getroot()
        with open(full, encoding=encoding or "utf-8") as fh:
            return fh.read()
    ElementInclude.include(root, loader=loader, max_depth=3)
    blocks, tables = [], []
    info = root.find(NS + "info")
    datasets = {d.get("id"): d for d in root.iter(NS + "dataset")}

    def add(kind, el, **extra):
        links = []
        t = norm(inline_text(el, links)) if not isinstance(el, str) else norm(el)
        if t:
            blocks.append((kind, t, links, extra))
        if not isinstance(el, str):
            add_notes(el)

    def add_notes(el):
        """The notes in el's own text: Note blocks after it (issue 16)."""
        for c in el:
            tag = c.tag.replace(NS, "")
            if tag == "note":
                links = []
                blocks.append(("Note", norm(inline_text(c, links)), links, {}))
            elif tag in ("em", "strong", "nobreak", "a"):
                add_notes(c)

    def walk(el):
        tag = el.tag.replace(NS, "")
        if tag == "cover" and info is not None and info.find(NS + "title") is not None:
            add("heading", info.find(NS + "title"), cover=True)
        elif tag == "toc":
            add("heading", el.get("title") or "", toc=True)
        elif tag in ("section", "foreword", "appendix"):
            for c in el:
                if c.tag == NS + "title":
                    add("heading", c)
                else:
                    walk(c)
        elif tag == "p":
            add("P", el)
        elif tag == "list":
            for it in el:
                if it.tag == NS + "item":
                    add("LI", it)
                    for c in it:
                        if c.tag in (NS + "list", NS + "p"):
                            walk(c)
        elif tag == "quote":
            for c in el:
                if c.tag == NS + "attribution":   # "— " before it (issue 17)
                    blocks.append(("P", WILD + " " + norm(inline_text(c)), [], {}))
                else:
                    walk(c)
        elif tag == "definitions":              # an LI per entry, its LBody the definition
            for en in el:
                d = en.find(NS + "definition")
                if d is not None:
                    add("LI", d)
        elif tag == "box":                      # its title a P (issue 17)
            for c in el:
                if c.tag == NS + "title":
                    add("P", c)
                else:
                    walk(c)
        elif tag == "signature":
            for c in el:
                add("P", c)
        elif tag == "table":
            cap = el.find(NS + "caption")
            if cap is not None:
                add("Caption", cap, numbered=True)
            ds = datasets.get(el.get("data"))
            fields = {fl.get("name"): fl for fl in ds.iter(NS + "field")} if ds is not None else {}
            cols = [c for c in el if c.tag == NS + "column"]
            heads = set()
            for c in cols:
                fl = fields.get(c.get("field"))
                heads.add(norm(c.get("label") or (fl.get("label") if fl is not None else None)
                               or c.get("field") or ""))
                if c.get("group"):
                    heads.add(norm(c.get("group")))
            cells = set()
            if ds is not None and ds.get("src") is None:
                names = [fl.get("name") for fl in ds.iter(NS + "field")]
                recs = [dict(zip(names, [norm(v.text or "") for v in rec.iter(NS + "value")]))
                         for rec in ds.iter(NS + "record")]
                covered = spanned_cells(el, cols, recs)
                for i, vals in enumerate(recs):
                    for k, c in enumerate(cols):
                        fl = fields.get(c.get("field"))
                        if fl is not None and fl.get("type", "text") == "text" and \
                           (i, k) not in covered:
                            cells.add(vals.get(c.get("field"), ""))
            tables.append((heads - {""}, cells - {""}))
            for c in el:
                if c.tag == NS + "note":      # footnotes on cells (issue 16)
                    links = []
                    blocks.append(("Note", norm(inline_text(c, links)), links, {}))
        elif tag == "chart":
            cap = el.find(NS + "caption")
            if cap is not None:
                add("Caption", cap, numbered=True)
            alt = el.find(NS + "alt")
            if alt is not None:
                blocks.append(("alt", norm("".join(alt.itertext())), [], {}))
        elif tag == "image":
            # a Figure with the definition's alt=; a decorative one none
            cap = el.find(NS + "caption")
            if cap is not None:
                add("Caption", cap, numbered=True)
            if el.get("decorative") not in ("true", "1"):
                blocks.append(("alt", norm(el.get("alt") or ""), [], {}))
        else:
            for c in el:
                walk(c)
    for c in root:
        if c.tag not in (NS + "info", NS + "data"):
            walk(c)
    written = set("".join(root.itertext()))
    written |= {a for el in root.iter() for v in el.attrib.values() for a in v}
    # the characters of the data files the datasets read are written too
    for ds in root.iter(NS + "dataset"):
        src = ds.get("src")
        if src:
            try:
                with open(os.path.join(os.path.dirname(path), src), encoding="utf-8") as fh:
                    written |= set(fh.read())
            except (OSError, UnicodeError):
                pass
    # Figures: one per chart, informative image and cover logo (issue 15)
    nfig = sum(1 for el in root.iter(NS + "chart"))
    nfig += sum(1 for el in root.iter(NS + "image") if el.get("decorative") not in ("true", "1"))
    nfig += sum(1 for el in root.iter(NS + "cover") if el.get("logo"))
    blocks.append(("figures", str(nfig), [], {}))
    return (blocks, tables), written


# ---- comparing ----------------------------------------------------------------

HEADING = re.compile(r"^H[1-6]?$")
# generated text allowed before a block's text
# (appendices, issue 16: "Bijlage A ", "A.1 ", "Tabel A.1 ")
PREFIX = {"heading": re.compile(r"(?:[A-Z]{1,2}|\d+)(?:\.\d+)*\.?\s+|\S+\s+[A-Z]{1,2}\s+"),
          "Caption": re.compile(r"\S+\s+(?:[A-Z]{1,2}\.)?\d+[.:]?\s+")}


def matches(kind, want, got):
    """got is want, after a generated prefix, with any text for each <ref/>."""
    gots = [got]
    m = PREFIX[kind].match(got) if kind in PREFIX else None
    if m:
        gots.append(got[m.end():])
    if kind == "Caption":
        # a caption always starts with its label ("Tabel 13 "): its text is
        # what follows (a table without a caption reads "Tabel 13" alone)
        gots = gots[1:]
    for g in gots:
        if WILD not in want:
            if g == want:
                return True
            continue
        parts = want.split(WILD)
        if not (g.startswith(parts[0]) and g.endswith(parts[-1])):
            continue
        pos, end = len(parts[0]), len(g) - len(parts[-1])
        for p in parts[1:-1]:
            k = g.find(p, pos + 1, end) if p else pos + 1
            if k < 0:
                break
            pos = k + len(p)
        else:
            if pos < end:
                return True
    return False


def word_diff(want, got):
    a, b = want.split(" "), got.split(" ")
    i = 0
    while i < len(a) and i < len(b) and (a[i] == b[i] or WILD in a[i]):
        i += 1

    def ctx(ws):
        return " ".join(ws[max(0, i - 2):i + 3]).replace(WILD, "<ref/>")
    return f"word {i + 1}: wrote '…{ctx(a)}…', tagged '…{ctx(b)}…'{cause(a, b, i)}"


def cause(a, b, i):
    """What the first difference looks like, for the reader of the finding."""
    x = a[i] if i < len(a) else ""
    y = b[i] if i < len(b) else ""
    if i >= len(b):
        return " (the tags end early: text lost)"
    if i + 1 < len(a) and y.startswith(x + a[i + 1].split(WILD)[0]) and len(y) > len(x):
        return " (words run together)"
    if "-" in y and y.replace("-", "") == (x + (a[i + 1] if i + 1 < len(a) else ""))[:len(y) - 1]:
        return " (a hyphenated word in pieces)"
    if "-" in y and x.startswith(y.split("-")[0]) and not x.startswith(y):
        return " (a hyphenated word in pieces)"
    if re.search(r"\d$", y) and y.rstrip("0123456789.") == x:
        return " (a number after the title)"
    if len(b) < len(a) and b[i:] and " ".join(b[i:]) in " ".join(a[i:]):
        return " (text lost)"
    return ""


def role_class(e):
    if HEADING.match(e.role):
        return "heading"
    if e.role == "LI":
        return "LI"
    return e.role


def compare(blocks, elems, f, figures):
    # candidate elements: outside the TOC; LI's text is its LBody's (without Lbl)
    cands = []
    skip = set()
    for e in elems:
        if e.parent is not None and id(e.parent) in skip or e.role == "TOC":
            skip.add(id(e))
            continue
        if e.role == "LI":
            body = [k[1] for k in e.kids if k[0] == "elem" and k[1].role == "LBody"]
            own = norm(body[0].text) if body else norm(e.text)
            # a nested list's or paragraph's text is its own block
            if body:
                inner = "".join(k[1].text for k in body[0].kids
                                if k[0] == "elem" and k[1].role in ("L", "P"))
                if inner and norm(body[0].text).endswith(norm(inner)):
                    own = norm(norm(body[0].text)[:len(norm(body[0].text)) - len(norm(inner))])
            cands.append(("LI", own, e))
        elif role_class(e) in ("heading", "P", "Caption", "Note"):
            cands.append((role_class(e), norm(e.text), e))
    alts = [norm(pdf_text(e.d.get("/Alt")) or "") for e in figures]
    for kind, want, links, extra in blocks:
        if kind == "alt" and not any(a.startswith(want) for a in alts):
            f.add("alt", "Figure", f"no Figure's /Alt starts with the definition's <alt> "
                  f"'{want[:60]}…'")
        if kind == "figures" and len(figures) != int(want):
            f.add("alt", "Figure", f"{len(figures)} Figures, but the definition has {want} "
                  f"(charts, informative images, cover logo; a decorative image is none)")
    exp = [b for b in blocks if b[0] not in ("alt", "figures", "Note")]
    # notes (issue 16): each note's text is one Note element's, wherever the
    # layout sets it (a page's foot, a chapter's or the report's end)
    note_elems = [c for c in cands if c[0] == "Note"]
    cands = [c for c in cands if c[0] != "Note"]
    for kind, want, links, extra in (b for b in blocks if b[0] == "Note"):
        hit = next((c for c in note_elems if matches("Note", want, c[1])), None)
        if hit is None:
            near = max(note_elems, key=lambda c: len(set(want.split()) & set(c[1].split())),
                       default=None)
            f.add("text", f"Note '{want[:50]}'", "no Note element carries it" +
                  (f"; closest: {near[2].ref} '{near[1][:60]}'" if near else ""))
            continue
        note_elems.remove(hit)
        check_links(links, hit[2], f)
    # Align the written blocks with the tagged elements (difflib on keys):
    # a block's key is the text of a tagged element it matches (generated
    # prefixes and <ref/> allowed), else the block's own text.
    by_text = {}
    for i, c in enumerate(cands):
        by_text.setdefault(c[1], []).append(i)
    ekeys = []
    at = 0                             # blocks and elements go in order: search on from here
    for kind, want, links, extra in exp:
        same = [i for i in by_text.get(want, []) if cands[i][0] == kind]
        key = None
        if same:
            i = next((i for i in same if i >= at), same[0])
            key, at = (kind, want), i + 1
        elif WILD in want or kind in PREFIX:
            last = want.split(" ")[-1].split(WILD)[-1]
            order = list(range(at, len(cands))) + list(range(0, at))
            if want == WILD:            # a lone <ref/>: an element that reads "Tabel 4",
                order.sort(key=lambda ci: not re.fullmatch(   # "Tabel A.1", "Bijlage B" first
                    r"\S+ (?:[A-Z]{1,2}\.)?\d+(?:\.\d+)*|\S+ [A-Z]{1,2}", cands[ci][1]))
            for ci in order:
                c = cands[ci]
                if c[0] == kind and c[1].endswith(last) and matches(kind, want, c[1]):
                    key, at = (kind, c[1]), ci + 1
                    break
        ekeys.append(key or (kind, want))
    akeys = [(c[0], c[1]) for c in cands]
    sm = difflib.SequenceMatcher(None, ekeys, akeys, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for k in range(i2 - i1):
                check_links(exp[i1 + k][2], cands[j1 + k][2], f)
            continue
        if op == "insert":
            continue                # tagged text the definition has not: generated
        pool = list(range(j1, j2))
        for i in range(i1, i2):
            kind, want, links, extra = exp[i]
            what = f"{kind} '{want[:50]}'".replace(WILD, "<ref/>")
            same = [j for j in pool if akeys[j][1] == ekeys[i][1]]
            if same:
                c = cands[same[0]]
                f.add("text", what, f"tagged as {c[2].role} {c[2].ref}, not as "
                      f"{'a heading' if kind == 'heading' else kind}")
                pool = [j for j in pool if j > same[0]]
                continue
            words = set(want.split(" "))

            def alike(j):
                # the share of words in common, of the shorter text
                got = set(akeys[j][1].split(" "))
                return len(words & got) / max(1, min(len(words), len(got)))
            near = [j for j in pool if akeys[j][0] == kind]
            best = max(near, key=alike, default=None)
            if best is None or alike(best) < 0.5:
                other = max(pool, key=alike, default=None)
                hint = ""
                if other is not None and alike(other) >= 0.5:
                    c = cands[other]
                    hint = f"; closest: {c[2].role} {c[2].ref} '{c[1][:60]}'"
                f.add("text", what, "no structure element of that role carries it" + hint)
                continue
            c = cands[best]
            got = c[1]
            if matches(kind, want, got):       # aligned elsewhere: repeated texts ("Tabel 2 X")
                check_links(links, c[2], f)
                pool = [j for j in pool if j > best]
                continue
            m = PREFIX[kind].match(got) if kind in PREFIX else None
            if m and not want.startswith(got[:m.end()]):
                got = got[m.end():]          # the generated prefix is not the difference
            f.add("text", f"{c[2].role} {c[2].ref}", word_diff(want, got))
            check_links(links, c[2], f)
            pool = [j for j in pool if j > best]


def spanned_cells(table, cols, recs):
    """(record, column) pairs a <cell-span> of table covers, its own first
    cell left out (issue 17); records as the table shows them: grouped by
    group-by= (groups in order of first appearance), else in data order."""
    by = table.get("group-by")
    order = list(range(len(recs)))
    if by:
        first = {}
        for i, r in enumerate(recs):
            first.setdefault(r.get(by, ""), i)
        order.sort(key=lambda i: first[recs[i].get(by, "")])
    out = set()
    key_field = cols[0].get("field") if cols else None
    for sp in table:
        if sp.tag != NS + "cell-span":
            continue
        at = [j for j, i in enumerate(order) if recs[i].get(key_field) == norm(sp.get("row", ""))]
        ks = [k for k, c in enumerate(cols) if c.get("field") == sp.get("field")]
        if len(at) != 1 or not ks:
            continue
        for j in range(at[0], at[0] + int(sp.get("rows", "1"))):
            for k in range(ks[0], ks[0] + int(sp.get("cols", "1"))):
                if (j, k) != (at[0], ks[0]) and j < len(order):
                    out.add((order[j], k))
    return out


SUPERSCRIPT_MARK = re.compile("[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+$")


def compare_tables(tables, elems, f):
    """The n-th table of the definition is the n-th Table element: its
    column and group labels are TH texts, its literal text cells TD texts
    (as sets: header rows and merged cells change order and count)."""
    tagged = [e for e in elems if e.role == "Table"]
    if len(tagged) != len(tables):
        f.add("text", "Table", f"{len(tables)} table(s) written, {len(tagged)} tagged")
    for (heads, cells), t in zip(tables, tagged):
        th, td, todo = set(), set(), [t]
        while todo:
            x = todo.pop()
            for k in x.kids:
                if k[0] == "elem":
                    if k[1].role in ("TH", "TD"):
                        # a footnote's number after a cell's value (issue 16)
                        cell = SUPERSCRIPT_MARK.sub("", norm(k[1].text))
                        (th if k[1].role == "TH" else td).add(cell)
                    else:
                        todo.append(k[1])
        for kind, want_set, got_set in (("column label", heads, th), ("cell", cells, td)):
            squeezed = {re.sub(r"[\s-]", "", g): g for g in got_set}
            for want in sorted(want_set - got_set):
                g = squeezed.get(re.sub(r"[\s-]", "", want))
                why = ""
                if g is not None:
                    why = (f": tagged '{g[:60]}'" + cause(want.split(" "), g.split(" "), next(
                        (i for i, (x, y) in enumerate(zip(want.split(" "), g.split(" ")))
                         if x != y), 0)))
                f.add("text", f"Table {t.ref}", f"{kind} '{want[:60]}' is no "
                      f"{'TH' if kind == 'column label' else 'TD'}'s text{why}")


def link_elems(e):
    """The Link elements inside e, in tree order; not those of a list or
    paragraph nested in a list item (a block of its own)."""
    out, todo = [], [e]
    while todo:
        x = todo.pop()
        if x is not e and x.role == "Link":
            out.append(x)
            continue
        if x is not e and x.role == "Note":
            continue                    # a note's links are its own block's
        if x is not e and e.role == "LI" and x.role in ("L", "P"):
            continue
        todo.extend(k[1] for k in reversed(x.kids) if k[0] == "elem")
    return out


def check_links(links, e, f):
    got = [norm(x.text) for x in link_elems(e)]
    if links and (len(got) != len(links) or
                  any(w != WILD and w != g for w, g in zip(links, got))):
        links = [w.replace(WILD, "<ref/>") for w in links]
        short = lambda ts: [t if len(t) < 40 else t[:37] + "…" for t in ts]
        f.add("link", f"{e.role} {e.ref}", f"{len(links)} link(s) {short(links)!r} written, "
              f"{len(got)} Link element(s) {short(got)!r} tagged")


def cell_span(doc, e):
    """(colspan, rowspan) of a TH or TD from its attribute dictionaries."""
    cs = rs = 1
    for a in as_list(doc.get(e.d.get("/A"))):
        a = doc.get(a)
        if isinstance(a, dict):
            cs = int(a.get("/ColSpan", cs))
            rs = int(a.get("/RowSpan", rs))
    return cs, rs


def check_table_grid(doc, table, where, f):
    """Issue 17: the rows of a table (THead, TBody, TFoot or bare TRs, in
    order) each cover the same number of columns, a cell covering /ColSpan
    columns and, with /RowSpan, the same columns of the rows below."""
    rows, todo = [], [table]
    while todo:
        x = todo.pop(0)
        for k in x.kids:
            if k[0] != "elem":
                continue
            if k[1].role == "TR":
                rows.append(k[1])
            elif k[1].role in ("THead", "TBody", "TFoot"):
                todo.append(k[1])
    carry, width = {}, None                 # column -> rows still covered from above
    for n, tr in enumerate(rows):
        taken = {c for c, left in carry.items() if left > 0}
        col = 0
        for k in tr.kids:
            if k[0] != "elem" or k[1].role not in ("TH", "TD"):
                continue
            while col in taken:
                col += 1
            cs, rs = cell_span(doc, k[1])
            for c in range(col, col + cs):
                taken.add(c)
                if rs > 1:
                    carry[c] = max(carry.get(c, 0), rs)
            col += cs
        covered = max(taken) + 1 if taken else 0
        carry = {c: left - 1 for c, left in carry.items() if left - 1 > 0}
        if width is None:
            width = covered
        elif covered != width:
            f.add("table", where, f"row {n + 1} covers {covered} column(s), the first row "
                  f"{width} (/ColSpan, /RowSpan)")
            return


# ---- the document-level rules ----------------------------------------------------

def check_doc(doc, f, definition):
    cat = doc.get(doc.trailer.get("/Root")) or {}
    if "/Encrypt" in doc.trailer:
        enc = doc.get(doc.trailer["/Encrypt"]) or {}
        p = int(enc.get("/P", 0))
        if not p & (1 << 9):
            f.add("ua-misc", "Encrypt", "the accessibility permission (bit 10) is off (7.16)")
    meta = doc.data(cat.get("/Metadata")) if isinstance(cat.get("/Metadata"), str) else None
    if meta is None:
        f.add("ua-meta", "catalog", "no /Metadata stream (7.1-8)")
    else:
        x = meta.decode("utf-8", errors="replace")
        m = re.search(r"<dc:title>.*?<rdf:li[^>]*>([^<]*)</rdf:li>", x, re.S)
        if not m or not m.group(1).strip():
            f.add("ua-meta", "XMP", "no dc:title (7.1-9)")
        if not re.search(r"pdfuaid:part(>\s*1\s*<|\s*=\s*[\"']1[\"'])", x):
            f.add("ua-meta", "XMP", "no pdfuaid:part 1 (5)")
    vp = doc.get(cat.get("/ViewerPreferences")) or {}
    if vp.get("/DisplayDocTitle") is not True:
        f.add("ua-meta", "catalog", "/ViewerPreferences /DisplayDocTitle is not true (7.1-10)")
    mi = doc.get(cat.get("/MarkInfo")) or {}
    if mi.get("/Marked") is not True:
        f.add("ua-meta", "catalog", "/MarkInfo /Marked is not true (7.1)")
    if mi.get("/Suspects") is True:
        f.add("ua-meta", "catalog", "/MarkInfo /Suspects is true (7.1)")
    lang = pdf_text(cat.get("/Lang"))
    if not lang:
        f.add("ua-lang", "catalog", "no /Lang (7.2)")
    oc = doc.get(cat.get("/OCProperties"))
    if isinstance(oc, dict):
        for c in [doc.get(oc.get("/D"))] + [doc.get(x) for x in as_list(doc.get(oc.get("/Configs")))]:
            if isinstance(c, dict) and not pdf_text(c.get("/Name")):
                f.add("ua-misc", "OCProperties", "an optional content configuration without "
                      "/Name (7.10)")
    acro = doc.get(cat.get("/AcroForm")) or {}
    if "/XFA" in acro:
        f.add("ua-misc", "AcroForm", "XFA (7.15)")
    for k, o in doc.objs.items():
        v = o.get("value") if "value" in o else (o.get("stream") or {}).get("dict")
        if not isinstance(v, dict):
            continue
        if v.get("/Type") == "/Filespec" or "/EF" in v:
            if "/F" not in v or "/UF" not in v:
                f.add("ua-misc", k[4:], "a file specification without /F and /UF (7.11)")
        if v.get("/Subtype") == "/Form" and "/Ref" in v:
            f.add("ua-misc", k[4:], "a reference XObject (7.20)")
        if "/Lang" in v and not LANG_RE.match(pdf_text(v["/Lang"]) or "x"):
            if pdf_text(v["/Lang"]) != "":
                f.add("ua-lang", k[4:], f"/Lang {pdf_text(v['/Lang'])!r} is not a BCP 47 tag (7.2)")

    root = doc.get(cat.get("/StructTreeRoot"))
    if not isinstance(root, dict):
        f.add("ua-struct", "catalog", "no /StructTreeRoot (7.1-11)")
        return
    elems = read_tree(doc, root, f)
    referenced = {}
    for e in elems:
        for k in e.kids:
            if k[0] == "mcid":
                referenced.setdefault((k[1], k[2]), []).append(e)
    for key, owners in referenced.items():
        if len(owners) > 1:
            f.add("marked", f"MCID {key[1]}", f"referenced by {len(owners)} elements: its "
                  "glyphs would be read twice")

    fonts, mcid_text, mcid_symbols, drawn = {}, {}, {}, set()
    for n, page in enumerate(doc.pages, 1):
        pt = PageText(doc, f, n, page, fonts, referenced)
        for mcid, t in pt.mcid_text.items():
            mcid_text[(page, mcid)] = t
            drawn.add((page, mcid))
        for mcid, s in pt.mcid_symbols.items():
            mcid_symbols[(page, mcid)] = s
        pd = doc.get(page) or {}
        annots = [(a, doc.get(a)) for a in as_list(doc.get(pd.get("/Annots")))]
        if annots and pd.get("/Tabs") != "/S":
            f.add("ua-annots", f"page {n}", "annotations but no /Tabs /S (7.18.3)")
    for key in referenced:
        if key not in drawn:
            f.add("marked", f"MCID {key[1]}", f"referenced by {referenced[key][0].role} "
                  f"{referenced[key][0].ref} but not in its page's content")
    for font in fonts.values():
        if not font.embedded:
            f.add("ua-fonts", font.name, "font program not embedded (7.21.4.1)")
        if not font.has_tounicode:
            f.add("ua-fonts", font.name, "no ToUnicode map (7.21.7)")

    element_texts(elems, mcid_text, mcid_symbols)
    for e in elems:                 # an inline element holding nothing reads as nothing
        if e.role in ("Span", "Link", "Lbl") and not any(k[0] in ("mcid", "elem")
                                                           for k in e.kids):
            f.add("ua-struct", f"{e.role} {e.ref}", "empty: no content and no elements "
                  "(an element opened where nothing is tagged, e.g. in an artifact)")
    if DUMP:
        for e in elems:
            print("  " * e.depth + f"{e.role} {e.ref}: {norm(e.text)[:100]!r}")

    # annotations and their elements
    objr = {}
    for e in elems:
        for k in e.kids:
            if k[0] == "objr":
                objr.setdefault(k[1], []).append(e)
    for n, page in enumerate(doc.pages, 1):
        pd = doc.get(page) or {}
        for a in as_list(doc.get(pd.get("/Annots"))):
            ad = doc.get(a) or {}
            st = ad.get("/Subtype")
            if st in ("/Popup",) or (int(ad.get("/F", 0)) & 2):
                continue
            owners = objr.get(a, [])
            if st == "/PrinterMark":
                if owners:
                    f.add("ua-annots", f"page {n} {a}", "a PrinterMark in the structure tree (7.18.8)")
                continue
            want = "Link" if st == "/Link" else "Form" if st == "/Widget" else "Annot"
            if [o.role for o in owners] != [want]:
                f.add("ua-annots", f"page {n} {a}", f"{st} annotation is in "
                      f"{[o.role for o in owners] or 'no'} element(s), not in one {want} "
                      f"({'7.18.5' if want == 'Link' else '7.18.1'})")
            contents = norm(pdf_text(ad.get("/Contents")) or "")
            if st != "/Widget" and not contents and "/Alt" not in (owners[0].d if owners else {}):
                f.add("ua-annots", f"page {n} {a}", f"{st} annotation without /Contents "
                      "(7.18.1)")
            if st == "/Link" and owners and owners[0].role == "Link":
                t = norm(owners[0].text)
                # a contents entry's link reads "Voorwoord 3": its /Contents
                # names the target, the page number is what the row shows
                toc_page = (owners[0].parent is not None and owners[0].parent.role == "TOCI"
                            and re.fullmatch(re.escape(contents) + r" \d+", t))
                # a link of more than a sentence is named by its first words
                # and "…" (layout/flow.c, LINK_CONTENTS_MAX)
                cut = contents.endswith("…") and len(contents) > 100 and \
                    t.startswith(contents[:-1].rstrip())
                # a footnote's reference reads "3" (or ",3" after another):
                # its /Contents says what it is, "noot 3" (layout/note.c)
                mark = re.fullmatch(r",?(\d+)", t)
                note_mark = bool(mark) and re.fullmatch(r"\S+ " + mark.group(1), contents)
                if contents != t and not toc_page and not cut and not note_mark:
                    f.add("link", f"Link {owners[0].ref}", f"annotation {a} /Contents "
                          f"'{contents}' is not the Link's whole text '{t}'")

    blocks, written = None, set()
    if definition:
        try:
            blocks, written = definition_blocks(definition)
        except (ET.ParseError, OSError) as ex:
            f.add("text", definition, f"cannot read the definition: {ex}")

    # element rules
    levels, kinds, figures = [], set(), []
    for e in elems:
        where = f"{e.role} {e.ref}"
        if e.role in PARENTS:
            pr = e.parent.role if e.parent else "StructTreeRoot"
            if pr not in PARENTS[e.role]:
                f.add("ua-struct", where, f"parent is {pr}, not {'/'.join(sorted(PARENTS[e.role]))} (7.2)")
        if e.role == "Note" and not e.d.get("/ID"):
            f.add("ua-struct", where, "Note without /ID (7.9)")
        if e.role == "Note" and not any(k[0] == "elem" and k[1].role == "Lbl" for k in e.kids[:1]):
            f.add("ua-struct", where, "Note without Lbl (its number) first")
        if e.role == "Figure":
            figures.append(e)
            if not norm(pdf_text(e.d.get("/Alt")) or "") and \
               not norm(pdf_text(e.d.get("/ActualText")) or ""):
                f.add("alt", where, "Figure without /Alt (7.3)")
        # a symbol the author wrote is theirs to explain; one reportgen adds needs words
        syms = sorted(set(e.symbols) - written)
        if syms and not covered(e):
            f.add("alt", f"{where} '{norm(e.text)[:40]}'", "symbol(s) "
                  f"{''.join(syms)} read by name: no /Alt or /ActualText")
        if e.role == "Table":
            check_table_grid(doc, e, where, f)
        if e.role == "TH":
            attrs = [doc.get(a) for a in as_list(doc.get(e.d.get("/A")))]
            if not any(isinstance(a, dict) and a.get("/Scope") in ("/Row", "/Column", "/Both")
                       for a in attrs) and "/Headers" not in str(attrs):
                f.add("scope", where, "TH without /Scope (7.5)")
        if HEADING.match(e.role):
            kinds.add("H" if e.role == "H" else "Hn")
            if e.role != "H":
                lv = int(e.role[1])
                last = levels[-1] if levels else 0
                if lv > last + 1:
                    f.add("headings", f"{where} '{norm(e.text)[:40]}'",
                          f"{e.role} follows {'H' + str(last) if last else 'no heading'} (7.4.2)")
                levels.append(lv)
    if kinds == {"H", "Hn"}:
        f.add("headings", "tree", "H and H1-H6 mixed (7.4.4)")
    if blocks is not None:
        compare(blocks[0], elems, f, figures)
        compare_tables(blocks[1], elems, f)


# ---- main -------------------------------------------------------------------

def qpdf_json(pdf):
    """(exit code, stdout, stderr) of qpdf's JSON of pdf with its streams
    decoded. Both go through files, read once qpdf is done: through pipes
    (subprocess.run's poll loop) the JSON (megabytes) came in ~100,000
    small reads for ten generated reports."""
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            rc = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline",
                                 "--decode-level=generalized", pdf],
                                stdout=out, stderr=err, check=False).returncode
            out.seek(0)
            err.seek(0)
            return rc, out.read(), err.read()
    except FileNotFoundError:
        print("tag_check: qpdf not found", file=sys.stderr)
        sys.exit(2)


def check(pdf, definition):
    f = Findings(pdf)
    rc, out, err = qpdf_json(pdf)
    if rc not in (0, 3):
        f.add("file", "qpdf", err.decode(errors="replace").strip()[:200])
        return f
    doc = Doc(json.loads(out))
    check_doc(doc, f, definition)
    return f


def main(argv):
    global DUMP
    DUMP = "--dump" in argv
    quiet = "--quiet" in argv
    summary = "--summary" in argv
    argv = [a for a in argv if a not in ("--quiet", "--summary", "--dump")]
    pairs = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--list":
            with open(argv[i + 1], encoding="utf-8") as fh:
                for line in fh:
                    parts = line.rstrip("\n").split("\t")
                    if parts[0]:
                        pairs.append((parts[0], parts[1] if len(parts) > 1 and parts[1] else None))
            i += 2
            continue
        pdf, _, d = a.partition("=")
        pairs.append((pdf, d or None))
        i += 1
    if not pairs:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    total, bad, per_rule, pdfs_per_rule = 0, 0, Counter(), Counter()
    for pdf, d in pairs:
        f = check(pdf, d)
        if f.items:
            bad += 1
        total += len(f.items)
        shown = Counter()
        for rule, where, what in f.items:
            per_rule[rule] += 1
            shown[rule] += 1
            if not quiet and shown[rule] <= MAX_PER_RULE:
                print(f"{pdf}: {rule}: {where}: {what}")
        for rule in shown:
            pdfs_per_rule[rule] += 1
            if not quiet and shown[rule] > MAX_PER_RULE:
                print(f"{pdf}: {rule}: … and {shown[rule] - MAX_PER_RULE} more")
    print(f"tag_check: {len(pairs)} PDFs, {bad} with findings, {total} findings")
    if summary or total:
        for rule, n in sorted(per_rule.items()):
            print(f"  {rule}: {n} findings in {pdfs_per_rule[rule]} PDFs")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

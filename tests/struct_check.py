#!/usr/bin/env python3
"""struct_check.py - checks the logical structure of a tagged PDF.

    python3 tests/struct_check.py [--strict-order] FILE.pdf

Reads the file through independent tools only: qpdf 11 (a QDF copy, so
content streams are uncompressed, and its JSON v2 object dump) and
poppler (pdfinfo -struct-text, pdftotext). Asserts:

  - the catalog has /StructTreeRoot, /MarkInfo <</Marked true>> and /Lang;
  - every structure element is reachable from the root, names its parent
    in /P, and has a standard structure type as /S (directly or through
    /RoleMap);
  - headings in reading order start at H1 and never skip a level;
  - every Figure has a non-empty /Alt, every TH an /A with /Scope;
  - every page has /Tabs /S and /StructParents;
  - every link annotation has a non-empty /Contents, is the /Obj of an
    OBJR in a Link element, and its /StructParent maps to that element;
  - links are whole: all annotations of one Link element have the same
    /Contents, which is the element's whole text (a TOC entry's text may
    end with its page number besides), and no two Link elements in a row
    under one parent go to the same target (a link that wraps is one Link
    element with an OBJR per line piece, not one element per piece);
  - in the page content streams every MCID appears once per page and is
    referenced by exactly one element (and every referenced MCID exists),
    the ParentTree maps each (page, MCID) to the element that references
    it, every outermost marked-content sequence is an MCID sequence or an
    /Artifact, MCID sequences do not nest, and no text-showing or painting
    operator lies outside them;
  - the text of the structure tree (pdfinfo -struct-text, reading order)
    equals the text pdftotext -raw (content-stream order) finds outside
    artifacts, ignoring whitespace, hyphens and soft hyphens. When only the
    order differs (same characters), that is a note on stderr, and a
    failure with --strict-order: PDF/UA lets the tree's reading order
    differ from the painting order, but older assistive tools read in
    content order.

Prints one line per failed assertion and exits 1, else prints
"struct ok: N elements, M MCIDs". Exit 2 when a tool is missing or fails.
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter

STANDARD = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct
Private H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote
Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula
Form""".split())
TEXT_OPS = {b"Tj", b"TJ", b"'", b'"'}
PAINT_OPS = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"sh", b"Do", b"BI"}
MAX_REPORTS = 20          # per kind of failure: enough to see the pattern

failures = []


def fail(msg):
    failures.append(msg)


def run(args):
    try:
        return subprocess.run(args, check=True, capture_output=True).stdout
    except FileNotFoundError:
        print(f"struct_check: {args[0]} not found", file=sys.stderr)
        sys.exit(2)
    except subprocess.CalledProcessError as e:
        # qpdf exits 3 for warnings only; its output is still usable
        if args[0] == "qpdf" and e.returncode == 3:
            return e.stdout
        print(f"struct_check: {' '.join(args)} failed: {e.stderr.decode(errors='replace')}",
              file=sys.stderr)
        sys.exit(2)


# ---- the object graph (qpdf JSON v2) ----------------------------------------

REF = re.compile(r"^(\d+) (\d+) R$")


class Doc:
    def __init__(self, j):
        self.objs = j["qpdf"][1]
        self.pages = [p["object"] for p in j["pages"]]
        self.contents = {p["object"]: p["contents"] for p in j["pages"]}
        self.trailer = self.objs["trailer"]["value"]

    def get(self, v):
        """Resolves a reference (to a dictionary, or a stream's dictionary)."""
        seen = 0
        while isinstance(v, str) and REF.match(v) and seen < 100:
            o = self.objs.get("obj:" + v)
            if o is None:
                return None
            v = o["stream"]["dict"] if "stream" in o else o.get("value")
            seen += 1
        return v


def text(v):
    """A PDF string from qpdf JSON: u:text or b:hex (UTF-16BE with BOM, or bytes)."""
    if not isinstance(v, str):
        return None
    if v.startswith("u:"):
        return v[2:]
    if v.startswith("b:"):
        b = bytes.fromhex(v[2:])
        if b[:2] == b"\xfe\xff":
            return b[2:].decode("utf-16-be", errors="replace")
        return b.decode("latin-1")
    return None


def as_list(v):
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def number_tree(doc, root):
    """All (key, value) pairs of a number tree, iteratively."""
    out, todo, seen = {}, [root], set()
    while todo:
        node_ref = todo.pop()
        if isinstance(node_ref, str):
            if node_ref in seen:
                continue
            seen.add(node_ref)
        node = doc.get(node_ref) or {}
        nums = node.get("/Nums", [])
        for i in range(0, len(nums) - 1, 2):
            out[nums[i]] = nums[i + 1]
        todo.extend(node.get("/Kids", []))
    return out


# ---- the structure tree -----------------------------------------------------

class Tree:
    def __init__(self):
        self.elems = []            # (ref or id, dict, role) in reading order
        self.mcrefs = {}           # (page ref, mcid) -> [element refs]
        self.objrs = {}            # annotation ref -> [element refs]


def walk_tree(doc, root):
    t = Tree()
    rolemap = doc.get(root.get("/RoleMap")) or {}
    # depth-first in /K order, without recursion: stack of (kid, parent key, parent page)
    stack = [(k, "root", None) for k in reversed(as_list(root.get("/K")))]
    visited = set()
    last_level = 0
    while stack:
        kid, parent, parent_pg = stack.pop()
        key = kid if isinstance(kid, str) else id(kid)
        e = doc.get(kid)
        if not isinstance(e, dict):
            fail(f"structure kid {kid!r} under {parent} is not an element")
            continue
        if key in visited:
            fail(f"structure element {kid} appears twice in the tree")
            continue
        visited.add(key)
        s = e.get("/S", "")[1:] if isinstance(e.get("/S"), str) else ""
        role, hops = s, 0
        while role not in STANDARD and ("/" + role) in rolemap and hops < 10:
            role = rolemap["/" + role][1:]
            hops += 1
        if role not in STANDARD:
            fail(f"structure element {kid}: /S /{s} is not a standard structure type")
        p = e.get("/P")
        if parent == "root":
            if p is None or doc.get(p) is not root:
                fail(f"structure element {kid}: /P is not the StructTreeRoot")
        elif p != parent:
            fail(f"structure element {kid} (/{s}): /P is {p}, its parent is {parent}")
        t.elems.append((key, e, role))

        if re.fullmatch(r"H[1-6]", role):
            level = int(role[1])
            if level > last_level + 1:
                fail(f"heading {kid}: {role} follows "
                     f"{'H' + str(last_level) if last_level else 'no heading'}")
            last_level = level
        if role == "Figure" and not (text(e.get("/Alt")) or "").strip():
            fail(f"Figure {kid} has no /Alt")
        if role == "TH":
            attrs = [doc.get(a) for a in as_list(doc.get(e.get("/A")))]
            if not any(isinstance(a, dict) and "/Scope" in a for a in attrs):
                fail(f"TH {kid} has no /A with /Scope")

        pg = e.get("/Pg", parent_pg)
        children = []
        for k in as_list(e.get("/K")):
            if isinstance(k, int):
                if e.get("/Pg") is None:
                    fail(f"structure element {kid}: MCID {k} without /Pg on the element")
                t.mcrefs.setdefault((e.get("/Pg", pg), k), []).append(key)
                continue
            kd = doc.get(k)
            if isinstance(kd, dict) and kd.get("/Type") == "/MCR" or \
               isinstance(kd, dict) and "/MCID" in kd and "/S" not in kd:
                if "/Stm" in kd:
                    fail(f"structure element {kid}: MCID in a form XObject (not checked)")
                t.mcrefs.setdefault((kd.get("/Pg", pg), kd["/MCID"]), []).append(key)
            elif isinstance(kd, dict) and kd.get("/Type") == "/OBJR":
                t.objrs.setdefault(kd.get("/Obj"), []).append(key)
            else:
                children.append(k)
        for k in reversed(children):
            stack.append((k, kid, pg))
    return t, visited


# ---- content streams --------------------------------------------------------

WS = b" \t\r\n\f\0"
DELIM = b"()<>[]{}/%"


def tokens(data):
    """(kind, value, start, end) for each token of a content stream."""
    i, n = 0, len(data)
    while i < n:
        c = data[i]
        if c in WS:
            i += 1
            continue
        if c == 0x25:                                   # comment
            while i < n and data[i] not in b"\r\n":
                i += 1
            continue
        start = i
        if c == 0x28:                                   # (string)
            depth, i = 1, i + 1
            while i < n and depth:
                if data[i] == 0x5C:
                    i += 2
                    continue
                depth += {0x28: 1, 0x29: -1}.get(data[i], 0)
                i += 1
            yield "str", data[start + 1:i - 1], start, i
        elif c == 0x3C and data[i + 1:i + 2] == b"<":
            i += 2
            yield "<<", None, start, i
        elif c == 0x3E and data[i + 1:i + 2] == b">":
            i += 2
            yield ">>", None, start, i
        elif c == 0x3C:                                 # <hex>
            j = data.find(b">", i)
            j = n if j < 0 else j
            i = j + 1
            yield "hex", data[start + 1:j], start, i
        elif c in b"[]{}":
            i += 1
            yield chr(c), None, start, i
        elif c == 0x2F:                                 # /Name
            i += 1
            while i < n and data[i] not in WS and data[i] not in DELIM:
                i += 1
            raw = data[start + 1:i]
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
            yield "name", "/" + name.decode("latin-1"), start, i
        else:
            while i < n and data[i] not in WS and data[i] not in DELIM:
                i += 1
            word = data[start:i]
            if re.fullmatch(rb"[+-]?(\d+\.?\d*|\.\d+)", word):
                yield "num", float(word), start, i
            elif word in (b"true", b"false", b"null"):
                yield "const", word, start, i
            else:
                yield "op", word, start, i
                if word == b"ID":                       # inline image data up to EI
                    m = re.compile(rb"\sEI(?=[\s]|$)").search(data, i + 1)
                    i = m.end() if m else n


def operations(data):
    """(operator, operands, start of the first operand, end of the operator)."""
    stack, first = [], None
    for kind, val, s, e in tokens(data):
        if first is None:
            first = s
        if kind == "op":
            yield val, [v for v in stack if not isinstance(v, tuple)], first, e
            stack, first = [], None
        elif kind in ("[", "<<"):
            stack.append((kind,))
        elif kind in ("]", ">>"):
            opener = "[" if kind == "]" else "<<"
            j = len(stack) - 1
            while j >= 0 and stack[j] != (opener,):
                j -= 1
            items = stack[j + 1:] if j >= 0 else stack[:]
            del stack[max(j, 0):]
            if kind == "]":
                stack.append(list(items))
            else:
                d = {}
                for k in range(0, len(items) - 1, 2):
                    if isinstance(items[k], str):
                        d[items[k]] = items[k + 1]
                stack.append(d)
        elif kind == "name":
            stack.append(val)
        else:
            stack.append((kind, val) if kind != "num" else val)
    # ("str"/"hex"/"const", value) tuples are kept out of operands except as
    # placeholders, which is all the checks below need


def check_content(doc, qdf, page_no, page_ref, mcids, blank):
    """Checks one page's content; fills mcids with its MCIDs and blank with
    the byte ranges of text shown inside artifacts (to hide from pdftotext)."""
    data, spans = b"", []
    for ref in doc.contents[page_ref]:
        m = re.search(rb"\n%d 0 obj\n" % int(ref.split()[0]), qdf)
        if not m:
            fail(f"page {page_no}: content stream {ref} not found in the QDF file")
            return
        s = qdf.index(b"stream\n", m.end()) + len(b"stream\n")
        length = doc.get(doc.get(ref).get("/Length"))
        spans.append((len(data), s))
        data += qdf[s:s + length] + b"\n"
    stack, untagged, bad_seq = [], 0, 0
    for op, args, start, end in operations(data):
        if op in (b"BDC", b"BMC"):
            tag = args[0] if args and isinstance(args[0], str) else "?"
            props = args[1] if op == b"BDC" and len(args) > 1 else None
            if isinstance(props, dict) and isinstance(props.get("/MCID"), (int, float)):
                mcid = int(props["/MCID"])
                if any(k == "mcid" for k, _ in stack):
                    fail(f"page {page_no}: MCID {mcid} nested in another MCID sequence")
                if mcid in mcids:
                    fail(f"page {page_no}: MCID {mcid} used twice")
                mcids.add(mcid)
                stack.append(("mcid", mcid))
            elif tag == "/Artifact":
                stack.append(("artifact", None))
            else:
                if not stack and bad_seq < MAX_REPORTS:
                    fail(f"page {page_no}: marked-content sequence {tag} is neither an MCID "
                         "sequence nor an /Artifact")
                    bad_seq += 1
                stack.append(("other", tag))
        elif op == b"EMC":
            if not stack:
                fail(f"page {page_no}: EMC without a sequence")
            else:
                stack.pop()
        elif op in TEXT_OPS or op in PAINT_OPS:
            kinds = {k for k, _ in stack}
            if not kinds & {"mcid", "artifact"}:
                if untagged < MAX_REPORTS:
                    fail(f"page {page_no}: {op.decode()} outside marked content")
                untagged += 1
            elif op in TEXT_OPS and "artifact" in kinds:
                # back to file offsets: the stream the range lies in
                for off, s in reversed(spans):
                    if start >= off:
                        blank.append((s + start - off, s + end - off))
                        break
    if stack:
        fail(f"page {page_no}: {len(stack)} marked-content sequence(s) left open")


# ---- text -------------------------------------------------------------------

def squeeze(s):
    """Text without whitespace, hyphens and soft hyphens (line-end hyphenation)."""
    return re.sub(r"[\s\u00a0\u00ad\-]", "", s)


_STRUCT_TEXT = {}


def pdfinfo_struct_text(pdf):
    """pdfinfo -struct-text of pdf, as text. poppler takes seconds for it
    (the sample: 4.3 s for 8 pages; it reads a page again for every
    element and sets up the sRGB output intent's colour transform each
    time, 92% of it in lcms2's cmsReverseToneCurveEx), and a suite asks
    for one PDF's several times: the answer is kept for this process and,
    when STRUCT_TEXT_CACHE names a folder (tests/run.sh sets one), there,
    under the SHA-256 of the PDF's bytes."""
    with open(pdf, "rb") as f:
        key = hashlib.sha256(f.read()).hexdigest()
    if key in _STRUCT_TEXT:
        return _STRUCT_TEXT[key]
    folder = os.environ.get("STRUCT_TEXT_CACHE")
    path = os.path.join(folder, key + ".txt") if folder and os.path.isdir(folder) else None
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            out = f.read()
    else:
        out = run(["pdfinfo", "-struct-text", pdf]).decode("utf-8", errors="replace")
        if path:
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False) as f:
                f.write(out)
            os.replace(f.name, path)
    _STRUCT_TEXT[key] = out
    return out


def struct_text(pdf):
    out = pdfinfo_struct_text(pdf)
    texts, cur = [], None
    for line in out.split("\n"):
        st = line.strip()
        if cur is None:
            if st.startswith('"'):
                if len(st) > 1 and st.endswith('"'):
                    texts.append(st[1:-1])
                else:
                    cur = [st[1:]]
        else:
            if st.endswith('"'):
                cur.append(st[:-1])
                texts.append("\n".join(cur))
                cur = None
            else:
                cur.append(st)
    return "".join(texts)


def struct_nodes(pdf):
    """pdfinfo -struct-text as (depth, kind, value) in reading order: kind
    "elem" (value: its type), "text" (a string shown) or "obj" (an OBJR's
    object number)."""
    out = pdfinfo_struct_text(pdf)
    nodes, cur = [], None
    for line in out.split("\n"):
        st = line.strip()
        if cur is not None:
            cur[2].append(st[:-1] if st.endswith('"') else st)
            if st.endswith('"'):
                nodes.append((cur[0], "text", "\n".join(cur[2])))
                cur = None
            continue
        depth = len(line) - len(line.lstrip(" "))
        if st.startswith('"'):
            if len(st) > 1 and st.endswith('"'):
                nodes.append((depth, "text", st[1:-1]))
            else:
                cur = (depth, "text", [st[1:]])
        elif re.fullmatch(r"Object \d+ \d+", st):
            nodes.append((depth, "obj", st.split()[1] + " " + st.split()[2] + " R"))
        elif st and not st.startswith("/"):
            nodes.append((depth, "elem", re.split(r"[ :]", st)[0]))
    return nodes


def link_target(doc, annot):
    a = doc.get(annot.get("/A")) or {}
    return text(a.get("/URI")) if "/URI" in a else repr(annot.get("/Dest", a.get("/D")))


def check_links(pdf):
    """Links are whole (see the module's doc). pdfinfo names objects by their
    numbers in pdf itself, so its own objects are read (not the QDF copy's)."""
    doc = Doc(json.loads(run(["qpdf", "--json=2", "--json-stream-data=none", pdf])))
    nodes = struct_nodes(pdf)
    links = []                          # (index, depth, text, [annotation refs])
    for i, (depth, kind, value) in enumerate(nodes):
        if kind != "elem" or value != "Link":
            continue
        body, objs = [], []
        for d, k, v in nodes[i + 1:]:
            if d <= depth:
                break
            if k == "text":
                body.append(v)
            elif k == "obj":
                objs.append(v)
        links.append((i, depth, "".join(body), objs))
    reports = 0
    for n, (i, depth, body, objs) in enumerate(links):
        annots = [a if isinstance(a, dict) else {} for a in map(doc.get, objs)]
        contents = {text(a.get("/Contents")) or "" for a in annots}
        if len(contents) > 1:
            fail(f"Link '{body}': its annotations differ in /Contents: {sorted(contents)}")
        elif contents:
            c = squeeze(contents.pop())
            whole = squeeze(body)
            if whole != c and not (whole.startswith(c) and whole[len(c):].isdigit()):
                fail(f"Link '{body}': /Contents '{c}' is not its whole text")
        # the next Link right after this one (nothing between) to the same target
        if n + 1 < len(links) and reports < MAX_REPORTS:
            j, d2, body2, objs2 = links[n + 1]
            end = i + 1
            while end < len(nodes) and nodes[end][0] > depth:
                end += 1
            if j == end and d2 == depth and annots and objs2:
                t1 = link_target(doc, annots[0])
                a2 = doc.get(objs2[0])
                t2 = link_target(doc, a2 if isinstance(a2, dict) else {})
                if t1 == t2:
                    reports += 1
                    fail(f"link to {t1} split into Link elements '{body}' and '{body2}'")


def first_difference(a, b):
    i = 0
    while i < len(a) and i < len(b) and a[i] == b[i]:
        i += 1
    return i


# ---- main -------------------------------------------------------------------

def main():
    args = sys.argv[1:]
    strict_order = "--strict-order" in args
    args = [a for a in args if a != "--strict-order"]
    if len(args) != 1:
        print("usage: " + __doc__.strip().split("\n")[2].strip(), file=sys.stderr)
        return 2
    pdf = args[0]
    with tempfile.TemporaryDirectory() as tmp:
        qdf_path = os.path.join(tmp, "q.pdf")
        run(["qpdf", "--qdf", "--object-streams=disable", pdf, qdf_path])
        doc = Doc(json.loads(run(["qpdf", "--json=2", "--json-stream-data=none", qdf_path])))
        cat = doc.get(doc.trailer["/Root"])

        root = doc.get(cat.get("/StructTreeRoot"))
        if not isinstance(root, dict):
            print("no /StructTreeRoot in the catalog")
            return 1
        mark = doc.get(cat.get("/MarkInfo")) or {}
        if mark.get("/Marked") is not True:
            fail("catalog: /MarkInfo <</Marked true>> missing")
        if not (text(cat.get("/Lang")) or "").strip():
            fail("catalog: no /Lang")

        tree, visited = walk_tree(doc, root)
        for k, o in doc.objs.items():
            v = o.get("value")
            if isinstance(v, dict) and v.get("/Type") == "/StructElem" and k[4:] not in visited:
                fail(f"structure element {k[4:]} is not reachable from the StructTreeRoot")

        parents = number_tree(doc, root.get("/ParentTree")) if "/ParentTree" in root else {}
        if "/ParentTree" not in root:
            fail("StructTreeRoot has no /ParentTree")
        next_key = root.get("/ParentTreeNextKey")
        if parents and (not isinstance(next_key, int) or next_key <= max(parents)):
            fail(f"/ParentTreeNextKey {next_key} is not above every ParentTree key")

        qdf = open(qdf_path, "rb").read()
        used, blank = {}, []
        for n, page in enumerate(doc.pages, 1):
            pd = doc.get(page)
            if pd.get("/Tabs") != "/S":
                fail(f"page {n}: no /Tabs /S")
            key = pd.get("/StructParents")
            if not isinstance(key, int):
                fail(f"page {n}: no /StructParents")
            mcids = set()
            check_content(doc, qdf, n, page, mcids, blank)
            used[page] = mcids
            arr = doc.get(parents.get(key)) if isinstance(key, int) else None
            for mcid in sorted(mcids):
                owners = tree.mcrefs.get((page, mcid), [])
                if len(owners) != 1:
                    fail(f"page {n}: MCID {mcid} is referenced by {len(owners)} elements")
                elif not isinstance(arr, list) or mcid >= len(arr) or arr[mcid] != owners[0]:
                    fail(f"page {n}: ParentTree does not map MCID {mcid} to {owners[0]}")
            for a in as_list(doc.get(pd.get("/Annots"))):
                ad = doc.get(a)
                if not isinstance(ad, dict) or ad.get("/Subtype") != "/Link":
                    continue
                if not (text(ad.get("/Contents")) or "").strip():
                    fail(f"page {n}: link annotation {a} has no /Contents")
                owners = tree.objrs.get(a, [])
                roles = [r for k, _, r in tree.elems if k in owners]
                if len(owners) != 1 or roles != ["Link"]:
                    fail(f"page {n}: link annotation {a} is referenced by {len(owners)} OBJR(s) "
                         f"({', '.join(roles) or 'none'}), not by one Link element")
                elif parents.get(ad.get("/StructParent")) != owners[0]:
                    fail(f"page {n}: link annotation {a}: /StructParent does not map to its "
                         "Link element")
        for (page, mcid), owners in tree.mcrefs.items():
            if mcid not in used.get(page, ()):
                fail(f"element {owners[0]} references MCID {mcid} on {page}, which is not "
                     "in that page's content")

        check_links(pdf)

        # The tree's text against the page text outside artifacts: text
        # shown inside artifacts is blanked out (same length, so the QDF
        # file stays valid) before pdftotext reads it.
        buf = bytearray(qdf)
        for s, e in blank:
            buf[s:e] = b" " * (e - s)
        stripped = os.path.join(tmp, "stripped.pdf")
        with open(stripped, "wb") as f:
            f.write(buf)
        page_text = squeeze(run(["pdftotext", "-raw", "-enc", "UTF-8", stripped, "-"])
                            .decode("utf-8", errors="replace"))
        tree_text = squeeze(struct_text(pdf))
        if page_text != tree_text:
            i = first_difference(tree_text, page_text)
            where = (f"at character {i}: tree '…{tree_text[max(0, i - 30):i + 30]}…' vs "
                     f"page '…{page_text[max(0, i - 30):i + 30]}…'")
            if Counter(page_text) == Counter(tree_text):
                msg = ("structure text is the page text, but its reading order differs from "
                       f"the content streams' order {where}")
                if strict_order:
                    fail(msg)
                else:
                    print("note: " + msg, file=sys.stderr)
            else:
                extra = Counter(page_text) - Counter(tree_text)
                lost = Counter(tree_text) - Counter(page_text)
                fail(f"structure text differs from the page text {where} (untagged in the "
                     f"tree: {''.join(sorted(extra.elements()))[:60]!r}; only in the tree: "
                     f"{''.join(sorted(lost.elements()))[:60]!r})")

    for f in failures:
        print(f)
    if failures:
        return 1
    nmcids = sum(len(m) for m in used.values())
    print(f"struct ok: {len(tree.elems)} elements, {nmcids} MCIDs")
    return 0


if __name__ == "__main__":
    sys.exit(main())

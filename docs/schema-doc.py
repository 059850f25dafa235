#!/usr/bin/env python3
"""schema-doc.py - a Markdown reference of an XML Schema, made from its
xs:documentation texts.

    python3 docs/schema-doc.py SCHEMA.xsd > FILE.md
    python3 docs/schema-doc.py SCHEMA.xsd --check FILE.md

The first form writes the reference to stdout. The second regenerates it in
memory and exits 1 with "FILE.md is out of date: run make docs" when FILE.md
differs (or is missing), 0 when it is the same. Both exit 1, naming every
declaration and its line, when an element or attribute declaration (global
or local, by name or by ref), a named simple or complex type, a named
attribute group or group, or the schema itself has no
xs:annotation/xs:documentation: that is how `make check` keeps every
element and attribute documented.

The reference: a title and overview from the schema's own documentation,
then every element reachable from the global elements, depth first in
document order, each once with an anchor: its documentation, content model,
attributes (a table with type, use, default and documentation), identity
constraints and the elements it appears in; then the named simple types.
Elements declared in several places with the same name and type are one
entry; with the same name but different types, each is an entry of its own
and its heading names the parents that tell them apart ("<title> in
<info>"). The output depends only on the schema files (and on the schema's
path relative to the repository, named in the first line): the same input
gives the same bytes.

How documentation texts are written (plain text, for XML editors too):
  - The schema's documentation starts with a one-line title, then a blank
    line, then the overview.
  - Paragraphs are separated by blank lines; the lines of a paragraph are
    joined.
  - Lines indented more than the text's first line (or, when the text
    starts on the tag's line, more than its second line) are code and are
    kept as they are: examples, best in a CDATA section.
  - XML in running text (<ref to="x"/>, <value>B&amp;E</value>) becomes
    inline code.

Python 3 standard library only; reads nothing but the schema and the local
schemas it imports; no network.
"""
import argparse
import os
import re
import sys
import xml.parsers.expat

XS = "http://www.w3.org/2001/XMLSchema"
XML_NS = "http://www.w3.org/XML/1998/namespace"
UNBOUNDED = -1
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class SchemaError(Exception):
    pass


# ------------------------------------------------------------------ parsing

class Node:
    """An element of a parsed schema file, with its line and namespaces."""

    def __init__(self, ns, local, attrs, nsmap, line, parent, file):
        self.ns, self.local, self.attrs = ns, local, attrs
        self.nsmap, self.line, self.parent, self.file = nsmap, line, parent, file
        self.content = []              # strings and Nodes in document order

    def children(self, local=None):
        return [c for c in self.content if isinstance(c, Node) and c.ns == XS and
                (local is None or c.local == local)]

    def child(self, local):
        kids = self.children(local)
        return kids[0] if kids else None

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.content)

    def get(self, name, default=None):
        return self.attrs.get(name, default)

    def resolve(self, qname):
        """A QName written in an attribute value as (namespace, local)."""
        if ":" in qname:
            prefix, local = qname.split(":", 1)
            if prefix == "xml":
                return (XML_NS, local)
            if prefix not in self.nsmap:
                raise SchemaError("%s:%d: unknown prefix in '%s'" % (self.file, self.line, qname))
            return (self.nsmap[prefix], local)
        return (self.nsmap.get("", ""), qname)


def parse_file(path):
    with open(path, "rb") as f:
        data = f.read()
    parser = xml.parsers.expat.ParserCreate()
    stack, root = [], [None]

    def start(name, attrs):
        parent = stack[-1] if stack else None
        nsmap = dict(parent.nsmap) if parent else {}
        plain = {}
        for k, v in attrs.items():
            if k == "xmlns":
                nsmap[""] = v
            elif k.startswith("xmlns:"):
                nsmap[k[6:]] = v
            else:
                plain[k] = v
        prefix, local = name.split(":", 1) if ":" in name else ("", name)
        node = Node(nsmap.get(prefix, "") if prefix != "xml" else XML_NS, local, plain, nsmap,
                    parser.CurrentLineNumber, parent, path)
        if parent:
            parent.content.append(node)
        else:
            root[0] = node
        stack.append(node)

    def end(name):
        stack.pop()

    def chars(text):
        if stack:
            stack[-1].content.append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as e:
        raise SchemaError("%s:%d: not well-formed XML: %s" % (path, e.lineno, e))
    if root[0] is None or root[0].ns != XS or root[0].local != "schema":
        raise SchemaError("%s: not an XML Schema (no xs:schema root)" % path)
    return root[0]


class Registry:
    """The global components of a schema and of the schemas it imports."""

    KINDS = ("element", "attribute", "simpleType", "complexType", "attributeGroup", "group")

    def __init__(self):
        self.items = {k: {} for k in self.KINDS}
        self.loaded = set()

    def load(self, path):
        path = os.path.abspath(path)
        if path in self.loaded:
            return None
        self.loaded.add(path)
        schema = parse_file(path)
        tns = schema.get("targetNamespace", "")
        for node in schema.children():
            if node.local in self.KINDS and node.get("name"):
                self.items[node.local].setdefault((tns, node.get("name")), node)
            elif node.local in ("import", "include") and node.get("schemaLocation"):
                loc = node.get("schemaLocation")
                if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", loc):
                    continue           # a URL: never fetched
                sub = os.path.join(os.path.dirname(path), loc)
                if os.path.isfile(sub):
                    self.load(sub)
        return schema

    def find(self, kind, key):
        return self.items[kind].get(key)


# ------------------------------------------------------------ documentation

def documentation(node):
    """The raw xs:documentation text of a declaration, or None."""
    ann = node.child("annotation") if node is not None else None
    if ann is None:
        return None
    texts = [d.text() for d in ann.children("documentation")]
    texts = [t for t in texts if t.strip()]
    return "\n\n".join(texts) if texts else None


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def doc_blocks(raw):
    """Splits a documentation text into ("p", text) and ("code", lines)."""
    if not raw:
        return []
    lines = raw.replace("\r\n", "\n").replace("\r", "\n").expandtabs(8).split("\n")
    first, rest = lines[0].strip(), lines[1:]
    base = next((indent_of(l) for l in rest if l.strip()), 0)
    norm = [first] + [l.rstrip() for l in rest]
    blocks, para, code = [], [], []

    def flush_para():
        if para:
            blocks.append(("p", " ".join(para)))
            del para[:]

    def flush_code():
        while code and not code[-1].strip():
            code.pop()
        if code:
            cut = min(indent_of(l) for l in code if l.strip())
            blocks.append(("code", [l[cut:] for l in code]))
            del code[:]

    for i, line in enumerate(norm):
        if not line.strip():
            flush_para()
            if code:
                code.append("")
            continue
        if i > 0 and indent_of(line) > base:
            flush_para()
            code.append(line)
        else:
            flush_code()
            para.append(" ".join(line.split()))
    flush_para()
    flush_code()
    return blocks


TAG = re.compile(r"<(/?)([A-Za-z_][\w.:-]*)[^<>]*?(/?)>")


def inline(text, cell=False):
    """Running documentation text as Markdown: XML becomes inline code,
    Markdown's special characters are escaped."""
    out, pos = [], 0
    while True:
        m = TAG.search(text, pos)
        if not m:
            out.append(escape(text[pos:], cell))
            break
        out.append(escape(text[pos:m.start()], cell))
        end = m.end()
        if not m.group(1) and not m.group(3):     # an opening tag: up to its end tag
            close = text.find("</%s>" % m.group(2), end)
            if close >= 0:
                end = close + len(m.group(2)) + 3
        out.append(code_span(text[m.start():end], cell))
        pos = end
    s = "".join(out)
    if re.match(r"^([-+*>]|#+ |\d+[.)] )", s):
        s = "\\" + s
    return s


def escape(s, cell):
    s = s.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
    for ch in "*_`[]":
        s = s.replace(ch, "\\" + ch)
    if cell:
        s = s.replace("|", "\\|")
    return s


def code_span(s, cell=False):
    if cell:
        s = s.replace("|", "\\|")
    fence = "``" if "`" in s else "`"
    pad = " " if s.startswith("`") or s.endswith("`") else ""
    return fence + pad + s + pad + fence


def markdown_blocks(raw, skip=0):
    """Documentation as Markdown paragraphs and code blocks (the first skip
    blocks left out)."""
    out = []
    for kind, body in doc_blocks(raw)[skip:]:
        if kind == "p":
            out.append(inline(body))
        else:
            out.append("```xml\n" + "\n".join(body) + "\n```")
    return out


def markdown_cell(raw):
    """Documentation in one table cell: paragraphs joined, code inline."""
    parts = []
    for kind, body in doc_blocks(raw):
        if kind == "p":
            parts.append(inline(body, cell=True))
        else:
            parts.append(code_span(" ".join(l.strip() for l in body if l.strip()), cell=True))
    return " ".join(parts)


def first_sentence(raw):
    blocks = doc_blocks(raw)
    if not blocks or blocks[0][0] != "p":
        return ""
    m = re.match(r"^(.*?[.!?])(\s+[A-Z(\"]|$)", blocks[0][1])
    return m.group(1) if m else blocks[0][1]


# ------------------------------------------------------------ the model

def occurs(node):
    lo = int(node.get("minOccurs", "1"))
    hi = node.get("maxOccurs", "1")
    return lo, (UNBOUNDED if hi == "unbounded" else int(hi))


def occ_suffix(lo, hi):
    if (lo, hi) == (1, 1):
        return ""
    if (lo, hi) == (0, 1):
        return "?"
    if (lo, hi) == (0, UNBOUNDED):
        return "*"
    if (lo, hi) == (1, UNBOUNDED):
        return "+"
    return "{%d,%s}" % (lo, "" if hi == UNBOUNDED else hi)


def anchor_text(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


class Entry:
    """One documented element: declarations with the same name and type."""

    def __init__(self, name, key, ctype, stype):
        self.name, self.key = name, key
        self.ctype, self.stype = ctype, stype   # complexType node, or simple type ref/node
        self.decls = []                          # (declaration node, parent Entry or None)
        self.parents = []
        self.anchor = None
        self.qualifier = ""

    def add(self, decl, parent):
        self.decls.append((decl, parent))
        if parent is not None and parent not in self.parents:
            self.parents.append(parent)


class Doc:
    def __init__(self, path):
        self.path = path
        self.reg = Registry()
        self.schema = self.reg.load(path)
        self.tns = self.schema.get("targetNamespace", "")
        self.entries = []
        self.by_key = {}
        self.type_users = {}      # (ns, local) of a simple type -> list of (Entry, attr name or None)

    # -- lookups

    def lookup(self, kind, node, qname):
        key = node.resolve(qname)
        found = self.reg.find(kind, key)
        if found is None and key[0] != XS:
            raise SchemaError("%s:%d: %s '%s' is not declared" % (node.file, node.line, kind, qname))
        return found

    def type_of(self, decl):
        """(complexType node or None, simple type: ('builtin', local) / node / None)."""
        if decl.get("type"):
            key = decl.resolve(decl.get("type"))
            if key[0] == XS:
                return None, ("builtin", key[1])
            ct = self.reg.find("complexType", key)
            if ct is not None:
                return ct, None
            st = self.reg.find("simpleType", key)
            if st is None:
                raise SchemaError("%s:%d: type '%s' is not declared" %
                                  (decl.file, decl.line, decl.get("type")))
            return None, st
        if decl.child("complexType") is not None:
            return decl.child("complexType"), None
        if decl.child("simpleType") is not None:
            return None, decl.child("simpleType")
        return None, ("builtin", "anyType")

    # -- walking the elements

    def build(self):
        for decl in self.schema.children("element"):
            self.visit(decl, None)
        self.qualify()

    def entry_key(self, decl):
        if decl.parent is self.schema:
            return ("global", decl.get("name"))
        if decl.get("type"):
            return ("typed", decl.get("name"), decl.resolve(decl.get("type")))
        return ("local", id(decl))

    def visit(self, decl, parent):
        if decl.get("ref"):
            target = self.lookup("element", decl, decl.get("ref"))
            if target is None:
                return
            decl = target
        key = self.entry_key(decl)
        if key in self.by_key:
            self.by_key[key].add(decl, parent)
            return
        ctype, stype = self.type_of(decl)
        entry = Entry(decl.get("name"), key, ctype, stype)
        entry.add(decl, parent)
        self.by_key[key] = entry
        self.entries.append(entry)
        if stype is not None:
            self.note_type_use(stype, entry, None)
        if ctype is not None:
            for child in self.child_decls(ctype):
                self.visit(child, entry)
            for attr, _, _ in self.attributes(ctype):
                t = self.attr_type(attr)
                if t is not None:
                    self.note_type_use(t, entry, self.attr_name(attr))

    def note_type_use(self, stype, entry, attr):
        if isinstance(stype, Node) and stype.get("name"):
            key = (self.tns_of(stype), stype.get("name"))
            users = self.type_users.setdefault(key, [])
            if (entry, attr) not in users:
                users.append((entry, attr))

    def tns_of(self, node):
        while node.parent is not None:
            node = node.parent
        return node.get("targetNamespace", "")

    def particles_of(self, ctype):
        """The content particles of a complex type, base type's first."""
        out = []
        cc = ctype.child("complexContent")
        if cc is not None:
            der = cc.child("extension") or cc.child("restriction")
            if der.local == "extension":
                base = self.lookup("complexType", der, der.get("base"))
                if base is not None:
                    out += self.particles_of(base)
            out += [c for c in der.children() if c.local in ("sequence", "choice", "all", "group")]
            return out
        if ctype.child("simpleContent") is not None:
            return []
        return [c for c in ctype.children() if c.local in ("sequence", "choice", "all", "group")]

    def child_decls(self, ctype):
        out = []

        def walk(p):
            if p.local == "element":
                out.append(p)
            elif p.local in ("sequence", "choice", "all"):
                for c in p.children():
                    walk(c)
            elif p.local == "group" and p.get("ref"):
                g = self.lookup("group", p, p.get("ref"))
                for c in g.children():
                    walk(c)

        for p in self.particles_of(ctype):
            walk(p)
        return out

    def is_mixed(self, ctype):
        cc = ctype.child("complexContent")
        if cc is not None and cc.get("mixed") is not None:
            return cc.get("mixed") in ("true", "1")
        return ctype.get("mixed") in ("true", "1")

    def attributes(self, ctype):
        """[(attribute node, group node or None, referenced declaration or None)]."""
        out = []

        def own(holder, group):
            for c in holder.children():
                if c.local == "attribute":
                    target = self.lookup("attribute", c, c.get("ref")) if c.get("ref") else None
                    out.append((c, group, target))
                elif c.local == "attributeGroup" and c.get("ref"):
                    g = self.lookup("attributeGroup", c, c.get("ref"))
                    own(g, group or g)
                elif c.local == "anyAttribute":
                    out.append((c, group, None))

        for kind in ("complexContent", "simpleContent"):
            cont = ctype.child(kind)
            if cont is not None:
                der = cont.child("extension") or cont.child("restriction")
                base = self.reg.find("complexType", der.resolve(der.get("base")))
                if base is not None:
                    out += self.attributes(base)
                own(der, None)
                return self.merge_attrs(out)
        own(ctype, None)
        return self.merge_attrs(out)

    def merge_attrs(self, attrs):
        seen, out = {}, []
        for a in attrs:
            name = self.attr_name(a[0])
            if name in seen:
                out[seen[name]] = a          # a restriction overrides the base's
            else:
                seen[name] = len(out)
                out.append(a)
        return [a for a in out if a[0].get("use") != "prohibited"]

    def attr_name(self, attr):
        if attr.local == "anyAttribute":
            return "(any attribute)"
        return attr.get("ref") or attr.get("name")

    def attr_type(self, attr):
        decl = self.lookup("attribute", attr, attr.get("ref")) if attr.get("ref") else attr
        if decl is None:
            return None
        if decl.get("type"):
            key = decl.resolve(decl.get("type"))
            if key[0] == XS:
                return ("builtin", key[1])
            st = self.reg.find("simpleType", key)
            if st is None:
                raise SchemaError("%s:%d: type '%s' is not declared" %
                                  (decl.file, decl.line, decl.get("type")))
            return st
        if decl.child("simpleType") is not None:
            return decl.child("simpleType")
        return ("builtin", "anySimpleType")

    # -- names and anchors

    def qualify(self):
        by_name = {}
        for e in self.entries:
            by_name.setdefault(e.name, []).append(e)
        used = set()
        for e in self.entries:
            same = by_name[e.name]
            if len(same) > 1:
                mine = []
                for p in e.parents:
                    if p.name not in mine:
                        mine.append(p.name)
                others = set(p.name for o in same if o is not e for p in o.parents)
                tell = [n for n in mine if n not in others] or mine
                e.qualifier = " in " + ", ".join("`<%s>`" % n for n in tell) if tell else ""
                base = "el-%s-in-%s" % (e.name, "-".join(tell)) if tell else "el-" + e.name
            else:
                base = "el-" + e.name
            anchor, n = anchor_text(base), 2
            while anchor in used:
                anchor = "%s-%d" % (anchor_text(base), n)
                n += 1
            used.add(anchor)
            e.anchor = anchor

    def link(self, entry):
        return "[`<%s>`](#%s)" % (entry.name, entry.anchor)

    def entry_for(self, decl):
        if decl.get("ref"):
            decl = self.lookup("element", decl, decl.get("ref"))
        return self.by_key.get(self.entry_key(decl))

    # -- simple types

    def simple_facets(self, st):
        """The effective facets of a simple type node (base chain followed)."""
        f = {"prim": None, "enums": [], "patterns": [], "list": None, "union": None}
        der = st.child("restriction")
        if der is not None:
            base = None
            if der.get("base"):
                key = der.resolve(der.get("base"))
                if key[0] == XS:
                    f["prim"] = key[1]
                else:
                    base = self.reg.find("simpleType", key)
            elif der.child("simpleType") is not None:
                base = der.child("simpleType")
            if base is not None:
                inherited = self.simple_facets(base)
                f.update({k: v for k, v in inherited.items()})
                f["enums"], f["patterns"] = list(inherited["enums"]), list(inherited["patterns"])
            own_enums = []
            for c in der.children():
                if c.local == "enumeration":
                    own_enums.append((c.get("value"), documentation(c)))
                elif c.local == "pattern":
                    f["patterns"] = [c.get("value")]
                elif c.local in ("length", "minLength", "maxLength", "minInclusive",
                                 "maxInclusive", "minExclusive", "maxExclusive",
                                 "totalDigits", "fractionDigits"):
                    f[c.local] = c.get("value")
            if own_enums:
                f["enums"] = own_enums
        elif st.child("list") is not None:
            lst = st.child("list")
            if lst.get("itemType"):
                key = lst.resolve(lst.get("itemType"))
                f["list"] = ("builtin", key[1]) if key[0] == XS else self.reg.find("simpleType", key)
            else:
                f["list"] = lst.child("simpleType")
        elif st.child("union") is not None:
            un = st.child("union")
            members = []
            for q in (un.get("memberTypes") or "").split():
                key = un.resolve(q)
                members.append(("builtin", key[1]) if key[0] == XS else
                               self.reg.find("simpleType", key))
            members += un.children("simpleType")
            f["union"] = members
        return f

    PRIM_WORDS = {"string": "string", "normalizedString": "string", "token": "token",
                  "int": "integer", "integer": "integer", "long": "integer",
                  "short": "integer", "nonNegativeInteger": "integer",
                  "positiveInteger": "integer", "decimal": "decimal", "double": "number",
                  "float": "number", "date": "date", "dateTime": "date and time",
                  "boolean": "boolean", "language": "language tag", "anyURI": "URI",
                  "anySimpleType": "any text", "anyType": "anything"}

    def type_name_link(self, t):
        if isinstance(t, tuple):
            return "`xs:%s`" % t[1]
        if t.get("name"):
            return "[`%s`](#type-%s)" % (t.get("name"), anchor_text(t.get("name")))
        return None

    def summary(self, t, cell=True, with_name=True):
        """A short description of a simple type: values, range, pattern, length."""
        if isinstance(t, tuple):
            if t[1] == "boolean":
                return code_span("true", cell) + (" \\| " if cell else " | ") + code_span("false", cell)
            return self.PRIM_WORDS.get(t[1], "xs:" + t[1])
        f = self.simple_facets(t)
        bar = " \\| " if cell else " | "
        parts = []
        if f["union"] is not None:
            members = []
            for m in f["union"]:
                mf = self.simple_facets(m) if isinstance(m, Node) else None
                if mf is not None and [v for v, _ in mf["enums"]] == [""]:
                    members.append("empty")
                else:
                    members.append(self.summary(m, cell))
            parts.append(" or ".join(members))
        elif f["list"] is not None:
            item = self.type_name_link(f["list"]) if isinstance(f["list"], Node) and \
                f["list"].get("name") else self.summary(f["list"], cell)
            s = "list of " + item
            rng = self.length_words(f, "items")
            parts.append(s + (", " + rng if rng else ""))
        elif f["enums"]:
            vals = [v for v, _ in f["enums"]]
            if len(vals) <= 10:
                parts.append(bar.join(code_span(v, cell) for v in vals))
            else:
                parts.append("one of %d values" % len(vals))
        else:
            prim = self.PRIM_WORDS.get(f["prim"] or "", "")
            rng = self.range_words(f)
            if rng:
                parts.append((prim + " " if prim else "") + rng)
            elif f["patterns"]:
                parts.append("pattern " + code_span(f["patterns"][0], cell))
            length = self.length_words(f, "characters")
            if length:
                if not parts and prim:
                    parts.append(prim + ", " + length)
                else:
                    parts.append(length)
            if not parts and prim:
                parts.append(prim)
        text = ", ".join(parts)
        if with_name and t.get("name"):
            return self.type_name_link(t) + (": " + text if text else "")
        return text

    @staticmethod
    def range_words(f):
        lo = f.get("minInclusive")
        hi = f.get("maxInclusive")
        if lo is not None and hi is not None:
            return "%s to %s" % (lo, hi)
        words = []
        if lo is not None:
            words.append("at least %s" % lo)
        if f.get("minExclusive") is not None:
            words.append("above %s" % f["minExclusive"])
        if f.get("maxExclusive") is not None:
            words.append("below %s" % f["maxExclusive"])
        if hi is not None:
            words.append("at most %s" % hi)
        return ", ".join(words)

    @staticmethod
    def length_words(f, unit):
        if f.get("length") is not None:
            return "exactly %s %s" % (f["length"], unit)
        lo, hi = f.get("minLength"), f.get("maxLength")
        if lo is not None and hi is not None:
            return "%s to %s %s" % (lo, hi, unit)
        if hi is not None:
            return "at most %s %s" % (hi, unit)
        if lo is not None:
            return "at least %s %s" % (lo, unit)
        return ""


# ------------------------------------------------------------ missing docs

def missing_docs(schema, display):
    """Every declaration of the schema file without documentation."""
    problems = []
    if documentation(schema) is None:
        problems.append("%s:%d: the schema has no xs:annotation/xs:documentation (its overview)"
                        % (display, schema.line))

    def where(node):
        p = node.parent
        while p is not None and p.local != "schema":
            if p.local in ("element", "complexType", "attributeGroup", "group", "simpleType") \
                    and p.get("name"):
                kind = "element" if p.local == "element" else p.local
                return " (in %s '%s')" % (kind, p.get("name"))
            p = p.parent
        return ""

    def walk(node):
        for c in node.children():
            what = None
            if c.local == "element":
                what = "element '%s'" % (c.get("name") or c.get("ref"))
            elif c.local == "attribute":
                what = "attribute '%s'" % (c.get("name") or c.get("ref"))
            elif c.local in ("simpleType", "complexType", "attributeGroup", "group") \
                    and c.get("name"):
                what = "%s '%s'" % (c.local, c.get("name"))
            if what and documentation(c) is None:
                problems.append("%s:%d: %s%s has no xs:annotation/xs:documentation"
                                % (display, c.line, what, where(c)))
            walk(c)

    walk(schema)
    return problems


# ------------------------------------------------------------ rendering

class Writer:
    def __init__(self, doc, display):
        self.d, self.display = doc, display
        self.out = []

    def w(self, *lines):
        self.out.extend(lines)

    def render(self):
        d = self.d
        raw = documentation(d.schema)
        blocks = doc_blocks(raw)
        has_title = bool(blocks) and blocks[0][0] == "p"
        title = blocks[0][1] if has_title else os.path.basename(self.display)
        self.w("<!-- Generated from %s by docs/schema-doc.py: do not edit by hand. "
               "Run make docs after changing the schema. -->" % self.display, "")
        self.w("# " + inline(title), "")
        for b in markdown_blocks(raw, skip=1 if has_title else 0):
            self.w(b, "")
        self.w("Schema: `%s`%s" % (self.display,
               (", namespace `%s`" % d.tns) if d.tns else ""), "")
        self.w("## Contents", "")
        self.w("Elements: " + ", ".join(self.toc_link(e) for e in d.entries) + ".", "")
        groups = self.used_groups()
        if groups:
            self.w("Attribute groups: " + ", ".join(
                "[`%s`](#group-%s)" % (g.get("name"), anchor_text(g.get("name"))) for g in groups)
                + ".", "")
        simple = d.schema.children("simpleType")
        complex_ = [c for c in d.schema.children("complexType") if c.get("name")]
        if complex_:
            self.w("Complex types: " + ", ".join(
                "[`%s`](#type-%s)" % (c.get("name"), anchor_text(c.get("name")))
                for c in complex_) + ".", "")
        if simple:
            self.w("Simple types: " + ", ".join(
                "[`%s`](#type-%s)" % (s.get("name"), anchor_text(s.get("name"))) for s in simple)
                + ".", "")
        self.w("## Elements", "")
        self.w("Content models read: `a, b` a then b; `a | b` a or b; `?` optional; `*` any "
               "number; `+` one or more; `{m,n}` m to n times. Attributes marked optional "
               "may be left out; the schema default, if any, then applies.", "")
        for e in d.entries:
            self.element(e)
        if groups:
            self.w("## Attribute groups", "")
            for g in groups:
                self.group(g)
        if complex_:
            self.w("## Complex types", "",
                   "The content types that elements share; each element above names its own.", "")
            for c in complex_:
                self.complex_type(c)
        if simple:
            self.w("## Simple types", "")
            for s in simple:
                self.simple_type(s)
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n"

    def toc_link(self, e):
        return "[`<%s>`%s](#%s)" % (e.name, e.qualifier, e.anchor)

    def used_groups(self):
        seen = []
        for e in self.d.entries:
            if e.ctype is None:
                continue
            for _, group, _ in self.d.attributes(e.ctype):
                if group is not None and group not in seen:
                    seen.append(group)
        return seen

    def element(self, e):
        d = self.d
        self.w('<a id="%s"></a>' % e.anchor, "")
        self.w("### `<%s>`%s" % (e.name, e.qualifier), "")
        # documentation: one text, or each distinct one with its parents
        texts = []
        for decl, parent in e.decls:
            t = documentation(decl)
            for item in texts:
                if doc_blocks(item[0]) == doc_blocks(t):
                    if parent is not None and parent not in item[1]:
                        item[1].append(parent)
                    break
            else:
                texts.append([t, [parent] if parent is not None else []])
        if len(texts) == 1:
            for b in markdown_blocks(texts[0][0]):
                self.w(b, "")
        else:
            for t, parents in texts:
                bl = markdown_blocks(t)
                where = ", ".join(d.link(p) for p in parents) or "the schema"
                if bl and not bl[0].startswith("```"):
                    bl[0] = "In %s: %s" % (where, bl[0])
                else:
                    bl.insert(0, "In %s:" % where)
                for b in bl:
                    self.w(b, "")
        if e.ctype is not None and e.ctype.get("name"):
            name = e.ctype.get("name")
            self.w("**Type:** [`%s`](#type-%s)" % (name, anchor_text(name)), "")
        self.w("**Content:** " + self.content(e), "")
        self.attr_table(e)
        self.constraints(e)
        if e.parents:
            self.w("**Appears in:** " + ", ".join(d.link(p) for p in e.parents) + ".", "")
        else:
            self.w("**Appears in:** the document, as its root element.", "")

    def content(self, e):
        d = self.d
        if e.ctype is None:
            return "text: " + d.summary(e.stype, cell=False) + "."
        sc = e.ctype.child("simpleContent")
        if sc is not None:
            der = sc.child("extension") or sc.child("restriction")
            key = der.resolve(der.get("base"))
            base = ("builtin", key[1]) if key[0] == XS else d.reg.find("simpleType", key)
            if base is None:
                return "text."
            return "text: " + d.summary(base, cell=False) + "."
        parts = [self.particle(p, top=True) for p in d.particles_of(e.ctype)]
        parts = [p for p in parts if p]
        model = ", ".join(parts)
        if d.is_mixed(e.ctype):
            return "text mixed with " + model + "." if model else "text."
        return model + "." if model else "empty."

    def particle(self, p, top=False):
        d = self.d
        lo, hi = occurs(p)
        suffix = occ_suffix(lo, hi)
        if p.local == "element":
            entry = d.entry_for(p)
            return (d.link(entry) if entry else "`<%s>`" % p.get("name")) + suffix
        if p.local == "any":
            return "any element" + suffix
        if p.local == "group" and p.get("ref"):
            g = d.lookup("group", p, p.get("ref"))
            inner = [self.particle(c) for c in g.children() if c.local in
                     ("sequence", "choice", "all")]
            s = ", ".join(inner)
            return ("(%s)%s" % (s, suffix)) if suffix else s
        kids = [self.particle(c) for c in p.children() if c.local in
                ("element", "sequence", "choice", "all", "group", "any")]
        if p.local == "all":
            return "in any order: " + ", ".join(kids)
        sep = ", " if p.local == "sequence" else " | "
        s = sep.join(kids)
        if len(kids) == 1 and not suffix:
            return s
        if top and not suffix and p.local == "sequence":
            return s
        return "(%s)%s" % (s, suffix)

    def attr_table(self, e):
        d = self.d
        if e.ctype is None:
            self.w("**Attributes:** none.", "")
            return
        attrs = d.attributes(e.ctype)
        if not attrs:
            self.w("**Attributes:** none.", "")
            return
        self.w("**Attributes:**", "",
               "| Attribute | Type | Use | Schema default | Description |",
               "| --- | --- | --- | --- | --- |")
        for attr, group, target in attrs:
            name = d.attr_name(attr)
            if attr.local == "anyAttribute":
                self.w("| (any) | | optional | | %s |" % markdown_cell(documentation(attr)))
                continue
            t = d.attr_type(attr)
            typ = d.summary(t) if t is not None else ""
            use = "required" if attr.get("use") == "required" else "optional"
            dflt = attr.get("default") or (target.get("default") if target is not None else None)
            fixed = attr.get("fixed") or (target.get("fixed") if target is not None else None)
            dcell = code_span(dflt, True) if dflt is not None else (
                "fixed " + code_span(fixed, True) if fixed is not None else "–")
            raw = documentation(attr) or (documentation(target) if target is not None else None)
            if group is not None:
                desc = inline(first_sentence(raw), cell=True) + " See [`%s`](#group-%s)." % (
                    group.get("name"), anchor_text(group.get("name")))
            else:
                desc = markdown_cell(raw)
            self.w("| `%s` | %s | %s | %s | %s |" % (name, typ, use, dcell, desc))
        self.w("")

    def constraints(self, e):
        for decl, _ in e.decls[:1]:
            for c in decl.children():
                if c.local not in ("unique", "key", "keyref"):
                    continue
                sel = c.child("selector")
                fields = [f.get("xpath") for f in c.children("field")]
                kind = {"unique": "Unique", "key": "Key", "keyref": "Key reference"}[c.local]
                line = "**%s** `%s`: among `%s`, %s %s." % (
                    kind, c.get("name"), sel.get("xpath") if sel is not None else "",
                    " and ".join("`%s`" % f for f in fields),
                    "must differ" if c.local != "keyref" else "must match " + c.get("refer", ""))
                text = documentation(c)
                if text:
                    line += " " + " ".join(markdown_blocks(text))
                self.w(line, "")

    def group(self, g):
        d = self.d
        name = g.get("name")
        self.w('<a id="group-%s"></a>' % anchor_text(name), "", "### `%s`" % name, "")
        for b in markdown_blocks(documentation(g)):
            self.w(b, "")
        self.w("| Attribute | Type | Use | Schema default | Description |",
               "| --- | --- | --- | --- | --- |")
        holder = [(c, None) for c in g.children("attribute")]
        for attr, _ in holder:
            target = d.lookup("attribute", attr, attr.get("ref")) if attr.get("ref") else None
            t = d.attr_type(attr)
            dflt = attr.get("default") or (target.get("default") if target is not None else None)
            self.w("| `%s` | %s | %s | %s | %s |" % (
                d.attr_name(attr), d.summary(t) if t is not None else "",
                "required" if attr.get("use") == "required" else "optional",
                code_span(dflt, True) if dflt is not None else "–",
                markdown_cell(documentation(attr) or documentation(target))))
        self.w("")
        users = [e for e in d.entries if e.ctype is not None and
                 any(gr is g for _, gr, _ in d.attributes(e.ctype))]
        if users:
            self.w("**Used by:** " + ", ".join(d.link(e) for e in users) + ".", "")

    def complex_type(self, c):
        d = self.d
        name = c.get("name")
        self.w('<a id="type-%s"></a>' % anchor_text(name), "", "### `%s`" % name, "")
        for b in markdown_blocks(documentation(c)):
            self.w(b, "")
        for kind in ("complexContent", "simpleContent"):
            cont = c.child(kind)
            if cont is not None:
                der = cont.child("extension") or cont.child("restriction")
                key = der.resolve(der.get("base"))
                verb = "Extends" if der.local == "extension" else "Restricts"
                if key[0] == XS:
                    self.w("%s `xs:%s`." % (verb, key[1]), "")
                else:
                    self.w("%s [`%s`](#type-%s)." % (verb, key[1], anchor_text(key[1])), "")
        users = [e for e in d.entries if e.ctype is c]
        derived = [t for t in d.schema.children("complexType") if self.derives_from(t, name)]
        used = [d.link(e) for e in users] + [
            "[`%s`](#type-%s)" % (t.get("name"), anchor_text(t.get("name"))) for t in derived]
        if used:
            self.w("**Used by:** " + ", ".join(used) + ".", "")

    def simple_type(self, s):
        d = self.d
        name = s.get("name")
        self.w('<a id="type-%s"></a>' % anchor_text(name), "", "### `%s`" % name, "")
        for b in markdown_blocks(documentation(s)):
            self.w(b, "")
        der = s.child("restriction")
        facts = []
        if der is not None:
            base = der.get("base") or "(anonymous)"
            key = der.resolve(base) if der.get("base") else None
            if key and key[0] != XS and d.reg.find("simpleType", key) is not None:
                facts.append("Restricts [`%s`](#type-%s)." % (key[1], anchor_text(key[1])))
            else:
                facts.append("Restricts `%s`." % base)
            own = {}
            for c in der.children():
                v = c.get("value")
                if c.local == "pattern":
                    facts.append("Pattern: %s." % code_span(v))
                elif c.local in ("totalDigits", "fractionDigits", "whiteSpace"):
                    facts.append("%s: %s." % (c.local, v))
                elif c.local != "enumeration" and c.local != "annotation":
                    own[c.local] = v
            unit = "items" if d.simple_facets(s)["list"] is not None else "characters"
            if self.d.range_words(own):
                facts.append("Value: %s." % self.d.range_words(own))
            if self.d.length_words(own, unit):
                facts.append("Length: %s." % self.d.length_words(own, unit))
        else:
            summary = d.summary(s, cell=False, with_name=False)
            if summary:
                facts.append(summary[0].upper() + summary[1:] + ".")
        for f in facts:
            self.w("- " + f)
        self.w("")
        enums = [(c.get("value"), documentation(c)) for c in
                 (der.children("enumeration") if der is not None else [])]
        if enums:
            if any(doc for _, doc in enums):
                self.w("| Value | Meaning |", "| --- | --- |")
                for v, doc in enums:
                    self.w("| %s | %s |" % (code_span(v, True), markdown_cell(doc) if doc else ""))
                self.w("")
            else:
                self.w("Values: " + ", ".join(code_span(v) for v, _ in enums) + ".", "")
        users = d.type_users.get((d.tns, name), [])
        derived = [t for t in d.schema.children("simpleType") if self.derives_from(t, name)]
        used, where = [], {}
        for entry, attr in users:
            if entry in where:
                if attr:
                    used[where[entry]] += ", `%s`" % attr
                continue
            where[entry] = len(used)
            used.append(d.link(entry) + (" `%s`" % attr if attr else ""))
        used = [u for u in used]
        for t in derived:
            used.append("[`%s`](#type-%s)" % (t.get("name"), anchor_text(t.get("name"))))
        if used:
            self.w("**Used by:** " + ", ".join(used) + ".", "")

    def derives_from(self, t, name):
        for c in t.children():
            for ref in (c.get("base"), c.get("itemType")):
                if ref and c.resolve(ref) == (self.d.tns, name):
                    return True
            for ref in (c.get("memberTypes") or "").split():
                if c.resolve(ref) == (self.d.tns, name):
                    return True
        return False


# ------------------------------------------------------------ main

def display_path(path):
    rel = os.path.relpath(os.path.abspath(path), REPO)
    if rel.startswith(".."):
        return os.path.basename(path)
    return rel.replace(os.sep, "/")


def generate(path):
    display = display_path(path)
    doc = Doc(path)
    problems = missing_docs(doc.schema, display)
    if problems:
        raise SchemaError("\n".join(problems) + "\n%s: %d declaration%s without documentation "
                          "(every element, attribute, named type and the schema need "
                          "xs:annotation/xs:documentation)" %
                          (display, len(problems), "" if len(problems) == 1 else "s"))
    doc.build()
    return Writer(doc, display).render()


def main(argv):
    ap = argparse.ArgumentParser(
        prog="schema-doc.py",
        description="Writes a Markdown reference of an XML Schema from its documentation.")
    ap.add_argument("schema", help="the .xsd file")
    ap.add_argument("--check", metavar="FILE.md",
                    help="compare with FILE.md instead of writing; exit 1 when it differs")
    args = ap.parse_args(argv)
    try:
        text = generate(args.schema)
    except (SchemaError, OSError) as e:
        sys.stderr.write("schema-doc.py: %s\n" % e)
        return 1
    data = text.encode("utf-8")
    if args.check:
        try:
            with open(args.check, "rb") as f:
                same = f.read() == data
        except OSError:
            same = False
        if not same:
            sys.stderr.write("%s is out of date: run make docs\n" % args.check)
            return 1
        return 0
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

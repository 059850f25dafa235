#!/usr/bin/env python3
"""gen_definitions.py - a seeded random generator of valid report definitions.

    python3 tests/gen_definitions.py --seed N --out DIR [--count K] [--stats]

writes DIR/seed-N.xml (and the CSV files it reads, DIR/seed-N-*.csv), fully
determined by N: one random.Random(N) makes every choice (no global random,
no clock, no hash() of strings), and the word list is read in file order.
--count K writes seeds N to N+K-1 (the same files as K separate runs, in one
process). Prints nothing on success; --stats prints one JSON line per seed
describing what was generated (knobs, elements and attributes used, tables,
rows, widest table, deepest list, overfull tables by a rough estimate). The
file's first comment names the seed and its knobs.

Every definition is meant to pass `reportgen validate`: the schema
(generator/schema/report.xsd) and the loader's own checks (unique ids,
links and refs that resolve, dataset and field names, field types per use,
series per chart type, axis ranges, values of the fields' types, element
depth <= 32, the limits of docs/usage.md). Within that, it varies what real
reports vary. Most seeds are ordinary reports; the hard cases are each in a
few percent of seeds, so that a run of 300 tests ordinary text and tables
as well as the extremes, and few seeds are refused (a table whose figures
cannot fit is refused with exit 65, correctly, and then nothing after it is
laid out).

Distributions (the knobs are in KNOBS, with their shares of seeds):
  - notes (issue 16), from a random stream of their own (so that every
    other choice of a seed is what it was without them): in 40 % of
    seeds, 15 % of the paragraphs' and items' texts get 1-3 notes after
    a word, 30 % of those two or three in a row (one line); a note is a
    sentence, 2-4 sentences (18 %) or 10-40 (12 %: split over pages),
    sometimes with em or an id; 30 % of their tables get 1-3 notes on
    cells of a row whose first column is unique plain text.
  - words: from tests/data/dutch-words.txt, 40 % of 1-5 letters, 50 % of
    6-12, 8 % of 13-19 and 2 % of 20 or more (a fifth of 20+ in long_words
    seeds); 5 % of the 14+ letter words get soft hyphens (30 % in
    long_words). Compounds where a place takes one (6 % of the words of
    titles and metadata; text cells, labels, addresses) are 16-30 letters;
    45-80+ only in long_words seeds (5 %).
  - running text: sentences of 4-22 words, 7 % of the tokens special: an
    amount, date, percentage, number (up to 10 digits; 15-18 digits only in
    huge_figures seeds, 4 %), address, URL, abbreviation, quotes, year range
    or, in odd_chars seeds, a symbol. Paragraphs of 1-8 words (20 %), 10-90
    (70 %) or 100-500 (10 %).
  - titles and metadata: labels of 1-9 words; section titles of 60-260
    characters in 3 % of sections; long metadata only in long_meta seeds
    (30 %: the issue asks header and footer fields longer than half the
    page), in most of the places that take it.
  - lists: 1-6 items, nested in 15 % of items down to four levels; in
    deep_lists seeds (4 %) half the lists nest as deep as element depth
    allows (8 or more levels).
  - tables: 1-7 columns; 8-10, mostly figures, in a third of the tables of
    wide_tables seeds (20 %) and 3 % of the others; 15-30 only in
    many_columns seeds (4 %, half their tables, most of them refused).
    A third of the labels of fields and columns are 16-30 letter compounds
    (the issue asks long compounds in headers). Figures up to 10^8 with 0-2
    decimals (3-6 in 5 % of decimals=), "large" number columns up to 10^11
    (10-11 digits in two thirds); up to 10^15 with up to 6 decimals in
    huge_figures seeds. About 60 % of the tables are wider than the text at
    their natural widths (--stats: overfull_tables; the issue asks a third). Fixed widths (12 %
    of the columns) stay within 60 % of the line; in hard tables (many
    columns or long_words) 6 % are wider than the page and 6 % narrower
    than a letter (1 % narrower elsewhere). Rows: 0 (5 %), 1-12, 13-60,
    61-250, 251-500 (3 %); 500-3000 once in big_table seeds (5 %).
  - datasets: values inline or in a CSV file (70 % of those over 200
    rows, 30 % of the others). A dataset declares its dialect in 40 %
    (DIALECTS: nl 15 %, c 10 %, decimal=",", grouping="," and
    grouping="none" a few percent each) and its figures are written by it:
    under nl with decimal "," and, in 60 % of the figures of 1000 and
    more, digits grouped by "." (1.234.567,8), in a ';'-separated file
    (Dutch Excel's) unless separator= says otherwise (a fifth of the
    declared CSV datasets). Undeclared figures mix "." and "," as the
    decimal mark and never read two ways (1.234 is written 1.2340); 15 %
    of the undeclared CSV files are separated by ';' or a tab, found by
    reportgen from the header.
  - charts: 0-2 categories (12 %), 3-12, 13-60 (20 %), 61-300 (10 %);
    axis ranges in 40 %, some absurd; long labels, more categories, huge
    and wild values, odd heights, long titles and alt texts only in
    hard_charts seeds (12 %). 1-12 series; a quarter of the vertical bar
    charts have 1-3 lines over the bars (lines=); 12 % of the charts with
    axes a logarithmic axis (values 1-10^6 then, norms and limits above
    zero); a second axis (axis2=) on 40 % of the charts with lines; axis
    titles, better="lower" and markers= in 20-30 %; date categories give
    line charts a time axis.
  - sections: 1-16 (15-40 in many_sections seeds, 6 %), one to three
    levels; other languages, markup, page breaks and odd characters are
    knobs of 20-40 % of seeds (see KNOBS).
  - landscape pages: in a fifth of the seeds (drawn by landscape_pages
    from a random.Random of its own, so the other draws are unchanged),
    page="landscape" on 12 % of the sections and 25 % of the tables,
    charts and images, page="portrait" on 5 % outside landscape sections.
  - bidirectional text (issue 17): in a quarter of the seeds
    (bidi_phrases(), a random.Random of its own), Hebrew and Arabic
    phrases in 30 % of the paragraphs and list items, in <em>/<strong>
    with xml:lang="he"/"ar" or bare, some with digits or brackets.
  - images: in a third of the seeds (images(), a random.Random of its
    own too), 1-4 <image> blocks in half of the sections: copies of the
    PNG and JPEG fixtures of tests/images/ or a random SVG (viewBox of
    any shape, shapes reaching outside it), widths from 1 % to 400 mm,
    15 % decorative, long alt texts and captions now and then; a cover
    logo in 40 % of those seeds' covers.
  - tables with structure (issue 17): in two fifths of the seeds
    (table_structure(), a random.Random of its own), half the tables get
    group-by= (60 %; subtotals= with a total column in 60 % of those,
    not in huge_figures seeds), <row key emphasis="strong"> on unique
    first-column values, a <cell-span> on half of the others (1-3 rows
    and columns), and a paragraph of <value-of> before them (row=,
    a table's total row, agg=; now and then in the caption).
  - text blocks: in a third of the seeds (text_blocks(), a random.Random
    of its own), <definitions> (1-70 entries, long terms and definitions
    now and then), <box> (a title mostly, 1-12 blocks), <quote> with an
    <attribution>, <span xml:lang> in their text, and header= on 30 % of
    the top-level sections (issue 17).
Every element and attribute of the schema occurs in a run of 300 seeds
(--stats lists them per seed).

tests/generated.sh builds the definitions and judges them (its head says
how).
"""
import argparse
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
WORDS_FILE = os.path.join(HERE, "data", "dutch-words.txt")
NS = "urn:reportgen:report:1"

MAX_DEPTH = 32            # elements nest at most 32 levels (root = 1)
MAX_CHART_POINTS = 2000   # records x series per chart
TEXT_WIDTH_PT = 453.0     # A4 less 50 mm of margins (both layouts about this)
SHY = "\u00ad"            # soft hyphen
NBSP = "\u00a0"

# Per-seed knobs: (name, share of seeds, what it turns on). Each is drawn
# once per seed, in this order. The first group are the extremes, each in a
# few percent of seeds; without them a seed is an ordinary report.
KNOBS = [
    ("long_words", 0.05, "overlong compounds (45-80+ letters, soft hyphens) in text, titles, "
                         "labels, cells and addresses; a fifth of the words 20+ letters"),
    ("long_meta", 0.3, "long titles, subtitle, organisation, author, period label, contact, "
                        "signature and dataset notes (60-400 characters)"),
    ("many_columns", 0.04, "half the tables have 15-30 columns, many with long headers"),
    ("huge_figures", 0.04, "numbers and amounts near 10^15 with up to 6 decimals in data; "
                           "15-18-digit figures in text and text cells"),
    ("deep_lists", 0.04, "half the lists nest as deep as element depth allows (8+ levels)"),
    ("big_table", 0.05, "one table of 500-3000 rows"),
    ("many_sections", 0.06, "15-40 sections"),
    ("hard_charts", 0.12, "charts with long labels, many categories, wild values, odd heights "
                          "and axis ranges, long alt texts"),
    ("wide_tables", 0.2, "a third of the tables have 8-10 columns, mostly figures"),
    ("lang_mix", 0.2, "more xml:lang, with languages that have no hyphenation patterns"),
    ("markup", 0.4, "more em, strong, nobreak, a and ref in running text"),
    ("pagebreaks", 0.25, "more page breaks, also two in a row"),
    ("odd_chars", 0.25, "symbols, CJK, emoji, RTL letters and ligatures in text"),
]

# A dataset's dialect: (share of datasets, attributes, decimal mark,
# grouping mark, CSV separator). Mark None: either "." or "," (undeclared,
# or grouping="none"); grouping None: none. The rest of the datasets
# declare nothing.
DIALECTS = [
    (0.15, [("dialect", "nl")], ",", ".", ";"),
    (0.10, [("dialect", "c")], ".", None, ","),
    (0.05, [("decimal", ",")], ",", None, None),
    (0.05, [("grouping", ",")], ".", ",", None),
    (0.05, [("grouping", "none")], None, None, None),
]
# a figure as the generator writes it: prefix (sign, '€'), digits, an
# optional decimal part, suffix ('%')
FIGURE = re.compile(r"^(\D*?)(\d+)(?:[.,](\d+))?(\D*)$")

MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli",
             "augustus", "september", "oktober", "november", "december"]

# Elements whose content is written on one line (mixed content: added
# whitespace would change the text).
INLINE = {"title", "subtitle", "organisation", "author", "subject", "keywords",
          "period", "date", "contact", "p", "item", "caption", "em", "strong",
          "nobreak", "a", "ref", "alt", "name", "role", "value", "field",
          "column", "cover", "toc", "pagebreak", "note",
          "term", "definition", "attribution", "span"}   # text blocks (issue 17)


class El:
    """An element: name, attributes (ordered), children (El or str)."""
    __slots__ = ("name", "attrs", "kids")

    def __init__(self, name, attrs=None, kids=None):
        self.name = name
        self.attrs = attrs if attrs is not None else []
        self.kids = kids if kids is not None else []

    def set(self, key, value):
        self.attrs.append((key, value))
        return self

    def add(self, kid):
        self.kids.append(kid)
        return kid


def esc_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\t", "&#9;"))


def serialize(el, out, indent, used):
    used["el"].add(el.name)
    attrs = "".join(' %s="%s"' % (k, esc_attr(v)) for k, v in el.attrs)
    for k, _ in el.attrs:
        used["attr"].add(el.name + "@" + k)
    pad = "  " * indent
    if not el.kids:
        out.append("%s<%s%s/>\n" % (pad, el.name, attrs))
        return
    if el.name in INLINE:
        out.append(pad)
        inline_ser(el, out, used, attrs)
        out.append("\n")
        return
    out.append("%s<%s%s>\n" % (pad, el.name, attrs))
    for k in el.kids:
        serialize(k, out, indent + 1, used)
    out.append("%s</%s>\n" % (pad, el.name))


def inline_ser(el, out, used, attrs=None):
    used["el"].add(el.name)
    if attrs is None:
        attrs = "".join(' %s="%s"' % (k, esc_attr(v)) for k, v in el.attrs)
        for k, _ in el.attrs:
            used["attr"].add(el.name + "@" + k)
    if not el.kids:
        out.append("<%s%s/>" % (el.name, attrs))
        return
    out.append("<%s%s>" % (el.name, attrs))
    for k in el.kids:
        if isinstance(k, str):
            out.append(esc_text(k))
        elif el.name == "item" and k.name in ("list", "p"):
            # the item's blocks: a list is written out with its own layout
            if k.name == "list":
                sub = []
                serialize(k, sub, 0, used)
                out.append("".join(sub).rstrip("\n"))
            else:
                inline_ser(k, out, used)
        else:
            inline_ser(k, out, used)
    out.append("</%s>" % el.name)


def load_words():
    """The word list, in file order, and its parts by length."""
    words = []
    with open(WORDS_FILE, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and not w.startswith("#"):
                words.append(w)
    return {
        "all": words,
        "short": [w for w in words if len(w) <= 5],
        "mid": [w for w in words if 6 <= len(w) <= 12],
        "longish": [w for w in words if 13 <= len(w) <= 19],
        "long": [w for w in words if len(w) >= 20],
        "alpha_long": [w for w in words if len(w) >= 16 and w.isalpha()],
        "nouns": [w for w in words if len(w) >= 4 and w.isalpha()],
        "stems": [w for w in words if 4 <= len(w) <= 12 and w.isalpha()],
    }


class Gen:
    def __init__(self, seed, words):
        self.seed = seed
        self.r = random.Random(seed)
        self.wl = words          # word lists by length (load_words)
        self.ids = set()
        self.ds_ids = set()
        self.linkable = []       # ids that <a href="#id"> may name
        self.figures = []        # ids of tables and charts (<ref to>)
        self.links = []          # internal <a> waiting for a target
        self.refs = []           # <ref> waiting for a target
        self.datasets = []       # El of every <dataset>
        self.ds_info = {}        # id -> dict(fields=[(name, type)], rows=[[str]], numeric=...)
        self.files = {}          # file name -> bytes
        self.stats = {"tables": 0, "overfull_tables": 0, "rows": 0, "max_rows": 0,
                      "charts": 0, "sections": 0, "max_list_depth": 0, "max_columns": 0}
        r = self.r
        # knobs, drawn in KNOBS order: most seeds are ordinary, a few lean
        # toward one or two extremes
        self.k = {name: r.random() < share for name, share, _ in KNOBS}
        self.big_budget = 1 if self.k["big_table"] else 0
        # notes (issue 16) draw from a stream of their own, so that adding
        # them left every other choice of a seed as it was
        self.rn = random.Random(seed * 7919 + 16)
        self.notes_on = self.rn.random() < 0.4
        self.note_ids = 0

    # ---- small pieces -------------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def word(self):
        """A list word: mostly short and middling ones, as in running text."""
        r = self.r
        x = r.random()
        if self.k["long_words"] and x < 0.2:
            return r.choice(self.wl["long"])
        x = r.random()
        if x < 0.4:
            return r.choice(self.wl["short"])
        if x < 0.9:
            return r.choice(self.wl["mid"])
        if x < 0.98:
            return r.choice(self.wl["longish"])
        return r.choice(self.wl["long"])

    def compound(self, min_len=20):
        """A Dutch-looking compound of list words, at least min_len letters:
        a long list word and more (60+ characters when asked)."""
        r = self.r
        parts = [r.choice(self.wl["alpha_long"]).lower()]
        while len("".join(parts)) < min_len:
            w = r.choice(self.wl["alpha_long"] if r.random() < 0.6 else self.wl["nouns"]).lower()
            if r.random() < 0.4 and not parts[-1].endswith("s"):
                parts[-1] += "s"
            parts.append(w)
        return "".join(parts)

    def cpd(self, extreme):
        """A compound for a place that takes one: of 16-30 letters (a long
        list word, or two nouns joined), or in a long_words seed of at least
        one of the lengths extreme (a list: one is chosen)."""
        r = self.r
        if self.k["long_words"]:
            return self.compound(r.choice(extreme))
        if r.random() < 0.5:
            return r.choice(self.wl["alpha_long"]).lower()
        a, b = r.choice(self.wl["stems"]).lower(), r.choice(self.wl["stems"]).lower()
        return a + ("s" if r.random() < 0.3 and not a.endswith("s") else "") + b

    def shy(self, w):
        """w with soft hyphens between some letters."""
        r = self.r
        if len(w) < 8:
            return w
        out = []
        for i, ch in enumerate(w):
            if 2 < i < len(w) - 2 and w[i - 1].isalpha() and ch.isalpha() and r.random() < 0.2:
                out.append(SHY)
            out.append(ch)
        return "".join(out)

    def words_text(self, n, cap=False):
        ws = [self.word() for _ in range(n)]
        if cap and ws:
            ws[0] = ws[0][:1].upper() + ws[0][1:]
        return " ".join(ws)

    def label(self, lo=1, hi=4):
        """A short capitalised label: a heading, a name, a column header."""
        return self.words_text(self.r.randint(lo, hi), cap=True)

    def long_text(self, lo, hi):
        """Plain text of lo..hi characters, of words and compounds."""
        r = self.r
        target = r.randint(lo, hi)
        parts = []
        while len(" ".join(parts)) < target:
            if r.random() < (0.25 if self.k["long_words"] else 0.06):
                parts.append(self.cpd([30, 45, 60, 80]))
            else:
                parts.append(self.word())
        s = " ".join(parts)
        s = s[:1].upper() + s[1:]
        if len(s) > hi:
            s = s[:hi].rstrip()
        return s

    def id_for(self, hint):
        """A fresh element id (shared namespace of sections, paragraphs, ...)."""
        r = self.r
        base = "".join(c if c.isalnum() else "-" for c in hint.lower())
        base = "".join(c for c in base if c.isascii())
        base = base.strip("-") or "x"
        if not base[0].isalpha():
            base = "x" + base
        style = r.random()
        if style < 0.06:
            base = base + "." + r.choice(["v2", "a_b", "1.2", "x-y"])
        elif style < 0.1:
            base = (base + "-" + ascii_only(self.compound(60)))[:64]
        cand = base[:60]
        i = 2
        while cand in self.ids:
            cand = "%s-%d" % (base[:56], i)
            i += 1
        self.ids.add(cand)
        return cand

    def lang(self):
        return self.r.choice(["nl-NL", "nl", "en-GB", "en", "de-DE", "fr-FR", "nl-BE", "",
                              "en-US", "da", "la"])

    def maybe_lang(self, el, p=0.05):
        if self.k["lang_mix"] and self.chance(p * 4) or self.chance(p):
            el.set("xml:lang", self.lang())

    def amount(self):
        r = self.r
        v = r.choice([r.randint(0, 999), r.randint(1000, 99999), r.randint(10 ** 6, 10 ** 9)])
        if self.k["huge_figures"] and r.random() < 0.5:
            v = r.randint(10 ** 12, 10 ** 15)
        frac = r.randint(0, 9)
        ip = "{:,}".format(v).replace(",", ".")
        unit = r.choice([" mln", " mld", "", " miljoen", " duizend"])
        sign = r.choice(["", "", "", "−", "-"])
        return "%s€ %s,%d%s" % (sign, ip, frac, unit)

    def special_token(self):
        """An amount, a date, a percentage, a long number, an address, ..."""
        r = self.r
        k = r.randrange(16)
        if k == 0:
            return self.amount()
        if k == 1:
            return "%d %s %d" % (r.randint(1, 28), r.choice(MONTHS_NL), r.randint(1990, 2040))
        if k == 2:
            return "%d,%d%s%%" % (r.randint(0, 100), r.randint(0, 99), r.choice([" ", NBSP, ""]))
        if k == 3:      # a long number: 18 digits only in huge_figures seeds
            if self.k["huge_figures"]:
                return str(r.randint(10 ** 14, 10 ** 18 - 1))
            return str(r.randint(10 ** 3, 10 ** 9))
        if k == 4:
            hi = 10 ** 18 - 1 if self.k["huge_figures"] else 10 ** 9
            return "{:,}".format(r.randint(10 ** 6, hi)).replace(",", ".")
        if k == 5:
            user = r.choice(["info", "servicedesk", "communicatie", "a.b.de-vries",
                             self.cpd([25, 45])])
            dom = r.choice(["logius.nl", "example.nl", "rijksoverheid.nl",
                            "%s.%s.nl" % (self.cpd([20, 40]), r.choice(["minbzk", "gemeente"]))])
            return "%s@%s" % (user, dom)
        if k == 6:
            if self.k["long_words"]:
                path = "/".join(self.compound(r.choice([10, 20, 40])) for _ in range(r.randint(1, 5)))
            else:
                path = "/".join(ascii_only(self.word().lower()) for _ in range(r.randint(1, 3)))
            big = 10 ** 12 if self.k["huge_figures"] or self.k["long_words"] else 10 ** 6
            q = "?id=%d&amp;v=%d" % (r.randint(1, big), r.randint(1, 9)) if r.random() < 0.3 else ""
            return "https://www.%s.nl/%s%s" % (r.choice(["logius", "rijksoverheid", "example"]),
                                               path, q.replace("&amp;", "&"))
        if k == 7:
            return self.shy(self.cpd([25, 40, 60, 80]))
        if k == 8:
            return r.choice(["t/m", "o.a.", "d.w.z.", "i.v.m.", "m.b.t.", "c.q.", "z.s.m.",
                             "art. 3.2", "nr.", "blz.", "p.m."])
        if k == 9:
            return "‘%s’" % self.word()
        if k == 10:
            return "“%s %s”" % (self.word(), self.word())
        if k == 11:
            return "(%s)" % self.words_text(r.randint(1, 4))
        if k == 12:
            return "%s-%s" % (r.choice(["AC-ICT", "B&E", "GDI", "ICT", "IT", "CO2", "e"]),
                              self.word())
        if k == 13:
            return "%s–%s" % (r.randint(1990, 2030), r.randint(2030, 2050))
        if k == 14 and self.k["odd_chars"]:
            return r.choice(["≥", "≤", "±", "×", "½", "©", "™", "→", "✓", "…", "§",
                             "Ω", "μ", "ß", "ø", "Ł", "ğ", "İ", "€", "ﬁ", "№", "☎",
                             "漢字", "😀", "ﷺ", "א", "Σ", "∞"])
        return self.word()

    def sentence(self, n=None):
        r = self.r
        n = n or r.randint(4, 22)
        parts = []
        for i in range(n):
            if r.random() < 0.07:
                parts.append(self.special_token())
            else:
                w = self.word()
                if len(w) >= 14 and r.random() < (0.3 if self.k["long_words"] else 0.05):
                    w = self.shy(w)
                parts.append(w)
            if i < n - 1 and r.random() < 0.06:
                parts[-1] += r.choice([",", ";", ":"])
        s = " ".join(parts)
        return s[:1].upper() + s[1:] + r.choice([".", ".", ".", "?", "!", ":", "…"])

    # ---- inline content ---------------------------------------------------------

    def inline(self, depth, nwords, link_ok=True, markup=None):
        """Mixed content for an element at depth-1 whose children are at depth:
        text with em, strong, nobreak, a and ref."""
        r = self.r
        if markup is None:
            markup = 0.35 if self.k["markup"] else 0.12
        kids = []
        done = 0
        while done < nwords:
            n = min(nwords - done, r.randint(3, 25))
            text = " ".join(self.sentence(n).split(" ")[:n])
            done += n
            if depth <= MAX_DEPTH and r.random() < markup:
                el = self.markup_el(depth, text, link_ok)
                if el.name == "nobreak" and r.random() < 0.9:
                    # what authors keep together: a name, an amount, a few words
                    words = text.split(" ")
                    k = r.randint(1, 3)
                    el.kids = [" ".join(words[:k])]
                    kids.append(el)
                    if words[k:]:
                        kids.append(" " + " ".join(words[k:]))
                else:
                    kids.append(el)
            else:
                kids.append(text)
            kids.append(" ")
        if kids and kids[-1] == " ":
            kids.pop()
        return kids

    def markup_el(self, depth, text, link_ok):
        r = self.r
        kinds = ["em", "strong", "nobreak"] + (["a", "a", "ref"] if link_ok else [])
        k = r.choice(kinds)
        if k == "ref":
            el = El("ref")
            self.refs.append(el)
            return el
        el = El(k)
        if k == "a":
            self.link_target(el)
            link_ok = False
        self.maybe_lang(el, 0.03)
        words = text.split(" ")
        if depth + 1 <= MAX_DEPTH and len(words) > 2 and r.random() < 0.3:
            cut = r.randint(1, len(words) - 1)
            el.kids.append(" ".join(words[:cut]) + " ")
            el.kids.append(self.markup_el(depth + 1, " ".join(words[cut:]), link_ok))
        else:
            el.kids.append(text)
        return el

    def link_target(self, el):
        r = self.r
        x = r.random()
        if x < 0.45:
            self.links.append(el)           # an internal #id, chosen at the end
            el.set("href", "#")
        elif x < 0.75:
            if self.k["long_words"]:
                path = "/".join(self.compound(r.choice([8, 15, 30])) for _ in range(r.randint(0, 6)))
            else:
                path = "/".join(ascii_only(self.word().lower()) for _ in range(r.randint(0, 3)))
            el.set("href", "%s://www.%s.nl/%s" % (r.choice(["https", "http"]),
                                                  r.choice(["logius", "example", "overheid"]),
                                                  path))
        else:
            el.set("href", "mailto:%s@%s.nl" % (r.choice(["info", "servicedesk",
                                                          self.cpd([30, 45])]),
                                                r.choice(["logius", "example"])))

    # ---- info -------------------------------------------------------------------------

    def info(self):
        r = self.r
        lm = self.k["long_meta"]
        info = El("info")
        year = r.randint(1995, 2035)
        q = r.randint(1, 3)
        m0 = (q - 1) * 4 + 1
        last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        m1 = m0 + 3
        plabel = "%s t/m %s %d" % (MONTHS_NL[m0 - 1], MONTHS_NL[m1 - 1], year)
        if lm and r.random() < 0.7:
            title = self.long_text(120, 300)
        elif r.random() < 0.5:
            title = "Viermaandsrapportage %s" % plabel
        else:
            title = self.label(2, 9)
        info.add(El("title", kids=[title]))
        if r.random() < 0.5:
            info.add(El("subtitle", kids=[self.long_text(60, 400) if lm else self.label(2, 8)]))
        org = self.long_text(70, 240) if lm and r.random() < 0.8 else r.choice(
            ["Logius", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
             "Dienst Uitvoering Onderwijs", "Gemeente " + self.label(1, 1), self.label(1, 3)])
        info.add(El("organisation", kids=[org]))
        if r.random() < 0.4:
            info.add(El("author", kids=[self.long_text(40, 200) if lm else self.label(1, 3)]))
        if r.random() < 0.4:
            info.add(El("subject", kids=[self.long_text(20, 300 if lm else 120)]))
        if r.random() < 0.4:
            info.add(El("keywords", kids=[", ".join(self.word() for _ in range(r.randint(1, 30)))]))
        pid = r.choice(["%d-T%d" % (year, q), "%d-Q%d" % (year, q), "%d" % year,
                        "P%d.%d_x-%d" % (year, q, r.randint(0, 99))])
        if r.random() < 0.05:
            pid = (pid + "-" + "a" * 64)[:64]
        if lm and r.random() < 0.6:
            plabel = self.long_text(80, 260)
        if r.random() < 0.1:       # a one-day period
            frm = to = "%04d-%02d-%02d" % (year, m0, r.randint(1, 28))
        else:
            frm = "%04d-%02d-01" % (year, m0)
            to = "%04d-%02d-%02d" % (year, m1, last[m1 - 1])
        info.add(El("period", [("id", pid), ("from", frm), ("to", to)], [plabel]))
        if r.random() < 0.6:
            y = year + r.randint(0, 1)
            mo = r.randint(1, 12)
            d = r.randint(1, last[mo - 1] if mo != 2 else (29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28))
            info.add(El("date", kids=["%04d-%02d-%02d" % (y, mo, d)]))
        if r.random() < 0.5:
            if r.random() < 0.5:
                addr = "%s@%s.nl" % (r.choice(["communicatie", "info", self.cpd([30])]),
                                     r.choice(["logius", "example"]))
                href = "mailto:" + addr
                text = addr
            else:
                href = "https://www.%s.nl/%s" % (r.choice(["logius", "example"]),
                                                 self.cpd([20, 80]))
                text = href
            if lm and r.random() < 0.5:
                text = self.long_text(60, 200) + " " + text
            info.add(El("contact", [("href", href)], [text]))
        return info

    # ---- data ---------------------------------------------------------------------------

    def field_name(self, used):
        r = self.r
        while True:
            w = self.word().lower()
            w = "".join(c for c in w if c.isascii() and (c.isalnum() or c in "_.-"))
            if not w or not (w[0].isalpha() or w[0] == "_"):
                continue
            style = r.random()
            if style < 0.05:
                w = "_" + w
            elif style < 0.1:
                w = w + "." + r.choice(["nl", "2023", "v_1"])
            elif style < (0.13 if self.k["long_words"] else 0.105):
                w = (w + "_" + ascii_only(self.compound(60)))[:64]   # 64 characters
            if w not in used:
                used.add(w)
                return w

    def ds_id(self, hint):
        r = self.r
        if self.ids and r.random() < 0.08:
            cand = r.choice(sorted(self.ids))      # may equal a section's id
        else:
            cand = "".join(c for c in hint.lower() if c.isascii() and (c.isalnum() or c in "-._"))
            if not cand or not cand[0].isalpha():
                cand = "ds" + cand
            cand = cand[:40]
        base, i = cand, 2
        while cand in self.ds_ids:
            cand = "%s-%d" % (base[:56], i)
            i += 1
        self.ds_ids.add(cand)
        return cand

    def date_value(self):
        r = self.r
        y = r.randint(1990, 2040)
        mo = r.randint(1, 12)
        if mo == 2:
            d = r.randint(1, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28)
        else:
            d = r.randint(1, [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1])
        return "%04d-%02d-%02d" % (y, mo, d)

    def num_text(self, v, decimals, comma_ok=True):
        """v as a data value: '.' or ',' as separator, sometimes signed oddly."""
        r = self.r
        s = ("%." + str(decimals) + "f") % v
        if s.startswith("-") and r.random() < 0.15:
            s = "\u2212" + s[1:]
        elif not s.startswith("-") and r.random() < 0.03:
            s = "+" + s
        if comma_ok and "." in s and r.random() < 0.2:
            s = s.replace(".", ",")
        return s

    def value(self, ftype, mode, row, group_run):
        """A value of a field of type ftype; mode shapes text and numbers."""
        r = self.r
        if r.random() < 0.03:
            return r.choice(["", " "]) if r.random() < 0.9 else ""
        if ftype == "text":
            if mode == "group":
                return group_run
            if mode == "long":
                return self.long_text(60, 400) if r.random() < 0.5 else self.label(1, 3)
            if mode == "compound":
                w = self.cpd([20, 40, 60])
                return self.shy(w) if r.random() < 0.3 else w
            if mode == "code":
                return "%s-%0*d" % (r.choice(["ABC", "Z", "INC", "RFC"]),
                                    r.randint(3, 12 if self.k["huge_figures"] else 7),
                                    r.randint(0, 10 ** 9 if self.k["huge_figures"] else 10 ** 6))
            if mode == "special":
                if r.random() < 0.05:
                    return self.label(1, 3) + "\n" + self.label(1, 3)
                return r.choice([self.special_token(), self.label(1, 4) + ", " + self.word(),
                                 'De "%s" %s' % (self.word(), self.word()), "B&E " + self.word(),
                                 "<" + self.word() + ">", self.label(1, 2)])
            return self.label(1, 4)
        if ftype == "date":
            return self.date_value()
        if mode == "logpos" and ftype != "text":
            # above zero over several orders of magnitude, never "0" once rounded
            top = 2 if ftype == "percent" else 6
            return self.num_text(10 ** r.uniform(0, top), r.randint(0, 2)).lstrip("+")
        if ftype == "percent":
            if mode == "wild":
                v = r.uniform(-300, 10 ** 6)
            else:
                v = r.uniform(90, 100) if r.random() < 0.6 else r.uniform(0, 100)
            s = self.num_text(v, r.randint(0, 3))
            if r.random() < 0.1:
                s += r.choice(["%", " %", NBSP + "%"])
            return s
        if ftype == "euro":
            if mode == "huge":          # huge_figures seeds only
                v = r.uniform(-1, 1) * 10 ** r.randint(12, 15)
            elif mode == "large":
                v = r.uniform(-1, 1) * 10 ** r.randint(4, 7)
            elif mode == "neg":
                v = r.uniform(-500, 500)
            else:
                v = r.uniform(0, 400)
            s = self.num_text(v, r.randint(0, 2))
            if r.random() < 0.08 and not s.startswith(("-", "\u2212", "+")):
                s = r.choice(["€ ", "€", "€" + NBSP]) + s
            return s
        # number
        if mode == "huge":              # huge_figures seeds only
            v = r.randint(10 ** 12, 10 ** 15 - 1) * r.choice([1, 1, -1])
            return str(v)
        if mode == "large":
            v = r.randint(10 ** 5, 10 ** r.choice([8, 10, 11])) * r.choice([1, 1, -1])
            return str(v)
        if mode == "neg":
            v = r.uniform(-10 ** 6, 10 ** 6)
        elif mode == "tiny":
            v = r.uniform(-1, 1) / 10 ** r.randint(0, 5)
            return self.num_text(v, r.randint(3, 10))
        else:
            v = r.randint(0, 100000) if r.random() < 0.7 else r.uniform(0, 1000)
        return self.num_text(v, 0 if isinstance(v, int) else r.randint(0, 4))

    def make_dataset(self, nrows, fields, modes, csv=None):
        """fields: [(name, type, attrs)]; returns the dataset id. Values come from
        value(); csv True writes them to a file, False inline, None either."""
        r = self.r
        dsid = self.ds_id(fields[0][0] if r.random() < 0.7 else self.word())
        ds = El("dataset", [("id", dsid)])
        if csv is None:
            csv = r.random() < (0.7 if nrows > 200 else 0.3)
        for name, ftype, attrs in fields:
            f = El("field", [("name", name)])
            if ftype != "text" or r.random() < 0.3:
                f.set("type", ftype)
            for k, v in attrs:
                f.set(k, v)
            ds.add(f)
        dialect = self.dialect(ds, csv)
        if r.random() < 0.15:
            ds.set("illustrative", r.choice(["true", "false", "1", "0"]))
        if r.random() < 0.25:
            ds.set("note", self.long_text(20, 600) if self.k["long_meta"] else self.sentence())
        rows = []
        group_run = self.label(1, 2)
        for i in range(nrows):
            if r.random() < 0.3:
                group_run = self.label(1, 3) if r.random() < 0.8 else self.cpd([40])
            row = []
            for j, (_, ft, _) in enumerate(fields):
                v = self.value(ft, modes[j], i, group_run)
                row.append(self.figure(v, dialect) if ft in ("number", "percent", "euro") else v)
            rows.append(row)
        # a dataset with a dialect quotes only its separator, as Excel does
        # ("1,5" bare under ';'); an undeclared one, whose separator
        # reportgen finds in the header, quotes ',', ';' and tab, so that a
        # header that splits alike on all three (one column) reads the same
        quote = dialect[3] if dialect[0] and dialect[3] else ",;\t"
        self.ds_info[dsid] = {"fields": fields, "rows": rows, "sep": dialect[3], "quote": quote}
        if csv:
            fname = "seed-%d-%s.csv" % (self.seed, dsid)
            ds.set("src", fname)
            self.files[fname] = self.csv_bytes(fields, rows, dialect[3], quote)
        else:
            for row in rows:
                rec = ds.add(El("record"))
                for v in row:
                    rec.add(El("value", kids=[v] if v else []))
        self.datasets.append(ds)
        return dsid

    def dialect(self, ds, csv):
        """Declares a dialect on ds (or none); returns (declared, decimal,
        grouping, separator), the middle two as DIALECTS has them, the
        separator of the CSV file (csv) or None inline."""
        r = self.r
        x, declared, decimal, grouping, sep = r.random(), False, None, None, None
        for share, attrs, dec, grp, dsep in DIALECTS:
            if x < share:
                for k, v in attrs:
                    ds.set(k, v)
                declared, decimal, grouping, sep = True, dec, grp, dsep
                break
            x -= share
        else:
            if csv and r.random() < 0.15:
                sep = r.choice([";", "\t"])       # undeclared: found in the header
        if csv and declared and r.random() < 0.2:
            name = r.choice([",", ";", "tab"])
            ds.set("separator", name)
            sep = "\t" if name == "tab" else name
        return declared, decimal, grouping, (sep or ",") if csv else None

    def figure(self, s, dialect):
        """Figure s (as value() writes it) in the dataset's dialect."""
        m = FIGURE.match(s)
        if not m:
            return s                    # blank
        prefix, whole, frac, suffix = m.groups()
        declared, decimal, grouping, _ = dialect
        if decimal is None:
            # undeclared (or grouping="none"): either mark; undeclared, never
            # one that reads two ways, '1.234' (1234 with grouping)
            if (not declared and frac is not None and len(frac) == 3 and len(whole) <= 3 and
                    whole[0] != "0"):
                frac += "0"
            decimal = s[m.end(2)] if frac is not None else "."
        if grouping and len(whole) > 3 and whole[0] != "0" and self.r.random() < 0.6:
            head = len(whole) % 3 or 3
            whole = grouping.join([whole[:head]] + [whole[i:i + 3]
                                                     for i in range(head, len(whole), 3)])
        return prefix + whole + (decimal + frac if frac is not None else "") + suffix

    def csv_bytes(self, fields, rows, sep=",", quote=",;\t"):
        """The CSV file of rows: fields separated by sep, a cell quoted when
        it holds a character of quote, a quote or a line break (and now and
        then anyway)."""
        r = self.r
        names = [f[0] for f in fields]
        order = list(range(len(names)))
        extra = []
        if r.random() < 0.3:
            r.shuffle(order)
        if r.random() < 0.2:
            extra = ["ongebruikt_%d" % i for i in range(r.randint(1, 3))]
        eol = r.choice(["\n", "\n", "\r\n"])

        def q(s):
            if (any(c in s for c in quote + '"\r\n') or (s != s.strip() and r.random() < 0.5) or
                    r.random() < 0.05):
                return '"' + s.replace('"', '""') + '"'
            return s
        lines = [sep.join([q(names[i]) for i in order] + extra)]
        for row in rows:
            cells = [q(row[i]) for i in order] + [q(self.word()) for _ in extra]
            if all(c == "" for c in cells) and len(cells) == 1:
                cells = ['""']          # a lone empty line is a record too; keep it explicit
            lines.append(sep.join(cells))
        text = eol.join(lines) + (eol if r.random() < 0.85 else "")
        data = text.encode("utf-8")
        if r.random() < 0.15:
            data = b"\xef\xbb\xbf" + data
        return data

    # ---- tables -------------------------------------------------------------------------

    def table_rows(self):
        r = self.r
        if self.big_budget and r.random() < 0.5:
            self.big_budget -= 1
            return r.randint(500, 3000)
        x = r.random()
        if x < 0.05:
            return 0
        if x < 0.65:
            return r.randint(1, 12)
        if x < 0.88:
            return r.randint(13, 60)
        if x < 0.97:
            return r.randint(61, 250)
        return r.randint(251, 500)

    def table(self, depth):
        r = self.r
        # 1-7 columns; 8-10 in a third of a wide_tables seed's tables and now
        # and then elsewhere; 15-30 in half a many_columns seed's tables
        many = self.k["many_columns"] and r.random() < 0.5
        wide = many or r.random() < (0.35 if self.k["wide_tables"] else 0.03)
        ncols = r.randint(15, 30) if many else r.randint(8, 10) if wide else r.randint(1, 7)
        hard = many or self.k["long_words"]       # long compound headers
        nrows = self.table_rows()
        # fields: some reused by several columns, some never shown
        nfields = max(1, min(ncols + r.randint(-2, 2), 16))
        used = set()
        fields, modes = [], []
        for i in range(nfields):
            # a wide table is mostly figures beside a text column or two
            if not i:
                ftype = r.choice(["text", "text", "text", "date", "number"])
            elif wide and not many:
                ftype = r.choice(["text", "number", "number", "percent", "percent", "euro",
                                  "euro", "date"])
            else:
                ftype = r.choice(["text", "text", "number", "percent", "euro", "date"])
            attrs = []
            if r.random() < 0.6:
                attrs.append(("label", self.compound(r.choice([20, 30, 45])) if hard and r.random() < 0.5
                              else self.compound(r.choice([16, 20, 25])) if r.random() < 0.3
                              else self.label(1, 3)))
            if ftype in ("number", "percent", "euro") and r.random() < 0.5:
                attrs.append(("decimals", self.decimals()))
            if ftype in ("euro", "number") and r.random() < 0.4:
                units = ["mln", "mln", "mld", "k", "x 1000", "EUR", "st."]
                if hard or self.k["huge_figures"] or r.random() < 0.1:
                    units += ["mln euro", "duizendtallen"]
                attrs.append(("unit", r.choice(units)))
            fields.append((self.field_name(used), ftype, attrs))
            if ftype == "text":
                modes.append(r.choice(["plain", "plain", "group", "compound", "code", "special",
                                       "long"] if not wide or many else
                                      ["plain", "plain", "group", "code", "special"]))
            elif ftype == "date":
                modes.append("plain")
            else:
                modes.append(r.choice(["plain", "huge", "huge", "neg", "tiny", "wild"]
                                      if self.k["huge_figures"] else
                                      ["plain", "plain", "large", "neg", "tiny", "wild"]))
        # a table may show an existing dataset instead
        dsid = None
        if self.ds_info and (r.random() < 0.15 or len(self.datasets) >= 250):
            dsid = r.choice(sorted(self.ds_info))
            fields = self.ds_info[dsid]["fields"]
            nrows = len(self.ds_info[dsid]["rows"])
        if dsid is None:
            dsid = self.make_dataset(nrows, fields, modes)
        rows = self.ds_info[dsid]["rows"]
        t = El("table")
        if r.random() < 0.5:
            tid = self.id_for("tabel-" + self.word())
            t.set("id", tid)
            self.figures.append(tid)
            self.linkable.append(tid)
        t.set("data", dsid)
        self.maybe_lang(t)
        if r.random() < 0.7:
            cap = El("caption", kids=self.inline(depth + 2, r.randint(2, 40 if wide else 12)))
            self.maybe_lang(cap, 0.03)
            t.add(cap)
        numeric = [f for f in fields if f[1] in ("number", "percent", "euro")]
        summable = [f for f in fields if f[1] in ("number", "euro")]
        totals = bool(summable) and r.random() < 0.25
        if totals:
            t.set("totals", "true")
            if r.random() < 0.5:
                t.set("total-label", self.long_text(5, 80))
        elif r.random() < 0.05:
            t.set("totals", "false")
        cols = []
        group = None
        any_total = False
        fixed = 0.0
        for c in range(ncols):
            f = fields[c % len(fields)] if r.random() < 0.8 else r.choice(fields)
            col = El("column", [("field", f[0])])
            if r.random() < 0.35:
                col.set("label", self.compound(r.choice([20, 35, 60])) if hard and r.random() < 0.6
                        else self.compound(r.choice([16, 20, 25])) if r.random() < 0.3
                        else self.label(1, 4))
            if group is None and r.random() < 0.15:
                group = self.cpd([30]) if r.random() < 0.4 else self.label(1, 3)
            if group is not None:
                col.set("group", group)
                if r.random() < 0.4:
                    group = None
            x = r.random()
            if x < 0.12:
                # ordinary tables keep their fixed widths within 60 % of the line
                wlen = self.length(hard)
                if hard or fixed + to_pt(wlen) <= 0.6 * TEXT_WIDTH_PT:
                    col.set("width", wlen)
                    fixed += to_pt(wlen)
            elif x < 0.25:
                col.set("share", r.choice(["1", "2", "0.5", "3.25", "0.001", "1000", "17"]))
            if r.random() < 0.25:
                col.set("align", r.choice(["auto", "left", "right", "center", "decimal"]))
            if r.random() < 0.15:
                col.set("decimals", self.decimals())
            if r.random() < 0.1 or (modes_of(self, dsid, f[0]) == "group" and r.random() < 0.5):
                col.set("merge", r.choice(["true", "true", "false"]))
            if f[1] in ("number", "percent", "euro"):
                x = r.random()
                if x < 0.12:
                    col.set("min", r.choice(["0", "99.8", "-5", "100", "1000000", "0.5",
                                             "123456789012345"]))
                elif x < 0.22:
                    col.set("min-field", r.choice(numeric)[0])
                if totals and f[1] in ("number", "euro") and r.random() < 0.6:
                    col.set("total", "true")
                    any_total = True
            elif r.random() < 0.02:
                col.set("total", "false")
            cols.append(col)
        if totals and not any_total:
            # the first column showing a summable field gets total="true", or a new one
            for col in cols:
                fname = dict(col.attrs)["field"]
                if any(fname == s[0] for s in summable):
                    col.set("total", "true")
                    break
            else:
                cols.append(El("column", [("field", summable[0][0]), ("total", "true")]))
        # make about half of the many-column tables overfull by construction: a
        # long compound header per column
        if many and r.random() < 0.5:
            for col in cols:
                if r.random() < 0.7 and not any(k == "label" for k, _ in col.attrs):
                    col.set("label", self.compound(r.choice([18, 25, 40])))
        for col in cols:
            t.add(col)
        self.add_table_notes(t, cols, fields, rows, depth + 1)
        self.stats["tables"] += 1
        self.stats["max_columns"] = max(self.stats["max_columns"], len(cols))
        self.stats["rows"] += len(rows)
        self.stats["max_rows"] = max(self.stats["max_rows"], len(rows))
        if self.natural_width(t, fields, rows) > TEXT_WIDTH_PT:
            self.stats["overfull_tables"] += 1
        return t

    def decimals(self):
        """A decimals= value: mostly 0-2; up to 6 now and then, often in
        huge_figures seeds."""
        r = self.r
        if r.random() < (0.5 if self.k["huge_figures"] else 0.05):
            return str(r.randint(3, 6))
        return str(r.choice([0, 0, 1, 1, 1, 2, 2]))

    def length(self, hard):
        """A column width; wider than the page or narrower than a letter
        mostly in hard tables."""
        r = self.r
        x = r.random()
        if x < (0.88 if hard else 0.97):
            return r.choice(["%dmm" % r.randint(8, 60), "%dpt" % r.randint(20, 150),
                             "%.1fcm" % r.uniform(1, 6), "1in", "0.75in"])
        if x < 0.94 and hard:      # wider than the page
            return r.choice(["200mm", "500pt", "12cm", "9.9999in", "99999mm"])
        if x < 0.94 or (not hard and x < 0.99):
            return r.choice(["80mm", "300pt", "10cm"])
        return r.choice(["0.0001pt", "1pt", "0.5mm", "3pt", "2mm"])   # narrower than a letter

    def natural_width(self, t, fields, rows):
        """A rough natural width: every column at its widest unbroken cell."""
        ftype = {f[0]: f for f in fields}
        total = 0.0
        for col in t.kids:
            if col.name != "column":
                continue
            a = dict(col.attrs)
            if "width" in a:
                total += to_pt(a["width"])
                continue
            f = ftype[a["field"]]
            lab = dict(f[2]).get("label", f[0])
            head = a.get("label", lab)
            idx = [x[0] for x in fields].index(f[0])
            cell = max((len(row[idx]) for row in rows), default=0)
            if f[1] in ("number", "euro"):
                cell = int(cell * 1.4) + 4
            total += max(len(head) * 5.2, cell * 4.8) + 8
        return total

    # ---- charts -------------------------------------------------------------------------

    def chart(self, depth):
        r = self.r
        if len(self.datasets) >= 250:         # at most 256 datasets
            return self.para(depth)
        hard = self.k["hard_charts"]
        ctype = r.choice(["bar", "bar", "grouped", "stacked", "line", "pie", "donut"])
        one = ctype in ("bar", "pie", "donut")
        rnd = ctype in ("pie", "donut")
        bars = ctype in ("bar", "grouped", "stacked")
        nseries = 1 if one else r.choice([1, 2, 2, 3, 4, 5, 8, 12])
        orientation = None
        if bars and r.random() < 0.6 or r.random() < 0.05:
            orientation = r.choice(["horizontal", "vertical"])
        vertical_bars = bars and orientation != "horizontal"
        # a combination chart: lines over vertical bars (series + lines <= 12)
        nlines = r.randint(1, min(3, 12 - nseries)) if vertical_bars and nseries < 12 \
            and r.random() < 0.25 else 0
        # a logarithmic axis: every drawn value above zero
        log = not rnd and ctype != "stacked" and r.random() < 0.12
        x = r.random()
        if x < 0.08:
            ncat = 1
        elif x < 0.12:
            ncat = 0 if r.random() < 0.3 else 2
        elif x < (0.7 if not hard else 0.5):
            ncat = r.randint(2, 12)
        elif x < 0.9:
            ncat = r.randint(13, 60)
        else:
            ncat = r.randint(61, 300)
        ncat = min(ncat, MAX_CHART_POINTS // nseries)
        used = set()
        cat_type = r.choice(["text"] * 6 + ["date", "number", "percent", "euro"])
        cat_mode = r.choice(["plain", "plain", "compound", "long", "code", "special"]) if hard \
            else r.choice(["plain", "plain", "code"])
        stype = r.choice(["number", "percent", "euro"])
        neg_ok = not rnd
        if rnd:
            smode = "pos"
        elif log:
            smode = "logpos"
        else:
            smode = r.choice(["plain", "plain", "neg", "huge", "tiny", "wild"] if hard else
                             ["plain", "plain", "neg"])
        fields = [(self.field_name(used), cat_type, [("label", self.label(1, 3))]
                   if r.random() < 0.5 else [])]
        modes = [cat_mode]
        for i in range(nseries + nlines):
            attrs = []
            if r.random() < 0.6:
                attrs.append(("label", self.compound(30) if hard and r.random() < 0.3 else self.label(1, 3)))
            if r.random() < 0.3:
                attrs.append(("decimals", str(r.randint(0, 6))))
            t = stype if r.random() < 0.8 else r.choice(["number", "percent", "euro"])
            if t in ("euro", "number") and r.random() < 0.3:
                attrs.append(("unit", r.choice(["mln", "mld", "k"])))
            fields.append((self.field_name(used), t, attrs))
            modes.append(smode)
        reference = None
        if not rnd and r.random() < 0.25:
            reference = self.field_name(used)
            fields.append((reference, r.choice(["number", "percent", "euro"]), []))
            modes.append("logpos" if log else "plain")
        dsid = self.make_dataset(ncat, fields, [m if m != "pos" else "plain" for m in modes])
        if rnd:
            # no negative values in a pie: make every series value non-negative
            rows = self.ds_info[dsid]["rows"]
            self.fix_nonneg(dsid, rows, 1)
        c = El("chart")
        if r.random() < 0.5:
            cid = self.id_for("figuur-" + self.word())
            c.set("id", cid)
            self.figures.append(cid)
            self.linkable.append(cid)
        c.set("type", ctype)
        if orientation:
            c.set("orientation", orientation)
        c.set("data", dsid)
        c.set("category", fields[0][0])
        series = [f[0] for f in fields[1:1 + nseries]]
        c.set("series", (" " if r.random() < 0.9 else "  ").join(series))
        lines = [f[0] for f in fields[1 + nseries:1 + nseries + nlines]]
        if lines:
            c.set("lines", " ".join(lines))
        if not rnd:
            self.chart_axes(c, reference, log, hard)
            self.chart_extras(c, ctype, series, lines, hard)
        if r.random() < 0.3:
            if hard and r.random() < 0.4:
                c.set("height", r.choice(["1pt", "10pt", "25mm", "0.5in", "300mm", "900pt",
                                          "2000pt", "99999pt", "0.001mm"]))
            else:
                c.set("height", r.choice(["70mm", "180pt", "8cm", "3in", "120pt"]))
        self.maybe_lang(c)
        kids = []
        if r.random() < 0.6:
            cap = El("caption", kids=self.inline(depth + 2, r.randint(2, 30 if hard else 10)))
            self.maybe_lang(cap, 0.03)
            kids.append(cap)
        if r.random() < 0.4:
            kids.append(El("title", kids=[self.long_text(20, 400) if hard and r.random() < 0.5
                                          else self.label(2, 6)]))
        alt = self.sentence() if r.random() < 0.5 else self.words_text(r.randint(2, 20), cap=True)
        if r.random() < 0.3:
            alt = "".join(ch for ch in alt if not ch.isdigit()).strip() or "Grafiek"
        if hard and r.random() < 0.1:
            alt = self.long_text(1000, 2000)
        kids.append(El("alt", kids=[alt]))
        r.shuffle(kids)
        c.kids = kids
        self.stats["charts"] += 1
        return c

    def chart_axes(self, c, reference, log, hard):
        """Norms and axis limits of a chart with axes; on a log axis all
        above zero."""
        r = self.r
        if reference:
            c.set("reference", reference)
        if r.random() < 0.25:
            c.set("ref-value", r.choice(["99.8", "50", "1000000", "0.0001"] if log else
                                        ["99.8", "0", "-12.5", "50", "1000000", "0.0001"]))
        has_norm = reference or any(k == "ref-value" for k, _ in c.attrs)
        if has_norm and r.random() < 0.5:
            c.set("ref-label", self.long_text(5, 120) if hard else self.label(1, 3))
        if has_norm and r.random() < 0.3:
            c.set("better", r.choice(["lower", "lower", "higher"]))
        if log and r.random() < 0.7:
            c.set("scale", "log")
        elif log:
            c.set("scale", "log")
            lo = r.choice([0.001, 1, 10, 1e3])
            c.set("axis-min", fmt_num(lo))
            if r.random() < 0.5:
                c.set("axis-max", fmt_num(lo * r.choice([10, 1e3, 1e6, 1e12])))
            return
        if log:
            return
        x = r.random()
        if x < 0.2:
            lo = r.choice([0, 50, 99.5, -100, -1e6, 1e9])
            hi = lo + r.choice([0.001, 0.5, 10, 100, 1e6, 1e12])
            c.set("axis-min", fmt_num(lo))
            c.set("axis-max", fmt_num(hi))
        elif x < 0.3:
            c.set("axis-min", fmt_num(r.choice([0, -50, 99, 1e14])))
        elif x < 0.4:
            c.set("axis-max", fmt_num(r.choice([0, 100, 1, -1, 1e14])))

    def chart_extras(self, c, ctype, series, lines, hard):
        """A second axis, axis titles and markers of a chart with axes."""
        r = self.r
        drawn_as_lines = lines if lines else (series if ctype == "line" else [])
        keep_one = 0 if lines else 1      # a line chart keeps a series on the first axis
        if len(drawn_as_lines) > keep_one and r.random() < 0.4:
            k = r.randint(1, len(drawn_as_lines) - keep_one)
            c.set("axis2", " ".join(r.sample(drawn_as_lines, k)))
            if r.random() < 0.5:
                c.set("axis2-title", self.long_text(20, 120) if hard else self.label(1, 3))
        for attr in ("value-title", "category-title"):
            if r.random() < 0.2:
                c.set(attr, self.long_text(20, 200) if hard and r.random() < 0.3
                      else self.label(1, 3))
        if drawn_as_lines and r.random() < 0.2:
            c.set("markers", r.choice(["auto", "all", "none"]))

    def fix_nonneg(self, dsid, rows, col):
        """Pie and donut: a series value may be missing or zero, never negative."""
        ds = next(d for d in self.datasets if dict(d.attrs)["id"] == dsid)
        r = self.r
        allzero = r.random() < 0.05
        for row in rows:
            v = row[col].strip()
            if allzero and v:
                row[col] = "0"
            elif v.startswith(("-", "\u2212")):
                row[col] = v[1:] if v[0] == "-" else v[1:]
            elif v.startswith("€") and "-" in v:
                row[col] = v.replace("-", "")
        self.rewrite_dataset(ds, dsid, rows)

    def rewrite_dataset(self, ds, dsid, rows):
        fields = self.ds_info[dsid]["fields"]
        src = dict(ds.attrs).get("src")
        if src:
            info = self.ds_info[dsid]
            self.files[src] = self.csv_bytes(fields, rows, info["sep"], info["quote"])
        else:
            ds.kids = [k for k in ds.kids if k.name == "field"]
            for row in rows:
                rec = ds.add(El("record"))
                for v in row:
                    rec.add(El("value", kids=[v] if v else []))

    # ---- blocks ---------------------------------------------------------------------------

    def para(self, depth, top=True):
        """<p> at depth (its children at depth + 1)."""
        r = self.r
        p = El("p")
        if r.random() < 0.2:
            pid = self.id_for("p-" + self.word())
            p.set("id", pid)
            if top:
                self.linkable.append(pid)
        self.maybe_lang(p)
        x = r.random()
        n = r.randint(1, 8) if x < 0.2 else r.randint(10, 90) if x < 0.9 else r.randint(100, 500)
        p.kids = self.inline(depth + 1, n)
        self.add_notes(p.kids, depth + 1)
        return p

    def lst(self, depth, level=1, deep=False):
        """<list> at depth; deep: nest as far as element depth allows."""
        r = self.r
        l = El("list")
        if r.random() < 0.5:
            l.set("type", r.choice(["bullet", "ordered"]))
        if r.random() < 0.15:
            lid = self.id_for("lijst-" + self.word())
            l.set("id", lid)
            self.linkable.append(lid)
        self.maybe_lang(l)
        self.stats["max_list_depth"] = max(self.stats["max_list_depth"], level)
        nitems = r.randint(1, 6) if not deep else r.randint(1, 3)
        nest_at = r.randrange(nitems) if deep else -1
        for i in range(nitems):
            it = El("item")
            if r.random() < 0.08:
                it.set("id", self.id_for("item-" + self.word()))   # not a link target
            self.maybe_lang(it, 0.03)
            x = r.random()
            if x < 0.08:
                pass                                      # an empty item
            elif x < 0.18:
                it.kids = self.inline(depth + 2, r.randint(60, 250))
            else:
                it.kids = self.inline(depth + 2, r.randint(1, 30))
            self.add_notes(it.kids, depth + 2)
            # nested blocks: a list two levels down (item at depth+1, list at depth+2)
            can_nest = depth + 3 <= MAX_DEPTH         # list, item of the nested list
            if can_nest and (i == nest_at or (not deep and r.random() < 0.15 and level < 4)):
                it.kids.append(self.lst(depth + 2, level + 1, deep))
            if depth + 2 <= MAX_DEPTH and r.random() < 0.08:
                it.kids.append(self.para(depth + 2, top=False))
            l.add(it)
        return l

    # ---- notes (issue 16) -----------------------------------------------------

    def with_note_stream(self, fn, *args):
        """fn(*args) with self.r the notes' own stream (self.rn)."""
        saved, self.r = self.r, self.rn
        try:
            return fn(*args)
        finally:
            self.r = saved

    def note_el(self, depth, attrs=None):
        """<note> at depth: a sentence mostly; 12 % long enough to split
        over pages (10-40 sentences); some with em or a link."""
        r = self.r
        x = r.random()
        if x < 0.12:
            text = " ".join(self.sentence() for _ in range(r.randint(10, 40)))
        elif x < 0.3:
            text = " ".join(self.sentence() for _ in range(r.randint(2, 4)))
        else:
            text = self.sentence(r.randint(2, 12))
        el = El("note", attrs or [])
        if r.random() < 0.1:            # not id_for: its draws are the main stream's
            self.note_ids += 1
            nid = "noot-%d-%d" % (self.seed, self.note_ids)
            el.set("id", nid)
        if depth + 1 <= MAX_DEPTH and r.random() < 0.15:
            cut = text.find(" ", len(text) // 2)
            if cut > 0:
                el.kids = [text[:cut + 1], El("em", kids=[self.words_text(r.randint(1, 3))]),
                           text[cut:]]
                return el
        el.kids = [text]
        return el

    def add_notes(self, kids, depth):
        """Puts notes after words of the text strings of kids (a paragraph's
        or an item's own text): in 40 % of seeds, 15 % of the texts, one to
        three notes, sometimes several close together (one line)."""
        if not self.notes_on or depth + 1 > MAX_DEPTH:
            return
        self.with_note_stream(self._add_notes, kids, depth)

    def _add_notes(self, kids, depth):
        r = self.r
        if r.random() >= 0.15:
            return
        spots = [i for i, k in enumerate(kids) if isinstance(k, str) and k.strip()]
        if not spots:
            return
        for _ in range(r.choice([1, 1, 1, 2, 3])):
            i = r.choice(spots)
            text = kids[i]
            ends = [m.end() for m in re.finditer(r"\S+", text)]
            at = r.choice(ends)
            if r.random() < 0.3:              # several notes in a row, in one line
                group = [self.note_el(depth) for _ in range(r.randint(2, 3))]
            else:
                group = [self.note_el(depth)]
            kids[i:i + 1] = [text[:at]] + group + [text[at:]]
            spots = [j for j, k in enumerate(kids) if isinstance(k, str) and k.strip()]

    def add_table_notes(self, t, cols, fields, rows, depth):
        """<note row= field=> on 30 % of the tables of seeds with notes: the
        row named by its first column's value where that value is plain
        text, one in the table."""
        if not self.notes_on or not rows or not cols:
            return
        self.with_note_stream(self._add_table_notes, t, cols, fields, rows, depth)

    def _add_table_notes(self, t, cols, fields, rows, depth):
        r = self.r
        if r.random() >= 0.3:
            return
        names = [f[0] for f in fields]
        first = names.index(cols[0].attrs[0][1])
        if fields[first][1] != "text":
            return
        counts = {}
        for row in rows:
            counts[row[first]] = counts.get(row[first], 0) + 1
        plain = [v for v, n in counts.items()
                 if n == 1 and re.fullmatch(r"[A-Za-z0-9À-ÿ]+(?: [A-Za-z0-9À-ÿ]+)*", v)]
        if not plain:
            return
        for _ in range(r.randint(1, 3)):
            col = r.choice(cols)
            t.add(self.note_el(depth, [("row", r.choice(plain)), ("field", col.attrs[0][1])]))

    def quote(self, depth):
        r = self.r
        q = El("quote")
        if r.random() < 0.2:
            qid = self.id_for("citaat-" + self.word())
            q.set("id", qid)
            self.linkable.append(qid)
        self.maybe_lang(q)
        for _ in range(r.choice([1, 1, 2, 3, 4, 6])):
            p = self.para(depth + 1, top=False)
            q.add(p)
        return q

    def blocks(self, depth, in_foreword=False):
        """The blocks of a section or foreword at depth (children at depth + 1)."""
        r = self.r
        out = []
        n = r.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12])
        for _ in range(n):
            x = r.random()
            if x < 0.4:
                out.append(self.para(depth + 1))
            elif x < 0.55:
                out.append(self.lst(depth + 1, 1, deep=self.k["deep_lists"] and r.random() < 0.5))
            elif x < 0.63:
                out.append(self.quote(depth + 1))
            elif x < 0.78:
                out.append(self.table(depth + 1))
            elif x < 0.9:
                out.append(self.chart(depth + 1))
            elif x < 0.95 or self.k["pagebreaks"]:
                out.append(El("pagebreak"))
                if self.k["pagebreaks"] and r.random() < 0.3:
                    out.append(El("pagebreak"))
            else:
                out.append(self.para(depth + 1))
        return out

    def heading(self, depth, level):
        """A <title> of a section at depth-1; children at depth."""
        r = self.r
        t = El("title")
        x = r.random()
        if x < (0.3 if self.k["long_meta"] else 0.03):
            t.kids = [self.long_text(60, 260)]
            if self.k["long_words"] and r.random() < 0.5:
                t.kids = [self.compound(60) + " " + self.label(1, 4)]
        elif x < 0.4 and self.k["markup"]:
            t.kids = self.inline(depth, r.randint(2, 12), markup=0.5)
            # a title must not end up empty: keep a word in front
            t.kids.insert(0, self.label(1, 2) + " ")
        else:
            t.kids = [self.label(1, 6)]
        self.maybe_lang(t, 0.03)
        return t

    def section(self, depth, level, budget, maxlevel):
        """<section> at depth, of level 1..3, with up to budget[0] sections in all."""
        r = self.r
        s = El("section")
        budget[0] -= 1
        self.stats["sections"] += 1
        if r.random() < 0.7:
            sid = self.id_for(self.word())
            s.set("id", sid)
            self.linkable.append(sid)
        self.maybe_lang(s)
        s.add(self.heading(depth + 2, level))
        items = self.blocks(depth)
        nsub = 0
        if level < maxlevel and budget[0] > 0:
            nsub = min(budget[0], r.choice([0, 1, 2, 3, 4, 6]) if not self.k["many_sections"]
                       else r.randint(1, 8))
        subs = []
        for _ in range(nsub):
            if budget[0] <= 0:
                break
            subs.append(self.section(depth + 1, level + 1, budget, maxlevel))
        # subsections mostly after the blocks, sometimes in between
        for sub in subs:
            if r.random() < 0.25:
                items.insert(r.randint(0, len(items)), sub)
            else:
                items.append(sub)
        s.kids.extend(items)
        return s

    def foreword(self):
        r = self.r
        f = El("foreword")
        if r.random() < 0.6:
            fid = self.id_for("voorwoord")
            f.set("id", fid)
            self.linkable.append(fid)
        self.maybe_lang(f)
        f.add(self.heading(4, 1))
        f.kids.extend(self.blocks(2, in_foreword=True))
        if r.random() < 0.7:
            sig = El("signature")
            self.maybe_lang(sig)
            sig.add(El("name", kids=[self.long_text(40, 200) if self.k["long_meta"] and r.random() < 0.3
                                     else self.label(2, 3)]))
            if r.random() < 0.7:
                sig.add(El("role", kids=[self.long_text(40, 300) if self.k["long_meta"] and r.random() < 0.3
                                         else self.label(2, 5)]))
            f.add(sig)
        return f

    # ---- the whole ------------------------------------------------------------------------

    def report(self):
        r = self.r
        rep = El("report", [("xmlns", NS)])
        x = r.random()
        if x < 0.75:
            rep.set("xml:lang", "nl-NL")
        elif x < 0.85:
            rep.set("xml:lang", r.choice(["en-GB", "en", "en-US"]))
        elif x < 0.9:
            rep.set("xml:lang", r.choice(["nl", "nl-BE", "de-DE", ""]))
        if r.random() < 0.7:
            rep.set("layout", r.choice(["logius", "plain"]))
        rep.add(self.info())
        # content first (datasets are made as tables and charts need them)
        total = r.randint(15, 40) if self.k["many_sections"] else r.choice(
            [1, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16])
        maxlevel = r.choice([1, 2, 3, 3])
        budget = [total]
        content = []
        while budget[0] > 0:
            content.append(self.section(2, 1, budget, maxlevel))
        nfw = r.choice([0, 1, 1, 1, 2]) if r.random() < 0.7 else 0
        for _ in range(nfw):
            content.insert(r.randint(0, min(1, len(content))) if r.random() < 0.8
                           else r.randint(0, len(content)), self.foreword())
        if r.random() < 0.75:
            toc = El("toc")
            if r.random() < 0.4:
                toc.set("title", self.long_text(5, 200) if self.k["long_meta"] else self.label(1, 2))
            if r.random() < 0.6:
                toc.set("depth", str(r.randint(1, 3)))
            self.maybe_lang(toc)
            pos = 0 if r.random() < 0.8 else r.randint(0, len(content))
            content.insert(pos, toc)
        if r.random() < 0.25:
            # a trailing page break: the very last element of the report
            last = content[-1] if content[-1].name == "section" else None
            if last is None:
                last = next((c for c in reversed(content) if c.name == "section"), None)
                if last is not None:
                    content.remove(last)
                    content.append(last)
            while last is not None:
                subs = [k for k in last.kids if isinstance(k, El) and k.name == "section"]
                if subs and last.kids[-1] is subs[-1]:
                    last = subs[-1]
                    continue
                last.add(El("pagebreak"))
                break
        if self.datasets:
            data = El("data")
            data.kids = self.datasets
            rep.add(data)
        if r.random() < 0.7:
            cov = El("cover")
            self.maybe_lang(cov)
            rep.add(cov)
        rep.kids.extend(content)
        self.resolve()
        self.appendices_and_refs(rep)
        self.images(rep)
        self.landscape_pages(rep)
        self.table_structure(rep)
        self.text_blocks(rep)
        self.bidi_phrases(rep)
        return rep

    # ---- tables with structure and figures from the data (issue 17) ----------------------

    def table_structure(self, rep):
        """In two fifths of the seeds: group-by= (with subtotals= and a
        total column now and then) and <row emphasis="strong"> on some
        tables, and paragraphs of <value-of> (a row's value, a table's
        total, an aggregate) beside them, now and then in the caption. Its
        own random.Random, from the seed: every other draw is unchanged."""
        r = random.Random(self.seed * 1000003 + 17)
        if r.random() >= 0.4:
            return

        def walk(el):
            for i, k in enumerate(list(el.kids)):
                if not isinstance(k, El):
                    continue
                if k.name == "table" and r.random() < 0.5:
                    p = self.structure_table(r, k)
                    if p is not None:
                        el.kids.insert(el.kids.index(k), p)
                elif k.name in ("section", "appendix", "foreword"):
                    walk(k)

        walk(rep)

    def structure_table(self, r, t):
        """Structure on table t; returns a paragraph of <value-of> about its
        data to put before it, or None."""
        a = dict(t.attrs)
        dsid = a["data"]
        info = self.ds_info.get(dsid)
        if not info:
            return None
        fields, rows = info["fields"], info["rows"]
        cols = [k for k in t.kids if isinstance(k, El) and k.name == "column"]
        ftype = {f[0]: f[1] for f in fields}
        if r.random() < 0.6:
            t.set("group-by", r.choice(fields)[0])
            summable = [c for c in cols if ftype[dict(c.attrs)["field"]] in ("number", "euro")]
            if summable and r.random() < 0.6 and not self.k["huge_figures"]:
                if not any(dict(c.attrs).get("total") == "true" for c in summable):
                    c = r.choice(summable)
                    c.attrs = [(k, v) for k, v in c.attrs if k != "total"] + [("total", "true")]
                t.set("subtotals", "true")
                if r.random() < 0.3:
                    t.set("subtotal-label", self.label(1, 2))
        # keys: first-column values that name one record, as written
        first = dict(cols[0].attrs)["field"] if cols else None
        if first and ftype[first] == "text":
            idx = [f[0] for f in fields].index(first)
            vals = [row[idx] for row in rows]
            keys = [v for v in vals if v and " ".join(v.split()) == v and vals.count(v) == 1]
            for key in r.sample(keys, min(len(keys), r.choice([0, 1, 1, 2]))):
                t.add(El("row", [("key", key), ("emphasis", "strong")]))
            if keys and "group-by" not in dict(t.attrs) and r.random() < 0.5:
                self.cell_span(r, t, cols, keys, vals)
        return self.value_of_para(r, t, dsid, fields, rows, cols)

    def cell_span(self, r, t, cols, keys, vals):
        """One <cell-span> on t (rows in data order: no group-by): from a
        row with a unique key, at the first column of its field, over
        columns without merge=."""
        key = r.choice(keys)
        i = vals.index(key)
        names = [dict(c.attrs)["field"] for c in cols]
        firsts = [k for k in range(len(cols)) if names.index(names[k]) == k]
        k = r.choice(firsts)
        ncols = 1
        while (ncols < 3 and k + ncols < len(cols) and r.random() < 0.6):
            ncols += 1
        if any(dict(c.attrs).get("merge") == "true" for c in cols[k:k + ncols]):
            return
        nrows = r.randint(1, min(3, len(vals) - i))
        sp = El("cell-span", [("row", key), ("field", names[k])])
        if nrows > 1 or r.random() < 0.5:
            sp.set("rows", str(nrows))
        if ncols > 1 or r.random() < 0.5:
            sp.set("cols", str(ncols))
        t.add(sp)

    def value_of_para(self, r, t, dsid, fields, rows, cols):
        """A paragraph quoting t's data through <value-of>, or None."""
        numeric = [f for f in fields if f[1] in ("number", "percent", "euro")]
        if not numeric or r.random() < 0.3:
            return None
        keys = []
        if fields[0][1] == "text":
            vals = [row[0] for row in rows]
            keys = [v for v in vals if v and " ".join(v.split()) == v and vals.count(v) == 1]
        tid = dict(t.attrs).get("id")
        shown = {}
        for c in cols:                      # the first column of a field, as the loader reads
            shown.setdefault(dict(c.attrs)["field"], c)
        p = El("p", kids=[self.label(1, 3) + " "])
        for _ in range(r.randint(1, 4)):
            f = r.choice(numeric)
            v = El("value-of", [("data", dsid), ("field", f[0])])
            aggs = ["min", "max", "count", "avg"]
            if f[1] != "percent" and not self.k["huge_figures"]:
                aggs.append("sum")
            col = shown.get(f[0])
            total = (col is not None and dict(col.attrs).get("total") == "true" and
                     dict(t.attrs).get("totals") == "true")
            x = r.random()
            if keys and x < 0.4:
                v.set("row", r.choice(keys))
            elif total and tid and x < 0.6 and not self.k["huge_figures"]:
                v.set("row", dict(t.attrs).get("total-label", "Totaal"))
                v.set("table", tid)
            else:
                v.set("agg", r.choice(aggs))
            if tid and col is not None and "table" not in dict(v.attrs) and r.random() < 0.4:
                v.set("table", tid)
            p.kids.append(v)
            p.kids.append(r.choice([", ", " en ", "; "]))
        p.kids.append(self.label(1, 2) + ".")
        if r.random() < 0.15:
            cap = next((k for k in t.kids if isinstance(k, El) and k.name == "caption"), None)
            if cap is not None:
                cap.kids.append(" ")
                cap.kids.append(El("value-of", [("data", dsid), ("field", r.choice(numeric)[0]),
                                                ("agg", "max")]))
        return p


    # ---- bidirectional text (issue 17, bidi) --------------------------------------------------

    # short Hebrew and Arabic phrases, some with digits or brackets inside
    BIDI_PHRASES = {
        "he": ["שלום עולם", "מס הכנסה", "בשנת 2024 היו", "דוח שנתי", "משרד האוצר (2023)",
               "שירותים דיגיטליים לממשלה"],
        "ar": ["مرحبا بالعالم", "دائرة الضرائب", "في عام 2024 تم", "التقرير السنوي",
               "وزارة المالية (2023)", "الخدمات الرقمية للحكومة الهولندية"],
    }

    def bidi_phrases(self, rep):
        """Short Hebrew and Arabic phrases inside paragraphs and list items
        of a quarter of the seeds: in <em>/<strong> with xml:lang (he, ar)
        or bare, now and then several in a row or one with digits. Its own
        random.Random, from the seed: every other draw is unchanged."""
        r = random.Random(self.seed * 1000003 + 171)
        if r.random() >= 0.25:
            return

        def phrase_into(el):
            lang = r.choice(["he", "ar"])
            text = r.choice(self.BIDI_PHRASES[lang])
            how = r.random()
            if how < 0.6:
                kid = El(r.choice(["em", "strong", "span"]), [("xml:lang", lang)], [text])
            else:
                kid = text
            # an item's inline text comes before its nested lists and paragraphs
            end = next((i for i, k in enumerate(el.kids)
                        if isinstance(k, El) and k.name in ("list", "p")), len(el.kids))
            # not just before a note's or ref's mark (the space before a
            # note is dropped, which the tag check does not model)
            def before_mark(i):
                while i < len(el.kids) and isinstance(el.kids[i], str) and not el.kids[i].strip():
                    i += 1                  # blank text between it and the mark
                return i < len(el.kids) and isinstance(el.kids[i], El) and \
                    el.kids[i].name in ("note", "ref")
            places = [i for i in range(end + 1) if not before_mark(i)]
            at = r.choice(places)
            el.kids[at:at] = [" ", kid, " "]

        def walk(el):
            for k in el.kids:
                if not isinstance(k, El):
                    continue
                if k.name in ("p", "item") and r.random() < 0.3:
                    for _ in range(r.choice([1, 1, 1, 2, 3])):
                        phrase_into(k)
                if k.name not in ("p",):
                    walk(k)

        walk(rep)

    # ---- images (issue 15) ----------------------------------------------------------------

    IMAGE_FIXTURES = ["rgb.png", "rgba.png", "grey.png", "grey-alpha.png", "palette-trns.png",
                      "interlaced.png", "rgb16.png", "grey-2bit.png", "grey.jpg",
                      "progressive.jpg", "exif-rotated.jpg", "rgb-icc.jpg", "svg/logo.svg"]

    def svg_bytes(self, r):
        """A random SVG of the supported subset: rectangles, circles and
        paths, in a viewBox of any shape (a sliver 1000 x 4 too)."""
        w = r.choice([1, 4, 40, 100, 300, 1000, 5000])
        h = r.choice([1, 4, 40, 100, 300, 1000, 5000])
        parts = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d">' % (w, h)]
        for _ in range(r.randint(1, 12)):
            col = "#%02x%02x%02x" % (r.randrange(256), r.randrange(256), r.randrange(256))
            x, y = r.uniform(0, w), r.uniform(0, h)
            k = r.random()
            if k < 0.4:
                parts.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>'
                             % (x, y, r.uniform(0, w), r.uniform(0, h), col))
            elif k < 0.7:
                parts.append('<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>'
                             % (x, y, r.uniform(0.1, max(w, h) / 3), col))
            else:
                pts = " ".join("L %.1f %.1f" % (r.uniform(0, w), r.uniform(0, h))
                               for _ in range(r.randint(1, 6)))
                parts.append('<path d="M %.1f %.1f %s Z" fill="none" stroke="%s" '
                             'stroke-width="%.1f"/>' % (x, y, pts, col, r.uniform(0.1, 5)))
        parts.append("</svg>")
        return "\n".join(parts).encode()

    def image_file(self, r):
        """The name of an image file written beside the definition: a copy
        of a fixture of tests/images/ or a random SVG."""
        n = len([f for f in self.files if "-img-" in f])
        if r.random() < 0.3:
            name = "seed-%d-img-%d.svg" % (self.seed, n)
            self.files[name] = self.svg_bytes(r)
            return name
        fix = r.choice(self.IMAGE_FIXTURES)
        name = "seed-%d-img-%d%s" % (self.seed, n, os.path.splitext(fix)[1])
        with open(os.path.join(HERE, "images", fix), "rb") as f:
            self.files[name] = f.read()
        return name

    def image(self, r):
        im = El("image", [("src", self.image_file(r))])
        if r.random() < 0.15:
            im.set("decorative", "true")
        else:
            im.set("alt", self.long_text(5, 400) if r.random() < 0.1 else self.sentence())
        x = r.random()
        if x < 0.35:
            im.set("width", "%d%%" % r.choice([1, 10, 33, 50, 80, 100]))
        elif x < 0.7:
            im.set("width", r.choice(["1mm", "20mm", "60mm", "120mm", "400mm", "2in", "300pt"]))
        if r.random() < 0.6:
            cap = El("caption")
            cap.kids = [self.long_text(20, 300) if r.random() < 0.1 else self.label(1, 6)]
            im.add(cap)
        if r.random() < 0.3:
            im.set("id", "img-%d-%d" % (self.seed, len(self.files)))
        self.maybe_lang(im)
        return im

    def images(self, rep):
        """<image> blocks in the sections of a third of the seeds, and a
        cover logo now and then. Its own random.Random from the seed: the
        draws of everything else, and so the seeds made before, are
        unchanged."""
        r = random.Random(self.seed * 1000003 + 15)
        if r.random() >= 0.33:
            return
        cover = next((k for k in rep.kids if isinstance(k, El) and k.name == "cover"), None)
        if cover is not None and r.random() < 0.4:
            cover.set("logo", self.image_file(r))

        def walk(el):
            for k in list(el.kids):
                if isinstance(k, El) and k.name in ("section", "foreword"):
                    walk(k)
            if el.name != "section" or r.random() >= 0.5:
                return
            for _ in range(r.choice([1, 1, 1, 2, 4])):
                # after the title, anywhere among the blocks
                first = 1 if el.kids and isinstance(el.kids[0], El) and \
                    el.kids[0].name == "title" else 0
                el.kids.insert(r.randint(first, len(el.kids)), self.image(r))

        walk(rep)

    # ---- text blocks (issue 17) -----------------------------------------------------------

    def text_blocks(self, rep):
        """<definitions>, <box>, <quote> with <attribution>, <span xml:lang>
        and <section header=> in a third of the seeds: put into random
        sections (level 1 for header=). Drawn from a random.Random of their
        own (a function of the seed), after everything else: the rest of a
        seed's report is what it was before text blocks existed."""
        saved = self.r
        self.r = r = random.Random(self.seed * 1000003 + 170)
        try:
            if r.random() >= 0.33:
                return
            holders = []

            def walk(el, depth, level):
                for k in el.kids:
                    if isinstance(k, El) and k.name in ("section", "appendix"):
                        holders.append((k, depth + 1, level + 1))
                        walk(k, depth + 1, level + 1)
            walk(rep, 1, 0)
            if not holders:
                return
            for sec, depth, level in holders:
                if level == 1 and r.random() < 0.3:
                    sec.set("header", self.long_text(20, 120) if r.random() < 0.2
                            else self.label(1, 2))
                if r.random() >= 0.5:
                    continue
                first = 1 if sec.kids and isinstance(sec.kids[0], El) and \
                    sec.kids[0].name == "title" else 0
                for _ in range(r.choice([1, 1, 2, 3])):
                    x = r.random()
                    blk = (self.tb_definitions(depth + 1) if x < 0.4 else
                           self.tb_box(depth + 1) if x < 0.75 else self.tb_quote(depth + 1))
                    sec.kids.insert(r.randint(first, len(sec.kids)), blk)
        finally:
            self.r = saved

    def tb_inline(self, depth, lo, hi):
        """Inline text without links or refs (they are resolved before this
        pass), a <span xml:lang> in it now and then."""
        r = self.r
        kids = self.inline(depth, r.randint(lo, hi), link_ok=False)
        if r.random() < 0.25:
            sp = El("span")
            sp.set("xml:lang", r.choice(["en", "en-GB", "de-DE", "fr-FR", "la", "nl"]))
            sp.kids = [self.words_text(r.randint(1, 4))]
            kids = kids + [" ", sp] + ([" " + self.word()] if r.random() < 0.5 else [])
        return kids

    def tb_para(self, depth):
        p = El("p")
        self.maybe_lang(p)
        x = self.r.random()
        p.kids = self.tb_inline(depth + 1, 1, 8) if x < 0.2 else \
            self.tb_inline(depth + 1, 10, 90) if x < 0.9 else self.tb_inline(depth + 1, 100, 400)
        return p

    def tb_definitions(self, depth):
        """A list of abbreviations or a glossary: short terms mostly, long
        ones and long definitions now and then, 1-70 entries."""
        r = self.r
        d = El("definitions")
        self.maybe_lang(d)
        if r.random() < 0.15:
            d.set("id", self.id_for("afkortingen-" + self.word()))
        n = r.choice([1, 2, 3, 5, 8, 12, 20, 40, 70])
        for _ in range(n):
            e = El("entry")
            self.maybe_lang(e, 0.02)
            t = El("term")
            x = r.random()
            if x < 0.6:
                t.kids = [ascii_only(self.word()).upper()[:r.randint(2, 7)] or "AB"]
            elif x < 0.9:
                t.kids = [self.label(1, 4)]
            else:
                t.kids = [self.long_text(30, 120)]
            df = El("definition")
            self.maybe_lang(t, 0.02)
            self.maybe_lang(df, 0.02)
            x = r.random()
            df.kids = self.tb_inline(depth + 3, 1, 12) if x < 0.7 else \
                self.tb_inline(depth + 3, 13, 80) if x < 0.95 else self.tb_inline(depth + 3, 100, 400)
            e.kids = [t, df]
            d.add(e)
        return d

    def tb_box(self, depth):
        """A framed box: a title mostly, 1-4 blocks (short ones, or enough
        for more than a page now and then)."""
        r = self.r
        b = El("box")
        self.maybe_lang(b)
        if r.random() < 0.15:
            b.set("id", self.id_for("kader-" + self.word()))
        if r.random() < 0.8:
            t = El("title")
            t.kids = [self.long_text(40, 200) if r.random() < 0.1 else self.label(1, 6)]
            b.add(t)
        for _ in range(r.choice([1, 1, 2, 3, 4, 12])):
            x = r.random()
            if x < 0.6:
                b.add(self.tb_para(depth + 1))
            elif x < 0.8:
                l = El("list")
                for _ in range(r.randint(1, 5)):
                    it = El("item")
                    it.kids = self.tb_inline(depth + 3, 1, 25)
                    l.add(it)
                b.add(l)
            elif x < 0.9:
                b.add(self.tb_quote(depth + 1))
            else:
                b.add(self.tb_definitions(depth + 1))
        return b

    def tb_quote(self, depth):
        """A quote of 1-3 paragraphs with an attribution mostly."""
        r = self.r
        q = El("quote")
        for _ in range(r.randint(1, 3)):
            q.add(self.tb_para(depth + 1))
        if r.random() < 0.8:
            a = El("attribution")
            self.maybe_lang(a, 0.03)
            a.kids = self.tb_inline(depth + 2, 2, 8) if r.random() < 0.9 else \
                self.tb_inline(depth + 2, 30, 80)
            q.add(a)
        return q

    # ---- landscape pages (issue 16) ---------------------------------------------------------

    def landscape_pages(self, rep):
        """page="landscape" on some sections, tables, charts and images of a
        fifth of the seeds (page="portrait", the default, now and then
        outside them). Its own random.Random, from the seed: the draws of
        everything else, and so the seeds made before, are unchanged."""
        r = random.Random(self.seed * 1000003 + 16)
        if r.random() >= 0.2:
            return

        def walk(el, inside):
            for k in el.kids:
                if not isinstance(k, El) or k.name not in ("section", "table", "chart", "image",
                                                           "foreword"):
                    continue
                here = inside
                if k.name != "foreword":
                    p = 0.12 if k.name == "section" else 0.25
                    x = r.random()
                    if x < p:
                        k.set("page", "landscape")
                        here = True
                    elif x < p + 0.05 and not inside:
                        k.set("page", "portrait")
                if k.name in ("section", "foreword"):
                    walk(k, here)

        walk(rep, False)

    # ---- appendices and cross-references (issue 16) ------------------------------------------

    def appendices_and_refs(self, rep):
        """0-3 <appendix> after the last section (with blocks, tables, charts
        and subsections), then paragraphs of <ref show=label|number|title|page>
        to random targets. Drawn from a random.Random of their own (a
        function of the seed), after everything else: the rest of a seed's
        report is what it was before appendices existed."""
        saved = self.r
        self.r = r = random.Random(self.seed * 1000003 + 160)
        try:
            had_data = any(k.name == "data" for k in rep.kids if isinstance(k, El))
            n_links, n_refs = len(self.links), len(self.refs)
            napp = r.choice([0, 0, 1, 1, 2, 3])
            for i in range(napp):
                a = El("appendix")
                if r.random() < 0.8:
                    a.set("id", self.id_for("bijlage-" + self.word()))
                self.maybe_lang(a)
                a.add(self.heading(4, 1))
                a.kids.extend(self.blocks(2))
                if r.random() < 0.7:
                    a.add(self.table(3))
                if r.random() < 0.5:
                    a.add(self.chart(3))
                for _ in range(r.choice([0, 0, 1, 2])):
                    budget = [r.randint(1, 3)]
                    a.add(self.section(3, 2, budget, 3))
                rep.add(a)
            # the links and refs of the appendices' text get their targets too
            links, refs = self.links, self.refs
            self.links, self.refs = links[n_links:], refs[n_refs:]
            self.resolve()
            self.links, self.refs = links, refs
            if self.datasets and not had_data:      # the appendices' tables brought the first
                data = El("data")
                data.kids = self.datasets
                at = next(i for i, k in enumerate(rep.kids) if k.name == "info") + 1
                rep.kids.insert(at, data)
            self.cross_refs(rep)
        finally:
            self.r = saved

    def ref_targets(self, el, out, in_appendix=False):
        """(id, kind, captioned) of every element a <ref> may name, in el."""
        for k in el.kids:
            if not isinstance(k, El):
                continue
            kid = dict(k.attrs).get("id")
            if kid and k.name in ("section", "appendix", "foreword", "table", "chart", "image",
                                  "note"):
                captioned = any(isinstance(c, El) and c.name == "caption" and c.kids
                                for c in k.kids)
                out.append((kid, k.name, captioned))
            self.ref_targets(k, out)

    def cross_refs(self, rep):
        """Paragraphs of cross-references with every show= to random targets,
        put into random sections and appendices (their first block)."""
        r = self.r
        targets = []
        self.ref_targets(rep, targets)
        holders = []
        def walk(el):
            for k in el.kids:
                if isinstance(k, El) and k.name in ("section", "appendix"):
                    holders.append(k)
                    walk(k)
        walk(rep)
        if not targets or not holders or r.random() < 0.3:
            return
        for _ in range(r.randint(1, 4)):
            p = El("p")
            p.kids.append(self.label(1, 3) + " ")
            for _ in range(r.randint(1, 6)):
                tid, kind, captioned = r.choice(targets)
                shows = ["label", "page", "title", "number", None]
                if kind == "foreword":
                    shows.remove("number")
                if kind == "note" or (kind in ("table", "chart", "image") and not captioned):
                    shows.remove("title")
                show = r.choice(shows)
                ref = El("ref", [("to", tid)])
                if show:
                    ref.set("show", show)
                p.kids.append(ref)
                p.kids.append(" op pagina " if r.random() < 0.5 else ", ")
                ref2 = El("ref", [("to", tid), ("show", "page")])
                p.kids.append(ref2)
                p.kids.append("; ")
            p.kids.append(self.label(1, 2) + ".")
            h = r.choice(holders)
            at = 1 + r.randint(0, max(0, len(h.kids) - 1))
            h.kids.insert(min(at, len(h.kids)), p)

    def resolve(self):
        r = self.r
        for el in self.links:
            if self.linkable:
                el.attrs = [(k, v) if k != "href" else (k, "#" + r.choice(self.linkable))
                            for k, v in el.attrs]
            else:
                el.attrs = [(k, v) if k != "href" else (k, "https://www.logius.nl/")
                            for k, v in el.attrs]
        for el in self.refs:
            if self.figures:
                el.set("to", r.choice(self.figures))
            else:
                el.name = "strong"          # nothing to refer to: the words instead
                el.kids = ["Tabel %d" % r.randint(1, 9)]


def modes_of(gen, dsid, fname):
    """Whether a text field's values come in runs (for merge=): a guess from the data."""
    info = gen.ds_info.get(dsid)
    if not info:
        return None
    idx = [f[0] for f in info["fields"]].index(fname)
    vals = [row[idx] for row in info["rows"][:20]]
    return "group" if len(vals) > 3 and len(set(vals)) < len(vals) / 2 else None


def ascii_only(s):
    """s without the characters that ids and field names may not hold."""
    return "".join(c for c in s if c.isascii() and (c.isalnum() or c in "._-"))


def fmt_num(v):
    """A Number attribute: -?[0-9]{1,15}(.[0-9]{1,10})?"""
    s = ("%.4f" % v).rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def to_pt(length):
    for unit, k in (("pt", 1.0), ("mm", 72 / 25.4), ("cm", 72 / 2.54), ("in", 72.0)):
        if length.endswith(unit):
            return float(length[:-len(unit)]) * k
    return 0.0


def xml_comment(text):
    """<!-- text --> that is well-formed XML whatever text holds (a negative
    seed, a knob's name): a comment may not contain "--" nor end in "-",
    so runs of "-" are spaced out and a space goes before "-->"."""
    while "--" in text:
        text = text.replace("--", "- -")
    return "<!-- %s -->" % text


def write_seed(seed, outdir, words, stats):
    gen = Gen(seed, words)
    rep = gen.report()
    used = {"el": set(), "attr": set()}
    knobs = [k for k, v in gen.k.items() if v]
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           xml_comment("generated by tests/gen_definitions.py, seed %d; knobs: %s"
                       % (seed, ", ".join(knobs) or "none")) + "\n"]
    serialize(rep, out, 0, used)
    for name, data in sorted(gen.files.items()):
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)
    with open(os.path.join(outdir, "seed-%d.xml" % seed), "w", encoding="utf-8",
              newline="\n") as f:
        f.write("".join(out))
    if stats:
        st = dict(gen.stats)
        st["seed"] = seed
        st["knobs"] = sorted(k for k, v in gen.k.items() if v)
        st["elements"] = sorted(used["el"])
        st["attributes"] = sorted(used["attr"])
        st["bytes"] = sum(len(s.encode("utf-8")) for s in out)
        print(json.dumps(st, sort_keys=True))


def main(argv):
    ap = argparse.ArgumentParser(description="Write random valid report definitions.")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True, help="folder for seed-N.xml and its CSV files")
    ap.add_argument("--count", type=int, default=1,
                    help="write seeds N .. N+COUNT-1 (one process: faster for a suite)")
    ap.add_argument("--stats", action="store_true", help="print a JSON line per seed")
    a = ap.parse_args(argv)
    os.makedirs(a.out, exist_ok=True)
    words = load_words()
    for seed in range(a.seed, a.seed + a.count):
        write_seed(seed, a.out, words, a.stats)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

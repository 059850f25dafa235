#!/usr/bin/env python3
"""blocks_tags.py PDF - the tags of issue 17's text blocks in a PDF of
tests/regress/blocks-tags.xml; prints one line per failure (none: all hold).
  - the definition list: an L with an LI per entry, each LI's Lbl the term
    and its LBody the definition;
  - the box: a Div whose first child is a P with its title, and no H1..H6
    inside it;
  - the quote: a BlockQuote whose last child is a P "— Jan Jansen, directeur";
  - the span: a Span element with /Lang (en) around "shared service centre".
"""
import json
import re
import subprocess
import sys

sys.path.insert(0, "tests")
from struct_check import struct_nodes, text  # noqa: E402


def main(pdf):
    nodes = struct_nodes(pdf)
    bad = []

    def kids(i):
        d = nodes[i][0]
        out, j = [], i + 1
        while j < len(nodes) and nodes[j][0] > d:
            if nodes[j][0] == min(n[0] for n in nodes[i + 1:j + 1] if n[0] > d):
                out.append(j)
            j += 1
        return out

    def sub(i):
        d, out = nodes[i][0], []
        for dd, k, v in nodes[i + 1:]:
            if dd <= d:
                break
            if k == "text":
                out.append(v)
        return "".join(out)

    def elems(role):
        return [i for i, (d, k, v) in enumerate(nodes) if k == "elem" and v == role]

    terms = {"AC-ICT": "Adviescollege ICT-toetsing", "BIO": "Baseline Informatiebeveiliging Overheid"}
    found = {}
    for li in elems("LI"):
        ks = [j for j in kids(li) if nodes[j][1] == "elem"]
        roles = [nodes[j][2] for j in ks]
        if roles == ["Lbl", "LBody"] and sub(ks[0]) in terms:
            found[sub(ks[0])] = sub(ks[1])
    if found != terms:
        bad.append("definition entries as LI/Lbl/LBody: %r" % found)

    def only(role, what):
        """The one element of role and its element children, or None."""
        found = elems(role)
        if len(found) != 1:
            bad.append("%d %s elements, expected 1 (%s)" % (len(found), role, what))
            return None, []
        return found[0], [j for j in kids(found[0]) if nodes[j][1] == "elem"]

    div, ks = only("Div", "the box")
    if div is not None:
        if not ks or nodes[ks[0]][2] != "P" or sub(ks[0]) != "Waarom een kader?":
            bad.append("the box's first child is not a P with its title")
        d = nodes[div][0]
        for dd, k, v in nodes[div + 1:]:
            if dd <= d:
                break
            if k == "elem" and re.fullmatch(r"H\d?", v):
                bad.append("a heading %s inside the box" % v)

    quote, ks = only("BlockQuote", "the quote")
    if quote is not None:
        if not ks or nodes[ks[-1]][2] != "P" or sub(ks[-1]) != "\u2014 Jan Jansen, directeur":
            bad.append("the attribution is not the BlockQuote's last P: %r"
                       % [sub(j) for j in ks])

    objs = json.loads(subprocess.run(["qpdf", "--json=2", "--json-stream-data=none", pdf],
                                     check=True, capture_output=True).stdout)["qpdf"][1]
    spans = [v["value"] for v in objs.values() if isinstance(v.get("value"), dict)
             and v["value"].get("/S") == "/Span" and "/Lang" in v["value"]]
    if not any(text(s["/Lang"]) == "en" for s in spans):
        bad.append("no Span with /Lang (en)")
    if not any(sub(i) == "shared service centre" for i in elems("Span")):
        bad.append("no Span around 'shared service centre'")
    for line in bad:
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])

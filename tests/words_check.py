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
      inside a word that the definition writes without it, and every word
      that ends a line in U+00AD, joined with the next line's first word,
      is a word of the definition.

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
    a cross-reference, whose text the generator makes, as REF."""
    parts = [el.text or ""]
    for child in el:
        if child.tag == NS + "ref":
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
    character no font has is drawn as .notdef, which reads as U+FFFD, and
    only /ActualText (which pdfinfo does not apply) gives the character."""
    pattern = "".join("(?:%s|\ufffd)" % re.escape(c) for c in part)
    return re.search(pattern, text) is not None


def check_struct(definition, path):
    paras = paragraphs(definition)
    text = struct_text(path).replace(SHY, "")
    joined = norm(text)
    bad = 0
    for p in paras:
        parts = [norm(part) for part in p.split(REF)]
        if not all(part in joined or shown(part, joined) for part in parts):
            print(f"  not in the structure tree as written: {p[:100]}")
            bad += 1
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
    print(f"text: {joined_words} words hyphenated at a line end, {bad} wrong")
    return bad == 0


def main(argv):
    if len(argv) != 4 or argv[1] not in ("struct", "text"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    ok = (check_struct if argv[1] == "struct" else check_text)(argv[2], argv[3])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
"""gen_big.py - the two large cases of issue 22, made from the sample.

Usage: gen_big.py CASE OUTDIR [SEED]

CASE 1000: the sample's body (its sections) repeated 90 times plus a
20,000-row table given inline (<record>s), about 950 pages.
CASE 8000: the body repeated 1,450 times, about 8,200 pages (a definition
of about 15 MB, under the 16 MiB a file may have).

Writes OUTDIR/big-CASE.xml beside copies of the sample's data/ and common/
folders (the sample's CSV and logo) and prints its path. Ids get a suffix
per copy (and in-document links follow them), so every copy is valid. The
same arguments always give the same file (a seeded generator for the
table's rows). Written at bench time, not committed.
"""
import os
import random
import re
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "samples", "viermaandsrapportage-2023-T1.xml")
CASES = {"1000": (90, 20000), "8000": (1450, 0)}
SERVICES = ["DigiD", "MijnOverheid", "Digipoort", "Digimelding", "Digilevering",
            "Stelselcatalogus", "COR", "CPA Register", "DigiInkoop", "Diginetwerk"]
WORDS = ("beschikbaarheid voorziening dienstverlening continuiteit veiligheid norm "
         "begroting prognose opdrachtgever afnemers gebruikers burgers bedrijven "
         "overheid standaarden infrastructuur gegevensuitwisseling toegang beheer").split()


def split_sample(text):
    """(head up to the first section, body of sections, tail)."""
    start = text.index("  <section id=")
    end = text.rindex("</report>")
    return text[:start], text[start:end], text[end:]


def body_copy(body, k):
    """The body with every id, <ref to> and in-document link given the suffix -k."""
    body = re.sub(r'\bid="([^"]+)"', lambda m: 'id="%s-%d"' % (m.group(1), k), body)
    body = re.sub(r'<ref to="([^"]+)"', lambda m: '<ref to="%s-%d"' % (m.group(1), k), body)
    return re.sub(r'href="#([^"]+)"', lambda m: 'href="#%s-%d"' % (m.group(1), k), body)


def inline_table(rows, rng):
    out = ['  <section id="grote-tabel-sectie"><title>Alle regels</title>',
           '    <table id="grote-tabel" data="regels"><caption>Alle regels</caption>'
           '<column field="nummer"/><column field="dienst"/>'
           '<column field="omschrijving" share="3"/><column field="realisatie"/></table>',
           '  </section>']
    data = ['    <dataset id="regels" illustrative="true" note="Synthetische gegevens.">',
            '      <field name="nummer" label="Nr." type="number"/>',
            '      <field name="dienst" label="Voorziening"/>',
            '      <field name="omschrijving" label="Omschrijving"/>',
            '      <field name="realisatie" label="Realisatie" type="percent" decimals="2"/>']
    for i in range(rows):
        desc = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9)))
        data.append('      <record><value>%d</value><value>%s</value><value>%s</value>'
                    '<value>%.2f</value></record>' % (i + 1, rng.choice(SERVICES), desc,
                                                      rng.uniform(99.5, 100.0)))
    data.append('    </dataset>')
    return "\n".join(data) + "\n", "\n".join(out) + "\n"


def main():
    case, outdir = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20230615
    copies, rows = CASES[case]
    rng = random.Random(seed)
    text = open(SAMPLE, encoding="utf-8").read()
    head, body, tail = split_sample(text)
    head = head.replace('href="../generator/schema/', 'href="%s/generator/schema/' % ROOT)
    dataset, table = inline_table(rows, rng) if rows else ("", "")
    if dataset:
        head = head.replace("  </data>", dataset + "  </data>", 1)
    os.makedirs(outdir, exist_ok=True)
    for sub in ("data", "common"):
        dst = os.path.join(outdir, sub)
        if not os.path.exists(dst):
            shutil.copytree(os.path.join(ROOT, "samples", sub), dst)
    path = os.path.join(outdir, "big-%s.xml" % case)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head)
        for k in range(copies):
            f.write(body_copy(body, k))
        f.write(table)
        f.write(tail)
    print(path)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""gen_report.py - a synthetic report definition for benchmarks.

Usage: gen_report.py PAGES OUTDIR [SEED]

Writes OUTDIR/report-PAGES.xml and its CSV data: text sections (Dutch-like
words from a fixed vocabulary), bullet lists, a table of 2,000+ rows and a
few charts, sized to give roughly PAGES pages on the logius layout. The
same arguments always give the same files (a seeded generator), so every
run of the benchmark measures the same input.
"""
import os
import random
import sys

WORDS = (
    "de het een van en in op met voor aan door bij over naar uit als dat die "
    "beschikbaarheid voorziening dienstverlening continuiteit veiligheid norm "
    "begroting prognose onderschrijding overschrijding opdrachtgever afnemers "
    "gebruikers burgers bedrijven overheid informatieveiligheid standaarden "
    "infrastructuur gegevensuitwisseling toegang interactie publicatie beheer "
    "ontwikkeling vernieuwing migratie rapportage periode maanden kwartaal "
    "doorlooptijden werkdruk medewerkers bedrijfsvoering inkoopsysteem "
    "duurzaamheid verantwoording samenwerking programma advies stelsel "
    "aansluiting koppeling omgeving platform voorziening realisatie resultaat"
).split()

SERVICES = ["DigiD", "MijnOverheid", "Digipoort", "Digimelding", "Digilevering",
            "Stelselcatalogus", "COR", "CPA Register", "DigiInkoop", "Diginetwerk"]


def sentence(rng):
    n = rng.randint(8, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words.insert(rng.randint(1, n - 1), "%d,%d %%" % (rng.randint(90, 99), rng.randint(0, 9)))
    return " ".join(words) + "."


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;")


def write_csv(path, rows, rng):
    with open(path, "w", encoding="utf-8") as f:
        f.write("nummer,dienst,omschrijving,realisatie,norm,bedrag\n")
        for i in range(rows):
            desc = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 9)))
            f.write('%d,%s,"%s",%.2f,99.8,%.1f\n' % (
                i + 1, rng.choice(SERVICES), desc, rng.uniform(99.5, 100.0),
                rng.uniform(-50, 500)))


def main():
    pages = int(sys.argv[1])
    outdir = sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20230615
    rng = random.Random(seed * 1000 + pages)
    os.makedirs(os.path.join(outdir, "data"), exist_ok=True)
    table_rows = 2000 if pages >= 100 else max(50, pages * 20)
    csv_name = "data/tabel-%d.csv" % pages
    write_csv(os.path.join(outdir, csv_name), table_rows, rng)
    # measured on the logius layout: about 28 rows per page (descriptions
    # wrap), a section sets about 2.25 pages, cover + TOC + charts about 6
    table_pages = table_rows // 28
    text_pages = max(1, pages - table_pages - 6)
    sections = max(2, int(text_pages / 2.25))
    out = []
    w = out.append
    w('<report xmlns="urn:reportgen:report:1" xml:lang="nl-NL" layout="logius">')
    w('<info><title>Benchmarkrapport %d pagina\'s</title><organisation>Logius</organisation>' % pages)
    w('<subject>Synthetisch rapport voor de benchmark (seed %d)</subject>' % seed)
    w('<period id="bench-%d" from="2023-01-01" to="2023-04-30">januari t/m april 2023</period>' % pages)
    w('<date>2023-06-15</date></info>')
    w('<data><dataset id="tabel" src="%s" illustrative="true" note="Synthetische gegevens.">' % csv_name)
    w('<field name="nummer" label="Nr." type="number"/><field name="dienst" label="Voorziening" type="text"/>')
    w('<field name="omschrijving" label="Omschrijving" type="text"/>')
    w('<field name="realisatie" label="Realisatie" type="percent" decimals="2"/>')
    w('<field name="norm" label="Norm" type="percent"/>')
    w('<field name="bedrag" label="Bedrag" type="euro" unit="mln"/></dataset>')
    w('<dataset id="diensten">')
    w('<field name="dienst" type="text"/><field name="realisatie" type="percent" decimals="2"/>')
    w('<field name="norm" type="percent"/><field name="begroting" type="euro" unit="mln"/>')
    w('<field name="prognose" type="euro" unit="mln"/>')
    for s in SERVICES:
        w('<record><value>%s</value><value>%.2f</value><value>99.8</value><value>%.1f</value><value>%.1f</value></record>'
          % (s, rng.uniform(99.6, 100), rng.uniform(5, 80), rng.uniform(5, 80)))
    w('</dataset></data><cover/><toc/>')
    for si in range(sections):
        w('<section id="s%d"><title>%s</title>' % (si, esc(sentence(rng)[:50].rstrip("."))))
        for sub in range(2):
            w('<section><title>%s</title>' % esc(" ".join(rng.choice(WORDS) for _ in range(3)).capitalize()))
            for _ in range(3):
                w('<p>%s</p>' % esc(paragraph(rng)))
            w('<list>%s</list>' % "".join('<item>%s</item>' % esc(sentence(rng)) for _ in range(4)))
            w('</section>')
        if si % 10 == 3:
            w('<chart type="bar" orientation="horizontal" data="diensten" category="dienst" '
              'series="realisatie" reference="norm" ref-value="99.8" axis-min="99.5" axis-max="100">'
              '<caption>Beschikbaarheid %d</caption><alt>Staafdiagram van de beschikbaarheid.</alt></chart>' % si)
        if si % 10 == 7:
            w('<chart type="grouped" data="diensten" category="dienst" series="begroting prognose">'
              '<caption>Begroting en prognose %d</caption><alt>Staafdiagram van de financien.</alt></chart>' % si)
        w('</section>')
    w('<section id="tabel-sectie"><title>Tabel</title>')
    w('<table id="grote-tabel" data="tabel"><caption>Alle regels</caption>'
      '<column field="nummer"/><column field="dienst"/><column field="omschrijving" share="3"/>'
      '<column field="realisatie" min-field="norm"/><column field="bedrag"/></table></section>')
    w('</report>')
    path = os.path.join(outdir, "report-%d.xml" % pages)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(path)


if __name__ == "__main__":
    main()

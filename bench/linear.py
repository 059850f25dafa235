#!/usr/bin/env python3
"""linear.py - does loading take linear time in every input shape?

For each shape of input the loaders see (a text XInclude, attributes on one
element, many elements, a long attribute value, many CSV rows, a long CSV
field, many inline records, ...) it writes a definition at two sizes, n and
4n, the larger near the limit that applies, runs `reportgen validate` on
each (the whole load stage: XML, XInclude, schema, model, datasets; no
layout) and prints the best of RUNS CPU times (user + system of the child:
steadier than wall time on a shared machine), their ratio and the exit
codes. Linear growth gives a ratio of at most 4 (less where start-up
counts); quadratic growth gives 16. A shape past a limit is refused (exit
65), and that must be cheap too; any other exit (a missing schema, a
crash) makes the figures meaningless and fails --check.

  bench/linear.py                 every shape at its full sizes (a minute)
  bench/linear.py --check         the shapes that were or could turn
                                  quadratic, at small sizes (a few seconds);
                                  exit 1 when a ratio is 8 or more twice in a
                                  row (tests/linear.sh, in make check)
  bench/linear.py SHAPE...        only those shapes
  bench/linear.py --n=N SHAPE...  those shapes at sizes N and 4N

RG=path/to/reportgen measures another build.
"""
import os
import resource
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RG = os.environ.get("RG") or os.path.join(ROOT, "build", "reportgen")
RUNS = int(os.environ.get("RUNS", "3"))        # --check: 2 unless set
MAX_RATIO = 8.0          # between linear (4) and quadratic (16)
MiB = 1024 * 1024
NEAR_4MiB = 4 * MiB - 16 * 1024   # 4n stays under the 16 MiB a file may have

HEAD = ('<report xmlns="urn:reportgen:report:1" xmlns:xi="http://www.w3.org/2001/XInclude"'
        ' xml:lang="nl-NL" layout="plain">\n  <info>\n    <title>T</title>\n'
        '    <organisation>O</organisation>\n'
        '    <period id="P" from="2023-01-01" to="2023-04-30">p</period>\n  </info>\n')
TAIL = '</report>\n'
DATASET = ('  <data><dataset id="d" src="d.csv"><field name="naam"/>'
           '<field name="waarde" type="number"/></dataset></data>\n')


def section(body):
    return '  <section id="s"><title>A</title>%s</section>\n' % body


def words(nbytes):
    w = 'woord lorem ipsum dolor '
    return (w * (nbytes // len(w) + 1))[:nbytes]


# Each shape: (full n, check n, writer(folder, n) -> definition text).
def text_include(d, n):
    open(os.path.join(d, 'part.txt'), 'w').write(words(n))
    return HEAD + section('<p><xi:include href="part.txt" parse="text"/></p>') + TAIL


def xml_include(d, n):
    open(os.path.join(d, 'part.xml'), 'w').write(
        '<section xmlns="urn:reportgen:report:1"><title>B</title>' + '<p>x</p>\n' * (n // 9) +
        '</section>\n')
    return HEAD + section('<xi:include href="part.xml"/>') + TAIL


def attributes(d, n):
    return HEAD + section('<p' + ''.join(' a%d=""' % i for i in range(n)) + '>x</p>') + TAIL


def attributes_256(d, n):
    # many elements, each at the attribute limit
    el = '<p' + ''.join(' a%d=""' % i for i in range(256)) + '>x</p>\n'
    return HEAD + section(el * (n // len(el))) + TAIL


def namespaces(d, n):
    return HEAD + section('<p' + ''.join(' xmlns:n%d="u%d"' % (i, i) for i in range(n)) +
                          '>x</p>') + TAIL


def elements(d, n):
    return HEAD + section('<p>x</p>\n' * (n // 9)) + TAIL


def one_line(d, n):
    return HEAD + section('<p>x</p>' * (n // 8)) + TAIL


def sections(d, n):
    s = ''.join('<section id="s%d"><title>T</title><p><a href="#s%d">x</a></p></section>\n'
                % (i, i // 2) for i in range(n // 80))
    return HEAD + section(s) + TAIL


def attribute_value(d, n):
    return (HEAD + '  <data><dataset id="d"><field name="f"/><record><value>1</value></record>'
            '</dataset></data>\n' + section('<table data="d"><caption>c</caption>'
                                            '<column field="f" label="%s"/></table>' % words(n)) +
            TAIL)


def entities(d, n):
    return HEAD + section('<p>' + 'a&amp;' * (n // 6) + '</p>') + TAIL


def comments(d, n):
    return HEAD + section('<p>' + 'a<!---->' * (n // 8) + '</p>') + TAIL


def long_text(d, n):
    return HEAD + section('<p>' + words(n) + '</p>') + TAIL


def csv_rows(d, n):
    open(os.path.join(d, 'd.csv'), 'w').write(
        'naam,waarde\n' + ''.join('r%d,%d\n' % (i, i) for i in range(n)))
    return HEAD + DATASET + section('<p>x</p>') + TAIL


def csv_field(d, n):
    open(os.path.join(d, 'd.csv'), 'w').write('naam,waarde\n"' + words(n) + '",1\n')
    return HEAD + DATASET + section('<p>x</p>') + TAIL


def csv_plain_field(d, n):
    open(os.path.join(d, 'd.csv'), 'w').write('naam,waarde\n' + words(n).replace(' ', '_') + ',1\n')
    return HEAD + DATASET + section('<p>x</p>') + TAIL


def records(d, n):
    return (HEAD + '  <data><dataset id="d"><field name="naam"/><field name="waarde" type="number"/>' +
            ''.join('<record><value>r%d</value><value>%d</value></record>\n' % (i, i)
                    for i in range(n)) + '</dataset></data>\n' + section('<p>x</p>') + TAIL)


SHAPES = {
    # name: (n for the benchmark, n for --check or 0: benchmark only,
    #        writer); each runs at n and 4n, and 4n of the first is near
    #        the limit that applies (16 MiB a file, 100,000 records)
    'text-include': (NEAR_4MiB, MiB // 4, text_include),
    'xml-include': (NEAR_4MiB, MiB // 4, xml_include),
    'attributes': (25000, 10000, attributes),
    'namespaces': (25000, 10000, namespaces),
    'attributes-256-each': (NEAR_4MiB, MiB // 4, attributes_256),
    'elements': (NEAR_4MiB, 0, elements),
    'one-line': (NEAR_4MiB, MiB // 4, one_line),
    'sections-ids-links': (NEAR_4MiB, 0, sections),
    'attribute-value': (NEAR_4MiB, 0, attribute_value),
    'entities': (NEAR_4MiB, 0, entities),
    'comments': (NEAR_4MiB, MiB // 4, comments),
    'long-text': (NEAR_4MiB, 0, long_text),
    'csv-rows': (25000, 10000, csv_rows),
    'csv-quoted-field': (NEAR_4MiB, MiB, csv_field),
    'csv-plain-field': (NEAR_4MiB, 0, csv_plain_field),
    'inline-records': (25000, 2500, records),
}


def best_time(path):
    """The best CPU time of RUNS runs of validate on path, and its exit code."""
    best = None
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        rc = subprocess.run([RG, 'validate', path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, timeout=3600).returncode
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = t if best is None else min(best, t)
    return best, rc


def measure(name, n, writer, tmp):
    results = []
    for size in (n, 4 * n):
        d = os.path.join(tmp, '%s-%d' % (name, size))
        os.mkdir(d)
        path = os.path.join(d, 'def.xml')
        open(path, 'w').write(writer(d, size))
        results.append(best_time(path))
    return results


def main():
    args = sys.argv[1:]
    check = '--check' in args
    global RUNS
    if check and 'RUNS' not in os.environ:
        RUNS = 2
    fixed = [int(a[4:]) for a in args if a.startswith('--n=')]
    names = [a for a in args if not a.startswith('--')] or list(SHAPES)
    failed = []
    print('%-22s %10s %9s %9s %7s %6s' % ('shape', 'n', 't(n) s', 't(4n) s', 'ratio', 'exits'))
    with tempfile.TemporaryDirectory(prefix='rg-linear.') as tmp:
        for name in names:
            full, small, writer = SHAPES[name]
            n = fixed[0] if fixed else small if check else full
            if n == 0:
                continue
            (t1, rc1), (t4, rc4) = measure(name, n, writer, tmp)
            ratio = t4 / t1
            if check and ratio >= MAX_RATIO:      # a busy machine, or really superlinear?
                (t1, rc1), (t4, rc4) = measure(name + '-again', n, writer, tmp)
                ratio = t4 / t1
            print('%-22s %10d %9.3f %9.3f %7.2f %3d/%-3d' % (name, n, t1, t4, ratio, rc1, rc4),
                  flush=True)
            if ratio >= MAX_RATIO or rc1 not in (0, 65) or rc4 not in (0, 65):
                failed.append(name)
    if failed:
        print('superlinear (ratio >= %g) or failed (exit not 0 or 65): %s'
              % (MAX_RATIO, ' '.join(failed)))
    if check:
        measured = sum(1 for name in names if (SHAPES[name][1] or fixed))
        print('%d passed, %d failed' % (measured - len(failed), len(failed)))
    return 1 if check and failed else 0


if __name__ == '__main__':
    sys.exit(main())

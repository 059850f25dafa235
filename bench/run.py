#!/usr/bin/env python3
"""run.py - the benchmark suite (make bench). Not a test: nothing asserts a time.

Cases: (1) the sample report, whole process; (2) synthetic reports of about
100 and 1,000 pages (bench/gen_report.py, seeded); (3) a batch of 100
sample-size definitions with -j 2; (4) the pdf stage alone on the 1,000-page
display list (from --stage-times: what writing costs without layout);
(5) issue 22's big cases (bench/gen_big.py): peak RSS of validate and of
build at ~1,000 and ~8,000 pages, their difference, and the time ratio
against the pages ratio (big_rows; BIG_RUNS runs, 3 unless set;
`bench/run.py --big` runs only these and prints them).
For each: median, min and max wall time over RUNS runs after a warm-up, peak
RSS, pages per second, output bytes. Plus callgrind's instruction count for
the sample (stable on a noisy machine), and the sample's whole-process median
against its target of 10 ms with the layout and pdf stages' share
(sample_target_lines). Prints a table and writes it to
bench/results.md with the commit measured.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# RG=path/to/reportgen compares another build (another commit's) on the same
# inputs; the table is then printed only, not written to bench/results.md.
RG = os.environ.get("RG") or os.path.join(ROOT, "build", "reportgen")
OTHER_BUILD = bool(os.environ.get("RG"))
RUNS = int(os.environ.get("RUNS", "7"))
SAMPLE = os.path.join(ROOT, "samples", "viermaandsrapportage-2023-T1.xml")


def run_once(cmd):
    """Wall time (s), peak RSS (KB) and stderr of one run under /usr/bin/time."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "RSSKB=%M"] + cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("benchmark command failed: %s\n%s" % (" ".join(cmd), p.stderr))
    rss = int(re.findall(r"RSSKB=(\d+)", p.stderr)[-1])
    return wall, rss, p.stderr


def measure(cmd):
    run_once(cmd)                                  # warm-up: caches, page cache
    samples = [run_once(cmd) for _ in range(RUNS)]
    walls = [s[0] for s in samples]
    return {
        "median": statistics.median(walls), "min": min(walls), "max": max(walls),
        "rss": max(s[1] for s in samples), "stderr": samples[-1][2],
    }


def pages_of(pdf):
    out = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def callgrind_instructions(cmd):
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                       capture_output=True, text=True)
    m = re.search(r"refs:\s+([\d,]+)", p.stderr)
    return int(m.group(1).replace(",", "")) if m else None


# ---- issue 22: memory flat in pages, time linear (the memory branch's rows) ----

BIG_RUNS = int(os.environ.get("BIG_RUNS", "3"))
BIG_CASES = (("1000", "~1,000 pages (body x90 + 20,000-row inline table)"),
             ("8000", "~8,000 pages (body x1,450)"))


def big_rows(work):
    """Peak RSS of validate and of build on the two big cases of issue 22
    (bench/gen_big.py), their difference, the time of each, and the time
    ratio of the big case against its pages ratio. Medians of BIG_RUNS
    runs after a warm-up (an 8,000-page build takes seconds). Returns the
    lines of its table."""
    global RUNS
    saved, RUNS = RUNS, BIG_RUNS
    results = []
    try:
        for case, label in BIG_CASES:
            gen = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_big.py"),
                                  case, os.path.join(work, "big")],
                                 capture_output=True, text=True, check=True)
            definition = gen.stdout.strip()
            out = os.path.join(work, "big-%s.pdf" % case)
            v = measure([RG, "validate", definition])
            b = measure([RG, "build", definition, "-o", out])
            results.append((label, v, b, pages_of(out)))
    finally:
        RUNS = saved
    lines = ["| big case | pages | validate RSS | build RSS | build - validate | validate | build |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for label, v, b, pages in results:
        lines.append("| %s | %d | %.0f MiB | %.0f MiB | +%.0f MiB | %.0f ms | %.0f ms |" % (
            label, pages, v["rss"] / 1024, b["rss"] / 1024, (b["rss"] - v["rss"]) / 1024,
            v["median"] * 1e3, b["median"] * 1e3))
    (_, _, small, p1), (_, _, big, p8) = results
    pages_ratio = p8 / p1
    time_ratio = big["median"] / small["median"]
    lines.append("")
    lines.append("big cases: time ratio %.2f x for a pages ratio of %.2f x: %.2f x linear "
                 "(target <= 1.05); build - validate peak RSS target <= 32 MiB"
                 % (time_ratio, pages_ratio, time_ratio / pages_ratio))
    return lines
# ---- the sample against its target (issue 22): whole process, median ----
SAMPLE_TARGET_MS = 10.0
SAMPLE_RUNS = max(RUNS, 21)


def sample_target_lines(work):
    """The sample's whole-process time (spawn to exit, no /usr/bin/time in
    between), median of SAMPLE_RUNS runs after a warm-up, against the
    target, and where it goes: the layout and pdf stages (--stage-times)
    and the rest (process start and dynamic loading, loading the
    definition and layout, writing, freeing, exit)."""
    out = os.path.join(work, "sample-target.pdf")
    cmd = [RG, "build", SAMPLE, "-o", out, "--stage-times"]
    subprocess.run(cmd, capture_output=True)                 # warm-up
    walls, layout, pdf = [], [], []
    for _ in range(SAMPLE_RUNS):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        walls.append((time.perf_counter() - t0) * 1e3)
        if p.returncode != 0:
            sys.exit("benchmark command failed: %s\n%s" % (" ".join(cmd), p.stderr))
        m = re.search(r"layout ([\d.]+) ms, pdf ([\d.]+) ms", p.stderr)
        layout.append(float(m.group(1)))
        pdf.append(float(m.group(2)))
    whole = statistics.median(walls)
    lay, pd = statistics.median(layout), statistics.median(pdf)
    return ["sample, whole process: median %.1f ms (min %.1f, max %.1f; %d runs), target <= %.0f ms: %s"
            % (whole, min(walls), max(walls), SAMPLE_RUNS, SAMPLE_TARGET_MS,
               "met" if whole <= SAMPLE_TARGET_MS else "not met (%.1f ms over)" % (whole - SAMPLE_TARGET_MS)),
            "sample, where it goes (medians): layout %.1f ms, pdf %.1f ms, the rest %.1f ms "
            "(process start, loading, writing, exit)" % (lay, pd, whole - lay - pd)]


def main():
    if not os.path.exists(RG):
        sys.exit("build first: make")
    work = tempfile.mkdtemp(prefix="reportgen-bench-")
    rows = []
    try:
        # (1) the sample
        out = os.path.join(work, "sample.pdf")
        r = measure([RG, "build", SAMPLE, "-o", out])
        rows.append(("sample report", r, pages_of(out), os.path.getsize(out)))

        # (2) synthetic reports, and (4) the pdf stage alone from --stage-times
        pdf_floor = None
        for n in (100, 1000):
            gen = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_report.py"),
                                  str(n), work], capture_output=True, text=True, check=True)
            definition = gen.stdout.strip()
            out = os.path.join(work, "synthetic-%d.pdf" % n)
            r = measure([RG, "build", definition, "-o", out, "--stage-times"])
            rows.append(("synthetic %d pages" % n, r, pages_of(out), os.path.getsize(out)))
            if n == 1000:
                times = []
                for _ in range(RUNS):
                    _, _, err = run_once([RG, "build", definition, "-o", out, "--stage-times"])
                    times.append(float(re.search(r"pdf ([\d.]+) ms", err).group(1)) / 1000)
                pdf_floor = {"median": statistics.median(times), "min": min(times),
                             "max": max(times), "rss": None}
                rows.append(("pdf stage alone, 1000-page list", pdf_floor, pages_of(out),
                             os.path.getsize(out)))

        # (3) a batch of 100 sample-size definitions, -j 2
        defs = os.path.join(work, "batch")
        os.makedirs(defs)
        shutil.copytree(os.path.join(ROOT, "samples", "data"), os.path.join(defs, "data"))
        shutil.copytree(os.path.join(ROOT, "samples", "common"), os.path.join(defs, "common"))
        for i in range(100):
            shutil.copy(SAMPLE, os.path.join(defs, "r%03d.xml" % i))
        outdir = os.path.join(work, "batch-out")
        r = measure([RG, "batch", defs, "-o", outdir, "--name", "{name}.pdf", "-j", "2", "-q",
                     "--force"])
        total = sum(os.path.getsize(os.path.join(outdir, f)) for f in os.listdir(outdir)
                    if f.endswith(".pdf"))
        rows.append(("batch of 100 samples, -j 2", r, 100 * rows[0][2], total))

        big = big_rows(work)                       # issue 22 (memory branch)

        instructions = callgrind_instructions([RG, "build", SAMPLE, "-o",
                                               os.path.join(work, "cg.pdf")])
        sample_lines = sample_target_lines(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    lines = ["# reportgen benchmark", "",
             "commit %s%s, %d runs after a warm-up, %s" % (
                 commit, " (with uncommitted changes)" if dirty else "", RUNS,
                 time.strftime("%Y-%m-%d")), "",
             "| case | median | min | max | peak RSS | pages | pages/s | bytes |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, r, pages, size in rows:
        rss = "%.1f MB" % (r["rss"] / 1024) if r["rss"] else "–"
        lines.append("| %s | %.1f ms | %.1f ms | %.1f ms | %s | %d | %.0f | %d |" % (
            name, r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3, rss, pages,
            pages / r["median"], size))
    whole = rows[2][1]["median"] if len(rows) > 2 else None
    lines.append("")
    if pdf_floor and whole:
        lines.append("1000 pages / 100 pages: %.1f x; whole pipeline / pdf floor (1000 pages): %.1f x"
                     % (whole / rows[1][1]["median"], whole / pdf_floor["median"]))
    lines += [""] + big
    if instructions:
        lines.append("callgrind, sample report: %s instructions" % format(instructions, ","))
    lines.extend(sample_lines)
    if OTHER_BUILD:
        lines[2] = "binary %s, %d runs after a warm-up, %s" % (RG, RUNS, time.strftime("%Y-%m-%d"))
    text = "\n".join(lines) + "\n"
    print(text)
    if not OTHER_BUILD:
        with open(os.path.join(ROOT, "bench", "results.md"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    if sys.argv[1:] == ["--big"]:                  # only issue 22's big cases, printed
        if not os.path.exists(RG):
            sys.exit("build first: make")
        big_work = tempfile.mkdtemp(prefix="reportgen-bench-")
        try:
            print("\n".join(big_rows(big_work)))
        finally:
            shutil.rmtree(big_work, ignore_errors=True)
    else:
        main()

#!/usr/bin/env python3
"""layers.py - the stages' layering, and the check that keeps it.

    python3 tests/layers.py [--root DIR] [--objects DIR]
    python3 tests/layers.py --link-order

Every folder under generator/ is a stage (generator/README.md says what
each owns). STAGES below is the one table of which stage may use which:
a stage may include the public header of a stage it lists (the header
named after the folder, e.g. "fonts/fonts.h"), and call what that stage
defines. Everything else is refused:

- an include of a stage not listed, or of another stage's internal header
  (any header but its face), or a bare "x.h" that is not in the same folder;
- a third-party header outside the stages (or files) LIBRARIES allows, and
  an angle-bracket header that is neither in SYSTEM_HEADERS nor a known
  library's (so a new library has to be placed in the table first);
- with --objects (a build's obj/ folder, one subfolder per stage): a call
  to a function or a use of a variable that another stage defines, when
  that stage is not listed (this catches a prototype written by hand
  instead of an include);
- a table with a cycle (then some circle would cross stages).

--link-order prints the stages, users first, as the linker wants static
libraries. Exit 0 when all holds, 1 with one line per fault
("generator/base/base.c:12: base may not include layout/layout.h").
tests/layers.sh runs it on the tree and on planted faults.
"""
import argparse
import os
import re
import subprocess
import sys

# stage: the stages it may use (include their face, call them). Keep the
# order from the bottom up; the check finds cycles anyway.
STAGES = {
    "base": [],
    "model": ["base"],
    "style": ["base"],
    "fonts": ["base"],
    "hyphen": ["base"],
    "dlist": ["base", "style", "fonts"],
    "text": ["base", "fonts", "hyphen", "dlist"],
    "chart": ["base", "model", "style", "dlist", "fonts", "hyphen", "text"],
    "layout": ["base", "model", "style", "dlist", "fonts", "hyphen", "text", "chart"],
    "image": ["base", "model"],
    "load": ["base", "model", "style", "image"],
    "pdf": ["base", "dlist", "fonts", "image"],
    "check": ["base", "dlist", "fonts"],
    "pipeline": ["base", "model", "style", "dlist", "fonts", "hyphen", "load", "layout", "pdf",
                 "check", "image"],
    "batch": ["base", "model", "style", "fonts", "pipeline"],
    "mail": ["base", "pipeline"],
    "cli": ["base", "model", "style", "fonts", "pdf", "pipeline", "batch", "mail"],
}

# library: (header patterns, the stages or single files that may include it)
LIBRARIES = {
    "libxml2": (r"libxml/", ["load"]),
    "libharu": (r"hpdf(_[a-z_]+)?\.h$", ["pdf"]),
    "zlib": (r"zlib\.h$", ["pdf"]),
    "HarfBuzz": (r"hb(-[a-z]+)?\.h$", ["fonts", "text", "pdf/font.c"]),
    "fontconfig": (r"fontconfig/", ["fonts"]),
    "libunibreak": (r"(linebreak|wordbreak|graphemebreak|unibreakdef)\.h$", ["text"]),
    "FriBidi": (r"fribidi(-[a-z-]+)?\.h$|^fribidi/", ["text/bidi.c"]),
    "libhyphen": (r"hyphen\.h$", ["hyphen"]),
    "libpng": (r"^png(conf)?\.h$", ["image"]),
    "GMime": (r"gmime/", ["mail"]),
    "libcurl": (r"curl/", ["mail"]),
}

# C11 and POSIX headers: allowed everywhere.
SYSTEM_HEADERS = set("""
assert.h ctype.h errno.h fenv.h float.h inttypes.h limits.h locale.h math.h
setjmp.h signal.h stdalign.h stdarg.h stdatomic.h stdbool.h stddef.h stdint.h
stdio.h stdlib.h stdnoreturn.h string.h threads.h time.h uchar.h wchar.h wctype.h
arpa/inet.h dirent.h fcntl.h fnmatch.h netdb.h netinet/in.h poll.h pthread.h spawn.h strings.h termios.h unistd.h
sys/file.h sys/inotify.h sys/ioctl.h sys/mman.h sys/random.h sys/resource.h
sys/select.h sys/socket.h sys/stat.h sys/time.h sys/types.h sys/wait.h
""".split())

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def table_faults():
    faults = []
    for stage, uses in STAGES.items():
        for u in uses:
            if u not in STAGES:
                faults.append(f"layers.py: {stage} uses unknown stage {u}")
    state = {}

    def visit(s, path):
        if state.get(s) == "done":
            return
        if state.get(s) == "open":
            faults.append("layers.py: the table has a cycle: " + " -> ".join(path + [s]))
            return
        state[s] = "open"
        for u in STAGES.get(s, []):
            visit(u, path + [s])
        state[s] = "done"

    for s in STAGES:
        visit(s, [])
    return faults


def link_order():
    """Stages so that each comes before every stage it uses."""
    order, seen = [], set()

    def visit(s):
        if s in seen:
            return
        seen.add(s)
        for u in STAGES[s]:
            visit(u)
        order.append(s)

    for s in STAGES:
        visit(s)
    return list(reversed(order))


def library_of(header):
    for lib, (pattern, _) in LIBRARIES.items():
        if re.search(pattern, header):
            return lib
    return None


def allowed_library(lib, stage, relpath):
    places = LIBRARIES[lib][1]
    return stage in places or relpath in places


def source_faults(root):
    gen = os.path.join(root, "generator")
    faults = []
    folders = sorted(d for d in os.listdir(gen)
                     if os.path.isdir(os.path.join(gen, d)) and d != "schema")
    for d in folders:
        if d not in STAGES:
            faults.append(f"generator/{d}/: a folder that is no stage in tests/layers.py")
    for stage in folders:
        folder = os.path.join(gen, stage)
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"{stage}/{name}"
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                where = f"generator/{rel}:{line}"
                kind, header = m.group(1), m.group(2)
                if kind == '"':
                    faults += quoted_include_faults(gen, stage, header, where)
                else:
                    faults += system_include_faults(stage, rel, header, where)
    return faults


def quoted_include_faults(gen, stage, header, where):
    if "/" not in header:
        if not os.path.exists(os.path.join(gen, stage, header)):
            return [f"{where}: \"{header}\" is not in generator/{stage}/ "
                    "(another stage's header is included as \"stage/stage.h\")"]
        return []
    other, name = header.split("/", 1)
    if other == stage:
        return []
    if other not in STAGES:
        return [f"{where}: \"{header}\" names no stage"]
    faults = []
    if other not in STAGES.get(stage, []):
        faults.append(f"{where}: {stage} may not include {header} "
                      f"({stage} may use: {', '.join(STAGES.get(stage, [])) or 'nothing'})")
    if name != other + ".h":
        faults.append(f"{where}: {header} is internal to {other}; "
                      f"other stages include only {other}/{other}.h")
    return faults


def system_include_faults(stage, rel, header, where):
    if header in SYSTEM_HEADERS:
        return []
    lib = library_of(header)
    if lib is None:
        return [f"{where}: <{header}> is neither a C/POSIX header nor a library "
                "of the table in tests/layers.py"]
    if not allowed_library(lib, stage, rel):
        places = ", ".join(LIBRARIES[lib][1])
        return [f"{where}: {lib} (<{header}>) may be included only in {places}"]
    return []


def symbol_faults(objects):
    """Calls across stages, from the symbol tables of a build's objects."""
    defined, used, files = {}, [], {}       # files: path -> (stage, stage/name)
    for stage in sorted(os.listdir(objects)):
        folder = os.path.join(objects, stage)
        if not os.path.isdir(folder) or stage not in STAGES:
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".o"):
                files[os.path.join(folder, name)] = (stage, f"{stage}/{name}")
    if not files:
        return []
    # one nm for all of them, each line "path:symbol line" (-A): ~90 ms a
    # start, 102 objects
    out = subprocess.run(["nm", "-A"] + list(files), capture_output=True, text=True,
                         check=True).stdout
    for ln in out.splitlines():
        path, _, rest = ln.partition(":")
        stage, obj = files[path]
        parts = rest.split()
        if len(parts) == 2 and parts[0] == "U":
            used.append((stage, obj, parts[1]))
        elif len(parts) == 3 and parts[1] in "TDBRCV":
            defined[parts[2]] = stage
    faults = []
    for stage, obj, sym in used:
        owner = defined.get(sym)
        if owner and owner != stage and owner not in STAGES[stage]:
            faults.append(f"{objects}/{obj}: {stage} calls {sym}, defined in {owner} "
                          f"({stage} may use: {', '.join(STAGES[stage]) or 'nothing'})")
    return faults


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--objects", help="a build's obj/ folder (one subfolder per stage)")
    ap.add_argument("--link-order", action="store_true")
    a = ap.parse_args()
    if a.link_order:
        print(" ".join(link_order()))
        return 0
    faults = table_faults() + source_faults(a.root)
    if a.objects:
        faults += symbol_faults(a.objects)
    for f in faults:
        print(f)
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())

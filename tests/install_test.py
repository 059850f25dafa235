#!/usr/bin/env python3
"""install_test.py - would the build and make check work on a fresh machine?

    python3 tests/install_test.py [REPORTGEN]

A machine that ran only `make build-deps` has the Makefile's
BUILD_PACKAGES, one that ran `make deps` DEBIAN_PACKAGES (BUILD_PACKAGES
and TEST_PACKAGES), with what Debian installs with them; nothing else.
tests/needs.txt says what each package is for. This suite checks, without
a second machine:

- the sets: TEST_PACKAGES is part of DEBIAN_PACKAGES, BUILD_PACKAGES the
  rest, every listed package is there for something in tests/needs.txt;
- every line of tests/needs.txt: its package is in its set (build:
  BUILD_PACKAGES), and the thing is installed and comes with that package,
  or one it depends on, or an essential one (dpkg's file lists, as `dpkg -S`, on the file the
  tool, module, pkg-config module, file or font resolves to);
- nothing is left out of it: every command the shell suites, the Python
  scripts they run and `make -n` of the build call, and every Python
  module they import, is either in tests/needs.txt or comes with an
  essential package (or Python's standard library); the build calls
  nothing from the test set;
- every font family and style the tree's layouts and tests name is found
  among the fonts of FONT_PACKAGES alone (tests/fonts-conf.sh makes the
  configuration; tests/run.sh gives it to every suite), and the shipped
  layouts' families in every style among BUILD_PACKAGES' fonts alone: the
  samples build in every shipped layout without a warning with those;
  with one font package fewer a layout that needs it is refused with exit
  69 naming the family;
- CPPFLAGS, CFLAGS and LDFLAGS reach every compile and link line (make -n,
  also of the sanitizer and fuzz builds);
- `make check-deps` (tests/check_deps.sh) names what is missing: a tool
  taken off PATH, a font fontconfig does not find;
- a suite's failure lines name a missing tool and its package (tests/lib.sh),
  and a check that ran a missing tool does not pass.

Ends with "N passed, N failed".
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
RG = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/reportgen"))
# Tools are looked up in the system PATH (a fresh machine has no ~/.pyenv or
# /usr/local in front), modules in the system Python.
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
SYSTEM_PYTHON = "/usr/bin/python3"
NOT_A_FONT = {"No Such Family", "..."}
# Families the C unit tests ask for (the XML files are read below), with
# (bold, italic): DejaVu Sans Mono's oblique counts as italic.
UNIT_TEST_FAMILIES = [("Noto Sans", 0, 0), ("Noto Sans", 1, 0), ("Noto Sans", 0, 1),
                      ("Noto Sans", 1, 1), ("DejaVu Sans", 0, 0), ("DejaVu Sans", 1, 0),
                      ("DejaVu Sans Mono", 0, 1),
                      ("Noto Sans Hebrew", 0, 0), ("Noto Sans Arabic", 0, 0)]   # test_text_bidi.c
STYLES = {(0, 0): "", (1, 0): "bold", (0, 1): "italic", (1, 1): "bolditalic"}
# Fallback families of scripts that have no italic (bidirectional text,
# issue 17): the shipped layouts need their regular and bold faces; an
# italic run of Arabic or Hebrew is set upright, with a warning (fonts
# stage).
UPRIGHT_ONLY = {"Noto Sans Arabic", "Noto Sans Hebrew"}

passed = failed = 0


def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {name}" + (f" ({why})" if why else ""), file=sys.stderr)
    return ok


def make_var(name):
    out = subprocess.run(["make", "-s", "--no-print-directory", "-C", ROOT, f"print-{name}"],
                         capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 else []


# ---------------------------------------------------------------- packages

def installed_packages():
    """name -> (essential or required, set of names it depends on)."""
    fmt = "${Package}\t${Status}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\t${Provides}\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True).stdout
    pkgs, provides = {}, {}
    for line in out.splitlines():
        name, status, essential, priority, deps, prov = (line.split("\t") + [""] * 6)[:6]
        if "install ok installed" not in status:
            continue
        names = {re.split(r"[ :(]", d.strip())[0] for d in re.split(r"[,|]", deps) if d.strip()}
        pkgs[name] = (essential == "yes" or priority == "required", names)
        for p in prov.split(","):
            if p.strip():
                provides.setdefault(re.split(r"[ (]", p.strip())[0], set()).add(name)
    return pkgs, provides


PKGS, PROVIDES = installed_packages()


def closure(roots, depth=4):
    """The packages and what they depend on, depth levels deep (virtual
    packages resolved)."""
    seen = set(roots)
    frontier = set(roots)
    for _ in range(depth):
        nxt = set()
        for p in frontier:
            for d in PKGS.get(p, (False, set()))[1]:
                for real in {d} | PROVIDES.get(d, set()):
                    if real not in seen:
                        seen.add(real)
                        nxt.add(real)
        frontier = nxt
    return seen


def essential(pkg):
    return PKGS.get(pkg, (False,))[0]


DPKG_INFO = "/var/lib/dpkg/info"
_OWNERS = {}


def dpkg_owners():
    """path -> the first package (in name order) whose file list holds it:
    dpkg's own lists, read once; `dpkg -S` reads them all on every call
    (~0.2 s each, 140 calls). Diversions (GNU parallel diverts moreutils'
    parallel) say who moved a file, not who installed it, and are left out
    as before."""
    if not _OWNERS:
        for lst in sorted(glob.glob(os.path.join(DPKG_INFO, "*.list"))):
            pkg = os.path.basename(lst)[:-len(".list")].split(":")[0]
            with open(lst, encoding="utf-8", errors="surrogateescape") as f:
                for line in f:
                    _OWNERS.setdefault(line.rstrip("\n"), pkg)
    return _OWNERS


def owner(path):
    """The package that installed path (merged /usr: /bin and /usr/bin alike)."""
    alias = re.sub(r"^/usr/(bin|sbin|lib)/", r"/\1/", path) if path.startswith("/usr/") else "/usr" + path
    owners = dpkg_owners()
    return owners.get(path) or owners.get(alias)


def comes_with(path, pkgs):
    """(ok, owner): path belongs to one of pkgs, what they depend on, or an
    essential package."""
    own = owner(os.path.realpath(path)) or owner(path)
    return own is not None and (own in closure(pkgs) or essential(own)), own


# ---------------------------------------------------------------- needs.txt

def read_needs():
    needs = []
    with open(os.path.join(ROOT, "tests/needs.txt"), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split(None, 3)
            if len(parts) < 4:
                check(f"tests/needs.txt:{n}: SET KIND PACKAGE WHAT", False, line.strip())
                continue
            needs.append((n, parts[0], parts[1], parts[2], parts[3].strip()))
    return needs


def which(tool):
    found = shutil.which(tool, path=SYSTEM_PATH)
    return os.path.realpath(found) if found else None


def module_file(name):
    """The file of a module in the system Python, "builtin" for one built
    into the interpreter, None when it does not import."""
    r = subprocess.run([SYSTEM_PYTHON, "-c", f"import {name}; print(getattr({name}, '__file__', '') or 'builtin')"],
                       capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 and r.stdout.strip() else None


def pc_file(name):
    r = subprocess.run(["pkg-config", "--path", name], capture_output=True, text=True)
    return r.stdout.strip() if r.returncode == 0 else None


def font_spec(what):
    family, _, style = what.partition(":")
    bold = 1 if style in ("bold", "bolditalic") else 0
    italic = 1 if style in ("italic", "bolditalic") else 0
    return family, bold, italic


def locate(kind, what, conf):
    if kind == "tool":
        return which(what)
    if kind == "module":
        return module_file(what)
    if kind == "pkgconfig":
        return pc_file(what)
    if kind == "file":
        return what if os.path.exists(what) else None
    if kind == "glob":
        hits = sorted(glob.glob(what))
        return hits[-1] if hits else None
    if kind == "font":
        family, bold, italic = font_spec(what)
        return best_face(faces(conf, family), bold, italic)
    return None


def check_needs(needs, sets, conf):
    for n, set_, kind, pkg, what in needs:
        where = f"tests/needs.txt:{n}"
        if not check(f"{where}: set '{set_}' is build or test", set_ in sets, set_):
            continue
        check(f"{where}: {pkg} (for {what}) is in the Makefile's "
              f"{'BUILD_PACKAGES' if set_ == 'build' else 'DEBIAN_PACKAGES'}", pkg in sets[set_])
        path = locate(kind, what, conf)
        if not check(f"{where}: {kind} {what} is installed", path is not None, f"package {pkg}"):
            continue
        ok, own = comes_with(path, [pkg])
        check(f"{where}: {what} ({path}) comes with {pkg}", ok, f"dpkg says {own}")


def check_sets(listed, build, test, fonts, build_fonts, needs):
    check("the Makefile lists its packages", len(listed) > 10 and len(build) > 5 and len(test) > 5,
          f"{len(listed)} listed, {len(build)} build, {len(test)} test")
    check("TEST_PACKAGES are part of DEBIAN_PACKAGES", set(test) <= set(listed), str(set(test) - set(listed)))
    check("BUILD_PACKAGES and TEST_PACKAGES make DEBIAN_PACKAGES, apart",
          set(build) | set(test) == set(listed) and not set(build) & set(test))
    check("FONT_PACKAGES are part of DEBIAN_PACKAGES", bool(fonts) and set(fonts) <= set(listed))
    check("the build set's fonts are part of FONT_PACKAGES", bool(build_fonts) and set(build_fonts) <= set(fonts))
    used = {pkg for _, _, _, pkg, _ in needs}
    for pkg in listed:
        check(f"{pkg} is in DEBIAN_PACKAGES for something tests/needs.txt names", pkg in used,
              "say what it is for in tests/needs.txt, or take it out of the Makefile")


# ---------------------------------------------------------------- the scan

SHELL_WORDS = set("""if then else elif fi for while until do done case esac in function select time
return local export set shift continue break exit eval exec read printf echo test cd pwd trap wait kill
source true false declare unset command type let readonly getopts umask ulimit shopt alias hash jobs fg
bg mapfile""".split())
# what may stand before a command on its line (after the words above are
# taken as commands themselves, the word after them too)
BEFORE_COMMAND = re.compile(
    r"(?:^|[|;&({]|\$\(|(?:^|\s)(?:then|do|else|if|elif|while|until|exec|time|!|check)\s"
    r"|\btimeout(?:\s+-\S+)*\s+\S+\s|\benv(?:\s+-\S+)*(?:\s+\w+=\S*)*\s|\bxargs(?:\s+-\S+)*\s)"
    r"[ \t]*(?:\w+=\S*[ \t]+)*$")
WORD = re.compile(r"(?<![\w.$/-])([A-Za-z][\w.+-]*)(?=[\s;|&<>`]|$)")


def command_words(code):
    """(word, line number) of every word of shell code that stands where a
    command does."""
    for n, line in enumerate(code.split("\n"), 1):
        for m in WORD.finditer(line):
            if BEFORE_COMMAND.search(line[:m.start()]):
                yield m.group(1), n


PYTHON_RUNS = re.compile(r"python3\s+(?:-\S+\s+)*((?:tests|bench|docs)/[\w./-]+\.py)")


def shell_code(text):
    """(shell code, Python code) of a shell script: comments, heredoc bodies
    and quoted strings left out, but for what runs: `sh -c` bodies and the
    $(...) inside double quotes are kept as shell code, `python3 -c` bodies
    and `python3 - <<EOF` heredocs go to the Python code. Newlines are kept,
    so a match's line is its line in the script."""
    out, py = [], []
    i, n = 0, len(text)
    heredocs = []                       # (word, python?) waiting for the next newline

    def quoted(j, q):                   # index after the closing quote q from j
        while j < n and text[j] != q:
            j += 2 if (q == '"' and text[j] == "\\") else 1
        return min(j + 1, n)

    while i < n:
        c = text[i]
        if c == "\n":
            out.append(c)
            i += 1
            for word, is_py in heredocs:
                body = []
                while i < n:
                    end = text.find("\n", i)
                    end = n if end < 0 else end
                    line = text[i:end]
                    i = end + 1
                    if line.strip() == word:
                        break
                    body.append(line)
                    out.append("\n")
                (py if is_py else []).append("\n".join(body))
                out.append("\n")
            heredocs = []
            continue
        if c == "#" and (i == 0 or text[i - 1] in " \t\n;"):
            while i < n and text[i] != "\n":
                i += 1
            continue
        m = re.match(r"<<-?\s*['\"]?(\w+)['\"]?", text[i:])
        if m:
            before = text[max(0, text.rfind("\n", 0, i)):i]
            heredocs.append((m.group(1), re.search(r"python3\s+-(\s|$)", before) is not None))
            i += m.end()
            continue
        if c in "'\"":
            end = quoted(i + 1, c)
            body = text[i + 1:end - 1]
            before = text[max(0, i - 20):i]
            if re.search(r"python3\s+-c\s*$", before):
                py.append(body)
            elif re.search(r"\b(?:ba)?sh\s+-c\s*$", before):
                out.append("; " + body + " ;")
            else:                       # a word: what runs in it is in $(...)
                out.append("_")
                if c == '"':
                    for sub in re.finditer(r"\$\(([^()]*(?:\([^()]*\)[^()]*)*)\)", body):
                        out.append("; " + sub.group(1) + " ;")
            out.append("\n" * body.count("\n"))
            i = end
            continue
        if text.startswith("((", i) or text.startswith("$((", i):   # arithmetic
            end = text.find("))", i)
            end = n if end < 0 else end + 2
            out.append("\n" * text[i:end].count("\n"))
            i = end
            continue
        out.append(c)
        i += 1
    return "".join(out), "\n".join(py)


def python_uses(code):
    """(commands, modules) a Python script uses: the first word of each
    subprocess call given as a list literal, and every module imported."""
    cmds = set(re.findall(r"subprocess\.(?:run|Popen|check_output|check_call|call)\(\s*\[\s*[\"']([^\"']+)[\"']",
                          code))
    cmds |= set(re.findall(r"shutil\.which\(\s*[\"']([^\"']+)[\"']", code))
    mods = set()
    for m in re.finditer(r"^\s*(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+([\w.]+)\s+import)", code, re.M):
        for name in (m.group(1) or m.group(2)).split(","):
            mods.add(name.strip().split(".")[0])
    return cmds, mods


def scanned_uses():
    """{command: first place}, {module: first place} over the shell suites,
    the Python scripts they run and tests/*.py."""
    cmds, mods = {}, {}
    shell = sorted(glob.glob(os.path.join(ROOT, "tests/*.sh")))
    py_files = set(glob.glob(os.path.join(ROOT, "tests/*.py")))
    for path in shell:
        text = open(path, encoding="utf-8").read()
        py_files |= {os.path.join(ROOT, p) for p in PYTHON_RUNS.findall(text)}
    for path in shell:
        rel = os.path.relpath(path, ROOT)
        text = open(path, encoding="utf-8").read()
        funcs = set(re.findall(r"^\s*([\w-]+)\s*\(\)\s*\{", text, re.M))
        code, py = shell_code(text)
        for word, line in command_words(code):
            if word not in SHELL_WORDS and word not in funcs:
                cmds.setdefault(word, f"{rel}:{line}")
        c, mo = python_uses(py)
        for w in c:
            cmds.setdefault(w, rel)
        for w in mo:
            mods.setdefault(w, rel)
    for path in sorted(py_files):
        if not os.path.exists(path):
            continue
        rel = os.path.relpath(path, ROOT)
        c, mo = python_uses(open(path, encoding="utf-8").read())
        for w in c:
            cmds.setdefault(w, rel)
        for w in mo:
            mods.setdefault(w, rel)
    return cmds, mods


def check_scanned(needs, listed):
    listed_tools = {what for _, _, kind, _, what in needs if kind == "tool"}
    listed_mods = {what for _, _, kind, _, what in needs if kind == "module"}
    cmds, mods = scanned_uses()
    check("the scan finds the suites' tools", {"qpdf", "pdftotext", "python3", "java"} <= set(cmds),
          str(sorted(cmds)))
    for cmd, where in sorted(cmds.items()):
        if "/" in cmd or cmd in listed_tools:
            continue
        path = which(cmd)
        if path is None:                # a word that is no command here (or a tool not installed:
            continue                    # then it is no tool of the suites' either)
        ok, own = comes_with(path, [])
        check(f"{cmd} ({where}) comes with an essential package or is in tests/needs.txt", ok,
              f"{path} is from {own}: add 'test tool {own} {cmd}' to tests/needs.txt and {own} to the Makefile")
    local = {os.path.splitext(os.path.basename(p))[0] for d in ("tests", "bench", "docs")
             for p in glob.glob(os.path.join(ROOT, d, "*.py"))}
    stdlib = closure(["python3"])
    for mod, where in sorted(mods.items()):
        if mod in local or mod in listed_mods or mod == "__future__":
            continue
        path = module_file(mod)
        if not check(f"Python module {mod} ({where}) imports in {SYSTEM_PYTHON}", path is not None,
                     "add its package to tests/needs.txt and the Makefile"):
            continue
        if path == "builtin":           # built into the interpreter
            continue
        own = owner(os.path.realpath(path))
        check(f"Python module {mod} ({where}) is Python's own or in tests/needs.txt",
              own is not None and own in stdlib, f"{path} is from {own}")


def check_build_tools(build, tmp):
    """make -n of the build (a new build folder: every step) calls only tools
    of the build set (or essential ones): nothing from TEST_PACKAGES."""
    # the plain build: not the CC/CFLAGS a calling make (sanitize-check runs
    # this test with CC=clang) passes down through its environment
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MAKEOVERRIDES", "MFLAGS", "MAKELEVEL", "CC", "CFLAGS")}
    r = subprocess.run(["make", "-n", "-B", "-C", ROOT, f"BUILD={tmp}/b", "all"], capture_output=True,
                       text=True, env=env)
    if not check("make -n all", r.returncode == 0, r.stderr[-400:]):
        return
    code, _ = shell_code(r.stdout)
    tools = {"pkg-config"}                          # $(shell pkg-config ...) while reading the Makefile
    for word, _ in command_words(code):
        if word not in SHELL_WORDS:
            tools.add(word)
    check("make -n all: the build compiles and links", {"cc", "ar"} <= tools, str(sorted(tools)))
    for tool in sorted(tools):
        path = which(tool)
        if not check(f"the build's {tool} is installed", path is not None):
            continue
        ok, own = comes_with(path, build)
        check(f"the build's {tool} comes with BUILD_PACKAGES", ok, f"{path} is from {own}")


# ---------------------------------------------------------------- build flags

FLAGS = {"CPPFLAGS": "-D_FORTIFY_SOURCE=2 -DRG_MARK_CPPFLAGS",
         "CFLAGS": "-O2 -g -fdebug-prefix-map=/rg-mark-cflags=.",
         "LDFLAGS": "-Wl,-z,relro -Wl,--defsym=rg_mark_ldflags=0"}


def flags_lines(args):
    r = subprocess.run(["make", "-n", "-B", "-C", ROOT] + [f"{k}={v}" for k, v in FLAGS.items()] + args,
                       capture_output=True, text=True)
    lines = [ln for ln in r.stdout.splitlines() if re.match(r"^(cc|clang|gcc)\s", ln)]
    return r.returncode, lines


def check_buildflags(tmp):
    """CPPFLAGS, CFLAGS and LDFLAGS as dpkg-buildflags sets them reach every
    compile line (CPPFLAGS, CFLAGS) and every link line (CFLAGS, LDFLAGS)."""
    b = f"{tmp}/flags"
    rc, lines = flags_lines([f"BUILD={b}", "all", f"{b}/unit-tests", f"{b}/fuzz-replay-csv"])
    check("make -n with CPPFLAGS, CFLAGS, LDFLAGS", rc == 0 and len(lines) > 20, f"exit {rc}, {len(lines)} cc lines")
    compiles = [ln for ln in lines if " -c " in ln or re.search(r"\.c\s", ln)]
    links = [ln for ln in lines if " -c " not in ln]
    check("... compile and link lines seen", len(compiles) > 20 and len(links) >= 5, f"{len(compiles)}, {len(links)}")
    for what, group, keys in (("compile", compiles, ("CPPFLAGS", "CFLAGS")), ("link", links, ("CFLAGS", "LDFLAGS"))):
        for key in keys:
            bad = [ln for ln in group if FLAGS[key] not in ln]
            check(f"every {what} line carries {key}", not bad, bad[0][:300] if bad else "")
    # the sanitizer and fuzz builds set CFLAGS of their own; CPPFLAGS and
    # LDFLAGS still reach them
    for target, mark in (("asan", "-fsanitize=address"), ("fuzz-build", "-fsanitize=fuzzer")):
        rc, lines = flags_lines([f"FUZZ_BUILD={tmp}/fuzz", target] if target == "fuzz-build" else [target])
        comp = [ln for ln in lines if " -c " in ln]
        link = [ln for ln in lines if " -c " not in ln]
        check(f"make -n {target}: compile and link lines", rc == 0 and comp and link, f"exit {rc}")
        check(f"make -n {target}: every line is a {mark} one", all(mark in ln for ln in lines))
        check(f"make -n {target}: every compile line carries CPPFLAGS", all(FLAGS["CPPFLAGS"] in ln for ln in comp))
        check(f"make -n {target}: every link line carries LDFLAGS", all(FLAGS["LDFLAGS"] in ln for ln in link))


# ---------------------------------------------------------------- fonts

def families_in_tree():
    """(family, bold, italic) of every role and fallback the tree's XML names."""
    wanted = set(UNIT_TEST_FAMILIES)
    files = glob.glob(os.path.join(ROOT, "layouts/*.xml")) + \
        glob.glob(os.path.join(ROOT, "tests/**/*.xml"), recursive=True) + \
        glob.glob(os.path.join(ROOT, "samples/**/*.xml"), recursive=True)
    for f in files:
        if "/tests/tmp" in f or "/tests/fuzz/" in f:
            continue
        text = open(f, encoding="utf-8", errors="replace").read()
        for tag in re.finditer(r"<(?:role|fallback)\b[^>]*>", text):
            t = tag.group(0)
            fam = re.search(r'family="([^"]*)"', t)
            if not fam or fam.group(1) in NOT_A_FONT:
                continue
            bold = 1 if re.search(r'bold="(true|1)"', t) else 0
            italic = 1 if re.search(r'italic="(true|1)"', t) else 0
            wanted.add((fam.group(1), bold, italic))
    return sorted(wanted)


def shipped_families():
    """The families the shipped layouts (layouts/*.xml) name."""
    fams = set()
    for f in glob.glob(os.path.join(ROOT, "layouts/*.xml")):
        fams |= set(re.findall(r'<(?:role|fallback)\b[^>]*\bfamily="([^"]*)"', open(f, encoding="utf-8").read()))
    return sorted(fams)


def faces(conf, family):
    """(weight, slant, width, file) of every face of family that conf lets
    fontconfig see."""
    env = dict(os.environ, FONTCONFIG_FILE=conf)
    try:
        out = subprocess.run(["fc-list", "--format", "%{family}\t%{weight}\t%{slant}\t%{width}\t%{file}\n",
                              family], capture_output=True, text=True, env=env).stdout
    except FileNotFoundError:        # named by check_needs (package fontconfig)
        return []
    result = []
    for line in out.splitlines():
        fams, w, s, wd, path = (line.split("\t") + [""] * 5)[:5]
        if family.lower() in [x.strip().lower() for x in fams.split(",")]:
            result.append((int(w or 80), int(s or 0), int(wd or 100), path))
    return result


def best_face(fs, bold, italic):
    """The file of the face of that style nearest to a normal width and a
    regular (80) or bold (200) weight; None when there is none."""
    fit = [(abs(wd - 100), abs(w - (200 if bold else 80)), path) for w, s, wd, path in fs
           if matches(w, s, bold, italic)]
    return min(fit)[2] if fit else None


def matches(weight, slant, bold, italic):
    return (weight >= 200) == bool(bold) and (slant > 0) == bool(italic)


def has_style(fs, bold, italic):
    return any(matches(w, s, bold, italic) for w, s, _, _ in fs)


def fonts_conf(packages, path):
    with open(path, "w") as out:
        r = subprocess.run([os.path.join(ROOT, "tests/fonts-conf.sh")] + packages,
                           stdout=out, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stderr


def check_fonts(font_packages, build_fonts, needs, tmp):
    conf = os.path.join(tmp, "fonts.conf")
    rc, err = fonts_conf(font_packages, conf)
    if not check("tests/fonts-conf.sh makes a configuration of FONT_PACKAGES", rc == 0, err.strip()):
        return conf
    listed = {font_spec(what)[0] for _, _, kind, _, what in needs if kind == "font"}
    build_listed = {font_spec(what) for _, set_, kind, _, what in needs if kind == "font" and set_ == "build"}
    for family, bold, italic in families_in_tree():
        style = STYLES[(bold, italic)] or "regular"
        check(f"font '{family}' {style} comes with FONT_PACKAGES", has_style(faces(conf, family), bold, italic),
              "add its Debian package to FONT_PACKAGES in the Makefile and fonts/README.md")
        check(f"font '{family}' is in tests/needs.txt", family in listed)

    # What reportgen needs at run time is in the build set: the shipped
    # layouts' families in every style (text may be bold or italic anywhere)
    # among BUILD_PACKAGES' fonts alone, and the samples build with them in
    # every shipped layout without a warning.
    bconf = os.path.join(tmp, "build-fonts.conf")
    rc, err = fonts_conf(build_fonts, bconf)
    if check("tests/fonts-conf.sh makes a configuration of the build set's fonts", rc == 0, err.strip()):
        for family in shipped_families():
            for (bold, italic), style in STYLES.items():
                if italic and family in UPRIGHT_ONLY:
                    continue
                check(f"shipped layouts: '{family}' {style or 'regular'} comes with the build set",
                      has_style(faces(bconf, family), bold, italic),
                      "add its font package to the build set in the Makefile")
                check(f"shipped layouts: 'build font ... {family}{':' + style if style else ''}' in tests/needs.txt",
                      (family, bold, italic) in build_listed)
        env = dict(os.environ, FONTCONFIG_FILE=bconf, XDG_CACHE_HOME=os.path.join(tmp, "cache-build"))
        for layout in sorted(glob.glob(os.path.join(ROOT, "layouts/*.xml"))):
            lay = os.path.splitext(os.path.basename(layout))[0]
            for d in ("samples/viermaandsrapportage-2023-T1.xml", "samples/gallery/grafieken.xml"):
                out = os.path.join(tmp, f"build-set-{lay}.pdf")
                r = subprocess.run([RG, "build", os.path.join(ROOT, d), "--layout", lay, "-o", out],
                                   capture_output=True, text=True, env=env)
                check(f"with the build set's fonts only, {d} builds in {lay} without a warning",
                      r.returncode == 0 and not r.stderr.strip(), f"exit {r.returncode}: {r.stderr.strip()[:300]}")

    # The check has teeth: without fonts-noto-mono, Noto Sans Mono is
    # gone, and a layout that needs it stops with exit 69 naming it.
    fewer = [p for p in font_packages if p != "fonts-noto-mono"]
    conf2 = os.path.join(tmp, "fewer.conf")
    fonts_conf(fewer, conf2)
    check("without fonts-noto-mono, 'Noto Sans Mono' is not found", not faces(conf2, "Noto Sans Mono"))
    env = dict(os.environ, FONTCONFIG_FILE=conf2, XDG_CACHE_HOME=os.path.join(tmp, "cache"))
    r = subprocess.run([RG, "build", os.path.join(ROOT, "tests/golden/basic.xml"), "--layout",
                        os.path.join(ROOT, "tests/data/many-fonts-layout.xml"), "-o",
                        os.path.join(tmp, "x.pdf")], capture_output=True, text=True, env=env)
    check("a layout that needs an unlisted font: exit 69", r.returncode == 69, f"exit {r.returncode}")
    check("... naming the family", "'Noto Sans Mono' not found" in r.stderr, r.stderr.strip())
    check("... and no PDF", not os.path.exists(os.path.join(tmp, "x.pdf")))
    rc, err = fonts_conf(["fonts-no-such-package"], os.path.join(tmp, "none.conf"))
    check("a font package that is not installed is named", rc != 0 and "fonts-no-such-package" in err, err)
    return conf


# ---------------------------------------------------------------- missing things named

def path_without(tmp, tools):
    """A folder of links to every command on the system PATH but tools."""
    d = os.path.join(tmp, "path-without-" + "-".join(tools))
    if os.path.isdir(d):
        return d
    os.makedirs(d)
    for folder in SYSTEM_PATH.split(":"):
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            target = os.path.join(d, name)
            if name not in tools and not os.path.lexists(target):
                os.symlink(os.path.join(folder, name), target)
    return d


def check_check_deps(font_packages, tmp):
    """make check-deps (tests/check_deps.sh) names what is missing, and stops."""
    script = os.path.join(ROOT, "tests/check_deps.sh")
    env = dict(os.environ, RG_FONT_PACKAGES=" ".join(font_packages))
    r = subprocess.run([script], capture_output=True, text=True, env=env)
    check("check_deps.sh: everything here, exit 0", r.returncode == 0, r.stdout + r.stderr)
    r = subprocess.run([script], capture_output=True, text=True,
                       env=dict(env, PATH=path_without(tmp, ["qpdf"])))
    check("check_deps.sh without qpdf on PATH: exit 1", r.returncode == 1, f"exit {r.returncode}")
    check("... naming it: 'missing: qpdf (package qpdf)'", "missing: qpdf (package qpdf)\n" in r.stdout, r.stdout)
    check("... and nothing else", r.stdout.count("missing:") == 1, r.stdout)
    fake = os.path.join(tmp, "fake-fc")
    os.makedirs(fake)
    with open(os.path.join(fake, "fc-list"), "w") as f:
        f.write("#!/bin/sh\nexit 0\n")                   # a fontconfig that finds nothing
    os.chmod(os.path.join(fake, "fc-list"), 0o755)
    r = subprocess.run([script], capture_output=True, text=True,
                       env=dict(env, PATH=fake + os.pathsep + os.environ.get("PATH", "")))
    check("check_deps.sh with a fontconfig that finds nothing: exit 1", r.returncode == 1, f"exit {r.returncode}")
    check("... naming the family and its package",
          "missing: font 'Noto Sans' (package fonts-noto-core)" in r.stdout, r.stdout)
    r = subprocess.run([script], capture_output=True, text=True,
                       env=dict(env, RG_FONT_PACKAGES=" ".join(p for p in font_packages if p != "fonts-lato")))
    check("check_deps.sh with FONT_PACKAGES less fonts-lato: names Lato",
          r.returncode == 1 and "missing: font 'Lato' (package fonts-lato)" in r.stdout, r.stdout)
    r = subprocess.run(["make", "-s", "-C", ROOT, "check-deps"], capture_output=True, text=True,
                       env=dict(os.environ, PATH=path_without(tmp, ["pdftoppm"])))
    check("make check-deps without pdftoppm: fails naming it",
          r.returncode != 0 and "missing: pdftoppm (package poppler-utils)" in r.stdout, r.stdout + r.stderr)
    ci = open(os.path.join(ROOT, ".ci/run"), encoding="utf-8").read()
    check(".ci/run runs make check-deps before the suites",
          re.search(r"^make deps\nmake check-deps\n", ci, re.M) is not None and
          ci.index("make check-deps") < ci.index("make check "))


def check_missing_tool_lines(tmp):
    """tests/lib.sh: a check that ran a missing tool fails, its line naming
    the tool and its package; one that would pass without it does not."""
    d = os.path.join(tmp, "lib")
    os.makedirs(d)
    script = os.path.join(d, "suite.sh")
    with open(script, "w") as f:
        f.write(f'cd "{ROOT}"\n. tests/lib.sh "{d}"\n'
                'check "runs qpdf" qpdf --version\n'
                'check "passes only when qpdf says nothing" bash -c "! qpdf --check x.pdf 2>/dev/null | grep -q ."\n'
                'check "runs nothing missing" true\n'
                'echo "$pass passed, $fail failed"\n')
    path = path_without(tmp, ["qpdf"])
    r = subprocess.run(["/bin/bash", script], capture_output=True, text=True, env=dict(os.environ, PATH=path))
    lines = r.stderr.splitlines()
    check("lib.sh: the suite says at its start that qpdf is missing",
          "missing: qpdf (package qpdf): the checks that run it fail" in lines, r.stderr)
    check("lib.sh: a check that ran it fails, naming it",
          "FAIL: runs qpdf [missing: qpdf (package qpdf)]" in lines, r.stderr)
    check("lib.sh: a check that passed without it fails too",
          any(ln.startswith("FAIL: passes only when qpdf says nothing") and "qpdf (package qpdf)" in ln
              for ln in lines), r.stderr)
    check("lib.sh: 1 passed, 2 failed", r.stdout.strip() == "1 passed, 2 failed", r.stdout)
    # a real suite without qpdf: every failure line names it
    env = dict(os.environ, PATH=path, RG=RG)
    r = subprocess.run([os.path.join(ROOT, "tests/streams.sh")], capture_output=True, text=True, env=env, cwd=ROOT)
    fails = [ln for ln in r.stderr.splitlines() if ln.startswith("FAIL:")]
    check("streams.sh without qpdf: fails", r.returncode != 0 and len(fails) > 10, f"exit {r.returncode}")
    unnamed = [ln for ln in fails if "[missing: qpdf (package qpdf)]" not in ln]
    check("streams.sh without qpdf: every failure line names qpdf and its package", not unnamed,
          unnamed[0] if unnamed else "")


def main():
    listed = make_var("packages")
    build, test = make_var("build-packages"), make_var("test-packages")
    fonts, build_fonts = make_var("font-packages"), make_var("build-font-packages")
    needs = read_needs()
    check_sets(listed, build, test, fonts, build_fonts, needs)
    with tempfile.TemporaryDirectory() as tmp:
        conf = check_fonts(fonts, build_fonts, needs, tmp)
        check_needs(needs, {"build": set(build), "test": set(listed)}, conf)
        check_scanned(needs, listed)
        check_build_tools(build, tmp)
        check_buildflags(tmp)
        check_check_deps(fonts, tmp)
        check_missing_tool_lines(tmp)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

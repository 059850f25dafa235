#!/usr/bin/env python3
"""install_test.py - would make check pass on a fresh machine?

    python3 tests/install_test.py [REPORTGEN]

A machine that ran only `make deps` has the Makefile's DEBIAN_PACKAGES and
what Debian installs with them, nothing else. This suite checks, without
a second machine, that the list covers what the build and the suites
touch:

- every tool and data file the suites use belongs to a listed package, or
  to a package a listed one depends on, or to an essential one
  (`dpkg -S` on the file the command resolves to);
- every font family the tree's layouts and tests name is found among the
  fonts of FONT_PACKAGES alone, in each style a role asks for
  (tests/fonts-conf.sh makes the configuration; tests/run.sh gives it to
  every suite, so the whole of make check sees only those fonts);
- and that this font check fails when it should: with one font package
  fewer, a layout that needs it is refused with exit 69 naming the family,
  and an uninstalled package is named.

Ends with "N passed, N failed".
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
RG = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/reportgen"))
SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"

# What the build and the suites run or read, and the listed package that
# brings it. Tools are looked up in the system PATH (a fresh machine has
# no ~/.pyenv or /usr/local in front).
NEEDS = [
    ("tool", "cc", "gcc"), ("tool", "make", "make"), ("tool", "pkg-config", "pkg-config"),
    ("tool", "ar", "binutils"), ("tool", "nm", "binutils"),
    ("tool", "clang", "clang"), ("tool", "valgrind", "valgrind"),
    ("tool", "qpdf", "qpdf"), ("tool", "fix-qdf", "qpdf"), ("tool", "pdftotext", "poppler-utils"),
    ("tool", "pdffonts", "poppler-utils"), ("tool", "pdfinfo", "poppler-utils"),
    ("tool", "pdftoppm", "poppler-utils"), ("tool", "xmllint", "libxml2-utils"),
    ("tool", "fc-list", "fontconfig"),
    ("tool", "java", "default-jre-headless"), ("tool", "python3", "python3"),
    ("file", "/usr/share/java/preflight.jar", "libpdfbox2-java"),
    ("file", "/usr/share/java/pdfbox2.jar", "libpdfbox2-java"),
    ("file", "/usr/share/java/fontbox2.jar", "libpdfbox2-java"),
    ("file", "/usr/share/java/javax.activation.jar", "libactivation-java"),
    ("file", "/usr/share/java/jaxb-api.jar", "libjaxb-api-java"),
    ("file", "/usr/share/color/icc/sRGB.icc", "icc-profiles-free"),
    ("file", "/usr/share/hyphen/hyph_nl_NL.dic", "hyphen-nl"),
    ("file", "/usr/lib/python3/dist-packages/aiosmtpd/__init__.py", "python3-aiosmtpd"),
    ("glob", "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.asan-x86_64.a", "libclang-rt-14-dev"),
    ("glob", "/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a", "libclang-rt-14-dev"),
]
# Families the C unit tests ask for (the XML files are read below), with
# (bold, italic): DejaVu Sans Mono's oblique counts as italic.
UNIT_TEST_FAMILIES = [("Noto Sans", 0, 0), ("Noto Sans", 1, 0), ("Noto Sans", 0, 1),
                      ("Noto Sans", 1, 1), ("DejaVu Sans", 0, 0), ("DejaVu Sans", 1, 0),
                      ("DejaVu Sans Mono", 0, 1)]
NOT_A_FONT = {"No Such Family", "..."}

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
    return out.stdout.split()


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


def closure(pkg, pkgs, provides, depth=4):
    """pkg and what it depends on, depth levels deep (virtual packages resolved)."""
    seen, frontier = {pkg}, {pkg}
    for _ in range(depth):
        nxt = set()
        for p in frontier:
            for d in pkgs.get(p, (False, set()))[1]:
                for real in {d} | provides.get(d, set()):
                    if real not in seen:
                        seen.add(real)
                        nxt.add(real)
        frontier = nxt
    return seen


def owner(path):
    out = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
    if out.returncode != 0:
        return None
    return out.stdout.split(":")[0].split(",")[0].strip()


def check_needs(listed):
    pkgs, provides = installed_packages()
    for kind, what, pkg in NEEDS:
        check(f"{pkg} (for {what}) is in DEBIAN_PACKAGES", pkg in listed)
        if kind == "tool":
            found = subprocess.run(["sh", "-c", f"PATH={SYSTEM_PATH} command -v {what}"],
                                   capture_output=True, text=True).stdout.strip()
            path = os.path.realpath(found) if found else None
        elif kind == "glob":
            hits = sorted(glob.glob(what))
            path = hits[-1] if hits else None
        else:
            path = what if os.path.exists(what) else None
        if not check(f"{what} is installed", path is not None, f"package {pkg}"):
            continue
        own = owner(path)
        ok = own is not None and (own in closure(pkg, pkgs, provides) or pkgs.get(own, (False,))[0])
        check(f"{what} ({path}) comes with {pkg}", ok, f"dpkg -S says {own}")


def families_in_tree():
    """(family, bold, italic) of every role and fallback the tree's XML names."""
    wanted = set(UNIT_TEST_FAMILIES)
    files = glob.glob(os.path.join(ROOT, "layouts/*.xml")) + \
        glob.glob(os.path.join(ROOT, "tests/**/*.xml"), recursive=True) + \
        glob.glob(os.path.join(ROOT, "samples/**/*.xml"), recursive=True)
    for f in files:
        if "/tests/tmp/" in f or "/tests/fuzz/" in f:
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


def faces(conf, family):
    env = dict(os.environ, FONTCONFIG_FILE=conf)
    try:
        out = subprocess.run(["fc-list", "--format", "%{family}\t%{weight}\t%{slant}\n", family],
                             capture_output=True, text=True, env=env).stdout
    except FileNotFoundError:        # named by check_needs (package fontconfig)
        return []
    result = []
    for line in out.splitlines():
        fams, w, s = (line.split("\t") + ["", "", ""])[:3]
        if family.lower() in [x.strip().lower() for x in fams.split(",")]:
            result.append((int(w or 80), int(s or 0)))
    return result


def has_style(fs, bold, italic):
    return any((w >= 200) == bool(bold) and (s > 0) == bool(italic) for w, s in fs)


def fonts_conf(packages, path):
    with open(path, "w") as out:
        r = subprocess.run([os.path.join(ROOT, "tests/fonts-conf.sh")] + packages,
                           stdout=out, stderr=subprocess.PIPE, text=True)
    return r.returncode, r.stderr


def check_fonts(font_packages, tmp):
    conf = os.path.join(tmp, "fonts.conf")
    rc, err = fonts_conf(font_packages, conf)
    if not check("tests/fonts-conf.sh makes a configuration of FONT_PACKAGES", rc == 0, err.strip()):
        return
    for family, bold, italic in families_in_tree():
        style = {(0, 0): "regular", (1, 0): "bold", (0, 1): "italic", (1, 1): "bold italic"}[(bold, italic)]
        check(f"font '{family}' {style} comes with FONT_PACKAGES", has_style(faces(conf, family), bold, italic),
              "add its Debian package to FONT_PACKAGES in the Makefile and fonts/README.md")

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


def main():
    listed = set(make_var("packages"))
    font_packages = make_var("font-packages")
    check("the Makefile lists its packages", len(listed) > 10 and font_packages)
    check("FONT_PACKAGES are part of DEBIAN_PACKAGES", set(font_packages) <= listed)
    check_needs(listed)
    with tempfile.TemporaryDirectory() as tmp:
        check_fonts(font_packages, tmp)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

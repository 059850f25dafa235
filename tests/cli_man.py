#!/usr/bin/env python3
"""cli_man.py - the man page and --help list the same options.

    python3 tests/cli_man.py build/reportgen [reportgen.1]

Every command that `reportgen --help` lists must have a section
'.SS "COMMAND options"' in the man page (reportgen.1), and the options
that section documents (the tags of its .TP paragraphs) must be the ones
`reportgen COMMAND --help` lists (made from the command's option table),
both ways: an option added to a table without its man page entry fails,
and so does an entry left behind when an option goes. The check is then
run on planted faults (a copy of the man page with an option deleted, one
with an option added, one without a command's section) and must fail on
each. Ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z0-9][\w-]*)")


def help_text(rg, args):
    p = subprocess.run([rg] + args, capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(['reportgen'] + args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p.stdout


def commands(rg):
    """The commands the overview lists."""
    text = help_text(rg, ["--help"])
    if "\ncommands:\n" not in text:
        raise RuntimeError("reportgen --help lists no commands (no 'commands:' block)")
    block = text.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in block.splitlines() if line.strip()]


def help_options(cmd, text):
    """The options in the "options:" block of a command's --help."""
    if "\noptions:\n" not in text:
        raise RuntimeError(f"reportgen {cmd} --help lists no options (no 'options:' block)")
    block = text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    found = set()
    for line in block.splitlines():
        m = re.match(r"^  (-\w)(?:, (--[\w-]+))?", line) or re.match(r"^ {6}(--[\w-]+)", line)
        if m:
            found.update(g for g in m.groups() if g)
    return found


def plain(roff):
    """A roff line without font escapes, quotes and the macro name."""
    s = roff.replace("\\-", "-")
    s = re.sub(r"\\f[BIRP]", "", s).replace('"', " ")
    return re.sub(r"^\.\w+\s*", "", s)


def man_sections(man):
    """{command: set of options its '.SS "COMMAND options"' documents}."""
    sections, current, take_tag = {}, None, False
    for line in man.splitlines():
        m = re.match(r'^\.SS\s+"?(\S+) options"?\s*$', line)
        if m:
            current = m.group(1)
            sections[current] = set()
            take_tag = False
            continue
        if line.startswith((".SH", ".SS")):
            current = None
            continue
        if current is None:
            continue
        if line.startswith(".TP"):
            take_tag = True
        elif take_tag:
            sections[current].update(OPTION.findall(plain(line)))
            take_tag = False
    return sections


def faults(rg, man_path):
    """One line per difference between the man page and the commands' help."""
    man = open(man_path, encoding="utf-8").read()
    sections = man_sections(man)
    out = []
    cmds = commands(rg)
    for cmd in cmds:
        listed = help_options(cmd, help_text(rg, [cmd, "--help"]))
        if cmd not in sections:
            out.append(f'{man_path}: no section \'.SS "{cmd} options"\' for reportgen {cmd}')
            continue
        documented = sections[cmd]
        for o in sorted(listed - documented):
            out.append(f"{man_path}: reportgen {cmd} --help lists {o}, which the man page "
                       f"does not document under \"{cmd} options\"")
        for o in sorted(documented - listed):
            out.append(f"{man_path}: documents {o} under \"{cmd} options\", which reportgen "
                       f"{cmd} --help does not list")
    for cmd in sorted(set(sections) - set(cmds)):
        out.append(f'{man_path}: a section "{cmd} options" for a command reportgen does not have')
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    rg = argv[1]
    man_path = argv[2] if len(argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "reportgen.1")
    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL: {name}" + (f"\n{detail}" if detail else ""), file=sys.stderr)

    try:
        found = faults(rg, man_path)
    except (RuntimeError, OSError) as e:
        print(f"FAIL: reading the help: {e}", file=sys.stderr)
        print(f"{passed} passed, {failed + 1} failed")
        return 1
    check("the man page documents the options --help lists, and no others", not found,
          "\n".join(found))
    for cmd, options in sorted(man_sections(open(man_path, encoding="utf-8").read()).items()):
        check(f'"{cmd} options" documents -h and --help', {"-h", "--help"} <= options)

    # The check on planted faults: each copy must fail, naming the option.
    man = open(man_path, encoding="utf-8").read()
    with tempfile.TemporaryDirectory() as tmp:
        def planted(name, text, expected):
            path = os.path.join(tmp, name + ".1")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            got = faults(rg, path)
            check(f"planted {name}: the check fails naming it",
                  any(expected in line for line in got), "\n".join(got) or "(no fault found)")

        # batch's --period deleted: its .TP and tag line gone
        deleted = re.sub(r"\.TP\n\.BI \\-\\-period=[^\n]*\n", "", man, count=1)
        check("planted: --period found to delete", deleted != man)
        planted("option-deleted", deleted, "batch --help lists --period")
        # an option the command does not have
        extra = man.replace('.SS "validate options"\n',
                            '.SS "validate options"\n.TP\n.B \\-\\-bogus\nNot an option.\n', 1)
        planted("option-added", extra, "documents --bogus under \"validate options\"")
        # a command without its section
        nosection = man.replace('.SS "reply options"', '.SS "Reply\'s options"', 1)
        planted("section-missing", nosection, 'no section \'.SS "reply options"\'')

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

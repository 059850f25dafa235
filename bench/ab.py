#!/usr/bin/env python3
"""ab.py - compares commands by wall time, run in turn invocation by invocation.

    python3 bench/ab.py ROUNDS 'COMMAND A' 'COMMAND B' ...

This machine's speed drifts by a third within minutes; a command measured
after another can look faster or slower than it is. Here every round runs
each command once, in order, after one warm-up run of each, so drift
touches all of them alike. Prints the median, lower quartile and minimum
of each (milliseconds). A command is split like a shell would (no pipes,
no redirections); its output is discarded. Not a test: nothing asserts a
time.

Example (another commit's build in a worktree):
    python3 bench/ab.py 40 '../old/build/reportgen build samples/x.xml -o /tmp/a.pdf' \\
                           'build/reportgen build samples/x.xml -o /tmp/b.pdf'
"""
import shlex
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().split("\n")[2].strip(), file=sys.stderr)
        return 2
    rounds = int(sys.argv[1])
    cmds = [shlex.split(c) for c in sys.argv[2:]]
    for argv in cmds:                              # warm-up: page cache, font memo
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = [[] for _ in cmds]
    for _ in range(rounds):
        for k, argv in enumerate(cmds):
            t = time.perf_counter()
            p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[k].append((time.perf_counter() - t) * 1000)
            if p.returncode != 0:
                print("failed (exit %d): %s" % (p.returncode, " ".join(argv)), file=sys.stderr)
                return 1
    for argv, t in zip(sys.argv[2:], times):
        t.sort()
        print("median %8.2f  p25 %8.2f  min %8.2f ms  %s"
              % (statistics.median(t), t[len(t) // 4], t[0], argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())

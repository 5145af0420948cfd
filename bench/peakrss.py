#!/usr/bin/env python3
"""Usage: bench/peakrss.py COMMAND [ARG...]

Runs the command and prints, after its output, one line on stderr:
"peakrss wall=<seconds> rss=<MB>", where rss is the largest total resident
memory of the command and all its descendants at any moment, so that a
build that starts Pagefind counts both: sampled every 20 ms from /proc,
following the process tree (/proc/PID/task/TID/children) rather than
reading every process of the machine, and never less than the peak of
the largest process (VmHWM, as wait4(2) reports it), which a sample can
miss. wall ends when the command exits (a thread waits for it), not at
the next sample. Linux only. Exits with the command's status."""
import os, resource, subprocess, sys, threading, time

PAGE = os.sysconf("SC_PAGE_SIZE")


def descendants(root):
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    return out


def tree_rss(root):
    total = 0
    for p in descendants(root):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:])
end = []
waiter = threading.Thread(target=lambda: (proc.wait(), end.append(time.monotonic())))
waiter.start()
peak = 0
while not end:
    peak = max(peak, tree_rss(proc.pid))
    waiter.join(0.02)
waiter.join()
wall = end[0] - start
# ru_maxrss is in kilobytes on Linux: the largest peak of any child.
peak = max(peak, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
print(f"peakrss wall={wall:.2f} rss={peak / 1e6:.0f}", file=sys.stderr)
sys.exit(proc.returncode)

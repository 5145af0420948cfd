#!/usr/bin/env python3
"""Usage: bench/peakrss.py COMMAND [ARG...]

Runs the command and prints, after its output, one line on stderr:
"peakrss wall=<seconds> rss=<MB>", where rss is the largest total resident
memory of the command and all its descendants at any moment (sampled every
20 ms from /proc), so that a build that starts Pagefind counts both.
Linux only. Exits with the command's status."""
import os, subprocess, sys, time

def tree_rss(root):
    children = {}
    rss = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(pid))
        rss[int(pid)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total

start = time.monotonic()
proc = subprocess.Popen(sys.argv[1:])
peak = 0
while proc.poll() is None:
    peak = max(peak, tree_rss(proc.pid))
    time.sleep(0.02)
wall = time.monotonic() - start
print(f"peakrss wall={wall:.2f} rss={peak / 1e6:.0f}", file=sys.stderr)
sys.exit(proc.returncode)

# Sourced by the bench scripts: other_cpus LIST prints the CPUs this process may run on outside LIST (a CPU list such as
# 1 or 2-3,5), comma-separated: where the broker, the registry and the producer go while inference has LIST.
other_cpus() {
  python3 -c 'import os, sys
inference = set()
for part in sys.argv[1].split(","):
    lo, _, hi = part.partition("-")
    inference.update(range(int(lo), int(hi or lo) + 1))
print(",".join(str(c) for c in sorted(os.sched_getaffinity(0) - inference)))' "$1"
}

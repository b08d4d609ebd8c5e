#!/usr/bin/env bash
# How long the local stack takes to start: local/bin/local-stack run --runs times (default 3) one after the other, each
# stopped with SIGINT once it printed `Local stack ready in X s`. Records per run the stack's own figure (broker,
# topics and registry ready, from the start of the stack's builder) with its parts (Kafka, topics, registry, from the
# log line the stack writes on stderr), and the wall time from the command to that line (the JVM's start included);
# writes their median and maximum as JSON for bench/results.py.
#
#   bench/local/stack-start.sh [--runs 3] [--out bench/local/target/stack-start.json]
#
# Each run's output goes to bench/local/target/stack-start/run-N.{out,err}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
runs=3
out="bench/local/target/stack-start.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "stack-start: unknown option $1" >&2; exit 2 ;;
  esac
done
command="bench/local/stack-start.sh --runs $runs"
[[ "$out" == "bench/local/target/stack-start.json" ]] || command+=" --out $out"
python3 - "$runs" "$out" "$command" <<'PY'
import os, pathlib, re, signal, statistics, subprocess, sys, time
sys.path.insert(0, "bench/lib")
import benchjson

runs, out, command = int(sys.argv[1]), sys.argv[2], sys.argv[3]
logs = pathlib.Path("bench/local/target/stack-start")
logs.mkdir(parents=True, exist_ok=True)
load_at_start = benchjson.load_average()
READY = re.compile(r"^Local stack ready in ([\d.]+) s")
PARTS = re.compile(r"Local stack ready in (\d+) ms \(Kafka after (\d+) ms, topics after (\d+) ms(?:, registry after (\d+) ms)?")
results = []
for n in range(1, runs + 1):
    stdout, stderr = logs / ("run-%d.out" % n), logs / ("run-%d.err" % n)
    load = benchjson.load_average()
    started = time.monotonic()
    with open(stdout, "w") as o, open(stderr, "w") as e:
        process = subprocess.Popen(["local/bin/local-stack"], stdout=o, stderr=e)
    ready = None
    while ready is None:
        if process.poll() is not None:
            sys.exit("stack-start: local-stack exited with %d before it was ready; see %s" % (process.returncode, stderr))
        if time.monotonic() - started > 300:
            process.kill()
            sys.exit("stack-start: local-stack not ready after 300 s; see %s" % stderr)
        match = next((READY.match(l) for l in open(stdout) if READY.match(l)), None)
        if match:
            ready = float(match[1])
        else:
            time.sleep(0.05)
    wall = time.monotonic() - started
    process.send_signal(signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    parts = next((PARTS.search(l) for l in open(stderr) if PARTS.search(l)), None)
    run = {"readySeconds": ready, "wallSecondsToReadyLine": round(wall, 2), "loadAverage": load,
           "kafkaSeconds": None if parts is None else int(parts[2]) / 1000,
           "topicsSeconds": None if parts is None else int(parts[3]) / 1000,
           "registrySeconds": None if parts is None or parts[4] is None else int(parts[4]) / 1000}
    print("run %d: ready in %.1f s (%.1f s from the command), load average %s" % (n, ready, wall, load), flush=True)
    results.append(run)
    time.sleep(2)
summary = lambda key: {"median": statistics.median(r[key] for r in results), "max": max(r[key] for r in results)}
result = benchjson.meta("local-stack-start", command, load_at_start)
result.update({"runs": results, "readySeconds": summary("readySeconds"),
               "wallSecondsToReadyLine": summary("wallSecondsToReadyLine")})
benchjson.write(result, out)
print("JSON: %s" % out)
PY

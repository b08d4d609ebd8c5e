#!/usr/bin/env bash
# Resident memory of the edge consumer through bursts of frames up to the frames topic's 16 MiB limit, with the memory
# flags of docs/deployment.md, against the same device on small frames alone, in one run: the reliability test
# BigFramesMemoryIT, run twice (memory.bursts=0, then 3), on the local stack. Needs CIFAR10_DIR.
# Options: --out FILE (bench/edge/target/big-frames-memory.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="bench/edge/target/big-frames-memory.json"
if [[ "${1:-}" == "--out" ]]; then out="$2"; fi
mkdir -p "$(dirname "$out")" bench/edge/target
mvn -q -o -pl schemas,local,openvino,demo,edge-consumer install -DskipTests >&2
for bursts in 0 3; do
  mvn -o -pl reliability verify -Dit.test=BigFramesMemoryIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
      -Dfailsafe.failIfNoSpecifiedTests=false -Dmemory.bursts="$bursts" > "bench/edge/target/big-frames-memory-$bursts.log" 2>&1 \
    || { tail -40 "bench/edge/target/big-frames-memory-$bursts.log" >&2; exit 1; }
  cp reliability/target/big-frames-memory.json "bench/edge/target/big-frames-memory-$bursts.json"
done
python3 - "$out" "$0 --out $out" <<'PY'
import datetime, json, os, sys
out, command = sys.argv[1], sys.argv[2]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
load = lambda b: json.load(open("bench/edge/target/big-frames-memory-%d.json" % b))
result = {"bench": "edge-big-frames-memory", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
          "cpu": cpu, "cores": os.cpu_count(), "command": command.replace(os.getcwd() + "/", ""),
          "smallFramesOnly": load(0), "withBigFrames": load(3)}
json.dump(result, open(out, "w"), indent=2)
print(json.dumps(result, indent=2))
PY

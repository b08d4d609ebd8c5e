#!/usr/bin/env bash
# The demo's own figures of one short run: time from the command to the first prediction, and the resident memory of
# everything it runs (broker, registry, analytics, every edge consumer, the demo's JVM) at the end of the stream, as
# its report.json gives them; written as JSON for bench/results.py with the run's frames and device types.
#
#   bench/local/demo-run.sh [--count 2000] [--fps 100] [--out bench/local/target/demo-run.json] [-- <more bin/demo options>]
#
# Needs CIFAR10_DIR. The demo's report and logs stay in bench/local/target/demo-run/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/cifar10.sh"
require_cifar10 demo-run
count=2000
fps=100
out="bench/local/target/demo-run.json"
extra=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --fps) fps="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "demo-run: unknown option $1" >&2; exit 2 ;;
  esac
done
command="bench/local/demo-run.sh --count $count --fps $fps"
[[ "$out" == "bench/local/target/demo-run.json" ]] || command+=" --out $out"
[[ ${#extra[@]} -eq 0 ]] || command+=" -- ${extra[*]}"
report="bench/local/target/demo-run"
rm -rf "$report"
mkdir -p "$report" "$(dirname "$out")"
load_at_start="$(cut -d' ' -f1 /proc/loadavg)"
bin/demo --count "$count" --fps "$fps" --http-port 0 --report-dir "$report" ${extra[@]+"${extra[@]}"} > "$report/demo.out"
python3 - "$report/report.json" "$out" "$command" "$load_at_start" "$fps" <<'PY'
import json, sys
sys.path.insert(0, "bench/lib")
import benchjson
report, out, command, load_at_start = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3], float(sys.argv[4])
result = benchjson.meta("demo-run", command, load_at_start)
result.update({"fps": float(sys.argv[5]), "framesSent": report["framesSent"], "complete": report["complete"],
               "timeToFirstPredictionMillis": report["timeToFirstPredictionMillis"],
               "memoryBytes": report["memoryBytes"],
               "deviceTypes": [{k: d[k] for k in ("deviceType", "frames", "accuracy", "deadLetters", "framesPerSecond")}
                               for d in report["deviceTypes"]]})
benchjson.write(result, out)
print(json.dumps({k: result[k] for k in ("framesSent", "complete", "timeToFirstPredictionMillis", "memoryBytes")}, indent=2))
print("JSON: %s" % out)
PY

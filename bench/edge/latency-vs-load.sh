#!/usr/bin/env bash
# Latency against offered load, per device type, exactly-once, on the local stack: the demo's load sweep (bin/demo
# --load-sweep), each load's predictions read by a read_committed subscriber. Every artifact runs twice side by side,
# once per batching mode (adaptive, the default, and fixed), so the two compare in one run. Writes the sweep's JSON
# with the machine's facts and the latency targets at the low load (20 frames/s, Poisson arrivals):
#   end to end (frame append to prediction append) p50 <= inference p50 + 3 ms, p99 <= inference p99 + 10 ms;
#   read_committed receipt p50 <= 20 ms.
#
#   bench/edge/latency-vs-load.sh [--loads 10,20,50,200,1000,max] [--engines openvino] [--precisions FP32,INT8]
#                                 [--batching adaptive,fixed] [--sweep-frames 1200] [--out FILE]
#
# Needs CIFAR10_DIR. The demo's report, chart and logs stay in bench/edge/target/latency-vs-load/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/cifar10.sh"
require_cifar10 latency-vs-load

loads="10,20,50,200,1000,max"
engines="openvino"
precisions="FP32,INT8"
batching="adaptive,fixed"
frames=1200
out="bench/edge/target/latency-vs-load.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --loads) loads="$2"; shift 2 ;;
    --engines) engines="$2"; shift 2 ;;
    --precisions) precisions="$2"; shift 2 ;;
    --batching) batching="$2"; shift 2 ;;
    --sweep-frames) frames="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "latency-vs-load: unknown option $1" >&2; exit 2 ;;
  esac
done
command="bench/edge/latency-vs-load.sh --loads $loads --engines $engines --precisions $precisions --batching $batching --sweep-frames $frames"
report="bench/edge/target/latency-vs-load"
rm -rf "$report"
mkdir -p "$report" "$(dirname "$out")"
bin/demo --engines "$engines" --precisions "$precisions" --batching "$batching" --load-sweep "$loads" --arrivals poisson \
  --sweep-frames "$frames" --http-port 0 --report-dir "$report" | tee "$report/demo.out"

python3 - "$report/latency-vs-load.json" "$out" "$command" <<'PY'
import datetime, json, os, sys
sweep, out, command = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
targets = {}
for point in sweep["points"]:
    if point["load"] != "20":
        continue
    for device_type, d in point["deviceTypes"].items():
        ok = lambda value, limit: None if value is None or limit is None else value <= limit
        targets[device_type] = {
            "endToEndP50": d["endToEndP50"], "inferenceP50": d["inferenceP50"],
            "endToEndP50Met": ok(d["endToEndP50"], None if d["inferenceP50"] is None else d["inferenceP50"] + 3),
            "endToEndP99": d["endToEndP99"], "inferenceP99": d["inferenceP99"],
            "endToEndP99Met": ok(d["endToEndP99"], None if d["inferenceP99"] is None else d["inferenceP99"] + 10),
            "receiptP50": d["receiptP50"], "receiptP50Met": ok(d["receiptP50"], 20.0),
            "kafkaHopP50": point["kafkaHopP50"], "batchMean": d["meanBatch"],
            "fetchP50": d["fetchP50"], "onDeviceP50": d["onDeviceP50"], "writeP50": d["writeP50"]}
result = {"bench": "edge-latency-vs-load", "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
          "cpu": cpu, "cores": os.cpu_count(), "command": command, "sweep": sweep, "targetsAt20": targets}
json.dump(result, open(out, "w"), indent=2)
print(json.dumps(targets, indent=2))
PY
echo "latency-vs-load: wrote $out; report, chart and logs in $report"

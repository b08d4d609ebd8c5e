#!/usr/bin/env bash
# How fast the fleet simulator writes: producer/bin/simulate-fleet (1,000 devices of 5 types) at each planned total
# rate in turn, against one local stack started for the run (local/bin/local-stack, its broker on the same machine).
# Records per rate the achieved rate, the lag of its sends behind their plan (median, p99, max) and the send errors,
# from the simulator's --summary-json, and writes them as JSON for bench/results.py.
#
#   bench/producer/fleet-rate.sh [--rates 20000,40000,60000,120000] [--duration 20s] [--out FILE]
#
# Default --out: bench/producer/target/fleet-rate.json. The stack's and the simulator's output go to
# bench/producer/target/fleet-rate/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
rates="20000,40000,60000,120000"
duration="20s"
out="bench/producer/target/fleet-rate.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rates) rates="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "fleet-rate: unknown option $1" >&2; exit 2 ;;
  esac
done
command="bench/producer/fleet-rate.sh --rates $rates --duration $duration"
[[ "$out" == "bench/producer/target/fleet-rate.json" ]] || command+=" --out $out"
source "$root/bench/lib/modules.sh"
require_built package local producer
logs="bench/producer/target/fleet-rate"
rm -rf "$logs"
mkdir -p "$logs" "$(dirname "$out")"
load_at_start="$(cut -d' ' -f1 /proc/loadavg)"

local/bin/local-stack > "$logs/local-stack.out" 2> "$logs/local-stack.err" &
stack=$!
# SIGTERM: a job started with & in a script ignores SIGINT. The stack's shutdown hook stops it either way.
trap 'kill -TERM $stack 2>/dev/null; wait $stack 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  grep -q "^Local stack ready in" "$logs/local-stack.out" 2>/dev/null && break
  kill -0 $stack 2>/dev/null || { echo "fleet-rate: the local stack did not start; see $logs/local-stack.err" >&2; exit 1; }
  sleep 0.5
done
bootstrap="$(sed -n 's/^ *Bootstrap servers: *//p' "$logs/local-stack.out")"
registry="$(sed -n 's/^ *Schema registry URL: *\([^ ]*\).*/\1/p' "$logs/local-stack.out")"
[[ -n "$bootstrap" && -n "$registry" ]] || { echo "fleet-rate: no addresses in $logs/local-stack.out" >&2; exit 1; }

seed=1
IFS=',' read -r -a planned <<< "$rates"
for rate in "${planned[@]}"; do
  echo "simulate-fleet at $rate predictions/s for $duration..." >&2
  CLASSPATH="producer/target/classes:$(cat producer/target/runtime-classpath.txt)" \
    java -Xmx512m dev.edgeinfer.producer.fleet.FleetSimulatorApp --bootstrap-servers "$bootstrap" \
    --schema-registry-url "$registry" --devices 1000 --device-types 5 --total-rate "$rate" --duration "$duration" \
    --seed "$seed" --summary-json "$logs/summary-$rate.json" > "$logs/simulate-fleet-$rate.out" 2>&1 \
    || { tail -20 "$logs/simulate-fleet-$rate.out" >&2; exit 1; }
  seed=$((seed + 1))
done

python3 - "$logs" "$out" "$command" "$load_at_start" "$rates" "$duration" <<'PY'
import json, sys
sys.path.insert(0, "bench/lib")
import benchjson
logs, out, command, load_at_start, rates, duration = sys.argv[1:7]
runs = []
for rate in rates.split(","):
    s = json.load(open("%s/summary-%s.json" % (logs, rate)))
    runs.append({k: s[k] for k in ("seed", "devices", "plannedPredictionRate", "achievedPredictionRate",
                                  "achievedRecordRate", "lagMedianMillis", "lagP99Millis", "lagMaxMillis",
                                  "sendErrors", "predictions", "sendSeconds", "stopReason")})
result = benchjson.meta("producer-fleet-rate", command, float(load_at_start))
result.update({"deviceTypes": 5, "duration": duration, "runs": runs})
benchjson.write(result, out)
print(json.dumps(runs, indent=2))
print("JSON: %s" % out)
PY

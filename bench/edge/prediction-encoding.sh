#!/usr/bin/env bash
# What writing one prediction costs: Avro's serializer against the edge consumer's DeviceRecordSerializer, same
# predictions, one run. Options: --predictions N (default 200000), --rounds N (default 10), --out FILE (the JSON for
# bench/results.py; default bench/edge/target/prediction-encoding.json). See bench/edge/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/modules.sh"
require_built install edge-consumer
CLASSPATH="edge-consumer/target/classes:$(cat edge-consumer/target/runtime-classpath.txt)" \
  java -Xmx1g -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  bench/edge/PredictionEncoding.java "$@"

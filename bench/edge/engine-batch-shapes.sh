#!/usr/bin/env bash
# The OpenVINO engine alone: full batches against batches of random sizes, each in its own JVM, one after the other.
#
#   bench/edge/engine-batch-shapes.sh [--seconds 60] [--artifact openvino-int8] [--max-batch 64]
#                                     [--requests-in-flight 4] [--cpus LIST] [--jvm-flags "..."]
#
# Prints frames per second and resident memory of each. See bench/edge/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
seconds=60 artifact=openvino-int8 max_batch=64 in_flight=4 cpus="" jvm_flags="-Xmx96m -Xmn64m -XX:+UseSerialGC"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2" ;;
    --artifact) artifact="$2" ;;
    --max-batch) max_batch="$2" ;;
    --requests-in-flight) in_flight="$2" ;;
    --cpus) cpus="$2" ;;
    --jvm-flags) jvm_flags="$2" ;;
    *) echo "engine-batch-shapes: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
source "$root/bench/lib/modules.sh"
require_built install edge-consumer
pin=()
[[ -n "$cpus" ]] && pin=(taskset -c "$cpus")
for mode in full random; do
  # shellcheck disable=SC2086
  CLASSPATH="edge-consumer/target/classes:$(cat edge-consumer/target/runtime-classpath.txt)" MALLOC_ARENA_MAX=2 \
    "${pin[@]}" java $jvm_flags -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
    bench/edge/EngineBatchShapes.java "$mode" "$seconds" "$artifact" "$max_batch" "$in_flight" models 2>&1 \
    | grep -v ' INFO '
done

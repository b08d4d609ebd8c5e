#!/usr/bin/env bash
# Edge consumer throughput through Kafka (Avro frames in, Avro predictions out, exactly-once) against OpenVINO's
# benchmark_app on the same IR, device, streams, requests and batch, in one run; also the consumer's resident memory.
#
#   bench/edge/edge-throughput.sh [--artifact openvino-int8] [--frames 40000] [--max-batch 32] [--models-dir models]
#                            [--requests-in-flight N] [--num-streams N] [--max-wait-ms 20] [--flush-frames N]
#                            [--commit-interval-ms N]
#                            [--jvm-flags "-Xmx128m"] [--consumer-config FILE] [--consumer-env "NAME=VALUE ..."]
#                            [--benchmark-seconds 20] [--sample-ms 0] [--cpus LIST] [--warmup-seconds 1]
#                            [--busy-other-cpus yes] [--interleave 0] [--window-seconds 15]
#                            [--scheduling other|batch]
#
# Needs CIFAR10_DIR (the CIFAR-10 binary batches), the project venv (.venv, for benchmark_app) and the models.
# Builds the modules it runs when their class path files are missing (MAVEN_ARGS is passed to that build, e.g. -o).
# Logs go to bench/edge/target/run-<time>/. See bench/edge/README.md for what it measures and the recorded figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

source "$root/bench/lib/cifar10.sh"
require_cifar10 edge-throughput
if [[ ! -x .venv/bin/benchmark_app ]]; then
  echo "edge-throughput: .venv/bin/benchmark_app is missing; run bin/setup" >&2
  exit 2
fi
source "$root/bench/lib/modules.sh"
require_built install local producer edge-consumer

# Run from a snapshot of the built classes and module jars, so that a rebuild during the run cannot pull them away.
snapshot="$(mktemp -d "${TMPDIR:-/tmp}/edge-throughput-classes.XXXXXX")"
trap 'rm -rf "$snapshot"' EXIT
module_classpath() {
  local module="$1" main_class="$2" entry out=() try
  # A build running elsewhere in the tree may be recompiling the module; wait for its classes to be back.
  for try in $(seq 1 30); do
    rm -rf "$snapshot/$module"
    mkdir -p "$snapshot/$module"
    # Copied only when nothing in the module's output changed for 20 s, before and during the copy.
    if [[ -z "$(find "$module/target/classes" "$module/target/runtime-classpath.txt" -newermt '-20 seconds' -print -quit 2>/dev/null)" ]]; then
      cp -r "$module/target/classes" "$snapshot/$module/classes" 2>/dev/null || true
      if [[ -f "$snapshot/$module/classes/${main_class//.//}.class" \
            && -z "$(find "$module/target/classes" -newermt '-20 seconds' -print -quit 2>/dev/null)" ]]; then
        break
      fi
    fi
    if [[ $try -eq 30 ]]; then
      echo "edge-throughput: $module/target/classes lacks $main_class (build it: mvn install -DskipTests -pl local,producer,edge-consumer -am)" >&2
      exit 2
    fi
    sleep 5
  done
  out+=("$snapshot/$module/classes")
  IFS=':' read -r -a entries < "$module/target/runtime-classpath.txt"
  for entry in "${entries[@]}"; do
    if [[ "$entry" == "$root"/* ]]; then
      # A sibling module: its jar, or its classes folder when the class path was written by a reactor build.
      local copy="$snapshot/$module/lib-${#out[@]}"
      cp -r "$entry" "$copy" || { echo "edge-throughput: cannot copy $entry" >&2; exit 2; }
      entry="$copy"
    fi
    out+=("$entry")
  done
  (IFS=':'; echo "${out[*]}")
}
EDGE_CONSUMER_CLASSPATH="$(module_classpath edge-consumer dev.edgeinfer.edge.EdgeConsumerApp)"
PRODUCER_CLASSPATH="$(module_classpath producer dev.edgeinfer.producer.FrameProducerApp)"
export EDGE_CONSUMER_CLASSPATH PRODUCER_CLASSPATH
local_classpath="$(module_classpath local dev.edgeinfer.local.LocalStack)"
# The local module finds the registry distribution beside its code; the snapshot points back at the built one.
# The class path goes through the environment: child JVMs keep short command lines (ONNX Runtime needs that).
# jdk.attach's HotSpotVirtualMachine takes thread dumps of the consumer without starting a JVM per sample.
# With --cpus, benchmark_app and the consumer run on those CPUs; the broker, the registry and the producer on the rest.
source "$root/bench/lib/cpus.sh"
harness=()
args=("$@")
for ((i = 0; i + 1 < ${#args[@]}; i++)); do
  if [[ "${args[i]}" == "--cpus" ]]; then
    others="$(other_cpus "${args[i + 1]}")"
    if [[ -z "$others" ]]; then
      echo "edge-throughput: --cpus ${args[i + 1]} leaves no CPU for the broker" >&2
      exit 2
    fi
    harness=(taskset -c "$others")
  fi
done
CLASSPATH="$EDGE_CONSUMER_CLASSPATH:$local_classpath" "${harness[@]}" java -Xmx1g --add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED \
  -Dedgeinfer.apicurio.home="$root/local/target/apicurio-registry" \
  -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  bench/edge/EdgeThroughput.java "$@"

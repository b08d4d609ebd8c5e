#!/usr/bin/env bash
# Edge consumer variants side by side: two or more consumers with different JVM flags or app options run at the same
# time on the same CPUs, each in its own consumer group over the same pre-loaded frames, so that every variant sees
# the same phases of a machine whose speed drifts. Over a window after a warm-up it prints, for each variant, the
# frames it predicted per second and per CPU second of its whole process (the figure to compare: sharing the CPUs,
# a variant that needs less CPU per frame gets more frames out of each CPU second), and its context switches.
#
#   bench/edge/consumer-ab.sh [--frames 1200000] [--warmup-seconds 90] [--window-seconds 60] [--cpus 1]
#                             [--benchmark-app yes] [--alternate-seconds T] [--scheduling other|batch]
#                             [--artifact openvino-int8] [--windows 1] [--litert-runtime yes] [--threads 1]
#                             --variant 'NAME|JVM FLAGS|APP OPTIONS[|CLASSES[|JAVA]]' [--variant ...]
#
# With --benchmark-app yes, OpenVINO's benchmark_app runs on the same CPUs through the window too (the consumers' IR,
# batch 64, throughput hint, FP32 artifacts at f32 as the app runs them, as edge-throughput.sh runs it), and each
# variant's frames per CPU second is also given as a share of benchmark_app's: the consumer against benchmark_app in
# one run, free of the machine's drift, since both run through the very same seconds (bench/edge/ab-window.py).
#
# With --alternate-seconds T, the processes take turns through the window instead of sharing the CPUs: each runs alone
# for T seconds while the others are stopped (SIGSTOP/SIGCONT), as it would on a device; turns of a few seconds still
# put them all in the same phases of the machine. --scheduling batch runs benchmark_app and every consumer alike under
# Linux's SCHED_BATCH policy (chrt --batch 0), whose threads do not preempt a running thread when they wake.
#
# With --artifact litert-fp32 or litert-int8 (LiteRT's batch-1 models), the consumers run `--engine litert` with
# --threads XNNPACK threads (default 1) and 1 request in flight, and --litert-runtime yes puts LiteRT's own runtime in
# benchmark_app's place: the pinned wheel's Interpreter on the same file with the same threads, one image per run, as
# fast as it goes (bench/edge/litert-runtime.py).
#
# With --windows N, N windows follow one another after the warm-up, each measured and reported on its own (with
# benchmark_app run anew in each): how the figures move as the consumers run longer, and how much they vary.
#
# CLASSES, when given, is an edge-consumer classes folder to run instead of edge-consumer/target/classes (the
# dependencies stay this tree's), to compare two builds of the loop, for example one of an earlier commit:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q compile -pl edge-consumer)
#   bench/edge/consumer-ab.sh --variant 'before|||/tmp/before/edge-consumer/target/classes' --variant 'now||'
# JAVA, when given, is the java executable to run the variant with instead of the one on the PATH, to compare Java
# runtimes on the same build (the classes are compiled for Java 17 and run on any later release):
#   bench/edge/consumer-ab.sh --variant 'jdk17||' --variant 'jdk25|--enable-native-access=ALL-UNNAMED|||/opt/jdk-25/bin/java'
#
# Every variant runs the IR of --artifact (an OpenVINO artifact of models/manifest.json, default openvino-int8) with
# batch 64, 4 requests in flight, exactly-once, unless its app options set these otherwise (spelled as here), with the
# JVM flags and app options it adds; benchmark_app always runs batch 64. Needs CIFAR10_DIR. Logs go to
# bench/edge/target/ab-<time>/. See bench/edge/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
frames=1200000 warmup=90 window=60 cpus=1 benchmark_app=no alternate=0 scheduling=other
artifact=openvino-int8 windows=1 variants=() litert_runtime=no threads=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --frames) frames="$2" ;;
    --warmup-seconds) warmup="$2" ;;
    --window-seconds) window="$2" ;;
    --cpus) cpus="$2" ;;
    --benchmark-app) benchmark_app="$2" ;;
    --alternate-seconds) alternate="$2" ;;
    --scheduling) scheduling="$2" ;;
    --artifact) artifact="$2" ;;
    --litert-runtime) litert_runtime="$2" ;;
    --threads) threads="$2" ;;
    --windows) windows="$2" ;;
    --variant) variants+=("$2") ;;
    *) echo "consumer-ab: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [[ ${#variants[@]} -lt 2 && ! ( ( "$benchmark_app" == yes || "$litert_runtime" == yes ) && ${#variants[@]} -eq 1 ) ]]; then
  echo "consumer-ab: give at least two --variant 'NAME|JVM FLAGS|APP OPTIONS[|CLASSES[|JAVA]]', or one and --benchmark-app yes" >&2
  exit 2
fi
case "$scheduling" in
  other) policy=() ;;
  batch) policy=(chrt --batch 0) ;;
  *) echo "consumer-ab: --scheduling is other or batch, not $scheduling" >&2; exit 2 ;;
esac
[[ "$windows" =~ ^[1-9][0-9]*$ ]] || { echo "consumer-ab: --windows is a count of at least 1, not $windows" >&2; exit 2; }
if [[ "$benchmark_app" == yes && ! -x .venv/bin/benchmark_app ]]; then
  echo "consumer-ab: .venv/bin/benchmark_app is missing; run bin/setup" >&2
  exit 2
fi
# The model's path, its engine, and the precision benchmark_app must be told: the app runs FP32 artifacts at f32 (no
# silent bf16).
model_engine_precision="$(python3 -c 'import json, sys
artifact = next((a for a in json.load(open("models/manifest.json"))["artifacts"] if a["id"] == sys.argv[1]), None)
if artifact is None or artifact["runtime"] not in ("openvino", "litert"):
    sys.exit("consumer-ab: --artifact " + sys.argv[1] + " is not an OpenVINO or LiteRT artifact of models/manifest.json")
print("models/" + artifact["files"][0]["path"], artifact["runtime"], "f32" if artifact["precision"] == "FP32" else "")' "$artifact")"
read -r ir engine precision <<< "$model_engine_precision"
if [[ "$benchmark_app" == yes && "$engine" != openvino ]] || [[ "$litert_runtime" == yes && "$engine" != litert ]]; then
  echo "consumer-ab: --benchmark-app goes with an OpenVINO artifact, --litert-runtime with a LiteRT one" >&2
  exit 2
fi
source "$root/bench/lib/cifar10.sh"
require_cifar10 consumer-ab
source "$root/bench/lib/modules.sh"
require_built install local producer edge-consumer
source "$root/bench/lib/cpus.sh"
others="$(other_cpus "$cpus")"
[[ -n "$others" ]] || { echo "consumer-ab: --cpus $cpus leaves no CPU for the broker" >&2; exit 2; }

out="bench/edge/target/ab-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
stop_all() {
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 "${pids[@]}" 2>/dev/null || return 0
    sleep 1
  done
  kill -9 "${pids[@]}" 2>/dev/null || true
}
trap stop_all EXIT

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
kafka_port="$(port)" registry_port="$(port)"
taskset -c "$others" bin/run-app local dev.edgeinfer.local.LocalStackCommand --kafka-port "$kafka_port" \
  --registry-port "$registry_port" > "$out/local-stack.log" 2>&1 &
pids+=($!)
until grep -q "Local stack ready" "$out/local-stack.log"; do
  kill -0 "${pids[0]}" 2>/dev/null || { echo "consumer-ab: the local stack did not start; see $out/local-stack.log" >&2; exit 1; }
  sleep 1
done
bootstrap="127.0.0.1:$kafka_port" registry="http://127.0.0.1:$registry_port/apis/ccompat/v7"
taskset -c "$others" bin/run-app producer dev.edgeinfer.producer.FrameProducerApp --bootstrap-servers "$bootstrap" \
  --schema-registry-url "$registry" --count "$frames" --loop --fps 0 --producer-id consumer-ab > "$out/producer.log" 2>&1
echo "pre-loaded $frames frames"
# The broker's CPUs stay busy at the lowest priority, as in edge-throughput.sh --busy-other-cpus yes.
taskset -c "$others" nice -n 19 bash -c 'while :; do :; done' &
pids+=($!)

names=() consumers=() metrics=()
run="$(date +%H%M%S)"
for variant in "${variants[@]}"; do
  IFS='|' read -r name jvm_flags app_options classes java <<< "$variant"
  metrics_port="$(port)"
  # The settings every variant shares, less those its app options set (picocli takes an option once).
  shared=()
  if [[ "$engine" == litert ]]; then
    engine_options=("--num-threads $threads" "--requests-in-flight 1")
  else
    engine_options=("--performance-hint THROUGHPUT" "--num-streams 1" "--requests-in-flight 4")
  fi
  for option in "${engine_options[@]}" "--max-batch 64" "--max-wait-ms 200" "--delivery exactly-once"; do
    [[ " $app_options " == *" ${option%% *} "* ]] || shared+=($option)
  done
  # shellcheck disable=SC2086
  CLASSPATH="${classes:-edge-consumer/target/classes}:$(cat edge-consumer/target/runtime-classpath.txt)" MALLOC_ARENA_MAX=2 \
    taskset -c "$cpus" "${policy[@]}" "${java:-java}" -Xmx96m -Xmn64m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m \
    -Xss512k $jvm_flags dev.edgeinfer.edge.EdgeConsumerApp --bootstrap-servers "$bootstrap" --schema-registry-url "$registry" \
    --engine "$engine" --artifact "$artifact" --device CPU "${shared[@]}" --device-type "ab-$name-$run" \
    --device-id "ab-$name-$run" --metrics-port "$metrics_port" $app_options > "$out/$name.log" 2>&1 &
  pids+=($!) names+=("$name") consumers+=($!) metrics+=("$metrics_port")
done
# Scraped from the start, as Prometheus scrapes a device: the first scrape of a warm consumer runs code (HTTP server,
# metric formatting) that shares JDK methods with Kafka's network code, and the JIT then recompiles hot methods
# through the window.
taskset -c "$others" bash -c 'while :; do for port in "$@"; do curl -sf "localhost:$port/metrics" > /dev/null; done; sleep 15; done' \
  scraper "${metrics[@]}" &
pids+=($!)
echo "${#names[@]} variants on CPUs $cpus: ${names[*]}; warm-up ${warmup} s, then $windows window(s) of ${window} s"
started=$SECONDS
sleep "$warmup"

specs=()
for i in "${!names[@]}"; do specs+=("${names[i]}:${consumers[i]}:${metrics[i]}"); done
reference=()
if [[ "$benchmark_app" == yes ]]; then
  reference=(--benchmark-app "$ir|$cpus|64|$precision" --scheduling "$scheduling")
elif [[ "$litert_runtime" == yes ]]; then
  reference=(--litert-runtime "$ir|$cpus|$threads" --scheduling "$scheduling")
fi
for n in $(seq 1 "$windows"); do
  [[ "$windows" -eq 1 ]] || echo "window $n of $windows, from $(( SECONDS - started )) s after the consumers started"
  python3 bench/edge/ab-window.py --window-seconds "$window" --alternate-seconds "$alternate" --out "$out" \
    "${reference[@]}" "${specs[@]}"
done
echo "logs: $out"

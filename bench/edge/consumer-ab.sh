#!/usr/bin/env bash
# Edge consumer variants side by side: two or more consumers with different JVM flags or app options run at the same
# time on the same CPUs, each in its own consumer group over the same pre-loaded frames, so that every variant sees
# the same phases of a machine whose speed drifts. Over a window after a warm-up it prints, for each variant, the
# frames it predicted per second and per CPU second of its whole process (the figure to compare: sharing the CPUs,
# a variant that needs less CPU per frame gets more frames out of each CPU second), and its context switches.
#
#   bench/edge/consumer-ab.sh [--frames 1200000] [--warmup-seconds 90] [--window-seconds 60] [--cpus 1]
#                             --variant 'NAME|JVM FLAGS|APP OPTIONS[|CLASSES]' --variant ...
#
# CLASSES, when given, is an edge-consumer classes folder to run instead of edge-consumer/target/classes (the
# dependencies stay this tree's), to compare two builds of the loop, for example one of an earlier commit:
#   git worktree add /tmp/before <commit> && (cd /tmp/before && mvn -q compile -pl edge-consumer)
#   bench/edge/consumer-ab.sh --variant 'before|||/tmp/before/edge-consumer/target/classes' --variant 'now||'
#
# Every variant runs the INT8 IR with batch 64, 4 requests in flight, exactly-once, on top of the JVM flags and app
# options it adds. Needs CIFAR10_DIR. Logs go to bench/edge/target/ab-<time>/. See bench/edge/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
frames=1200000 warmup=90 window=60 cpus=1 variants=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --frames) frames="$2" ;;
    --warmup-seconds) warmup="$2" ;;
    --window-seconds) window="$2" ;;
    --cpus) cpus="$2" ;;
    --variant) variants+=("$2") ;;
    *) echo "consumer-ab: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
if [[ ${#variants[@]} -lt 2 ]]; then
  echo "consumer-ab: give at least two --variant 'NAME|JVM FLAGS|APP OPTIONS[|CLASSES]'" >&2
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
  IFS='|' read -r name jvm_flags app_options classes <<< "$variant"
  metrics_port="$(port)"
  # shellcheck disable=SC2086
  CLASSPATH="${classes:-edge-consumer/target/classes}:$(cat edge-consumer/target/runtime-classpath.txt)" MALLOC_ARENA_MAX=2 \
    taskset -c "$cpus" java -Xmx96m -Xmn64m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m \
    -Xss512k $jvm_flags dev.edgeinfer.edge.EdgeConsumerApp --bootstrap-servers "$bootstrap" --schema-registry-url "$registry" \
    --engine openvino --artifact openvino-int8 --device CPU --performance-hint THROUGHPUT --num-streams 1 \
    --requests-in-flight 4 --max-batch 64 --max-wait-ms 200 --delivery exactly-once --device-type "ab-$name-$run" \
    --device-id "ab-$name-$run" --metrics-port "$metrics_port" $app_options > "$out/$name.log" 2>&1 &
  pids+=($!) names+=("$name") consumers+=($!) metrics+=("$metrics_port")
done
echo "${#names[@]} variants on CPUs $cpus: ${names[*]}; warm-up ${warmup} s, then a window of ${window} s"
sleep "$warmup"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s}'; }
predicted() { curl -sf "localhost:$1/metrics" | awk '/^edge_frames_predicted_total/ {s += $2} END {printf "%d", s}'; }
sample() {
  local i="$1"
  kill -0 "${consumers[i]}" 2>/dev/null || { echo "consumer-ab: variant ${names[i]} stopped; see $out/${names[i]}.log" >&2; exit 1; }
  echo "$(cpu_ticks "${consumers[i]}") $(switches "${consumers[i]}") $(predicted "${metrics[i]}") $(date +%s.%N)"
}
declare -a before
for i in "${!names[@]}"; do before[i]="$(sample "$i")"; done
sleep "$window"
ticks_per_second="$(getconf CLK_TCK)"
for i in "${!names[@]}"; do
  python3 - "${names[i]}" "$ticks_per_second" ${before[i]} $(sample "$i") <<'EOF' | tee -a "$out/result.txt"
import sys
name, hz = sys.argv[1], int(sys.argv[2])
t0, s0, f0, w0, t1, s1, f1, w1 = (float(v) for v in sys.argv[3:])
frames, cpu, wall = f1 - f0, (t1 - t0) / hz, w1 - w0
print(f"{name:12s} {frames:8.0f} frames, {cpu:5.1f} CPU s in {wall:4.1f} s: {frames / wall:6.0f} FPS, "
      f"{frames / cpu:6.0f} frames per CPU second, {(s1 - s0) / wall:5.0f} context switches/s")
EOF
done
echo "logs: $out"

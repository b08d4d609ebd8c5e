#!/usr/bin/env bash
# The frame producer's throughput against Kafka's own kafka-producer-perf-test (ProducerPerformance) on the local
# broker: same record size, acks=all, batch.size, linger.ms and compression; the two take turns for --rounds rounds
# in one run; prints each round's ratio and their median, and writes them as JSON for bench/results.py.
#
#   bench/producer/producer-throughput.sh [--records 300000] [--warmup-records 30000] [--batch-size 262144]
#                                         [--linger-ms 5] [--compression none|gzip|snappy|lz4|zstd]
#                                         [--jvm-flags "-Xmx512m"] [--timeout-seconds 600] [--rounds 3]
#                                         [--out bench/producer/target/producer-throughput.json]
#
# Needs CIFAR10_DIR (the CIFAR-10 binary batches). Builds local and producer, and resolves kafka-tools, when their
# class path files are missing (MAVEN_ARGS is passed to those builds, e.g. MAVEN_ARGS=-o).
# Results and the child JVMs' logs go to bench/producer/target/run-<time>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

source "$root/bench/lib/cifar10.sh"
require_cifar10 producer-throughput
source "$root/bench/lib/modules.sh"
require_built package local producer
if [[ ! -f bench/producer/target/runtime-classpath.txt ]]; then
  echo "Resolving kafka-tools..." >&2
  mvn -q ${MAVEN_ARGS:-} -f bench/producer/pom.xml generate-resources >&2
fi

classpath="$root/producer/target/classes:$(cat producer/target/runtime-classpath.txt)"
classpath+=":$root/local/target/classes:$(cat local/target/runtime-classpath.txt)"
classpath+=":$(cat bench/producer/target/runtime-classpath.txt)"
# The class path goes through the environment: the single-file launcher and the child JVMs keep short command lines.
CLASSPATH="$classpath" exec java -Xmx1g -Dlogback.configurationFile="$root/bench/producer/logback.xml" \
  -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  bench/producer/ProducerThroughput.java "$@"

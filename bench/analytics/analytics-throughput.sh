#!/usr/bin/env bash
# The analytics app against a bare consumer that only deserializes the same predictions, one backlog, one run
# (bench/analytics/README.md). Options: --predictions N (200000), --device-types N (5), --devices N (100),
# --analytics-jvm "FLAGS" (-Xms256m -Xmx256m), --out FILE (bench/analytics/target/analytics-throughput.json).
# Builds local, producer and analytics when their class path files are missing (MAVEN_ARGS goes to that build).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/modules.sh"
require_built install local producer analytics
analytics_cp="$root/analytics/target/classes:$(cat analytics/target/runtime-classpath.txt)"
classpath="$analytics_cp:$root/producer/target/classes:$(cat producer/target/runtime-classpath.txt)"
classpath+=":$root/local/target/classes:$(cat local/target/runtime-classpath.txt)"
CLASSPATH="$classpath" exec java -Xmx1g -Danalytics.classpath="$analytics_cp" \
  -Dlogback.configurationFile="$root/bench/producer/logback.xml" \
  -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
  bench/analytics/AnalyticsThroughput.java "$@"

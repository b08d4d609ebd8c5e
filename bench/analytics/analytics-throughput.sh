#!/usr/bin/env bash
# The analytics app against a bare consumer that only deserializes the same predictions, one backlog, one run
# (bench/analytics/README.md). Options: --predictions N (200000), --device-types N (5), --devices N (100),
# --write-rate N (40000), --analytics-jvm "FLAGS" (-Xms192m -Xmx192m -XX:TrimNativeHeapInterval=5000), --analytics-config FILE,
# --out FILE (bench/analytics/target/analytics-throughput.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/analytics.sh"
run_analytics_bench AnalyticsThroughput "$@"

#!/usr/bin/env bash
# A simulated fleet against running analytics instances: lag, CPU, memory, query latencies and totals
# (bench/analytics/README.md). Options: --devices N (1000), --device-types N (5), --rate N per device (10),
# --duration-seconds N (600), --instances N (1), --brokers N (1; 3 gives six partitions), --query-rate N (10),
# --analytics-jvm "FLAGS" (-Xms192m -Xmx192m -XX:TrimNativeHeapInterval=5000), --out FILE (bench/analytics/target/fleet.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/analytics.sh"
run_analytics_bench FleetBench "$@"

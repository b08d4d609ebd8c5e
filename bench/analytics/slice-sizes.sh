#!/usr/bin/env bash
# Stored bytes of one statistics slice by the predictions in it, for the sizing table of analytics/README.md.
# Options: --out FILE (bench/analytics/target/slice-sizes.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
source "$root/bench/lib/analytics.sh"
run_analytics_bench SliceSizes "$@"

#!/usr/bin/env bash
# Throughput of three edge consumers in one group against one, in one run, on a three-broker cluster started like
# the local broker (six partitions per topic, replication factor 3, min.insync.replicas 2). For each fleet size the
# same backlog of frames is published in one transaction to a fresh topic, so every consumer sees it at the same
# instant, and the rate is frames divided by the time from that instant to the broker timestamp of the last
# prediction; every frame must be predicted exactly once, by consumers that all took part. Writes the figures as JSON
# for bench/results.py (--out, default bench/scale/target/scale-throughput.json).
#
#   bench/scale/scale-throughput.sh [--frames 12000] [--out FILE]
#
# Needs CIFAR10_DIR (the CIFAR-10 binary batches). Runs ScaleIT#throughputOfThreeConsumersAgainstOne of the
# reliability module through Maven (MAVEN_ARGS is passed on, e.g. -o). See bench/scale/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

frames=12000 out="bench/scale/target/scale-throughput.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --frames) frames="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale-throughput: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$root/bench/lib/cifar10.sh"
require_cifar10 scale-throughput
command="bench/scale/scale-throughput.sh --frames $frames"
[[ "$out" == "bench/scale/target/scale-throughput.json" ]] || command+=" --out $out"
run_dir="$root/bench/scale/target/run-$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$run_dir" "$(dirname "$out")"
text="$run_dir/throughput.txt"
load_at_start="$(cut -d' ' -f1 /proc/loadavg)"

echo "Draining $frames frames with 1, then 3 edge consumers; log in $run_dir/maven.log" >&2
# -am: the test runs against this tree's modules, not whatever versions the local Maven repository holds.
status=0
mvn ${MAVEN_ARGS:-} -pl reliability -am verify -Dit.test='ScaleIT#throughputOfThreeConsumersAgainstOne' -Dtest=none \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dscale.throughput.frames="$frames" -Dscale.throughput.out="$text" > "$run_dir/maven.log" 2>&1 || status=$?
if [[ -f "$text" ]]; then
  cat "$text"
  [[ $status -ne 0 ]] || python3 bench/scale/scale-json.py "$text" --out "$out" --command "$command" --load-at-start "$load_at_start"
else
  echo "scale-throughput: no result was written; the end of $run_dir/maven.log:" >&2
  tail -40 "$run_dir/maven.log" >&2
fi
exit $status

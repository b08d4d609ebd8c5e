#!/usr/bin/env bash
# Soak: one edge consumer and the analytics app, as processes, on the local broker and registry. Measures the
# consumer's maximum rate (a backlog published in one transaction, drained by the one consumer), then runs the
# producer at a fraction of it for the duration while sampling, every --sample, the group's lag and each process's
# heap after a full GC, open file descriptors and resident memory. Writes samples.csv and summary.md (first against
# last quarter, slope per minute after the first quarter) and fails when a frame is lost or duplicated, the lag
# grows, or the apps' open file descriptors grow. Writes the summary as JSON for bench/results.py (--json, default
# bench/soak/target/soak.json).
#
#   bench/soak/soak.sh [--duration 20m] [--load 0.7] [--backlog 20000] [--sample 10s] [--out DIR] [--json FILE]
#
# Needs CIFAR10_DIR (the CIFAR-10 binary batches). Runs SoakIT of the reliability module through Maven (MAVEN_ARGS
# is passed on, e.g. -o); the build's short version of the same test runs for 45 s. See bench/soak/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

duration=20m load=0.7 backlog=20000 sample=10s out="" json="bench/soak/target/soak.json"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --load) load="$2"; shift 2 ;;
    --backlog) backlog="$2"; shift 2 ;;
    --sample) sample="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --json) json="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "soak: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$root/bench/lib/cifar10.sh"
require_cifar10 soak
command="bench/soak/soak.sh --duration $duration --load $load --backlog $backlog --sample $sample"
[[ "$json" == "bench/soak/target/soak.json" ]] || command+=" --json $json"
load_at_start="$(cut -d' ' -f1 /proc/loadavg)"
out="${out:-$root/bench/soak/target/run-$(date -u +%Y%m%d-%H%M%S)}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

echo "Soak for $duration at $load of the maximum rate; samples every $sample; results in $out" >&2
# -am: the test runs against this tree's modules, not whatever versions the local Maven repository holds.
status=0
mvn ${MAVEN_ARGS:-} -pl reliability -am verify -Dit.test=SoakIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false -Dsoak.duration="$duration" -Dsoak.load="$load" -Dsoak.backlog="$backlog" \
  -Dsoak.sample="$sample" -Dsoak.out="$out" > "$out/maven.log" 2>&1 || status=$?
if [[ -f "$out/summary.md" ]]; then
  cat "$out/summary.md"
  python3 bench/soak/soak-json.py "$out" --out "$json" --command "$command" --load-at-start "$load_at_start" \
    --passed "$([[ $status -eq 0 ]] && echo yes || echo no)"
else
  echo "soak: no summary was written; the end of $out/maven.log:" >&2
  tail -40 "$out/maven.log" >&2
fi
[[ $status -eq 0 ]] && echo "soak: passed" || echo "soak: FAILED (see $out/maven.log)" >&2
exit $status

#!/usr/bin/env bash
# Bad input, run alone: 10,000 generated bad frames of eight kinds (random bytes, wrong magic byte, unknown schema
# id, truncated Avro, wrong dimensions, corrupt PNG, 10-20 MiB payloads, missing fields) mixed with 2,000 CIFAR-10
# test frames, through the real broker, registry and edge consumer process in exactly-once mode. It is the build's
# BadInputIT (reliability/), here with the frame counts and the seed as options.
#
#   bench/reliability/bad-input.sh [--bad 10000] [--good 2000] [--seed 20261129] [--timeout-minutes 20]
#
# Needs CIFAR10_DIR (the CIFAR-10 binary batches) and the project venv (.venv, for OpenVINO). MAVEN_ARGS is passed to
# Maven (e.g. -o). Prints the test's summary (frames sent by kind, dead letters by stage, predictions, the device's
# exit status, durations); Maven's whole output goes to bench/reliability/target/bad-input-<time>.log.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

bad=10000 good=2000 seed=20261129 timeout_minutes=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --bad) bad="$2"; shift 2 ;;
    --good) good="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --timeout-minutes) timeout_minutes="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bad-input: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$root/bench/lib/cifar10.sh"
require_cifar10 bad-input

mkdir -p bench/reliability/target
log="bench/reliability/target/bad-input-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "bad-input: $bad bad + $good good frames, seed $seed; Maven output in $log" >&2
start=$SECONDS
status=0
# The reactor build (-am) makes the device process and the test run this tree's modules, not installed ones.
mvn ${MAVEN_ARGS:-} -pl reliability -am verify -Dit.test=BadInputIT -Dtest=none \
    -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
    -Dbadinput.bad="$bad" -Dbadinput.good="$good" -Dbadinput.seed="$seed" \
    -Dbadinput.timeout.minutes="$timeout_minutes" > "$log" 2>&1 || status=$?
grep -E '^bad input:|Tests run:.*BadInputIT|BUILD (SUCCESS|FAILURE)' "$log" || true
echo "bad-input: $((SECONDS - start)) s in all (build and local stack included), Maven exit status $status" >&2
exit "$status"

#!/usr/bin/env bash
# The long versions of the fault tests (reliability/src/test/java/dev/edgeinfer/reliability/faults): a 2-minute stream
# at 100 frames/s through the real broker, registry and apps, with
#   - an edge consumer SIGKILLed every 10 s and replaced (exactly-once and at-least-once, side by side),
#   - the broker stopped for 20 s and restarted on the same port and data,
#   - one of two analytics instances SIGKILLed and started again, compared with an uninterrupted instance,
#   - the schema registry unreachable for 30 s,
# while a simulated fleet of 1,000 devices writes 5,000 predictions/s straight to the predictions topic (--fleet-rate;
# 0 for none), so the faults meet analytics at fleet throughput, as in AnalyticsExactnessIT.
# The build runs the same tests with a 30-second stream at 50 frames/s.
#
#   bench/reliability/faults.sh [--duration PT2M] [--fps 100] [--kill-interval PT10S] [--broker-downtime PT20S]
#                               [--registry-outage PT30S] [--fleet-rate 5000]
#                               [--tests EdgeConsumerKillsIT,BrokerRestartIT,...]
#
# Needs CIFAR10_DIR (the CIFAR-10 binary batches) and the committed models. MAVEN_ARGS is passed to Maven (e.g. -o).
# Prints one table row per fault (what was tried | load | result | frames lost) and keeps the Maven output and the
# rows in bench/reliability/target/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

duration=PT2M
fps=100
fleet_rate=5000
kill_interval=PT10S
broker_downtime=PT20S
registry_outage=PT30S
tests=EdgeConsumerKillsIT,BrokerRestartIT,AnalyticsKillIT,RegistryOutageIT
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --fps) fps="$2"; shift 2 ;;
    --fleet-rate) fleet_rate="$2"; shift 2 ;;
    --kill-interval) kill_interval="$2"; shift 2 ;;
    --broker-downtime) broker_downtime="$2"; shift 2 ;;
    --registry-outage) registry_outage="$2"; shift 2 ;;
    --tests) tests="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "faults.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$root/bench/lib/cifar10.sh"
require_cifar10 faults.sh

out="bench/reliability/target"
mkdir -p "$out"
stamp="$(date -u +%Y%m%d-%H%M%S)"
log="$out/faults-$stamp.log"
rows="$out/faults-$stamp.md"
echo "Fault tests $tests: stream $duration at $fps frames/s, kill every $kill_interval, broker down $broker_downtime," \
  "registry out $registry_outage, fleet $fleet_rate predictions/s; Maven output in $log" >&2

status=0
# -am builds the apps the tests start; -Dtest=none and the it.test filter run only the fault tests.
mvn ${MAVEN_ARGS:-} -pl reliability -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test="$tests" -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dreliability.duration="$duration" -Dreliability.fps="$fps" -Dreliability.fleet-rate="$fleet_rate" -Dreliability.kill-interval="$kill_interval" \
  -Dreliability.broker-downtime="$broker_downtime" -Dreliability.registry-outage="$registry_outage" \
  > "$log" 2>&1 || status=$?

{
  echo "| what was tried | load | result | frames lost |"
  echo "|---|---|---|---|"
  grep -h '^RELIABILITY-ROW | ' "$log" | sed 's/^RELIABILITY-ROW //' || true
} | tee "$rows"
grep -E 'Tests run:|FAILURE|BUILD' "$log" | tail -n 8 >&2
exit "$status"

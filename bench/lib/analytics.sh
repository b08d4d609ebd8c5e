# Sourced by the analytics benches: builds local, producer, analytics and test-support when needed, compiles the bench's Java
# sources (bench/analytics/*.java) and defines run_analytics_bench MAIN_CLASS ARGS... .
source "$root/bench/lib/modules.sh"
require_built install local producer analytics test-support
analytics_cp="$root/analytics/target/classes:$(cat analytics/target/runtime-classpath.txt)"
bench_cp="$analytics_cp:$root/producer/target/classes:$(cat producer/target/runtime-classpath.txt)"
bench_cp+=":$root/local/target/classes:$(cat local/target/runtime-classpath.txt)"
bench_cp+=":$root/test-support/target/classes:$(cat test-support/target/runtime-classpath.txt)"
mkdir -p bench/analytics/target/classes
javac -nowarn -d bench/analytics/target/classes -cp "$bench_cp" bench/analytics/*.java

run_analytics_bench() {
  local main="$1"
  shift
  # The class path goes through the environment, so the command lines of the child JVMs stay short.
  CLASSPATH="$root/bench/analytics/target/classes:$bench_cp" exec java -Xmx1g \
    -Dlogback.configurationFile="$root/bench/producer/logback.xml" \
    -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener "$main" "$@"
}

# Sourced by the bench scripts: require_built GOAL MODULE... runs `mvn GOAL -DskipTests -pl MODULE,... -am` when any
# of the modules lacks its classes or its class path file (target/runtime-classpath.txt), so a fresh clone can run a
# bench directly. MAVEN_ARGS is passed to that build (e.g. MAVEN_ARGS=-o).
require_built() {
  local goal="$1" module
  shift
  for module in "$@"; do
    if [[ ! -f "$module/target/runtime-classpath.txt" || ! -d "$module/target/classes" ]]; then
      echo "Building $*..." >&2
      # shellcheck disable=SC2086
      mvn -q ${MAVEN_ARGS:-} "$goal" -DskipTests -pl "$(IFS=,; echo "$*")" -am >&2
      return
    fi
  done
}

# syntax=docker/dockerfile:1.7
# The analytics app (dev.edgeinfer.analytics.AnalyticsApp): Kafka Streams, HTTP API and dashboard on 7070. Build from
# the repository root:
#   docker buildx build --platform linux/amd64,linux/arm64 -f docker/analytics.Dockerfile -t edgeinfer/analytics .
# Options come from EDGEINFER_* variables or arguments (docker/bin/entrypoint); docs/deployment.md has the details.

# Build stage: the project's own Maven build, on the build machine's architecture (the jars run on any).
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl analytics -am package -DskipTests \
    && docker/bin/image-layout analytics /out/app

# Runtime stage: a JRE only, as a user without privileges. RocksDB's natives come in the rocksdbjni jar for both
# architectures.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 edgeinfer \
    && useradd --system --uid 10001 --gid edgeinfer --home-dir /app --shell /usr/sbin/nologin edgeinfer \
    && mkdir -p /var/lib/edgeinfer/streams && chown -R edgeinfer:edgeinfer /var/lib/edgeinfer
COPY --from=build /out/app /app
WORKDIR /app
USER 10001:10001
# The state stores live in this volume, so a restarted instance restores from it instead of from the changelogs.
# Memory: a fixed heap (the state is on disk behind RocksDB's bounded cache, so more heap buys nothing), native memory
# the JIT freed handed back, RocksDB's allocations in two glibc arenas; docs/deployment.md has the measurement.
ENV EDGEINFER_STATE_DIR=/var/lib/edgeinfer/streams \
    MALLOC_ARENA_MAX=2 \
    JAVA_OPTS="-Xms192m -Xmx192m -XX:TrimNativeHeapInterval=5000 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/var/lib/edgeinfer/streams"]
EXPOSE 7070
ENTRYPOINT ["/app/bin/entrypoint", "dev.edgeinfer.analytics.AnalyticsApp"]

# syntax=docker/dockerfile:1.7
# The frame producer (dev.edgeinfer.producer.FrameProducerApp). Build from the repository root:
#   docker buildx build --platform linux/amd64,linux/arm64 -f docker/producer.Dockerfile -t edgeinfer/producer .
# Options come from EDGEINFER_* variables or arguments (docker/bin/entrypoint); docs/deployment.md has the details.

# Build stage: the project's own Maven build, on the build machine's architecture (the jars run on any).
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl producer -am package -DskipTests \
    && docker/bin/image-layout producer /out/app

# Runtime stage: a JRE only, as a user without privileges.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 edgeinfer \
    && useradd --system --uid 10001 --gid edgeinfer --home-dir /app --shell /usr/sbin/nologin edgeinfer \
    && mkdir -p /var/lib/edgeinfer/cifar10 && chown -R edgeinfer:edgeinfer /var/lib/edgeinfer
COPY --from=build /out/app /app
WORKDIR /app
USER 10001:10001
# The CIFAR-10 batches are read from (or downloaded once into) this volume.
ENV CIFAR10_DIR=/var/lib/edgeinfer/cifar10 \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/var/lib/edgeinfer/cifar10"]
ENTRYPOINT ["/app/bin/entrypoint", "dev.edgeinfer.producer.FrameProducerApp"]

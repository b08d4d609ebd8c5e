# syntax=docker/dockerfile:1.7
# The edge device process (dev.edgeinfer.edge.EdgeConsumerApp) with OpenVINO, ONNX Runtime and LiteRT, for linux/amd64 and
# linux/arm64 (64-bit Raspberry Pi OS). Build from the repository root:
#   docker buildx build --platform linux/amd64,linux/arm64 -f docker/edge-consumer.Dockerfile -t edgeinfer/edge-consumer .
# Options come from EDGEINFER_* variables or arguments (docker/bin/entrypoint); docs/deployment.md has the details.

# OpenVINO's natives for the target architecture, from the pinned wheel (the version of model/requirements-runtime.txt
# and of OpenVinoLibrary.PINNED_VERSION, whose C ABI the JNA binding follows). Only the wheel's files are used, not
# Python: pip downloads it on the build machine for the target's platform tag.
FROM --platform=$BUILDPLATFORM python:3.12-slim AS openvino
ARG TARGETARCH
ARG OPENVINO_VERSION=2026.4.1
RUN case "$TARGETARCH" in \
        amd64) platform=manylinux_2_28_x86_64 ;; \
        arm64) platform=manylinux_2_35_aarch64 ;; \
        *) echo "no openvino wheel for $TARGETARCH; build for linux/amd64 or linux/arm64" >&2; exit 1 ;; \
    esac \
    && pip download --no-deps --only-binary=:all: --platform "$platform" --python-version 3.12 --implementation cp \
        "openvino==${OPENVINO_VERSION}" -d /wheel \
    && python -c "import glob, zipfile; wheel = zipfile.ZipFile(glob.glob('/wheel/openvino-*.whl')[0]); \
[wheel.extract(name, '/wheel/unpacked') for name in wheel.namelist() if name.startswith('openvino/libs/')]"

# LiteRT's library for the target architecture, from the pinned wheel (the version of model/requirements-runtime.txt and
# of LiteRtLibrary.PINNED_VERSION, which the binding checks against the wheel's METADATA at load). Only libLiteRt.so
# and the METADATA are used, not Python.
FROM --platform=$BUILDPLATFORM python:3.12-slim AS litert
ARG TARGETARCH
ARG LITERT_VERSION=2.3.0
RUN case "$TARGETARCH" in \
        amd64) platform=manylinux_2_27_x86_64 ;; \
        arm64) platform=manylinux_2_27_aarch64 ;; \
        *) echo "no ai-edge-litert wheel for $TARGETARCH; build for linux/amd64 or linux/arm64" >&2; exit 1 ;; \
    esac \
    && pip download --no-deps --only-binary=:all: --platform "$platform" --python-version 3.12 --implementation cp \
        "ai-edge-litert==${LITERT_VERSION}" -d /wheel \
    && python -c "import glob, zipfile; wheel = zipfile.ZipFile(glob.glob('/wheel/ai_edge_litert-*.whl')[0]); \
[wheel.extract(name, '/wheel/unpacked') for name in wheel.namelist() \
 if name == 'ai_edge_litert/libLiteRt.so' or name.endswith('.dist-info/METADATA')]"

# Build stage: the project's own Maven build, on the build machine's architecture (the jars run on any; ONNX Runtime's
# and JNA's jars carry their linux-x64 and linux-aarch64 natives).
FROM --platform=$BUILDPLATFORM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
COPY --from=openvino /wheel/unpacked/openvino/libs /openvino-libs
COPY --from=litert /wheel/unpacked /litert-wheel
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -pl edge-consumer -am package -DskipTests \
    && docker/bin/image-layout edge-consumer /out/app --openvino-libs /openvino-libs \
        --litert-package /litert-wheel/ai_edge_litert

# Runtime stage: a JRE only, as a user without privileges. The entry point sets OPENVINO_LIB_DIR to /app/openvino and
# LITERT_LIB_DIR to /app/litert.
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 edgeinfer \
    && useradd --system --uid 10001 --gid edgeinfer --home-dir /app --shell /usr/sbin/nologin edgeinfer
COPY --from=build /out/app /app
WORKDIR /app
USER 10001:10001
# The Prometheus endpoint gets a fixed port in a container (the app's own default picks a free one). The JVM hands the
# native memory its JIT compiler freed back to the system every 5 s (docs/deployment.md: about 30 MB resident less).
# It runs under SCHED_BATCH (docker/bin/entrypoint): the inference thread is not preempted by every wake-up of the
# consumer's other threads (docs/deployment.md).
ENV EDGEINFER_METRICS_PORT=9400 \
    CPU_SCHEDULING=batch \
    JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=5000"
EXPOSE 9400
ENTRYPOINT ["/app/bin/entrypoint", "dev.edgeinfer.edge.EdgeConsumerApp"]

package dev.edgeinfer.edge.engine;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;

/**
 * How to build an engine. {@link #fromProperties(Properties)} reads the keys below and fills the defaults with
 * {@code putIfAbsent}, so a properties file needs only what differs.
 *
 * @param engine                 the runtime
 * @param modelsDir              the folder holding {@code manifest.json}
 * @param artifactId             which artifact of the manifest to load, e.g. {@code openvino-int8}
 * @param device                 OpenVINO: {@code CPU}, {@code GPU}, {@code NPU}, {@code AUTO}; ONNX Runtime:
 *                               {@code CPU} or {@code CUDA}; LiteRT: {@code CPU} or {@code GPU}
 * @param performanceHint        OpenVINO {@code PERFORMANCE_HINT}: {@code LATENCY} or {@code THROUGHPUT}
 * @param numStreams             OpenVINO {@code NUM_STREAMS}; empty lets the hint decide
 * @param inferencePrecisionHint OpenVINO {@code INFERENCE_PRECISION_HINT} ({@code f32}, {@code bf16},
 *                               {@code f16}); empty lets the device decide
 * @param numThreads             LiteRT: the threads XNNPACK (the CPU accelerator) runs each compiled model on; empty
 *                               leaves LiteRT's default
 * @param requestsInFlight       batches the engine runs at once
 * @param maxBatch               frames per batch at most
 * @param topK                   classes reported per frame
 */
public record EngineConfig(EngineKind engine, Path modelsDir, String artifactId, String device,
                           String performanceHint, OptionalInt numStreams, Optional<String> inferencePrecisionHint,
                           OptionalInt numThreads, int requestsInFlight, int maxBatch, int topK) {
    public static final String ENGINE = "engine";
    public static final String MODELS_DIR = "engine.models.dir";
    public static final String ARTIFACT = "engine.artifact";
    public static final String DEVICE = "engine.device";
    public static final String PERFORMANCE_HINT = "engine.performance.hint";
    public static final String NUM_STREAMS = "engine.num.streams";
    public static final String INFERENCE_PRECISION_HINT = "engine.inference.precision.hint";
    public static final String NUM_THREADS = "engine.num.threads";
    public static final String REQUESTS_IN_FLIGHT = "engine.requests.in.flight";
    public static final String MAX_BATCH = "engine.max.batch";
    public static final String TOP_K = "engine.top.k";

    private static final Set<String> HINTS = Set.of("LATENCY", "THROUGHPUT", "CUMULATIVE_THROUGHPUT");

    public EngineConfig {
        if (requestsInFlight < 1 || maxBatch < 1 || topK < 1) {
            throw new IllegalArgumentException("requests in flight, max batch and top-k must be at least 1");
        }
        if (!HINTS.contains(performanceHint)) {
            throw new IllegalArgumentException(PERFORMANCE_HINT + " must be one of " + HINTS + ", is "
                    + performanceHint);
        }
        if (numStreams.isPresent() && numStreams.getAsInt() < 1) {
            throw new IllegalArgumentException(NUM_STREAMS + " must be at least 1");
        }
        if (numThreads.isPresent() && numThreads.getAsInt() < 1) {
            throw new IllegalArgumentException(NUM_THREADS + " must be at least 1");
        }
    }

    /**
     * @param otherModelsDir the models folder of another artifact
     * @param otherArtifact  its id in that folder's manifest
     * @return these settings for that artifact: the same engine, device and batching
     */
    public EngineConfig withArtifact(Path otherModelsDir, String otherArtifact) {
        return new EngineConfig(engine, otherModelsDir, otherArtifact, device, performanceHint, numStreams,
                inferencePrecisionHint, numThreads, requestsInFlight, maxBatch, topK);
    }

    /**
     * @return the defaults: OpenVINO on the CPU, the INT8 IR from {@code models/}, latency hint, two requests in
     *         flight, batches of up to 32, top-3
     */
    public static Properties defaults() {
        Properties defaults = new Properties();
        defaults.setProperty(ENGINE, EngineKind.OPENVINO.configName());
        defaults.setProperty(MODELS_DIR, "models");
        defaults.setProperty(ARTIFACT, "openvino-int8");
        defaults.setProperty(DEVICE, "CPU");
        defaults.setProperty(PERFORMANCE_HINT, "LATENCY");
        defaults.setProperty(REQUESTS_IN_FLIGHT, "2");
        defaults.setProperty(MAX_BATCH, "32");
        defaults.setProperty(TOP_K, "3");
        return defaults;
    }

    /**
     * @param properties the settings; not modified
     * @return the config, defaults filled in
     * @throws IllegalArgumentException naming the key whose value is invalid
     */
    public static EngineConfig fromProperties(Properties properties) {
        Properties p = new Properties();
        p.putAll(properties);
        defaults().forEach(p::putIfAbsent);
        String streams = p.getProperty(NUM_STREAMS, "").trim();
        String precision = p.getProperty(INFERENCE_PRECISION_HINT, "").trim();
        String threads = p.getProperty(NUM_THREADS, "").trim();
        return new EngineConfig(
                EngineKind.fromConfig(p.getProperty(ENGINE)),
                Path.of(p.getProperty(MODELS_DIR)),
                p.getProperty(ARTIFACT).trim(),
                p.getProperty(DEVICE).trim().toUpperCase(Locale.ROOT),
                p.getProperty(PERFORMANCE_HINT).trim().toUpperCase(Locale.ROOT),
                streams.isEmpty() ? OptionalInt.empty() : OptionalInt.of(integer(p, NUM_STREAMS)),
                precision.isEmpty() ? Optional.empty() : Optional.of(precision.toLowerCase(Locale.ROOT)),
                threads.isEmpty() ? OptionalInt.empty() : OptionalInt.of(integer(p, NUM_THREADS)),
                integer(p, REQUESTS_IN_FLIGHT),
                integer(p, MAX_BATCH),
                integer(p, TOP_K));
    }

    private static int integer(Properties p, String key) {
        String value = p.getProperty(key).trim();
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, is '" + value + "'", e);
        }
    }
}

package dev.edgeinfer.schemas.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The topics of the pipeline, defined once for the apps, the local stack and the tests.
 *
 * <p>Frames and predictions use {@code LogAppendTime}: the broker stamps both, so end-to-end latency
 * (prediction timestamp minus frame timestamp) is measured on one clock, the broker's, whatever the clocks of the
 * cameras and edge devices say.
 */
public final class Topics {

    /** Image frames published by producers (key: frame id or producer id). */
    public static final String FRAMES = "edge.frames.v1";
    /** Predictions published by edge consumers (key: frame id). */
    public static final String PREDICTIONS = "edge.predictions.v1";
    /** Periodic device heartbeats (key: device id; compacted, so the latest state of each device is kept). */
    public static final String HEARTBEATS = "edge.heartbeats.v1";
    /** Records that could not be processed, with the original bytes untouched and the reason. */
    public static final String DEAD_LETTERS = "edge.dead-letters.v1";

    /**
     * Which model artifact each device type, or a cohort of its devices, should run (key: the target, see
     * {@code ModelAssignment}; compacted, so the assignment in force per target is kept for good).
     */
    public static final String MODELS = "edge.models.v1";
    /**
     * The files of the artifacts the models topic assigns, in chunks (key: {@code <file sha256>/<index>}; compacted, so
     * a file published again replaces its own chunks and nothing else expires).
     */
    public static final String MODEL_CHUNKS = "edge.model-chunks.v1";
    /** What each canary came to, promoted or rolled back, with its figures (key: device type). */
    public static final String MODEL_DECISIONS = "edge.model-decisions.v1";
    /** Bytes of a file per model chunk: well under the 1 MiB that brokers accept by default. */
    public static final int MODEL_CHUNK_BYTES = 512 * 1024;

    /**
     * Largest frame record the frames topic accepts ({@code max.message.bytes}, 16 MiB): room for a 10 MB image file,
     * where Kafka's default is 1 MiB. Producers must raise their {@code max.request.size} to send frames over 1 MiB.
     */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    /**
     * Largest dead letter the dead-letters topic accepts: a frame of {@link #MAX_FRAME_BYTES} kept untouched, plus its
     * key, the reason and the other fields. Writers of dead letters set their {@code max.request.size} to this.
     */
    public static final int MAX_DEAD_LETTER_BYTES = MAX_FRAME_BYTES + 1024 * 1024;

    public static final int DEFAULT_PARTITIONS = 3;
    public static final short DEFAULT_REPLICATION_FACTOR = 1;

    private static final String LOG_APPEND_TIME = "LogAppendTime";

    private Topics() {
    }

    /** All topics of the pipeline with the given layout. */
    public static List<TopicSpec> all(int partitions, short replicationFactor) {
        String minInsync = Integer.toString(Math.min(2, replicationFactor));
        return List.of(
                new TopicSpec(FRAMES, partitions, replicationFactor, Map.of(
                        "message.timestamp.type", LOG_APPEND_TIME,
                        "retention.ms", Long.toString(Duration.ofDays(1).toMillis()),
                        "min.insync.replicas", minInsync,
                        "max.message.bytes", Integer.toString(MAX_FRAME_BYTES))),
                new TopicSpec(PREDICTIONS, partitions, replicationFactor, Map.of(
                        "message.timestamp.type", LOG_APPEND_TIME,
                        "retention.ms", Long.toString(Duration.ofDays(7).toMillis()),
                        "min.insync.replicas", minInsync)),
                new TopicSpec(HEARTBEATS, partitions, replicationFactor, Map.of(
                        "cleanup.policy", "compact,delete",
                        "retention.ms", Long.toString(Duration.ofDays(1).toMillis()),
                        "min.insync.replicas", minInsync)),
                new TopicSpec(DEAD_LETTERS, partitions, replicationFactor, Map.of(
                        "retention.ms", Long.toString(Duration.ofDays(14).toMillis()),
                        "min.insync.replicas", minInsync,
                        "max.message.bytes", Integer.toString(MAX_DEAD_LETTER_BYTES))),
                // One partition each: few records, read whole by every device, and the order of a target's assignments
                // is the order they were published in.
                new TopicSpec(MODELS, 1, replicationFactor, Map.of(
                        "cleanup.policy", "compact",
                        "min.insync.replicas", minInsync)),
                new TopicSpec(MODEL_CHUNKS, 1, replicationFactor, Map.of(
                        "cleanup.policy", "compact",
                        "min.insync.replicas", minInsync)),
                // The record of every decision, kept a year: who promoted what, on which figures.
                new TopicSpec(MODEL_DECISIONS, 1, replicationFactor, Map.of(
                        "retention.ms", Long.toString(Duration.ofDays(365).toMillis()),
                        "min.insync.replicas", minInsync)));
    }

    /**
     * The pipeline's topic of that name, with the default layout.
     *
     * @throws IllegalArgumentException if the pipeline has no such topic
     */
    public static TopicSpec spec(String name) {
        return all().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the pipeline has no topic " + name));
    }

    /** All topics with the default layout of a single-broker stack. */
    public static List<TopicSpec> all() {
        return all(DEFAULT_PARTITIONS, DEFAULT_REPLICATION_FACTOR);
    }
}

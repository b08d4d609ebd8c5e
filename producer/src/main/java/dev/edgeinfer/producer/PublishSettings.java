package dev.edgeinfer.producer;

import dev.edgeinfer.producer.rate.SendPlan;
import java.time.Duration;
import java.util.Objects;

/**
 * How one run publishes.
 *
 * @param topic      topic to publish to
 * @param producerId id of this producer (camera or replay process); part of every frame id
 * @param runId      id of this run, so frame ids never repeat across runs of the same producer
 * @param key        what records are keyed by
 * @param plan       when frames are due
 * @param count      stop after this many frames sent; 0 for no limit
 * @param duration   stop once the next frame would be due this long after the start (paced) or this long has
 *                   passed (unpaced); null for no limit
 * @param loop       start the source over when it is exhausted
 * @param shuffle    send each pass over the source in a random order
 * @param seed       seed of that order, so a shuffled run can be repeated
 * @param strict     check every image before the first send and stop at the first bad one, instead of skipping it
 */
public record PublishSettings(String topic, String producerId, String runId, KeyChoice key, SendPlan plan, long count,
                              Duration duration, boolean loop, boolean shuffle, long seed, boolean strict) {

    public PublishSettings {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(producerId, "producerId");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(plan, "plan");
        if (producerId.isBlank()) {
            throw new IllegalArgumentException("producer id must not be blank");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 (no limit) or positive: " + count);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (loop && count == 0 && duration == null) {
            throw new IllegalArgumentException("--loop needs --count or --duration, or it would never end");
        }
    }

    /** The id of frame {@code sequence} of this run: {@code <producerId>-<runId>-<sequence>}. */
    public String frameId(long sequence) {
        return producerId + "-" + runId + "-" + sequence;
    }
}

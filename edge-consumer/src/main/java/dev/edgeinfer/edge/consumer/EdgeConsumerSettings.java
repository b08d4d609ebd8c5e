package dev.edgeinfer.edge.consumer;

import java.time.Duration;
import java.util.Objects;

/**
 * What a device's consumer loop needs besides its clients and engine.
 *
 * @param deviceId          unique id of this device in the fleet; also the stem of its transactional id
 * @param deviceType        the type analytics group by, e.g. {@code openvino-cpu-int8}
 * @param delivery          exactly-once or at-least-once
 * @param batching          when frames go to the engine and what was written is committed
 * @param flushFrames       frames waiting that trigger inference at once (a few batches, so every request in flight has work)
 * @param maxWait           longest a received frame waits for others before inference starts anyway
 * @param commitInterval    longest between commits (with {@link Batching#FIXED}, how often): the transaction
 *                          (exactly-once) stays open across flushes until then, or the offsets (at-least-once) wait for
 *                          it, as Kafka Streams' {@code commit.interval.ms}
 * @param heartbeatInterval how often a heartbeat is published
 * @param framesTopic       topic read
 * @param predictionsTopic  topic written
 * @param deadLettersTopic  topic for frames that cannot be classified
 * @param heartbeatsTopic   topic for heartbeats
 */
public record EdgeConsumerSettings(String deviceId, String deviceType, DeliveryMode delivery, Batching batching,
                                   int flushFrames, Duration maxWait,
                                   Duration commitInterval, Duration heartbeatInterval, String framesTopic, String predictionsTopic,
                                   String deadLettersTopic, String heartbeatsTopic) {

    public EdgeConsumerSettings {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(deviceType, "deviceType");
        Objects.requireNonNull(batching, "batching");
        if (flushFrames < 1) {
            throw new IllegalArgumentException("flushFrames must be at least 1: " + flushFrames);
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must not be negative: " + commitInterval);
        }
    }

    /**
     * The consumer group of a device type. Every device type has its own group, so every type sees every frame
     * (comparison mode); devices of one type share it and split the partitions (fleet mode).
     */
    public static String defaultGroupId(String deviceType) {
        return "edge-" + deviceType;
    }
}

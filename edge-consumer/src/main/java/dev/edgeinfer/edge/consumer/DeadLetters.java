package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.DeadLetter;
import dev.edgeinfer.avro.FailureStage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a device's dead letters: the frame's record untouched (key and value as read), its coordinates, the stage that
 * failed and the reason, with the device that failed it. When even that cannot be written (the frame came compressed
 * and is larger than the dead-letters topic takes, or the topic's limit is small), a {@linkplain #truncated truncated}
 * dead letter keeps the coordinates and the reason only, so the frame can still be found and read where it is.
 */
final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    /** Longest reason a truncated dead letter keeps, in characters. */
    static final int TRUNCATED_REASON_CHARS = 2_000;

    private final EdgeConsumerSettings settings;
    private final Clock clock;
    private final long valueLimit;

    /**
     * @param valueLimit largest frame (key and value) a dead letter carries whole; a larger one is named by its
     *                   coordinates
     */
    DeadLetters(EdgeConsumerSettings settings, Clock clock, long valueLimit) {
        this.settings = settings;
        this.clock = clock;
        this.valueLimit = valueLimit;
    }

    /** The dead letter of a frame: its record as read, the stage that failed and why. */
    Output of(ConsumerRecord<byte[], ByteBuffer> record, String frameId, FailureStage stage, Throwable error) {
        // A record over the limit (over the frames topic's: an operator raised it, or it came compressed on the wire; or
        // too large for this device's heap to copy) is named, not copied.
        int keySize = Math.max(0, record.serializedKeySize());
        boolean keepKey = keySize <= valueLimit;
        boolean keepValue = keySize + Math.max(0, record.serializedValueSize()) <= valueLimit;
        String reason = stage + " failed " + (frameId == null ? "" : "for frame " + FrameDecoder.shortened(frameId) + " ")
                + "at " + where(record) + " on device " + settings.deviceId() + ": " + error.getMessage()
                + (keepValue ? "" : "; its value (" + record.serializedValueSize() + " bytes) is not copied here, as with its key"
                        + " it exceeds the dead-letter limit of " + valueLimit + " bytes: read it at " + where(record));
        log.warn("{}", reason);
        String shortId = frameId == null ? null : FrameDecoder.shortened(frameId);
        DeadLetter letter = letter(record, shortId, stage, error.getClass().getName(), reason)
                .setOriginalKey(record.key() == null || !keepKey ? null : ByteBuffer.wrap(record.key()))
                .setOriginalValue(record.value() == null || !keepValue ? null : record.value().duplicate())
                .build();
        return new Output(settings.deadLettersTopic(), keyOf(shortId, record), letter, record, frameId);
    }

    /**
     * The smallest dead letter of a frame: its coordinates, a shortened frame id and the reason (cut to
     * {@value #TRUNCATED_REASON_CHARS} characters), without its key and value, which stay readable at their offset.
     *
     * @param failed the output that could not be written in its place
     * @param why    why it could not be written
     */
    Output truncated(Output failed, String why) {
        ConsumerRecord<byte[], ByteBuffer> record = failed.frame();
        String earlier = failed.value() instanceof DeadLetter letter ? letter.getReason() : "";
        String reason = "frame at " + where(record) + " on device " + settings.deviceId() + ": " + why
                + (earlier.isEmpty() ? "" : "; the dead letter said: " + earlier);
        if (reason.length() > TRUNCATED_REASON_CHARS) {
            reason = reason.substring(0, TRUNCATED_REASON_CHARS - 1) + "…";
        }
        log.warn("truncated dead letter: {}", reason);
        FailureStage stage = failed.value() instanceof DeadLetter letter ? letter.getStage() : FailureStage.PUBLISH;
        String errorClass = failed.value() instanceof DeadLetter letter ? letter.getErrorClass()
                : UnwritableOutputException.class.getName();
        String frameId = failed.frameId() == null ? null : FrameDecoder.shortened(failed.frameId());
        return new Output(settings.deadLettersTopic(), keyOf(frameId, record),
                letter(record, frameId, stage, errorClass, reason).build(), record, frameId);
    }

    private DeadLetter.Builder letter(ConsumerRecord<byte[], ByteBuffer> record, String frameId, FailureStage stage,
                                      String errorClass, String reason) {
        return DeadLetter.newBuilder()
                .setOriginalTopic(record.topic())
                .setOriginalPartition(record.partition())
                .setOriginalOffset(record.offset())
                .setOriginalTimestamp(record.timestamp() >= 0 ? Instant.ofEpochMilli(record.timestamp()) : null)
                .setOriginalKey(null)
                .setOriginalValue(null)
                .setFrameId(frameId)
                .setStage(stage)
                .setErrorClass(errorClass)
                .setReason(reason)
                .setDeviceId(settings.deviceId())
                .setDeviceType(settings.deviceType())
                .setTime(clock.instant());
    }

    /**
     * A dead letter's key: its frame's id or, for a frame not decoded far enough to know it, the frame's coordinates, so
     * every dead letter has a key (a compacted dead-letters topic refuses records without one).
     */
    private static String keyOf(String frameId, ConsumerRecord<?, ?> record) {
        return frameId != null ? frameId : where(record);
    }

    /** True for a dead letter without the frame's key and value: nothing smaller can be written for its frame. */
    static boolean isTruncated(Output output) {
        return output.value() instanceof DeadLetter letter && letter.getOriginalKey() == null && letter.getOriginalValue() == null;
    }

    static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}

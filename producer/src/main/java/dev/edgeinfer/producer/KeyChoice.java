package dev.edgeinfer.producer;

import java.util.Locale;

/** What a frame record is keyed by, which decides its partition. */
public enum KeyChoice {
    /** The frame id: frames spread evenly over all partitions and consumers; no order between frames. */
    FRAME_ID,
    /** The producer id: all frames of one producer (one camera) go to one partition and are consumed in order. */
    PRODUCER_ID;

    /** {@code frame-id} or {@code producer-id}. */
    public static KeyChoice parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "frame-id" -> FRAME_ID;
            case "producer-id" -> PRODUCER_ID;
            default -> throw new IllegalArgumentException("key must be frame-id or producer-id: " + text);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

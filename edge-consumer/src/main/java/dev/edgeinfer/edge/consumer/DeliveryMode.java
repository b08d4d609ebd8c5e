package dev.edgeinfer.edge.consumer;

import java.util.Locale;

/** How predictions and consumed offsets are written together. */
public enum DeliveryMode {
    /**
     * Predictions, dead letters and the consumed offsets are committed in one Kafka transaction: a frame gets exactly
     * one prediction for {@code read_committed} readers, whatever crashes.
     */
    EXACTLY_ONCE,
    /** Predictions are acknowledged before offsets are committed: no frame is lost, a crash may repeat some. */
    AT_LEAST_ONCE;

    public static DeliveryMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "exactly-once", "eos" -> EXACTLY_ONCE;
            case "at-least-once", "alos" -> AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("delivery mode must be exactly-once or at-least-once, is '" + text + "'");
        };
    }
}

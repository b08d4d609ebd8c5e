package dev.edgeinfer.edge.consumer;

import java.util.Locale;

/** When the loop hands frames to the engine and commits what it wrote. */
public enum Batching {
    /**
     * As dynamic batchers in serving stacks: frames wait for others only while more are already fetched or the engine
     * is busy; once the fetch is drained and the engine idle they go at once, however few. A batch grows with the load,
     * up to the engine's maximum. What was written is committed as soon as the loop has nothing else to do, and at the
     * latest every commit interval.
     */
    ADAPTIVE,
    /**
     * Frames wait until a flush's worth has arrived or the oldest has waited the longest wait; commits come every
     * commit interval only. Fewer, fuller batches and commits at low load, at the cost of up to the longest wait plus the
     * commit interval of latency.
     */
    FIXED;

    public static Batching parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "adaptive" -> ADAPTIVE;
            case "fixed" -> FIXED;
            default -> throw new IllegalArgumentException("batching must be adaptive or fixed, is '" + text + "'");
        };
    }
}

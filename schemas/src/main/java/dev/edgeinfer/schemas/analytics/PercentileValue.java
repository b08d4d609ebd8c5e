package dev.edgeinfer.schemas.analytics;

/**
 * One percentile of a latency distribution, or why it is not reported.
 *
 * @param name          e.g. {@code p99.9}
 * @param percentile    e.g. 99.9
 * @param micros        the value in microseconds; null when the samples do not support it
 * @param verdict       {@code ok} or {@code insufficient samples}
 * @param samplesNeeded samples this percentile needs (see the percentile rule)
 */
public record PercentileValue(String name, double percentile, Long micros, String verdict, long samplesNeeded) {

    public static final String OK = "ok";
    public static final String INSUFFICIENT = "insufficient samples";
}

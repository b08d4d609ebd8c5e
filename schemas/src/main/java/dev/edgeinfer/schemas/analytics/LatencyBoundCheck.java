package dev.edgeinfer.schemas.analytics;

/**
 * A window's end-to-end latency judged against its device type's bound ({@code analytics.latency.bound}).
 *
 * @param percentile     the bound's percentile, e.g. 99.0
 * @param boundMillis    the most the latency at that percentile may be, in milliseconds
 * @param observedMillis the window's end-to-end latency at that percentile in milliseconds; null when the samples do not
 *                       support it
 * @param samples        end-to-end samples of the window
 * @param samplesNeeded  samples the percentile needs (the percentile rule)
 * @param verdict        VALID, INVALID or INSUFFICIENT_SAMPLES
 */
public record LatencyBoundCheck(double percentile, double boundMillis, Double observedMillis, long samples,
                                long samplesNeeded, LatencyBoundVerdict verdict) {
}

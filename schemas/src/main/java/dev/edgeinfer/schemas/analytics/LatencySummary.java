package dev.edgeinfer.schemas.analytics;

import java.util.List;

/**
 * A latency distribution of one window.
 *
 * @param samples     number of samples
 * @param minMicros   smallest sample, 0 when none
 * @param maxMicros   largest sample, 0 when none; always reported, being exact
 * @param percentiles p50, p90, p95, p99 and p99.9, each with its verdict
 */
public record LatencySummary(long samples, long minMicros, long maxMicros, List<PercentileValue> percentiles) {

    /** The percentile named {@code name}, e.g. {@code p99}. */
    public PercentileValue percentile(String name) {
        return percentiles.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No percentile " + name));
    }
}

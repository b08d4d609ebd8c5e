package dev.edgeinfer.schemas.analytics;

import java.util.List;

/**
 * When a percentile means something: p is reported only when at least {@value #MIN_TAIL_SAMPLES} samples lie at or
 * beyond it, i.e. {@code n * (1 - p) >= 10}. So p50 needs 20 samples, p90 100, p95 200, p99 1000 and p99.9 10000
 * (the rule MLPerf's minimum query counts follow); below that the answer is "insufficient samples", never a p99 that
 * is really the maximum of 20 frames.
 */
public final class PercentileRule {

    /** Samples that must lie at or beyond a reported percentile. */
    public static final int MIN_TAIL_SAMPLES = 10;

    /** The percentiles reported for every latency distribution. */
    public static final List<Double> REPORTED = List.of(50.0, 90.0, 95.0, 99.0, 99.9);

    private PercentileRule() {
    }

    /**
     * The smallest sample count that supports {@code percentile}: {@code ceil(10 / (1 - p))}, computed in whole
     * millionths so that p90 needs exactly 100, not 101 through a rounding error.
     *
     * @throws IllegalArgumentException if {@code percentile} is not in [0, 100)
     */
    public static long samplesNeeded(double percentile) {
        if (!(percentile >= 0 && percentile < 100)) {
            throw new IllegalArgumentException("Percentile must be in [0, 100): " + percentile);
        }
        long tailPerMillion = Math.round((100.0 - percentile) * 10_000);
        long numerator = MIN_TAIL_SAMPLES * 1_000_000L;
        return (numerator + tailPerMillion - 1) / tailPerMillion;
    }

    /** Whether {@code samples} support {@code percentile}. */
    public static boolean supports(long samples, double percentile) {
        return samples >= samplesNeeded(percentile);
    }
}

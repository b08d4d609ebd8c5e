package dev.edgeinfer.producer.fleet;

import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * A log-normal latency, given by its median and 99th percentile: the shape measured latencies of inference and of
 * network hops usually have (most values near the median, a long tail to the right, never below zero).
 *
 * @param medianMicros the median, in microseconds; positive
 * @param p99Micros    the 99th percentile, in microseconds; at least the median
 */
public record LatencyDistribution(double medianMicros, double p99Micros) {

    /** The standard normal's 99th percentile: p99 = median * exp(Z99 * sigma). */
    private static final double Z99 = 2.3263478740408408;

    public LatencyDistribution {
        if (!(medianMicros > 0) || Double.isInfinite(medianMicros)) {
            throw new IllegalArgumentException("a latency median must be a positive number of microseconds: " + medianMicros);
        }
        if (!(p99Micros >= medianMicros) || Double.isInfinite(p99Micros)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "a latency p99 (%.3f ms) must be at least its median (%.3f ms)", p99Micros / 1000, medianMicros / 1000));
        }
    }

    /** A distribution from milliseconds, as the command line takes them. */
    public static LatencyDistribution ofMillis(double medianMillis, double p99Millis) {
        return new LatencyDistribution(medianMillis * 1000, p99Millis * 1000);
    }

    /** One latency drawn from the distribution, in whole microseconds (at least 1). */
    public long sampleMicros(RandomGenerator random) {
        double sigma = Math.log(p99Micros / medianMicros) / Z99;
        return Math.max(1, Math.round(medianMicros * Math.exp(sigma * random.nextGaussian())));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "median %.3f ms, p99 %.3f ms", medianMicros / 1000, p99Micros / 1000);
    }
}

package dev.edgeinfer.producer.rate;

import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * How far sends fell behind the plan: a histogram of each frame's lag at the moment it was handed to Kafka, plus the
 * lag of the latest frame. Used by the sending thread only; {@link #snapshot()} is safe from other threads.
 */
public final class LagRecorder {

    private static final long MAX_TRACKABLE_MICROS = Duration.ofHours(24).toNanos() / 1000;

    private final Histogram micros = new Histogram(MAX_TRACKABLE_MICROS, 3);
    private volatile long latestNanos;

    /** Records the lag of one frame. */
    public void record(long lagNanos) {
        latestNanos = lagNanos;
        synchronized (micros) {
            micros.recordValue(Math.min(MAX_TRACKABLE_MICROS, lagNanos / 1000));
        }
    }

    /** The lag figures so far. */
    public LagStats snapshot() {
        synchronized (micros) {
            if (micros.getTotalCount() == 0) {
                return LagStats.NONE;
            }
            return new LagStats(ofMicros(micros.getValueAtPercentile(50)), ofMicros(micros.getValueAtPercentile(99)),
                    ofMicros(micros.getMaxValue()), Duration.ofNanos(latestNanos));
        }
    }

    private static Duration ofMicros(long value) {
        return Duration.ofNanos(value * 1000);
    }

    /**
     * Lag behind the plan.
     *
     * @param median the median frame's lag
     * @param p99    the 99th percentile
     * @param max    the worst frame's lag
     * @param latest the latest frame's lag: above zero at the end means the run finished behind its plan
     */
    public record LagStats(Duration median, Duration p99, Duration max, Duration latest) {
        public static final LagStats NONE = new LagStats(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
}

package dev.edgeinfer.analytics.stats;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in microseconds, kept as an HdrHistogram with 3 significant digits so that windows and
 * instances merge exactly (adding histograms loses nothing, unlike averaging percentiles).
 *
 * <p>The histogram resizes itself to the largest value seen, which keeps slices of fast devices small; values above
 * {@link #HIGHEST_TRACKABLE_MICROS} (one hour) are recorded as one hour.
 *
 * <p>Percentiles use the nearest-rank definition and report the lowest value of the histogram bucket holding that
 * sample: exact below 2048 µs, and within 0.1% above.
 */
public final class LatencyHistogram {

    /** Values above one hour are clamped to it. */
    public static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);
    static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram;

    /** An empty distribution. */
    public LatencyHistogram() {
        this(newHistogram());
    }

    private LatencyHistogram(Histogram histogram) {
        this.histogram = histogram;
    }

    private static Histogram newHistogram() {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        histogram.setAutoResize(true);
        return histogram;
    }

    /**
     * Records one latency.
     *
     * @throws IllegalArgumentException if {@code micros} is negative
     */
    public void record(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("Latency must not be negative: " + micros);
        }
        histogram.recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
    }

    /** Adds every sample of {@code other}; exact. */
    public void merge(LatencyHistogram other) {
        if (other.count() > 0) {
            histogram.add(other.histogram);
        }
    }

    /** Number of samples. */
    public long count() {
        return histogram.getTotalCount();
    }

    /**
     * Nearest-rank percentile.
     *
     * @param percentile in (0, 100]
     * @return the value, or 0 when the histogram is empty
     */
    public long valueAtPercentile(double percentile) {
        if (count() == 0) {
            return 0;
        }
        return histogram.lowestEquivalentValue(histogram.getValueAtPercentile(percentile));
    }

    /** Largest sample (to the histogram's resolution), or 0 when empty. */
    public long max() {
        return count() == 0 ? 0 : histogram.lowestEquivalentValue(histogram.getMaxValue());
    }

    /** Smallest sample (to the histogram's resolution), or 0 when empty. */
    public long min() {
        return count() == 0 ? 0 : histogram.getMinValue();
    }

    /** Compressed HdrHistogram encoding; an empty histogram is zero bytes. */
    public byte[] encode() {
        if (count() == 0) {
            return new byte[0];
        }
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        byte[] bytes = new byte[length];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }

    /**
     * Reads what {@link #encode()} wrote.
     *
     * @throws IllegalArgumentException if the bytes are not a compressed histogram
     */
    public static LatencyHistogram decode(byte[] bytes) {
        if (bytes.length == 0) {
            return new LatencyHistogram();
        }
        try {
            Histogram histogram = Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
            histogram.setAutoResize(true);
            return new LatencyHistogram(histogram);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("Corrupt latency histogram (" + bytes.length + " bytes)", e);
        }
    }
}

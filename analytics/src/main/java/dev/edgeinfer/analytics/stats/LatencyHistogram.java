package dev.edgeinfer.analytics.stats;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;

/**
 * A latency distribution in microseconds with HdrHistogram's buckets at 3 significant digits, so that windows and
 * instances merge exactly (adding histograms loses nothing, unlike averaging percentiles).
 *
 * <p>Only the buckets that hold samples are kept, as two sorted arrays (bucket, count): a slice of one device holds a
 * few dozen buckets, where a full HdrHistogram of the same range allocates thousands of counters, and the encoding is
 * the non-empty buckets alone, read and written without compression. Percentiles are computed by HdrHistogram itself
 * over the same buckets, so they equal those of a {@link Histogram} that recorded the same samples.
 *
 * <p>Values above {@link #HIGHEST_TRACKABLE_MICROS} (one hour) are recorded as one hour. Percentiles use the
 * nearest-rank definition and report the lowest value of the bucket holding that sample: exact below 2048 µs, and
 * within 0.1% above. Not thread-safe.
 */
public final class LatencyHistogram {

    /** Values above one hour are clamped to it. */
    public static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);
    static final int SIGNIFICANT_DIGITS = 3;
    /** Only its bucket layout is used (which depends on the precision, not on the contents); never recorded into. */
    private static final Histogram BUCKETS = new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private static final int INITIAL_CAPACITY = 8;
    /** An upper bound of the number of buckets: one counter per 8 bytes of a full histogram of the whole range. */
    private static final long MAX_BUCKETS = BUCKETS.getEstimatedFootprintInBytes() / Long.BYTES;

    /** Lowest value of each non-empty bucket, ascending. */
    private long[] buckets;
    /** Samples in the bucket of the same index. */
    private long[] counts;
    private int size;
    private long total;

    /** An empty distribution. */
    public LatencyHistogram() {
        this(new long[INITIAL_CAPACITY], new long[INITIAL_CAPACITY], 0);
    }

    private LatencyHistogram(long[] buckets, long[] counts, int size) {
        this.buckets = buckets;
        this.counts = counts;
        this.size = size;
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += counts[i];
        }
        this.total = sum;
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
        add(BUCKETS.lowestEquivalentValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS)), 1);
    }

    private void add(long bucket, long count) {
        int index = Arrays.binarySearch(buckets, 0, size, bucket);
        if (index >= 0) {
            counts[index] += count;
        } else {
            insert(-index - 1, bucket, count);
        }
        total += count;
    }

    private void insert(int at, long bucket, long count) {
        if (size == buckets.length) {
            buckets = Arrays.copyOf(buckets, size * 2);
            counts = Arrays.copyOf(counts, size * 2);
        }
        System.arraycopy(buckets, at, buckets, at + 1, size - at);
        System.arraycopy(counts, at, counts, at + 1, size - at);
        buckets[at] = bucket;
        counts[at] = count;
        size++;
    }

    /** Adds every sample of {@code other}; exact. */
    public void merge(LatencyHistogram other) {
        for (int i = 0; i < other.size; i++) {
            add(other.buckets[i], other.counts[i]);
        }
    }

    /** Number of samples. */
    public long count() {
        return total;
    }

    /** Number of non-empty buckets, which is what the histogram's memory and encoding grow with. */
    public int bucketCount() {
        return size;
    }

    /**
     * Nearest-rank percentile.
     *
     * @param percentile in (0, 100]
     * @return the value, or 0 when the histogram is empty
     */
    public long valueAtPercentile(double percentile) {
        if (total == 0) {
            return 0;
        }
        Histogram histogram = toHdrHistogram();
        return histogram.lowestEquivalentValue(histogram.getValueAtPercentile(percentile));
    }

    /** Largest sample (to the histogram's resolution), or 0 when empty. */
    public long max() {
        return size == 0 ? 0 : buckets[size - 1];
    }

    /** Smallest sample (to the histogram's resolution), or 0 when empty. */
    public long min() {
        return size == 0 ? 0 : buckets[0];
    }

    /** The same samples in a full HdrHistogram, for percentile queries. */
    Histogram toHdrHistogram() {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        histogram.setAutoResize(true);
        for (int i = 0; i < size; i++) {
            histogram.recordValueWithCount(buckets[i], counts[i]);
        }
        return histogram;
    }

    /** Writes the non-empty buckets: their number, then each bucket as the difference to the one before, and its count. */
    void write(BinaryEncoder out) throws IOException {
        out.writeInt(size);
        long previous = 0;
        for (int i = 0; i < size; i++) {
            out.writeLong(buckets[i] - previous);
            out.writeLong(counts[i]);
            previous = buckets[i];
        }
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @throws IOException if the buckets are not ascending, a count is not positive, or the bytes end early
     */
    static LatencyHistogram read(BinaryDecoder in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > MAX_BUCKETS) {
            throw new IOException("Implausible number of histogram buckets " + size);
        }
        long[] buckets = new long[Math.max(size, INITIAL_CAPACITY)];
        long[] counts = new long[buckets.length];
        long previous = 0;
        for (int i = 0; i < size; i++) {
            long bucket = previous + in.readLong();
            long count = in.readLong();
            if ((i > 0 && bucket <= previous) || bucket < 0 || count <= 0) {
                throw new IOException("Corrupt histogram bucket " + i + ": value " + bucket + ", count " + count);
            }
            buckets[i] = bucket;
            counts[i] = count;
            previous = bucket;
        }
        return new LatencyHistogram(buckets, counts, size);
    }
}

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
 * <p>Only the buckets that hold samples are kept, in an open-addressing table from bucket to count: a slice of one
 * device holds a few dozen buckets, where a full HdrHistogram of the same range allocates thousands of counters, and
 * recording a sample is one hash probe. The encoding is the non-empty buckets in ascending order, without compression.
 * Percentiles are computed by HdrHistogram itself over the same buckets, so they equal those of a {@link Histogram}
 * that recorded the same samples.
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
    /** An upper bound of the number of buckets: one counter per 8 bytes of a full histogram of the whole range. */
    private static final long MAX_BUCKETS = BUCKETS.getEstimatedFootprintInBytes() / Long.BYTES;
    private static final int INITIAL_SLOTS = 16;
    /**
     * Sorting packs a bucket and its slot into one long: buckets are below 2^32 (one hour in microseconds), and a
     * table of {@link #MAX_BUCKETS} at most three quarters full has fewer than 2^20 slots.
     */
    private static final int COUNT_SLOT_BITS = 24;
    private static final long COUNT_SLOT_MASK = (1L << COUNT_SLOT_BITS) - 1;
    /** Marks an empty slot; bucket values are stored plus one, so bucket 0 is a value like any other. */
    private static final long EMPTY = 0;

    /** Lowest value of a bucket plus one, or {@link #EMPTY}; a power-of-two table, at most three quarters full. */
    private long[] slots;
    /** Samples in the bucket of the same slot. */
    private long[] counts;
    private int size;
    private long total;
    private long min = Long.MAX_VALUE;
    /** The samples as a full HdrHistogram, built for percentile queries and dropped when a sample is added. */
    private Histogram asHdrHistogram;
    private long max = Long.MIN_VALUE;

    /** An empty distribution. */
    public LatencyHistogram() {
        this(INITIAL_SLOTS);
    }

    private LatencyHistogram(int slotCount) {
        this.slots = new long[slotCount];
        this.counts = new long[slotCount];
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
        long key = bucket + 1;
        int mask = slots.length - 1;
        int slot = spread(key) & mask;
        while (slots[slot] != EMPTY && slots[slot] != key) {
            slot = (slot + 1) & mask;
        }
        if (slots[slot] == EMPTY) {
            slots[slot] = key;
            size++;
            min = Math.min(min, bucket);
            max = Math.max(max, bucket);
        }
        counts[slot] += count;
        total += count;
        if (size * 4 > slots.length * 3) {
            grow();
        }
        asHdrHistogram = null;
    }

    private static int spread(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    private void grow() {
        long[] oldSlots = slots;
        long[] oldCounts = counts;
        slots = new long[oldSlots.length * 2];
        counts = new long[oldSlots.length * 2];
        int mask = slots.length - 1;
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != EMPTY) {
                int slot = spread(oldSlots[i]) & mask;
                while (slots[slot] != EMPTY) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = oldSlots[i];
                counts[slot] = oldCounts[i];
            }
        }
    }

    /** Adds every sample of {@code other}; exact. */
    public void merge(LatencyHistogram other) {
        for (int i = 0; i < other.slots.length; i++) {
            if (other.slots[i] != EMPTY) {
                add(other.slots[i] - 1, other.counts[i]);
            }
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
        if (asHdrHistogram == null) {
            asHdrHistogram = toHdrHistogram();
        }
        return asHdrHistogram.lowestEquivalentValue(asHdrHistogram.getValueAtPercentile(percentile));
    }

    /** Largest sample (to the histogram's resolution), or 0 when empty. */
    public long max() {
        return size == 0 ? 0 : max;
    }

    /** Smallest sample (to the histogram's resolution), or 0 when empty. */
    public long min() {
        return size == 0 ? 0 : min;
    }

    /** The same samples in a full HdrHistogram, for percentile queries. */
    Histogram toHdrHistogram() {
        Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
        histogram.setAutoResize(true);
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                histogram.recordValueWithCount(slots[i] - 1, counts[i]);
            }
        }
        return histogram;
    }

    /**
     * Writes the non-empty buckets in ascending order: their number, then each bucket as the difference to the one
     * before, and its count. Sorted, the differences are small and the same histogram always has the same bytes.
     */
    void write(BinaryEncoder out) throws IOException {
        long[] sorted = new long[size];
        int n = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != EMPTY) {
                sorted[n++] = (slots[i] - 1) << COUNT_SLOT_BITS | i;
            }
        }
        Arrays.sort(sorted);
        out.writeInt(size);
        long previous = 0;
        for (long entry : sorted) {
            long bucket = entry >>> COUNT_SLOT_BITS;
            out.writeLong(bucket - previous);
            out.writeLong(counts[(int) (entry & COUNT_SLOT_MASK)]);
            previous = bucket;
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
        LatencyHistogram histogram = new LatencyHistogram(Math.max(INITIAL_SLOTS, Integer.highestOneBit(Math.max(1, size)) * 2));
        long previous = 0;
        for (int i = 0; i < size; i++) {
            long bucket = previous + in.readLong();
            long count = in.readLong();
            if ((i > 0 && bucket <= previous) || bucket < 0 || bucket > HIGHEST_TRACKABLE_MICROS || count <= 0) {
                throw new IOException("Corrupt histogram bucket " + i + ": value " + bucket + ", count " + count);
            }
            histogram.add(bucket, count);
            previous = bucket;
        }
        return histogram;
    }
}

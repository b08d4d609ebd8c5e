package dev.edgeinfer.analytics.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Field layout of {@link SliceStats} for the compact serde, in Avro's binary primitives (variable-length zig-zag
 * integers, length-prefixed UTF-8): the counts, the non-empty buckets of each histogram, the non-zero cells of the
 * confusion matrix and the class labels. A slice of one device is a few hundred bytes, read and written without
 * compression.
 */
public final class SliceStatsCodec {

    /** More classes than any slice can hold: a count above it means corrupt bytes. */
    private static final int MAX_CLASSES = 65_536;

    private SliceStatsCodec() {
    }

    public static void writeSliceStats(SliceStats stats, DataOutputStream stream) throws IOException {
        // Buffered: the stream beneath writes byte by byte.
        BinaryEncoder out = EncoderFactory.get().binaryEncoder(stream, null);
        out.writeLong(stats.frames());
        out.writeLong(stats.framesWithGroundTruth());
        out.writeLong(stats.correct());
        out.writeLong(stats.deadLetters());
        out.writeLong(stats.errors());
        out.writeLong(stats.rejected());
        stats.inference().write(out);
        stats.onDevice().write(out);
        stats.endToEnd().write(out);
        writeConfusion(stats.confusion(), out);
        Map<Integer, String> labels = stats.labels();
        out.writeInt(labels.size());
        for (Map.Entry<Integer, String> label : labels.entrySet()) {
            out.writeInt(label.getKey());
            out.writeString(label.getValue());
        }
        out.flush();
    }

    public static SliceStats readSliceStats(DataInputStream stream) throws IOException {
        BinaryDecoder in = DecoderFactory.get().directBinaryDecoder(stream, null);
        long frames = in.readLong();
        long withTruth = in.readLong();
        long correct = in.readLong();
        long deadLetters = in.readLong();
        long errors = in.readLong();
        long rejected = in.readLong();
        LatencyHistogram inference = LatencyHistogram.read(in);
        LatencyHistogram onDevice = LatencyHistogram.read(in);
        LatencyHistogram endToEnd = LatencyHistogram.read(in);
        ConfusionMatrix confusion = readConfusion(in);
        int labelCount = in.readInt();
        if (labelCount < 0 || labelCount > MAX_CLASSES) {
            throw new IOException("Implausible number of class labels " + labelCount);
        }
        Map<Integer, String> labels = new TreeMap<>();
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.readInt(), in.readString());
        }
        SliceStats stats = new SliceStats(inference, onDevice, endToEnd, confusion, labels);
        stats.setCounts(frames, withTruth, correct, deadLetters, errors, rejected);
        return stats;
    }

    /** The matrix size, the number of non-zero cells, then each as (row-major index, count). */
    private static void writeConfusion(ConfusionMatrix confusion, BinaryEncoder out) throws IOException {
        long[] cells = confusion.cells();
        int nonZero = 0;
        for (long cell : cells) {
            if (cell != 0) {
                nonZero++;
            }
        }
        out.writeInt(confusion.size());
        out.writeInt(nonZero);
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != 0) {
                out.writeInt(i);
                out.writeLong(cells[i]);
            }
        }
    }

    private static ConfusionMatrix readConfusion(BinaryDecoder in) throws IOException {
        int size = in.readInt();
        if (size < 0 || size > MAX_CLASSES) {
            throw new IOException("Implausible confusion matrix size " + size);
        }
        long[] cells = new long[size * size];
        int nonZero = in.readInt();
        if (nonZero < 0 || nonZero > cells.length) {
            throw new IOException("Implausible number of confusion cells " + nonZero + " for size " + size);
        }
        for (int i = 0; i < nonZero; i++) {
            int index = in.readInt();
            if (index < 0 || index >= cells.length) {
                throw new IOException("Confusion cell " + index + " outside a " + size + "x" + size + " matrix");
            }
            cells[index] = in.readLong();
        }
        return ConfusionMatrix.of(size, cells);
    }
}

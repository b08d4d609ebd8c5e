package dev.edgeinfer.analytics.stats;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Field layout of {@link Observation} and {@link SliceStats} for the compact serde: counts as longs, histograms in
 * HdrHistogram's compressed encoding, the confusion matrix as its size then its cells.
 */
public final class SliceStatsCodec {

    private SliceStatsCodec() {
    }

    public static void writeObservation(Observation observation, DataOutputStream out) throws IOException {
        out.writeByte(observation.kind().ordinal());
        out.writeInt(observation.predictedClass());
        out.writeUTF(observation.predictedLabel());
        out.writeInt(observation.groundTruth());
        out.writeLong(observation.inferenceMicros());
        out.writeLong(observation.onDeviceMicros());
        out.writeLong(observation.endToEndMicros());
    }

    public static Observation readObservation(DataInputStream in) throws IOException {
        return new Observation(ObservationKind.ofOrdinal(in.readByte()), in.readInt(), in.readUTF(), in.readInt(),
                in.readLong(), in.readLong(), in.readLong());
    }

    public static void writeSliceStats(SliceStats stats, DataOutputStream out) throws IOException {
        out.writeLong(stats.frames());
        out.writeLong(stats.framesWithGroundTruth());
        out.writeLong(stats.correct());
        out.writeLong(stats.deadLetters());
        out.writeLong(stats.errors());
        out.writeLong(stats.rejected());
        writeBytes(stats.inference().encode(), out);
        writeBytes(stats.onDevice().encode(), out);
        writeBytes(stats.endToEnd().encode(), out);
        ConfusionMatrix confusion = stats.confusion();
        out.writeInt(confusion.size());
        for (long cell : confusion.cells()) {
            out.writeLong(cell);
        }
        Map<Integer, String> labels = stats.labels();
        out.writeInt(labels.size());
        for (Map.Entry<Integer, String> label : new TreeMap<>(labels).entrySet()) {
            out.writeInt(label.getKey());
            out.writeUTF(label.getValue());
        }
    }

    public static SliceStats readSliceStats(DataInputStream in) throws IOException {
        long frames = in.readLong();
        long withTruth = in.readLong();
        long correct = in.readLong();
        long deadLetters = in.readLong();
        long errors = in.readLong();
        long rejected = in.readLong();
        LatencyHistogram inference = LatencyHistogram.decode(readBytes(in));
        LatencyHistogram onDevice = LatencyHistogram.decode(readBytes(in));
        LatencyHistogram endToEnd = LatencyHistogram.decode(readBytes(in));
        int size = in.readInt();
        if (size < 0 || size > 65_536) {
            throw new IOException("Implausible confusion matrix size " + size);
        }
        long[] cells = new long[size * size];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = in.readLong();
        }
        int labelCount = in.readInt();
        Map<Integer, String> labels = new TreeMap<>();
        for (int i = 0; i < labelCount; i++) {
            labels.put(in.readInt(), in.readUTF());
        }
        SliceStats stats = new SliceStats(inference, onDevice, endToEnd, ConfusionMatrix.of(size, cells), labels);
        stats.setCounts(frames, withTruth, correct, deadLetters, errors, rejected);
        return stats;
    }

    private static void writeBytes(byte[] bytes, DataOutputStream out) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("Negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}

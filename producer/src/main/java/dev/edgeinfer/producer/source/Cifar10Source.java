package dev.edgeinfer.producer.source;

import dev.edgeinfer.avro.PixelEncoding;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CIFAR-10 binary batches of one split, memory-mapped. Each record is a label byte then the red, green and blue
 * planes of a 32x32 image (1024 bytes each, rows top to bottom); frames carry the pixels interleaved (HWC), so every
 * read converts.
 */
public final class Cifar10Source implements ImageSource {

    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int PLANE = SIDE * SIDE;
    public static final int PIXEL_BYTES = PLANE * CHANNELS;
    public static final int RECORD_BYTES = 1 + PIXEL_BYTES;

    /** The two splits of the data set and their batch files. */
    public enum Split {
        TEST(List.of("test_batch.bin")),
        TRAIN(List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"));

        private final List<String> files;

        Split(List<String> files) {
            this.files = files;
        }

        /** The batch files of this split, in data set order. */
        public List<String> files() {
            return files;
        }

        /** {@code cifar-10/test} or {@code cifar-10/train}, as frames name their data set. */
        public String datasetName() {
            return Cifar10Labels.LABEL_SET + "/" + name().toLowerCase(Locale.ROOT);
        }
    }

    private final Split split;
    private final List<MappedByteBuffer> batches;
    private final List<String> batchNames;
    private final int[] firstIndex;
    private final int size;

    private Cifar10Source(Split split, List<MappedByteBuffer> batches, List<String> batchNames, int[] firstIndex, int size) {
        this.split = split;
        this.batches = batches;
        this.batchNames = batchNames;
        this.firstIndex = firstIndex;
        this.size = size;
    }

    /**
     * Maps the batch files of {@code split} in {@code dir}.
     *
     * @throws SourceException if a batch file is missing, unreadable, or not a whole number of records
     */
    public static Cifar10Source open(Path dir, Split split) {
        List<MappedByteBuffer> batches = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] firstIndex = new int[split.files().size()];
        int size = 0;
        for (String name : split.files()) {
            Path file = dir.resolve(name);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long bytes = channel.size();
                if (bytes == 0 || bytes % RECORD_BYTES != 0) {
                    throw new SourceException("CIFAR-10 batch " + file + " has " + bytes + " bytes, not a whole number of "
                            + RECORD_BYTES + "-byte records; the file is truncated or not a CIFAR-10 binary batch");
                }
                firstIndex[batches.size()] = size;
                batches.add(channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes));
                names.add(name);
                size += (int) (bytes / RECORD_BYTES);
            } catch (IOException e) {
                throw new SourceException("Cannot read CIFAR-10 batch " + file + " (" + split.datasetName() + "): " + e, e);
            }
        }
        return new Cifar10Source(split, batches, names, firstIndex, size);
    }

    /** Whether {@code dir} holds every batch file of both splits. */
    public static boolean isComplete(Path dir) {
        for (Split split : Split.values()) {
            for (String name : split.files()) {
                if (!Files.isRegularFile(dir.resolve(name))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String description() {
        return split.datasetName() + " (" + size + " images)";
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public SourceImage read(int index) throws BadImageException {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("image " + index + " of " + description());
        }
        int batch = batchOf(index);
        int offset = (index - firstIndex[batch]) * RECORD_BYTES;
        MappedByteBuffer buffer = batches.get(batch);
        int label = Byte.toUnsignedInt(buffer.get(offset));
        if (label >= Cifar10Labels.CLASSES.size()) {
            throw new BadImageException(split.datasetName() + " #" + index + " (" + batchNames.get(batch) + " record "
                    + (index - firstIndex[batch]) + ")", "label byte " + label + " is not a CIFAR-10 class (0-9)");
        }
        return new SourceImage(split.datasetName(), (long) index, null, SIDE, SIDE, CHANNELS,
                PixelEncoding.RAW_RGB8_HWC, toHwc(buffer, offset + 1), label, Cifar10Labels.LABEL_SET);
    }

    /** Interleaves the R, G and B planes (CHW) into RGB pixels (HWC). */
    static byte[] toHwc(byte[] planes) {
        return toHwc(java.nio.ByteBuffer.wrap(planes), 0);
    }

    /** Interleaves the R, G and B planes starting at {@code start} of {@code buffer} into RGB pixels (HWC). */
    private static byte[] toHwc(java.nio.ByteBuffer buffer, int start) {
        byte[] hwc = new byte[PIXEL_BYTES];
        for (int p = 0, out = 0; p < PLANE; p++) {
            hwc[out++] = buffer.get(start + p);
            hwc[out++] = buffer.get(start + PLANE + p);
            hwc[out++] = buffer.get(start + 2 * PLANE + p);
        }
        return hwc;
    }

    private int batchOf(int index) {
        int batch = firstIndex.length - 1;
        while (firstIndex[batch] > index) {
            batch--;
        }
        return batch;
    }

    /** Mapped buffers are released by the garbage collector; nothing to close explicitly. */
    @Override
    public void close() {
    }
}

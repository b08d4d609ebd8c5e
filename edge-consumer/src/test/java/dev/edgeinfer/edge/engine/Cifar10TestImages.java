package dev.edgeinfer.edge.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The CIFAR-10 test images from the official binary batch {@code test_batch.bin}, in file order. Each record is
 * 3073 bytes: the label, then 1024 red, 1024 green and 1024 blue bytes, each plane row-major 32x32; this turns
 * them into the interleaved RGB frames the engines take.
 *
 * @param frames interleaved RGB, 3072 bytes per image
 * @param labels one class index per image
 */
public record Cifar10TestImages(byte[] frames, int[] labels) {
    /** Environment variable naming the folder that holds the binary batches. */
    public static final String DIR_ENV = "CIFAR10_DIR";
    private static final int SIDE = 32;
    private static final int PLANE = SIDE * SIDE;
    private static final int RECORD = 1 + 3 * PLANE;

    /** @return the test batch file, if {@value #DIR_ENV} names a folder that holds it */
    public static Optional<Path> locate() {
        String dir = System.getenv(DIR_ENV);
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(dir, "test_batch.bin");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * @param file  {@code test_batch.bin}
     * @param count how many images from the start
     * @return the images and labels
     * @throws IOException if the file is shorter than {@code count} records
     */
    public static Cifar10TestImages read(Path file, int count) throws IOException {
        byte[] frames = new byte[count * 3 * PLANE];
        int[] labels = new int[count];
        byte[] record = new byte[RECORD];
        try (InputStream in = Files.newInputStream(file)) {
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(record, 0, RECORD) != RECORD) {
                    throw new IOException(file + " ends before image " + i);
                }
                labels[i] = record[0] & 0xFF;
                int base = i * 3 * PLANE;
                for (int p = 0; p < PLANE; p++) {
                    for (int c = 0; c < 3; c++) {
                        frames[base + p * 3 + c] = record[1 + c * PLANE + p];
                    }
                }
            }
        }
        return new Cifar10TestImages(frames, labels);
    }

    /**
     * @param from  first image
     * @param count images
     * @return those images as a batch
     */
    public FrameBatch batch(int from, int count) {
        FrameBatch batch = FrameBatch.allocate(count, SIDE, SIDE);
        batch.pixels().put(frames, from * 3 * PLANE, count * 3 * PLANE);
        return batch;
    }
}

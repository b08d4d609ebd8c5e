package dev.edgeinfer.reliability.frames;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Good frames: the CIFAR-10 test images from {@code CIFAR10_DIR}, as raw RGB8 HWC frames with their labels, the way
 * the producer sends them.
 */
public final class Cifar10TestFrames {

    private static final int IMAGES = 10_000;
    private static final int PLANE = 32 * 32;
    /** A label byte, then the red, green and blue planes. */
    private static final int RECORD = 1 + 3 * PLANE;

    private record LabelledImage(int label, byte[] hwc) {
    }

    private Cifar10TestFrames() {
    }

    /**
     * The folder of the CIFAR-10 binary batches, from {@code CIFAR10_DIR}; the test is skipped, saying why, when the
     * variable does not name it.
     */
    public static Path dir() {
        String dir = System.getenv("CIFAR10_DIR");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "test_batch.bin")),
                "CIFAR10_DIR does not name the CIFAR-10 binary batches; set it to run this test");
        return Path.of(dir);
    }

    /**
     * {@code count} frames of the test images in their order, starting over after the 10,000th; frame {@code n} has the
     * id {@code <frameIdPrefix><n>}. The test is skipped when {@code CIFAR10_DIR} is not set.
     *
     * @throws IOException if the test batch cannot be read
     */
    public static List<ImageFrame> frames(int count, String producerId, String frameIdPrefix) throws IOException {
        List<LabelledImage> images = read(Math.min(count, IMAGES));
        List<ImageFrame> frames = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int index = n % images.size();
            LabelledImage image = images.get(index);
            frames.add(ImageFrame.newBuilder()
                    .setFrameId(frameIdPrefix + n).setProducerId(producerId)
                    .setSource(FrameSource.newBuilder().setDataset("cifar-10/test").setIndex((long) index).build())
                    .setCaptureTime(Instant.now())
                    .setWidth(32).setHeight(32).setChannels(3)
                    .setEncoding(PixelEncoding.RAW_RGB8_HWC)
                    .setPixels(ByteBuffer.wrap(image.hwc()))
                    .setGroundTruth(image.label()).setLabelSet("cifar-10")
                    .build());
        }
        return frames;
    }

    /** The first {@code count} images of the test batch, their planes interleaved into HWC order. */
    private static List<LabelledImage> read(int count) throws IOException {
        List<LabelledImage> images = new ArrayList<>(count);
        try (InputStream in = Files.newInputStream(dir().resolve("test_batch.bin"))) {
            byte[] record = new byte[RECORD];
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(record, 0, RECORD) != RECORD) {
                    throw new IOException("test_batch.bin ends before image " + i);
                }
                byte[] hwc = new byte[3 * PLANE];
                for (int p = 0; p < PLANE; p++) {
                    hwc[p * 3] = record[1 + p];
                    hwc[p * 3 + 1] = record[1 + PLANE + p];
                    hwc[p * 3 + 2] = record[1 + 2 * PLANE + p];
                }
                images.add(new LabelledImage(record[0], hwc));
            }
        }
        return images;
    }
}

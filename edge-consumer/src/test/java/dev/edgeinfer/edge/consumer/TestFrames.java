package dev.edgeinfer.edge.consumer;

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

/** Frames for the consumer's tests: CIFAR-10 test images as a producer sends them, and hand-made ones. */
final class TestFrames {

    private static final int RECORD = 1 + 3 * 1024;

    private TestFrames() {
    }

    /** The CIFAR-10 folder from {@code CIFAR10_DIR}; the test is skipped, saying why, when it is not set. */
    static Path cifarDir() {
        String dir = System.getenv("CIFAR10_DIR");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "test_batch.bin")),
                "CIFAR10_DIR does not name the CIFAR-10 binary batches; set it to run this test");
        return Path.of(dir);
    }

    /** The first {@code count} test images as raw RGB8 HWC frames with their labels. */
    static List<ImageFrame> cifarTest(int count, String runId) throws IOException {
        List<ImageFrame> frames = new ArrayList<>(count);
        try (InputStream in = Files.newInputStream(cifarDir().resolve("test_batch.bin"))) {
            byte[] record = new byte[RECORD];
            for (int i = 0; i < count; i++) {
                if (in.readNBytes(record, 0, RECORD) != RECORD) {
                    throw new IOException("test_batch.bin ends before image " + i);
                }
                byte[] hwc = new byte[3 * 1024];
                for (int p = 0; p < 1024; p++) {
                    hwc[p * 3] = record[1 + p];
                    hwc[p * 3 + 1] = record[1 + 1024 + p];
                    hwc[p * 3 + 2] = record[1 + 2048 + p];
                }
                frames.add(raw(runId + "-cifar-" + i, 32, 32, hwc, (int) record[0], "cifar-10/test", (long) i));
            }
        }
        return frames;
    }

    static ImageFrame raw(String frameId, int width, int height, byte[] pixels, Integer truth, String dataset, Long index) {
        return ImageFrame.newBuilder()
                .setFrameId(frameId).setProducerId("test")
                .setSource(FrameSource.newBuilder().setDataset(dataset).setIndex(index).build())
                .setCaptureTime(Instant.now())
                .setWidth(width).setHeight(height).setChannels(3)
                .setEncoding(PixelEncoding.RAW_RGB8_HWC)
                .setPixels(ByteBuffer.wrap(pixels))
                .setGroundTruth(truth).setLabelSet(truth == null ? null : "cifar-10")
                .build();
    }

    static ImageFrame encoded(String frameId, PixelEncoding encoding, int width, int height, byte[] file) {
        return ImageFrame.newBuilder()
                .setFrameId(frameId).setProducerId("test")
                .setSource(FrameSource.newBuilder().setFileName(frameId + "." + encoding.name().toLowerCase(java.util.Locale.ROOT)).build())
                .setCaptureTime(Instant.now())
                .setWidth(width).setHeight(height).setChannels(3)
                .setEncoding(encoding)
                .setPixels(ByteBuffer.wrap(file))
                .build();
    }
}

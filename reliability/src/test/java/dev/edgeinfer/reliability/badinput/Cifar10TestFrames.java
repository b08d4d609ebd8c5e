package dev.edgeinfer.reliability.badinput;

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

/** Good frames: the CIFAR-10 test images from {@code CIFAR10_DIR}, as raw RGB8 HWC frames with their labels. */
final class Cifar10TestFrames {

    private static final int PLANE = 32 * 32;
    private static final int RECORD = 1 + 3 * PLANE;

    private Cifar10TestFrames() {
    }

    /** The first {@code count} test images; the test is skipped, saying why, when {@code CIFAR10_DIR} is not set. */
    static List<ImageFrame> first(int count, String runId) throws IOException {
        String dir = System.getenv("CIFAR10_DIR");
        Assumptions.assumeTrue(dir != null && Files.isRegularFile(Path.of(dir, "test_batch.bin")),
                "CIFAR10_DIR does not name the CIFAR-10 binary batches; set it to run this test");
        List<ImageFrame> frames = new ArrayList<>(count);
        try (InputStream in = Files.newInputStream(Path.of(dir, "test_batch.bin"))) {
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
                frames.add(ImageFrame.newBuilder()
                        .setFrameId(runId + "-cifar-" + i).setProducerId("bad-input-test")
                        .setSource(FrameSource.newBuilder().setDataset("cifar-10/test").setIndex((long) i).build())
                        .setCaptureTime(Instant.now())
                        .setWidth(32).setHeight(32).setChannels(3)
                        .setEncoding(PixelEncoding.RAW_RGB8_HWC)
                        .setPixels(ByteBuffer.wrap(hwc))
                        .setGroundTruth((int) record[0]).setLabelSet("cifar-10")
                        .build());
            }
        }
        return frames;
    }
}

package dev.edgeinfer.edge.consumer;

import dev.edgeinfer.avro.FrameSource;
import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.avro.PixelEncoding;
import dev.edgeinfer.testsupport.frames.Cifar10Frames;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Frames for the consumer's tests: CIFAR-10 test images as the producer sends them, and hand-made ones. */
final class TestFrames {

    private static final int RECORD = 1 + 3 * 1024;

    private TestFrames() {
    }

    /**
     * The first {@code count} CIFAR-10 test images as the producer sends them; the test is skipped, saying why, when
     * {@code CIFAR10_DIR} does not name the data set.
     */
    static List<ImageFrame> cifarTest(int count, String runId) {
        Assumptions.assumeTrue(Cifar10Frames.dir().isPresent(), Cifar10Frames.missingReason());
        return Cifar10Frames.frames(count, "test", runId + "-cifar-");
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

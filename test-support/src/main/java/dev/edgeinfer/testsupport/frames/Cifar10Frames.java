package dev.edgeinfer.testsupport.frames;

import dev.edgeinfer.avro.ImageFrame;
import dev.edgeinfer.producer.source.BadImageException;
import dev.edgeinfer.producer.source.Cifar10Source;
import dev.edgeinfer.producer.source.Cifar10Source.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CIFAR-10 test images as the producer sends them, read by the producer's own reader: raw RGB8 HWC frames with
 * their labels, from the folder {@code CIFAR10_DIR} names.
 */
public final class Cifar10Frames {

    /** The environment variable naming the folder of the CIFAR-10 binary batches. */
    public static final String DIR_VARIABLE = "CIFAR10_DIR";

    private Cifar10Frames() {
    }

    /** The folder {@code CIFAR10_DIR} names, when it holds the test batch; empty otherwise. */
    public static Optional<Path> dir() {
        String dir = System.getenv(DIR_VARIABLE);
        if (dir == null || dir.isBlank() || !Files.isRegularFile(Path.of(dir, Split.TEST.files().get(0)))) {
            return Optional.empty();
        }
        return Optional.of(Path.of(dir));
    }

    /** Why {@link #dir()} is empty, for a test's skip message. */
    public static String missingReason() {
        return DIR_VARIABLE + " does not name the CIFAR-10 binary batches (" + Split.TEST.files().get(0)
                + "); set it to run this test";
    }

    /**
     * {@code count} frames of the test images in their order, starting over after the 10,000th; frame {@code n} has the
     * id {@code <frameIdPrefix><n>}.
     *
     * @throws IllegalStateException if {@code CIFAR10_DIR} does not name the batches
     * @throws dev.edgeinfer.producer.source.SourceException if the test batch cannot be read
     */
    public static List<ImageFrame> frames(int count, String producerId, String frameIdPrefix) {
        Path dir = dir().orElseThrow(() -> new IllegalStateException(missingReason()));
        try (Cifar10Source source = Cifar10Source.open(dir, Split.TEST)) {
            List<ImageFrame> frames = new ArrayList<>(count);
            Instant now = Instant.now();
            for (int n = 0; n < count; n++) {
                frames.add(source.read(n % source.size()).toFrame(frameIdPrefix + n, producerId, now));
            }
            return frames;
        } catch (BadImageException e) {
            throw new IllegalStateException("The CIFAR-10 test batch in " + dir + " has a bad record: " + e.getMessage(), e);
        }
    }
}

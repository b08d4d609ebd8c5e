package dev.edgeinfer.litert;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the test models and skips a test only when the LiteRT natives are genuinely absent. */
final class NativeTestSupport {
    static final int FRAME_BYTES = 32 * 32 * 3;

    private NativeTestSupport() {
    }

    static void assumeLiteRtPresent() {
        LiteRtLibrary.SearchResult search = LiteRtLibrary.locate();
        assumeTrue(search.libraryFile().isPresent(), () -> "LiteRT natives absent, skipping: " + search.describe());
    }

    static Path resource(String name) {
        try {
            return Path.of(NativeTestSupport.class.getResource("/models/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource models/" + name + " is missing", e);
        }
    }

    /** The frame the expected logits are for: byte i is {@code (i * 7) % 256}. */
    static ByteBuffer fixedFrame() {
        ByteBuffer frame = ByteBuffer.allocateDirect(FRAME_BYTES);
        for (int i = 0; i < FRAME_BYTES; i++) {
            frame.put(i, (byte) (i * 7 % 256));
        }
        return frame;
    }

    /**
     * @param precision {@code fp32} or {@code int8}
     * @return the logits ai_edge_litert's Interpreter gives for {@link #fixedFrame()}
     */
    static float[] expectedLogits(String precision) {
        try {
            for (String line : Files.readAllLines(resource("tiny-u8/expected-logits.txt"))) {
                String[] fields = line.split(" ");
                if (fields[0].equals(precision)) {
                    float[] logits = new float[fields.length - 1];
                    for (int i = 0; i < logits.length; i++) {
                        logits[i] = Float.parseFloat(fields[i + 1]);
                    }
                    return logits;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no expected logits for " + precision);
    }
}

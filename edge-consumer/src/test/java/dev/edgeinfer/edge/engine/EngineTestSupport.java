package dev.edgeinfer.edge.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.litert.LiteRtLibrary;
import dev.edgeinfer.openvino.OpenVinoLibrary;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Random;

/** Test models, configs and frames shared by the engine tests. */
public final class EngineTestSupport {
    private EngineTestSupport() {
    }

    /** @return the models folder of the tiny u8 NHWC test model (normalization inside the graph) */
    public static Path u8Models() {
        return resource("models");
    }

    /** @return the models folder of the tiny f32 NCHW test model (normalization left to the engine) */
    public static Path f32NchwModels() {
        return resource("models-f32-nchw");
    }

    public static Path resource(String name) {
        try {
            return Path.of(EngineTestSupport.class.getResource("/engine/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource engine/" + name + " is missing", e);
        }
    }

    public static EngineConfig config(EngineKind engine, Path modelsDir, String artifact, String... keyValues) {
        Properties p = new Properties();
        p.setProperty(EngineConfig.ENGINE, engine.configName());
        p.setProperty(EngineConfig.MODELS_DIR, modelsDir.toString());
        p.setProperty(EngineConfig.ARTIFACT, artifact);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return EngineConfig.fromProperties(p);
    }

    public static FrameBatch randomFrames(int count, long seed) {
        byte[] bytes = new byte[count * 32 * 32 * 3];
        new Random(seed).nextBytes(bytes);
        FrameBatch batch = FrameBatch.allocate(count, 32, 32);
        batch.pixels().put(bytes);
        return batch;
    }

    public static void assumeOpenVinoPresent() {
        OpenVinoLibrary.SearchResult search = OpenVinoLibrary.locate();
        assumeTrue(search.libraryFile().isPresent(), () -> "OpenVINO natives absent, skipping: "
                + search.placesSearched());
    }

    public static void assumeLiteRtPresent() {
        LiteRtLibrary.SearchResult search = LiteRtLibrary.locate();
        assumeTrue(search.libraryFile().isPresent(), () -> "LiteRT natives absent, skipping: " + search.describe());
    }

    static ByteBuffer copyOf(ByteBuffer buffer) {
        ByteBuffer copy = ByteBuffer.allocateDirect(buffer.remaining());
        copy.put(buffer.duplicate()).flip();
        return copy;
    }
}

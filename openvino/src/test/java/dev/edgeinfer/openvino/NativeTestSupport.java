package dev.edgeinfer.openvino;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Locates the test models and skips a test only when the OpenVINO natives are genuinely absent. */
final class NativeTestSupport {
    private NativeTestSupport() {
    }

    static void assumeOpenVinoPresent() {
        OpenVinoLibrary.SearchResult search = OpenVinoLibrary.locate();
        assumeTrue(search.libraryFile().isPresent(),
                () -> "OpenVINO natives absent, skipping: " + search.describe());
    }

    static Path resource(String name) {
        try {
            return Path.of(NativeTestSupport.class.getResource("/models/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource models/" + name + " is missing", e);
        }
    }
}

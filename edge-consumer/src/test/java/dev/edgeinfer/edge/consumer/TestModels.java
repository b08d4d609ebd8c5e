package dev.edgeinfer.edge.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.manifest.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The committed models of the repository, which the consumer's integration tests run. */
final class TestModels {

    private TestModels() {
    }

    /** System property {@code edgeinfer.models.dir}, else {@code models/} in the working directory or a parent. */
    static Path modelsDir() {
        String configured = System.getProperty("edgeinfer.models.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        List<Path> looked = new ArrayList<>();
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("models");
            if (Files.isRegularFile(candidate.resolve(ModelManifest.FILE_NAME))) {
                return candidate;
            }
            looked.add(candidate);
        }
        throw new IllegalStateException("No models/manifest.json found; looked in " + looked);
    }

    /** The FP32 artifact the given runtime runs. */
    static String fp32Artifact(ModelManifest manifest, String runtime) {
        return manifest.artifacts().stream()
                .filter(a -> a.runtime().manifestName().equals(runtime) && a.precision() == Precision.FP32)
                .map(Artifact::id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no FP32 artifact for " + runtime + " in the manifest"));
    }

    /** The pipeline's top-1 on the first test images equals what the model toolchain measured on the same images. */
    static void assertAccuracyMatchesManifest(Artifact artifact, long correct, int frames) {
        assertThat(artifact.evaluation()).as("evaluation of %s in the manifest", artifact.id()).isNotNull();
        assertThat(frames).isEqualTo(1000);
        double top1 = correct / (double) frames;
        assertThat(top1).as("top-1 of %s through the pipeline on the first 1000 test images", artifact.id())
                .isCloseTo(artifact.evaluation().first1000Top1(), org.assertj.core.data.Offset.offset(0.005));
    }
}

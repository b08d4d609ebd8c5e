package dev.edgeinfer.edge.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.schemas.manifest.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The project's real models on the first 1000 CIFAR-10 test images: each FP32 engine reproduces the accuracy
 * the model pipeline measured, and the two runtimes agree image by image. Needs the models (the system property
 * {@value #MODELS_DIR_PROPERTY}, or {@code models/} found above the working directory), the OpenVINO natives
 * and {@code CIFAR10_DIR}; skipped, saying which is absent, only when one genuinely is.
 */
class Cifar10ParityTest {
    static final String MODELS_DIR_PROPERTY = "edgeinfer.models.dir";
    private static final int IMAGES = 1000;
    private static final int BATCH = 50;

    private static Path modelsDir;
    private static ModelManifest manifest;
    private static Cifar10TestImages images;

    @BeforeAll
    static void inputs() throws Exception {
        Optional<Path> models = modelsDir();
        assumeTrue(models.isPresent(), "models/manifest.json absent (not produced yet), skipping the parity test");
        Optional<Path> testBatch = Cifar10TestImages.locate();
        assumeTrue(testBatch.isPresent(), "CIFAR10_DIR unset or without test_batch.bin, skipping the parity test");
        EngineTestSupport.assumeOpenVinoPresent();
        modelsDir = models.get();
        manifest = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME));
        images = Cifar10TestImages.read(testBatch.get(), IMAGES);
    }

    @Test
    void fp32EnginesMatchTheManifestAndEachOther() throws Exception {
        int[] openVino = classify(EngineKind.OPENVINO, "openvino-fp32");
        int[] onnxRuntime = classify(EngineKind.ONNXRUNTIME, "onnx-fp32");

        double openVinoTop1 = accuracy(openVino);
        double onnxTop1 = accuracy(onnxRuntime);
        int agree = 0;
        for (int i = 0; i < IMAGES; i++) {
            agree += openVino[i] == onnxRuntime[i] ? 1 : 0;
        }
        System.out.printf("first %d CIFAR-10 test images: OpenVINO FP32 top-1 %.4f, ONNX Runtime FP32 top-1 %.4f,"
                + " top-1 classes agree on %d%n", IMAGES, openVinoTop1, onnxTop1, agree);
        assertThat(openVinoTop1).isCloseTo(manifest.artifact("openvino-fp32").evaluation().first1000Top1(),
                within(0.005));
        assertThat(onnxTop1).isCloseTo(manifest.artifact("onnx-fp32").evaluation().first1000Top1(), within(0.005));
        assertThat(agree).as("images whose top-1 class both runtimes agree on").isGreaterThanOrEqualTo(995);
    }

    private static int[] classify(EngineKind engine, String artifact) throws Exception {
        EngineConfig config = EngineTestSupport.config(engine, modelsDir, artifact,
                EngineConfig.INFERENCE_PRECISION_HINT, "f32", EngineConfig.MAX_BATCH, Integer.toString(BATCH));
        int[] classes = new int[IMAGES];
        try (InferenceEngine e = InferenceEngines.open(config)) {
            for (int from = 0; from < IMAGES; from += BATCH) {
                BatchResult result = e.infer(images.batch(from, BATCH));
                for (int i = 0; i < BATCH; i++) {
                    classes[from + i] = result.predictions().get(i).top().classIndex();
                }
            }
        }
        return classes;
    }

    private static double accuracy(int[] classes) {
        int correct = 0;
        for (int i = 0; i < IMAGES; i++) {
            correct += classes[i] == images.labels()[i] ? 1 : 0;
        }
        return (double) correct / IMAGES;
    }

    private static Optional<Path> modelsDir() {
        String property = System.getProperty(MODELS_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property)).filter(d -> Files.isRegularFile(d.resolve(ModelManifest.FILE_NAME)));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("models").resolve(ModelManifest.FILE_NAME))) {
                return Optional.of(dir.resolve("models"));
            }
        }
        return Optional.empty();
    }
}

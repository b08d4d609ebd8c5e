package dev.edgeinfer.edge.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.edgeinfer.openvino.Core;
import dev.edgeinfer.schemas.manifest.Artifact;
import dev.edgeinfer.schemas.manifest.ModelManifest;
import dev.edgeinfer.schemas.manifest.TargetRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Java engine against the artifact's own runtime, driven from Python ({@code src/test/python/reference_top1.py}),
 * on all 10,000 CIFAR-10 test images: the top-1 classes agree on at least 99.9% of the images, and the Java top-1
 * accuracy is the manifest's {@code testTop1} within 0.1 point.
 *
 * <p>Both sides run OpenVINO artifacts with the manifest's {@code runtimeConfig.INFERENCE_PRECISION_HINT} (the
 * precision the model pipeline measured at), so a CPU with bf16 units does not compare bf16 with f32.
 *
 * <p>Needs the models (system property {@value Cifar10ParityTest#MODELS_DIR_PROPERTY}, or {@code models/} above the
 * working directory), {@code CIFAR10_DIR}, the OpenVINO natives, and a Python with {@code openvino} and
 * {@code onnxruntime} (system property {@value #PYTHON_PROPERTY}, or {@code .venv/bin/python} above the working
 * directory); skipped, saying which is absent, only when one genuinely is. The LiteRT artifacts also need the LiteRT
 * natives and a Python with {@code ai_edge_litert} (system property {@value #LITERT_PYTHON_PROPERTY}, else the Python
 * above); without them those two are skipped, saying so.
 */
class ReferenceParityIT {
    static final String PYTHON_PROPERTY = "edgeinfer.python";
    static final String LITERT_PYTHON_PROPERTY = "edgeinfer.python.litert";
    private static final int IMAGES = 10_000;
    private static final int BATCH = 64;
    private static final int REQUESTS_IN_FLIGHT = 2;
    private static final double MIN_AGREEMENT = 0.999;
    private static final double TOP1_TOLERANCE = 0.001;
    private static final Path SCRIPT = Path.of("src", "test", "python", "reference_top1.py");

    private static Path modelsDir;
    private static ModelManifest manifest;
    private static Cifar10TestImages images;
    private static Path python;

    @TempDir
    Path work;

    @BeforeAll
    static void inputs() throws Exception {
        Optional<Path> models = modelsDir();
        assumeTrue(models.isPresent(), "models/manifest.json absent (not produced yet), skipping the reference parity test");
        Optional<Path> testBatch = Cifar10TestImages.locate();
        assumeTrue(testBatch.isPresent(), "CIFAR10_DIR unset or without test_batch.bin, skipping the reference parity test");
        Optional<Path> interpreter = python();
        assumeTrue(interpreter.isPresent(), "no " + PYTHON_PROPERTY + " and no .venv/bin/python above the working"
                + " directory, skipping the reference parity test");
        EngineTestSupport.assumeOpenVinoPresent();
        modelsDir = models.get();
        python = interpreter.get();
        manifest = ModelManifest.read(modelsDir.resolve(ModelManifest.FILE_NAME));
        images = Cifar10TestImages.read(testBatch.get(), IMAGES);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"onnx-fp32", "onnx-int8", "openvino-fp32", "openvino-fp16", "openvino-int8", "litert-fp32",
            "litert-int8"})
    void javaEngineAgreesWithTheReferenceRuntime(String artifactId) throws Exception {
        Artifact artifact = manifest.artifact(artifactId);
        Optional<String> precision = precisionHint(artifact);
        Path referencePython = python;
        if (artifact.runtime() == TargetRuntime.LITERT) {
            EngineTestSupport.assumeLiteRtPresent();
            referencePython = litertPython(artifactId);
        }

        long referenceStart = System.nanoTime();
        byte[] reference = referenceTop1(referencePython, artifactId, precision);
        double referenceSeconds = (System.nanoTime() - referenceStart) / 1e9;
        long javaStart = System.nanoTime();
        int[] java = javaTop1(artifact, precision);
        double javaSeconds = (System.nanoTime() - javaStart) / 1e9;

        int agree = 0;
        int javaCorrect = 0;
        int referenceCorrect = 0;
        for (int i = 0; i < IMAGES; i++) {
            agree += java[i] == reference[i] ? 1 : 0;
            javaCorrect += java[i] == images.labels()[i] ? 1 : 0;
            referenceCorrect += reference[i] == images.labels()[i] ? 1 : 0;
        }
        double agreement = (double) agree / IMAGES;
        double javaTop1 = (double) javaCorrect / IMAGES;
        double manifestTop1 = artifact.evaluation().testTop1();
        System.out.printf(Locale.ROOT, "reference parity %-14s %s: agreement %.2f%% (%d/%d), Java top-1 %.4f,"
                + " reference top-1 %.4f, manifest top-1 %.4f; Java %.1f s, reference %.1f s%n",
                artifactId, precision.map(p -> "precision " + p).orElse("runtime defaults"), 100 * agreement, agree,
                IMAGES, javaTop1, (double) referenceCorrect / IMAGES, manifestTop1, javaSeconds, referenceSeconds);

        assertThat(agreement).as("share of test images whose top-1 class the Java engine and the reference runtime"
                + " agree on, %s", artifactId).isGreaterThanOrEqualTo(MIN_AGREEMENT);
        assertThat(javaTop1).as("Java top-1 accuracy of %s against the manifest's testTop1", artifactId)
                .isCloseTo(manifestTop1, within(TOP1_TOLERANCE));
    }

    /** Runs the reference script and returns its top-1 class per image. */
    private byte[] referenceTop1(Path interpreter, String artifactId, Optional<String> precision)
            throws IOException, InterruptedException {
        Path out = work.resolve(artifactId + ".top1");
        Path log = work.resolve(artifactId + ".log");
        List<String> command = new ArrayList<>(List.of(interpreter.toString(), SCRIPT.toString(),
                "--models-dir", modelsDir.toString(), "--artifact", artifactId, "--out", out.toString(),
                "--images", Integer.toString(IMAGES)));
        precision.ifPresent(p -> command.addAll(List.of("--inference-precision", p)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished && process.exitValue() == 0).as("reference script for %s finished; its output:%n%s",
                artifactId, output).isTrue();
        System.out.print("reference runtime: " + output);
        byte[] top1 = Files.readAllBytes(out);
        assertThat(top1).as("reference top-1 classes of %s", artifactId).hasSize(IMAGES);
        return top1;
    }

    /** Classifies the images in batches of {@value #BATCH}, {@value #REQUESTS_IN_FLIGHT} batches in flight. */
    private static int[] javaTop1(Artifact artifact, Optional<String> precision) throws Exception {
        List<String> settings = new ArrayList<>(List.of(EngineConfig.MAX_BATCH, Integer.toString(BATCH),
                EngineConfig.REQUESTS_IN_FLIGHT, Integer.toString(REQUESTS_IN_FLIGHT)));
        precision.ifPresent(p -> settings.addAll(List.of(EngineConfig.INFERENCE_PRECISION_HINT, p)));
        EngineKind kind = EngineKind.fromConfig(artifact.runtime().manifestName());
        EngineConfig config = EngineTestSupport.config(kind, modelsDir, artifact.id(), settings.toArray(String[]::new));
        int[] classes = new int[IMAGES];
        try (InferenceEngine engine = InferenceEngines.open(config)) {
            List<CompletableFuture<BatchResult>> batches = new ArrayList<>();
            for (int from = 0; from < IMAGES; from += BATCH) {
                // submit blocks while every request is busy and copies the pixels, so this streams at engine speed.
                batches.add(engine.submit(images.batch(from, Math.min(BATCH, IMAGES - from))));
            }
            for (int b = 0; b < batches.size(); b++) {
                List<Prediction> predictions = batches.get(b).join().predictions();
                for (int i = 0; i < predictions.size(); i++) {
                    classes[b * BATCH + i] = predictions.get(i).top().classIndex();
                }
            }
        }
        return classes;
    }

    /** The INFERENCE_PRECISION_HINT the model pipeline evaluated the artifact with, for OpenVINO artifacts. */
    private static Optional<String> precisionHint(Artifact artifact) {
        if (artifact.runtime() != TargetRuntime.OPENVINO) {
            return Optional.empty();
        }
        String hint = artifact.runtimeConfig().getOrDefault(Core.INFERENCE_PRECISION_HINT, "");
        return hint.isBlank() ? Optional.empty() : Optional.of(hint.toLowerCase(Locale.ROOT));
    }

    /**
     * The Python that runs the LiteRT reference: {@value #LITERT_PYTHON_PROPERTY}, else the project's. Skips the
     * artifact when it cannot import {@code ai_edge_litert}, which the project's runtime requirements do not pin yet.
     */
    private static Path litertPython(String artifactId) throws IOException, InterruptedException {
        String property = System.getProperty(LITERT_PYTHON_PROPERTY);
        Path interpreter = property == null || property.isBlank() ? python : Path.of(property);
        Process probe = new ProcessBuilder(interpreter.toString(), "-c", "import ai_edge_litert")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean imports = probe.waitFor(2, TimeUnit.MINUTES) && probe.exitValue() == 0;
        assumeTrue(imports, () -> interpreter + " cannot import ai_edge_litert (ai-edge-litert==2.3.0); set -D"
                + LITERT_PYTHON_PROPERTY + " to a Python that can, skipping the reference parity of " + artifactId);
        return interpreter;
    }

    private static Optional<Path> modelsDir() {
        String property = System.getProperty(Cifar10ParityTest.MODELS_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property).toAbsolutePath())
                    .filter(d -> Files.isRegularFile(d.resolve(ModelManifest.FILE_NAME)));
        }
        return above(Path.of("models", ModelManifest.FILE_NAME)).map(Path::getParent);
    }

    private static Optional<Path> python() {
        String property = System.getProperty(PYTHON_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property)).filter(Files::isExecutable);
        }
        return above(Path.of(".venv", "bin", "python")).filter(Files::isExecutable);
    }

    /** The first {@code relative} found in the working directory or one of its parents. */
    private static Optional<Path> above(Path relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return Optional.of(dir.resolve(relative));
            }
        }
        return Optional.empty();
    }
}

package dev.edgeinfer.edge.engine.litert;

import static dev.edgeinfer.edge.engine.EngineTestSupport.config;
import static dev.edgeinfer.edge.engine.EngineTestSupport.randomFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineConfig;
import dev.edgeinfer.edge.engine.EngineDescription;
import dev.edgeinfer.edge.engine.EngineKind;
import dev.edgeinfer.edge.engine.EngineTestSupport;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.InferenceEngine;
import dev.edgeinfer.edge.engine.InferenceEngines;
import dev.edgeinfer.edge.engine.InferenceException;
import dev.edgeinfer.edge.engine.InferenceTimings;
import dev.edgeinfer.edge.engine.Prediction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on the tiny test model, converted to LiteRT from the same weights as the ONNX one. */
class LiteRtEngineTest {
    /** Per test, so that each skipped test carries the reason in the report. */
    @BeforeEach
    void natives() {
        EngineTestSupport.assumeLiteRtPresent();
    }

    @Test
    void describesTheRuntimeDeviceAndModel() throws Exception {
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-fp32", EngineConfig.NUM_THREADS, "2"))) {
            EngineDescription d = engine.describe();
            assertThat(d.engine()).isEqualTo("litert");
            assertThat(d.runtimeVersion()).isEqualTo("2.3.0");
            assertThat(d.device()).isEqualTo("CPU");
            assertThat(d.deviceFullName()).isEqualTo("CpuAccelerator");
            assertThat(d.modelName()).isEqualTo("tiny-u8");
            assertThat(d.artifactId()).isEqualTo("litert-fp32");
            assertThat(d.precision()).isEqualTo("FP32");
            assertThat(d.settings()).containsEntry("hardwareAccelerators", "CPU").containsEntry("cpuThreads", "2")
                    .containsEntry("modelBatch", "1").containsEntry("output", "float32")
                    .containsEntry("requestsInFlight", "2");
        }
    }

    @Test
    void agreesWithOnnxRuntimeOnTheSameModel() throws Exception {
        FrameBatch batch = randomFrames(8, 11);
        try (InferenceEngine litert = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-fp32"));
             InferenceEngine ort = InferenceEngines.open(config(EngineKind.ONNXRUNTIME, EngineTestSupport.u8Models(),
                     "onnx-fp32"))) {
            List<Prediction> a = litert.infer(batch).predictions();
            List<Prediction> b = ort.infer(batch).predictions();
            assertThat(a).hasSize(8);
            for (int i = 0; i < 8; i++) {
                assertThat(a.get(i).probabilities()).containsExactly(b.get(i).probabilities(), within(1e-4f));
            }
        }
    }

    @Test
    void anIntegerModelsOutputIsDequantizedWithItsOwnScaleAndZeroPoint() throws Exception {
        FrameBatch batch = randomFrames(16, 3);
        try (InferenceEngine int8 = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-int8"));
             InferenceEngine fp32 = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                     "litert-fp32"))) {
            assertThat(int8.describe().settings().get("output")).startsWith("uint8 (scale 0.063")
                    .endsWith("zero point 186)");
            List<Prediction> quantized = int8.infer(batch).predictions();
            List<Prediction> reference = fp32.infer(batch).predictions();
            for (int i = 0; i < 16; i++) {
                // A wrong scale or a signed reading of the bytes moves probabilities far more than this.
                assertThat(quantized.get(i).probabilities()).containsExactly(reference.get(i).probabilities(),
                        within(0.03f));
            }
        }
    }

    @Test
    void synchronousAndAsynchronousResultsAgreeForEveryBatchSize() throws Exception {
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-fp32", EngineConfig.MAX_BATCH, "6", EngineConfig.REQUESTS_IN_FLIGHT, "3"))) {
            List<BatchResult> expected = new ArrayList<>();
            List<CompletableFuture<BatchResult>> futures = new ArrayList<>();
            for (int n = 1; n <= 6; n++) {
                FrameBatch batch = randomFrames(n, n);
                expected.add(engine.infer(batch));
                futures.add(engine.submit(batch));
            }
            for (int i = 0; i < futures.size(); i++) {
                List<Prediction> async = futures.get(i).get(30, TimeUnit.SECONDS).predictions();
                assertThat(async).hasSize(i + 1);
                for (int f = 0; f <= i; f++) {
                    assertThat(async.get(f).probabilities())
                            .containsExactly(expected.get(i).predictions().get(f).probabilities(), within(1e-6f));
                }
            }
        }
    }

    @Test
    void timingsComeFromTheInjectedTicker() throws Exception {
        AtomicLong now = new AtomicLong();
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-fp32"), () -> now.addAndGet(2_000))) {
            // Staging and the write of the one run, the run, the read of its output and the scoring.
            assertThat(engine.infer(randomFrames(1, 1)).timings()).isEqualTo(new InferenceTimings(4, 2, 4));
        }
    }

    @Test
    void refusesBatchesThatDoNotFitAndUseAfterClose() throws Exception {
        InferenceEngine engine = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-int8", EngineConfig.MAX_BATCH, "2"));
        assertThatThrownBy(() -> engine.infer(randomFrames(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 2 frames");
        engine.close();
        assertThatThrownBy(() -> engine.infer(randomFrames(1, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> engine.submit(randomFrames(1, 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theGpuRunsWhereLiteRtCanCompileForItAndSaysWhyNotElsewhere() throws Exception {
        InferenceEngine engine;
        try {
            engine = InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(), "litert-fp32",
                    EngineConfig.DEVICE, "GPU"));
        } catch (InferenceException e) {
            assertThat(e).hasMessageContaining("litert-fp32 on GPU").hasMessageContaining("Use device CPU");
            return;
        }
        try (engine) {
            assertThat(engine.describe().settings()).containsEntry("hardwareAccelerators", "CPU,GPU");
            assertThat(engine.infer(randomFrames(2, 1)).predictions()).hasSize(2);
        }
    }

    @Test
    void anUnknownDeviceIsRefused() {
        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "litert-fp32", EngineConfig.DEVICE, "NPU")))
                .isInstanceOf(InferenceException.class).hasMessageContaining("CPU or GPU");
    }

    @Test
    void anArtifactForTheOtherRuntimeIsRefused() {
        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.LITERT, EngineTestSupport.u8Models(),
                "onnx-fp32"))).isInstanceOf(InferenceException.class).hasMessageContaining("made for onnxruntime");
    }

    @Test
    void aModelThatDoesNotTakeTheManifestsFramesIsRefused(@TempDir Path dir) throws Exception {
        Path models = EngineTestSupport.u8Models();
        Files.createDirectories(dir.resolve("tiny-u8/litert"));
        Files.copy(models.resolve("tiny-u8/litert/model-fp32.tflite"), dir.resolve("tiny-u8/litert/model-fp32.tflite"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(models.resolve("manifest.json").toFile());
        ArrayNode shape = (ArrayNode) manifest.path("input").path("shape");
        shape.set(1, IntNode.valueOf(16));
        shape.set(2, IntNode.valueOf(16));
        json.writeValue(dir.resolve("manifest.json").toFile(), manifest);

        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.LITERT, dir, "litert-fp32")))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("image uint8[1, 32, 32, 3] is not uint8 [1, 16, 16, 3]");
    }
}

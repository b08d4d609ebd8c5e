package dev.edgeinfer.edge.engine.onnxruntime;

import static dev.edgeinfer.edge.engine.EngineTestSupport.config;
import static dev.edgeinfer.edge.engine.EngineTestSupport.randomFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.EngineConfig;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeEngineTest {
    @Test
    void classifiesBatchesSynchronouslyAndAsynchronously() throws Exception {
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.ONNXRUNTIME,
                EngineTestSupport.u8Models(), "onnx-fp32", EngineConfig.MAX_BATCH, "6"))) {
            assertThat(engine.describe().engine()).isEqualTo("onnxruntime");
            assertThat(engine.describe().deviceFullName()).isEqualTo("CPUExecutionProvider");
            assertThat(engine.describe().runtimeVersion()).isNotBlank();
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
                assertThat(async.get(i).probabilities())
                        .containsExactly(expected.get(i).predictions().get(i).probabilities(), within(1e-6f));
            }
        }
    }

    @Test
    void agreesWithOpenVinoOnTheSameModel() throws Exception {
        EngineTestSupport.assumeOpenVinoPresent();
        FrameBatch batch = randomFrames(8, 11);
        try (InferenceEngine ort = InferenceEngines.open(config(EngineKind.ONNXRUNTIME,
                EngineTestSupport.u8Models(), "onnx-fp32"));
             // Without the f32 hint, OpenVINO runs FP32 models in bf16 on CPUs with AMX.
             InferenceEngine ov = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                     "openvino-fp32", EngineConfig.INFERENCE_PRECISION_HINT, "f32"))) {
            List<Prediction> a = ort.infer(batch).predictions();
            List<Prediction> b = ov.infer(batch).predictions();
            for (int i = 0; i < 8; i++) {
                assertThat(a.get(i).probabilities()).containsExactly(b.get(i).probabilities(), within(1e-4f));
            }
        }
    }

    /** Java-side normalization for a model that takes f32 NCHW: same answers as the u8 model. */
    @Test
    void normalizesFramesForAModelThatTakesFloats() throws Exception {
        FrameBatch batch = randomFrames(3, 5);
        try (InferenceEngine u8 = InferenceEngines.open(config(EngineKind.ONNXRUNTIME,
                EngineTestSupport.u8Models(), "onnx-fp32"));
             InferenceEngine f32 = InferenceEngines.open(config(EngineKind.ONNXRUNTIME,
                     EngineTestSupport.f32NchwModels(), "onnx-fp32"))) {
            List<Prediction> expected = u8.infer(batch).predictions();
            List<Prediction> actual = f32.infer(batch).predictions();
            for (int i = 0; i < 3; i++) {
                assertThat(actual.get(i).probabilities()).containsExactly(expected.get(i).probabilities(),
                        within(1e-4f));
            }
        }
    }

    @Test
    void timingsComeFromTheInjectedTicker() throws Exception {
        AtomicLong now = new AtomicLong();
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.ONNXRUNTIME,
                EngineTestSupport.u8Models(), "onnx-fp32"), () -> now.addAndGet(2_000))) {
            assertThat(engine.infer(randomFrames(1, 1)).timings()).isEqualTo(new InferenceTimings(2, 2, 2));
        }
    }

    @Test
    void theCudaProviderFailsClearlyWhereItIsAbsent() {
        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.ONNXRUNTIME, EngineTestSupport.u8Models(),
                "onnx-fp32", EngineConfig.DEVICE, "CUDA")))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("CUDA execution provider is not available")
                .hasMessageContaining("use device CPU");
    }

    @Test
    void aCommandLineLongEnoughToCrashOnnxRuntimeIsRefusedFirst(@TempDir Path dir) throws Exception {
        Path shortLine = Files.write(dir.resolve("short"), new byte[100]);
        OnnxRuntimeEngine.refuseLongCommandLine(shortLine);
        Path longLine = Files.write(dir.resolve("long"), new byte[OnnxRuntimeEngine.LONGEST_SAFE_COMMAND_LINE]);
        assertThatThrownBy(() -> OnnxRuntimeEngine.refuseLongCommandLine(longLine))
                .isInstanceOf(InferenceException.class).hasMessageContaining("@argfile");
    }

    @Test
    void anUnknownDeviceIsRefused() {
        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.ONNXRUNTIME, EngineTestSupport.u8Models(),
                "onnx-fp32", EngineConfig.DEVICE, "NPU")))
                .isInstanceOf(InferenceException.class).hasMessageContaining("CPU or CUDA");
    }
}

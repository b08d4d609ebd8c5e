package dev.edgeinfer.edge.engine.openvino;

import static dev.edgeinfer.edge.engine.EngineTestSupport.config;
import static dev.edgeinfer.edge.engine.EngineTestSupport.randomFrames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
import dev.edgeinfer.edge.engine.Ticker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenVinoEngineTest {
    private static final int FRAME_BYTES = 32 * 32 * FrameBatch.CHANNELS;

    @BeforeAll
    static void natives() {
        EngineTestSupport.assumeOpenVinoPresent();
    }

    @Test
    void describesTheRuntimeDeviceAndModel() throws Exception {
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32", EngineConfig.NUM_STREAMS, "1"))) {
            EngineDescription d = engine.describe();
            assertThat(d.engine()).isEqualTo("openvino");
            assertThat(d.runtimeVersion()).startsWith("2026.4.1");
            assertThat(d.device()).isEqualTo("CPU");
            assertThat(d.deviceFullName()).isNotBlank();
            assertThat(d.modelName()).isEqualTo("tiny-u8");
            assertThat(d.precision()).isEqualTo("FP32");
            assertThat(d.sha256()).hasSize(64);
            assertThat(d.settings()).containsEntry("PERFORMANCE_HINT", "LATENCY").containsEntry("NUM_STREAMS", "1")
                    .containsEntry("fullBatchModel", "true");
        }
    }

    @Test
    void synchronousAndAsynchronousResultsAgreeForEveryBatchSize() throws Exception {
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32", EngineConfig.MAX_BATCH, "8", EngineConfig.REQUESTS_IN_FLIGHT, "3"))) {
            List<CompletableFuture<BatchResult>> futures = new ArrayList<>();
            List<BatchResult> expected = new ArrayList<>();
            for (int n = 1; n <= 8; n++) {
                FrameBatch batch = randomFrames(n, n);
                expected.add(engine.infer(batch));
                futures.add(engine.submit(batch));
            }
            for (int i = 0; i < futures.size(); i++) {
                BatchResult async = futures.get(i).get(30, TimeUnit.SECONDS);
                assertThat(async.predictions()).hasSize(i + 1);
                for (int f = 0; f <= i; f++) {
                    Prediction a = async.predictions().get(f);
                    Prediction s = expected.get(i).predictions().get(f);
                    assertThat(a.probabilities()).containsExactly(s.probabilities(), within(1e-5f));
                    assertThat(a.top().className()).isEqualTo(s.top().className());
                }
            }
            float[] p = expected.get(0).predictions().get(0).probabilities();
            float sum = 0;
            for (float v : p) {
                sum += v;
            }
            assertThat(sum).isCloseTo(1f, within(1e-5f));
            assertThat(expected.get(0).predictions().get(0).topK()).hasSize(3);
        }
    }

    @Test
    void partialBatchesRunAtPowerOfTwoSizesAndEachFrameGetsItsOwnAnswer() throws Exception {
        assertThat(java.util.stream.IntStream.rangeClosed(1, 64).map(n -> RequestSlot.shapeFor(n, 64)).distinct().toArray())
                .containsExactly(1, 2, 4, 8, 16, 32, 64);
        assertThat(RequestSlot.shapeFor(33, 48)).isEqualTo(48);
        assertThat(RequestSlot.shapeFor(17, 48)).isEqualTo(32);
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32", EngineConfig.MAX_BATCH, "8", EngineConfig.REQUESTS_IN_FLIGHT, "1"))) {
            // A full batch first, so the padding of the 5-frame batch after it (run at 8) holds other frames' pixels.
            engine.infer(randomFrames(8, 99));
            assertEachFrameAsAlone(engine, randomFrames(5, 5));
        }
    }

    @Test
    void fullBatchesRunOnTheStaticModelAndGiveEachFrameItsAnswerAlone() throws Exception {
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32", EngineConfig.MAX_BATCH, "8", EngineConfig.REQUESTS_IN_FLIGHT, "2"))) {
            assertThat(engine.describe().settings()).containsEntry("fullBatchModel", "true");
            // Full batches on the static model, single frames on the dynamic one, in turns on both slots.
            for (int round = 0; round < 3; round++) {
                assertEachFrameAsAlone(engine, randomFrames(8, 40 + round));
            }
        }
    }

    private static void assertEachFrameAsAlone(InferenceEngine engine, FrameBatch frames) throws Exception {
        BatchResult together = engine.infer(frames);
        assertThat(together.predictions()).hasSize(frames.count());
        for (int f = 0; f < frames.count(); f++) {
            ByteBuffer one = frames.pixels().duplicate().position(f * FRAME_BYTES).limit((f + 1) * FRAME_BYTES).slice();
            BatchResult alone = engine.infer(FrameBatch.of(one, 1, 32, 32));
            assertThat(together.predictions().get(f).probabilities())
                    .containsExactly(alone.predictions().get(0).probabilities(), within(1e-5f));
        }
    }

    @Test
    void timingsComeFromTheInjectedTicker() throws Exception {
        AtomicLong now = new AtomicLong();
        Ticker ticker = () -> now.addAndGet(1_500_000);
        try (InferenceEngine engine = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32"), ticker)) {
            assertThat(engine.infer(randomFrames(2, 1)).timings()).isEqualTo(new InferenceTimings(1500, 1500, 1500));
        }
    }

    @Test
    void anOnnxFileRunsOnOpenVinoToo() throws Exception {
        FrameBatch batch = randomFrames(4, 9);
        try (InferenceEngine ir = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32"));
             InferenceEngine onnx = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                     "openvino-onnx-fp32"))) {
            assertThat(onnx.infer(batch).predictions().get(3).probabilities())
                    .containsExactly(ir.infer(batch).predictions().get(3).probabilities(), within(1e-5f));
        }
    }

    /** The preprocessing path end to end: the f32 NCHW model, fed frames, agrees with the u8 model. */
    @Test
    void aModelThatTakesNormalizedNchwFloatsGetsPreprocessingBuiltIn() throws Exception {
        FrameBatch batch = randomFrames(5, 3);
        try (InferenceEngine u8 = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32"));
             InferenceEngine f32 = InferenceEngines.open(config(EngineKind.OPENVINO,
                     EngineTestSupport.f32NchwModels(), "openvino-fp32"))) {
            List<Prediction> expected = u8.infer(batch).predictions();
            List<Prediction> actual = f32.infer(batch).predictions();
            for (int i = 0; i < 5; i++) {
                assertThat(actual.get(i).probabilities()).containsExactly(expected.get(i).probabilities(),
                        within(1e-4f));
            }
        }
    }

    @Test
    void refusesBatchesThatDoNotFitAndUseAfterClose() throws Exception {
        InferenceEngine engine = InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32", EngineConfig.MAX_BATCH, "2"));
        assertThatThrownBy(() -> engine.infer(randomFrames(3, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 2 frames");
        assertThatThrownBy(() -> engine.infer(FrameBatch.allocate(1, 16, 16)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32x32");
        engine.close();
        assertThatThrownBy(() -> engine.infer(randomFrames(1, 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnavailableDeviceFailsWithOpenVinosOwnText() {
        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "openvino-fp32", EngineConfig.DEVICE, "NPU")))
                .isInstanceOf(InferenceException.class)
                .hasMessageContaining("openvino-fp32 on NPU")
                .hasMessageContaining("ov_core_compile_model");
    }

    @Test
    void anArtifactForTheOtherRuntimeIsRefused() {
        assertThatThrownBy(() -> InferenceEngines.open(config(EngineKind.OPENVINO, EngineTestSupport.u8Models(),
                "onnx-fp32"))).isInstanceOf(InferenceException.class).hasMessageContaining("made for onnxruntime");
    }
}

package dev.edgeinfer.openvino;

import static dev.edgeinfer.openvino.NativeTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The binding against the real library and the tiny test models. */
class OpenVinoBindingTest {
    private static final int PIXELS = 32 * 32 * 3;
    private static Core core;

    @BeforeAll
    static void createCore() throws OpenVinoException {
        NativeTestSupport.assumeOpenVinoPresent();
        core = Core.create();
    }

    @AfterAll
    static void closeCore() {
        if (core != null) {
            core.close();
        }
    }

    @Test
    void loadsThePinnedRelease() {
        OpenVinoLibrary.Version version = OpenVinoLibrary.version();
        assertThat(version.buildNumber()).startsWith("2026.4.1");
        assertThat(version.majorMinor()).isEqualTo("2026.4");
        assertThat(OpenVinoLibrary.libraryFile().getFileName().toString()).startsWith("libopenvino_c.so");
    }

    @Test
    void reportsTheCpuAndItsFullName() throws OpenVinoException {
        assertThat(core.availableDevices()).contains("CPU");
        assertThat(core.property("CPU", Core.FULL_DEVICE_NAME)).isNotBlank();
    }

    @Test
    void describesTheInputsAndOutputsOfAnIrModel() throws OpenVinoException {
        try (Model model = core.readModel(resource("tiny-u8/openvino/model.xml"))) {
            assertThat(model.inputs()).containsExactly(
                    new PortDescription("image", ElementType.U8, List.of(-1L, 32L, 32L, 3L)));
            assertThat(model.outputs()).containsExactly(
                    new PortDescription("logits", ElementType.F32, List.of(-1L, 10L)));
            assertThat(model.isDynamic()).isTrue();
            assertThat(model.friendlyName()).isNotBlank();
        }
    }

    @Test
    void reshapeFixesTheBatchAndRefusesAShapeThatDoesNotFit() throws OpenVinoException {
        try (Model model = core.readModel(resource("tiny-u8/openvino/model.xml"))) {
            model.reshape(16, 32, 32, 3);
            assertThat(model.isDynamic()).isFalse();
            assertThat(model.inputs().get(0).shape()).containsExactly(16L, 32L, 32L, 3L);
            assertThat(model.outputs().get(0).shape()).containsExactly(16L, 10L);
            assertThatThrownBy(() -> model.reshape(16, 32, 32))
                    .isInstanceOfSatisfying(OpenVinoException.class, e -> {
                        assertThat(e.getMessage()).startsWith("ov_model_reshape_single_input failed");
                        assertThat(e.nativeMessage()).isNotBlank();
                    });
        }
    }

    /** Pins ov_element_type_e: the library names each parameter's type, and the name must match our code. */
    @Test
    void elementTypeCodesMatchTheLoadedLibrary() throws OpenVinoException {
        try (Model model = core.readModel(resource("element-types/model.xml"))) {
            List<PortDescription> inputs = model.inputs();
            assertThat(inputs).hasSize(ElementType.values().length - 1);
            for (PortDescription input : inputs) {
                assertThat(input.elementType().typeName()).as("code of %s", input.name()).isEqualTo(input.name());
            }
        }
    }

    @Test
    void aTensorWrapsADirectBufferAndReportsItsTypeAndShape() throws OpenVinoException {
        ByteBuffer memory = ByteBuffer.allocateDirect(2 * PIXELS);
        try (Tensor tensor = Tensor.wrap(ElementType.U8, new long[] {2, 32, 32, 3}, memory)) {
            assertThat(tensor.elementType()).isEqualTo(ElementType.U8);
            assertThat(tensor.shape()).containsExactly(2, 32, 32, 3);
            assertThat(tensor.byteSize()).isEqualTo(2L * PIXELS);
            memory.put(5, (byte) 42);
            ByteBuffer copy = ByteBuffer.allocate(2 * PIXELS);
            tensor.copyTo(copy);
            assertThat(copy.get(5)).as("same memory, no copy at wrap").isEqualTo((byte) 42);
        }
        assertThatThrownBy(() -> Tensor.wrap(ElementType.F32, new long[] {1, 10}, ByteBuffer.allocate(40)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("direct");
    }

    @Test
    void compilesWithPropertiesAndReadsThemBack() throws OpenVinoException {
        try (Model model = core.readModel(resource("tiny-u8/openvino/model.xml"));
             CompiledModel compiled = core.compileModel(model, "CPU", Map.of(Core.PERFORMANCE_HINT, "LATENCY",
                     Core.NUM_STREAMS, "1", Core.INFERENCE_PRECISION_HINT, "f32"))) {
            assertThat(compiled.property(Core.PERFORMANCE_HINT)).isEqualTo("LATENCY");
            assertThat(compiled.property(Core.NUM_STREAMS)).isEqualTo("1");
            assertThat(compiled.property(Core.INFERENCE_PRECISION_HINT)).isEqualTo("f32");
        }
    }

    @Test
    void irAndOnnxFilesOfTheSameModelGiveTheSameLogits() throws OpenVinoException {
        ByteBuffer pixels = randomPixels(4, 1);
        float[] fromIr = inferLogits(resource("tiny-u8/openvino/model.xml"), pixels, 4);
        float[] fromOnnx = inferLogits(resource("tiny-u8/onnx/model.onnx"), pixels, 4);
        assertThat(fromIr).containsExactly(fromOnnx, within(1e-4f));
        assertThat(fromIr).hasSize(40);
    }

    /** The preprocessing path: an FP32 NCHW model fed u8 NHWC must agree with the u8 model that normalizes inside. */
    @Test
    void preprocessingBuiltIntoTheModelConvertsU8NhwcToNormalizedF32Nchw() throws OpenVinoException {
        float[] mean = {0.4914f, 0.4822f, 0.4465f};
        float[] std = {0.2470f, 0.2435f, 0.2616f};
        ByteBuffer pixels = randomPixels(3, 2);
        float[] reference = inferLogits(resource("tiny-u8/openvino/model.xml"), pixels, 3);
        try (Model raw = core.readModel(resource("tiny-f32-nchw/openvino/model.xml"))) {
            assertThat(raw.inputs().get(0).elementType()).isEqualTo(ElementType.F32);
            try (PrePostProcessor ppp = PrePostProcessor.create(raw)) {
                try (InputInfo input = ppp.input(0);
                     InputTensorInfo tensor = input.tensor();
                     InputModelInfo model = input.model();
                     PreprocessSteps steps = input.steps()) {
                    tensor.setElementType(ElementType.U8).setLayout("NHWC");
                    model.setLayout("NCHW");
                    steps.convertElementType(ElementType.F32)
                            .mean(mean[0] * 255f, mean[1] * 255f, mean[2] * 255f)
                            .scale(std[0] * 255f, std[1] * 255f, std[2] * 255f);
                }
                try (Model withPreprocessing = ppp.build()) {
                    assertThat(withPreprocessing.inputs().get(0))
                            .isEqualTo(new PortDescription("image", ElementType.U8, List.of(-1L, 32L, 32L, 3L)));
                    float[] converted = inferLogits(withPreprocessing, pixels, 3);
                    assertThat(converted).containsExactly(reference, within(1e-3f));
                }
            }
        }
    }

    @Test
    void asynchronousRequestsCompleteThroughTheCallback() throws Exception {
        int inFlight = 4;
        try (Model model = core.readModel(resource("tiny-u8/openvino/model.xml"));
             CompiledModel compiled = core.compileModel(model, "CPU", Map.of(Core.PERFORMANCE_HINT, "THROUGHPUT"))) {
            List<InferRequest> requests = new ArrayList<>();
            List<ByteBuffer> outputs = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(inFlight);
            try {
                for (int i = 0; i < inFlight; i++) {
                    InferRequest request = compiled.createInferRequest();
                    requests.add(request);
                    ByteBuffer out = ByteBuffer.allocateDirect(10 * 4).order(ByteOrder.nativeOrder());
                    outputs.add(out);
                    try (Tensor in = Tensor.wrap(ElementType.U8, new long[] {1, 32, 32, 3}, randomPixels(1, 3));
                         Tensor logits = Tensor.wrap(ElementType.F32, new long[] {1, 10}, out)) {
                        request.setInputTensor(0, in);
                        request.setOutputTensor(0, logits);
                    }
                    request.setCompletionCallback(done::countDown);
                }
                for (InferRequest request : requests) {
                    request.startAsync();
                }
                assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
                for (InferRequest request : requests) {
                    request.awaitCompletion();
                }
                for (ByteBuffer out : outputs) {
                    assertThat(out.getFloat(0)).isNotZero();
                    assertThat(out.getFloat(0)).isEqualTo(outputs.get(0).getFloat(0));
                }
            } finally {
                requests.forEach(InferRequest::close);
            }
        }
    }

    @Test
    void failuresCarryTheStatusAndTheLibrarysOwnText() {
        Path missing = Path.of("no-such-model.xml");
        assertThatThrownBy(() -> core.readModel(missing))
                .isInstanceOfSatisfying(OpenVinoException.class, e -> {
                    assertThat(e.status()).isNotEqualTo(OpenVinoStatus.OK);
                    assertThat(e.nativeMessage()).contains("no-such-model.xml");
                    assertThat(e.getMessage()).startsWith("ov_core_read_model(");
                });
        assertThatThrownBy(() -> {
            try (Model model = core.readModel(resource("tiny-u8/openvino/model.xml"))) {
                core.compileModel(model, "NO_SUCH_DEVICE", Map.of()).close();
            }
        }).isInstanceOfSatisfying(OpenVinoException.class,
                e -> assertThat(e.nativeMessage()).contains("NO_SUCH_DEVICE"));
    }

    @Test
    void aClosedObjectRefusesUse() throws OpenVinoException {
        Model model = core.readModel(resource("tiny-u8/openvino/model.xml"));
        model.close();
        model.close();
        assertThat(model.isClosed()).isTrue();
        assertThatThrownBy(model::inputs).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private static float[] inferLogits(Path modelFile, ByteBuffer pixels, int images) throws OpenVinoException {
        try (Model model = core.readModel(modelFile)) {
            return inferLogits(model, pixels, images);
        }
    }

    private static float[] inferLogits(Model model, ByteBuffer pixels, int images) throws OpenVinoException {
        try (CompiledModel compiled = core.compileModel(model, "CPU", Map.of());
             InferRequest request = compiled.createInferRequest();
             Tensor input = Tensor.wrap(ElementType.U8, new long[] {images, 32, 32, 3}, pixels)) {
            request.setInputTensor(0, input);
            request.infer();
            try (Tensor output = request.outputTensor(0)) {
                assertThat(output.shape()).containsExactly(images, 10);
                ByteBuffer bytes = ByteBuffer.allocate((int) output.byteSize()).order(ByteOrder.nativeOrder());
                output.copyTo(bytes);
                bytes.flip();
                FloatBuffer floats = bytes.asFloatBuffer();
                float[] logits = new float[floats.remaining()];
                floats.get(logits);
                return logits;
            }
        }
    }

    static ByteBuffer randomPixels(int images, long seed) {
        byte[] bytes = new byte[images * PIXELS];
        new Random(seed).nextBytes(bytes);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return buffer;
    }
}

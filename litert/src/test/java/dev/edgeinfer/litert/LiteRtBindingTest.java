package dev.edgeinfer.litert;

import static dev.edgeinfer.litert.NativeTestSupport.FRAME_BYTES;
import static dev.edgeinfer.litert.NativeTestSupport.expectedLogits;
import static dev.edgeinfer.litert.NativeTestSupport.fixedFrame;
import static dev.edgeinfer.litert.NativeTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binding against the real library and the tiny test models, whose logits for one frame ai_edge_litert's own
 * Interpreter computed ({@code expected-logits.txt}).
 */
class LiteRtBindingTest {
    private static final Set<HardwareAccelerator> CPU = Set.of(HardwareAccelerator.CPU);
    private static Environment environment;

    @TempDir
    Path dir;

    @BeforeAll
    static void createEnvironment() throws LiteRtException {
        if (LiteRtLibrary.locate().libraryFile().isPresent()) {
            environment = Environment.create(CPU);
        }
    }

    /** Per test, so that each skipped test carries the reason in the report. */
    @BeforeEach
    void natives() {
        NativeTestSupport.assumeLiteRtPresent();
    }

    @AfterAll
    static void closeEnvironment() {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void loadsThePinnedRelease() {
        assertThat(LiteRtLibrary.version()).isEqualTo("2.3.0");
        assertThat(LiteRtLibrary.libraryFile().getFileName().toString()).isEqualTo("libLiteRt.so");
    }

    @Test
    void registersTheCpuAccelerator() throws LiteRtException {
        assertThat(environment.accelerators()).extracting(Accelerator::hardware).contains(CPU);
    }

    @Test
    void describesTheSignatureOfAFloatModel() throws LiteRtException {
        try (Model model = Model.load(environment, resource("tiny-u8/model-fp32.tflite"))) {
            assertThat(model.signatureKeys()).containsExactly("serving_default");
            assertThat(model.inputs(0)).containsExactly(
                    new TensorDescription("image", ElementType.UINT8, List.of(1, 32, 32, 3), Quantization.NONE));
            assertThat(model.outputs(0)).containsExactly(
                    new TensorDescription("logits", ElementType.FLOAT32, List.of(1, 10), Quantization.NONE));
        }
    }

    @Test
    void readsTheQuantizationOfAnIntegerModel() throws LiteRtException {
        try (Model model = Model.load(environment, resource("tiny-u8/model-int8.tflite"))) {
            TensorDescription input = model.inputs(0).get(0);
            assertThat(input.elementType()).isEqualTo(ElementType.UINT8);
            assertThat(input.quantization()).isEqualTo(new Quantization(Quantization.Kind.PER_TENSOR, 1f, 0));
            TensorDescription output = model.outputs(0).get(0);
            assertThat(output.elementType()).isEqualTo(ElementType.UINT8);
            assertThat(output.quantization().isPerTensor()).isTrue();
            assertThat(output.quantization().scale()).isCloseTo(0.06334148f, within(1e-7f));
            assertThat(output.quantization().zeroPoint()).isEqualTo(186);
        }
    }

    @Test
    void runsAFloatModelAsThePythonRuntimeDoes() throws LiteRtException {
        float[] logits = run("model-fp32.tflite", null);
        assertThat(logits).containsExactly(expectedLogits("fp32"), within(1e-5f));
    }

    @Test
    void runsAnIntegerModelAsThePythonRuntimeDoesWithItsThreadsSet() throws LiteRtException {
        float[] logits = run("model-int8.tflite", 2);
        // One quantization step (the scale) apart at most: the same kernels, so in practice none.
        assertThat(logits).containsExactly(expectedLogits("int8"), within(0.064f));
    }

    /** Loads, compiles and runs a tiny model on the fixed frame; returns its logits, dequantized. */
    private float[] run(String file, Integer cpuThreads) throws LiteRtException {
        try (Model model = Model.load(environment, resource("tiny-u8/" + file));
             CompilationOptions options = CompilationOptions.create();
             CompiledModel compiled = compile(model, options, cpuThreads);
             TensorBuffer in = compiled.createInputBuffer(0);
             TensorBuffer out = compiled.createOutputBuffer(0)) {
            assertThat(in.packedSize()).isEqualTo(FRAME_BYTES);
            in.write(fixedFrame());
            compiled.run(new TensorBuffer[] {in}, new TensorBuffer[] {out});
            ByteBuffer raw = ByteBuffer.allocate((int) out.packedSize()).order(ByteOrder.nativeOrder());
            out.read(raw);
            raw.flip();
            Quantization q = model.outputs(0).get(0).quantization();
            float[] logits = new float[10];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = q.isPerTensor() ? q.dequantize(raw.get(i) & 0xFF) : raw.getFloat(i * Float.BYTES);
            }
            return logits;
        }
    }

    private static CompiledModel compile(Model model, CompilationOptions options, Integer cpuThreads)
            throws LiteRtException {
        if (cpuThreads != null) {
            options.cpuThreads(cpuThreads);
        }
        return CompiledModel.create(environment, model, options);
    }

    @Test
    void compilingForTheGpuWorksOrFailsWithAStatusWithoutHarm() throws LiteRtException {
        Set<HardwareAccelerator> gpu = Set.of(HardwareAccelerator.GPU, HardwareAccelerator.CPU);
        try (Environment gpuEnvironment = Environment.create(gpu);
             Model model = Model.load(gpuEnvironment, resource("tiny-u8/model-fp32.tflite"));
             CompilationOptions options = CompilationOptions.create().hardwareAccelerators(gpu)) {
            // The wheel's GPU accelerator is WebGPU: without a GPU and its Vulkan driver it registers but cannot run.
            try (CompiledModel compiled = CompiledModel.create(gpuEnvironment, model, options)) {
                compiled.isFullyAccelerated();
            } catch (LiteRtException e) {
                assertThat(e.function()).isEqualTo("LiteRtCreateCompiledModel");
            }
        }
    }

    @Test
    void aMissingFileFailsWithItsStatus() {
        Path missing = dir.resolve("missing.tflite");
        assertThatThrownBy(() -> Model.load(environment, missing))
                .isInstanceOfSatisfying(LiteRtException.class, e -> {
                    assertThat(e.status()).isEqualTo(LiteRtStatus.FILE_IO);
                    assertThat(e.statusCode()).isEqualTo(500);
                    assertThat(e.function()).isEqualTo("LiteRtCreateModelFromFile(" + missing + ")");
                    assertThat(e.getMessage()).contains("FILE_IO (500)");
                });
    }

    @Test
    void aFileThatIsNoModelFailsWithItsStatus() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.tflite"), "this is not a flatbuffer".repeat(10));
        assertThatThrownBy(() -> Model.load(environment, bad))
                .isInstanceOfSatisfying(LiteRtException.class, e -> {
                    // 2.3.0 reports a wrong file identifier as a file error, not as INVALID_FLATBUFFER.
                    assertThat(e.status()).isEqualTo(LiteRtStatus.FILE_IO);
                    assertThat(e.function()).contains(bad.toString());
                });
    }

    @Test
    void aBufferOfTheWrongSizeIsRefused() throws LiteRtException {
        try (Model model = Model.load(environment, resource("tiny-u8/model-fp32.tflite"));
             CompilationOptions options = CompilationOptions.create();
             CompiledModel compiled = CompiledModel.create(environment, model, options);
             TensorBuffer in = compiled.createInputBuffer(0)) {
            assertThatThrownBy(() -> in.write(ByteBuffer.allocate(FRAME_BYTES - 1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes " + FRAME_BYTES);
            assertThatThrownBy(() -> compiled.createInputBuffer(1)).isInstanceOf(LiteRtException.class);
            assertThatThrownBy(() -> options.cpuThreads(0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyHandleThrowsOnceClosed() throws LiteRtException {
        Environment env = Environment.create(CPU);
        Model model = Model.load(env, resource("tiny-u8/model-fp32.tflite"));
        CompilationOptions options = CompilationOptions.create();
        CompiledModel compiled = CompiledModel.create(env, model, options);
        TensorBuffer in = compiled.createInputBuffer(0);
        TensorBuffer out = compiled.createOutputBuffer(0);
        in.close();
        out.close();
        compiled.close();
        options.close();
        model.close();
        env.close();
        env.close();

        assertThatThrownBy(() -> in.write(fixedFrame())).isInstanceOf(IllegalStateException.class)
                .hasMessage("TensorBuffer is closed");
        assertThatThrownBy(() -> compiled.run(new TensorBuffer[] {in}, new TensorBuffer[] {out}))
                .isInstanceOf(IllegalStateException.class).hasMessage("CompiledModel is closed");
        assertThatThrownBy(() -> options.cpuThreads(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> model.inputs(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(env::accelerators).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> Model.load(env, resource("tiny-u8/model-fp32.tflite")))
                .isInstanceOf(IllegalStateException.class).hasMessage("Environment is closed");
        assertThat(List.of(env, model, options, compiled, in, out)).allMatch(NativeObject::isClosed);
    }

    @Test
    void aBoundRunRefusesABufferClosedAfterTheBinding() throws LiteRtException {
        try (Environment env = Environment.create(CPU);
             Model model = Model.load(env, resource("tiny-u8/model-fp32.tflite"));
             CompilationOptions options = CompilationOptions.create();
             CompiledModel compiled = CompiledModel.create(env, model, options);
             TensorBuffer in = compiled.createInputBuffer(0);
             TensorBuffer out = compiled.createOutputBuffer(0)) {
            Invocation invocation = compiled.bind(new TensorBuffer[] {in}, new TensorBuffer[] {out});
            in.write(fixedFrame());
            invocation.run();
            out.close();

            assertThatThrownBy(invocation::run).isInstanceOf(IllegalStateException.class)
                    .hasMessage("tensor buffer 1 of this run is closed");
        }
    }

    @Test
    void whatACompiledModelNeedsStaysAllocatedUntilItIsClosed() throws LiteRtException {
        Environment env = Environment.create(CPU);
        Model model = Model.load(env, resource("tiny-u8/model-fp32.tflite"));
        CompilationOptions options = CompilationOptions.create();
        try (CompiledModel compiled = CompiledModel.create(env, model, options);
             TensorBuffer in = compiled.createInputBuffer(0);
             TensorBuffer out = compiled.createOutputBuffer(0)) {
            // Closed first, the wrong way round: freed only after the compiled model and its buffers.
            options.close();
            model.close();
            env.close();
            for (int i = 0; i < 3; i++) {
                in.write(fixedFrame());
                compiled.run(new TensorBuffer[] {in}, new TensorBuffer[] {out});
            }
            ByteBuffer raw = ByteBuffer.allocate(40).order(ByteOrder.nativeOrder());
            out.read(raw);
            assertThat(raw.getFloat(0)).isCloseTo(expectedLogits("fp32")[0], within(1e-5f));
        }
    }
}

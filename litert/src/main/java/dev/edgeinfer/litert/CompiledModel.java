package dev.edgeinfer.litert;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByteByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.litert.Handles.CompiledModelHandle;
import dev.edgeinfer.litert.Handles.TensorBufferRequirementsHandle;
import java.util.Locale;

/**
 * A model compiled for the accelerators its options name ({@code LiteRtCompiledModel}), run on its first signature
 * with tensor buffers made for it. Not thread-safe: LiteRT does not promise that a compiled model may be used from
 * two threads at once, so one caller at a time; make one compiled model per thread that runs inferences. Owns its
 * native object, freed by {@link #close()} once its tensor buffers are closed too; keeps its environment, model
 * and options allocated while it is.
 */
public final class CompiledModel extends NativeObject<CompiledModelHandle> {
    /** The signature everything here runs: a converted classifier has one, {@code serving_default}. */
    private static final int SIGNATURE = 0;

    private final Environment environment;
    private final Model model;

    private CompiledModel(Pointer handle, Environment environment, Model model, CompilationOptions options) {
        super(new CompiledModelHandle(handle), environment, model, options);
        this.environment = environment;
        this.model = model;
    }

    /**
     * Compiles a model. Creating a compiled model takes a process-wide lock in LiteRT: compiling several at once does
     * not make it faster.
     *
     * @param environment the environment the model was read in
     * @param model       the model
     * @param options     the accelerators and their settings
     * @return a new compiled model that the caller closes
     * @throws LiteRtException if no requested accelerator can run the model, or compilation fails
     */
    public static CompiledModel create(Environment environment, Model model, CompilationOptions options)
            throws LiteRtException {
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtCreateCompiledModel(environment.handle(), model.handle(),
                options.handle(), out), "LiteRtCreateCompiledModel");
        return new CompiledModel(out.getValue(), environment, model, options);
    }

    /**
     * @return whether every operation runs on the requested accelerators, none falling back to the CPU
     * @throws LiteRtException if the library fails
     */
    public boolean isFullyAccelerated() throws LiteRtException {
        ByteByReference fully = new ByteByReference();
        LiteRtLibrary.check(LiteRtLibrary.c().LiteRtCompiledModelIsFullyAccelerated(handle(), fully),
                "LiteRtCompiledModelIsFullyAccelerated");
        return fully.getValue() != 0;
    }

    /**
     * @param index an input of the first signature
     * @return a new buffer of the size and kind the compiled model wants for that input, which the caller closes
     * @throws LiteRtException if there is no such input, or the buffer cannot be allocated
     */
    public TensorBuffer createInputBuffer(int index) throws LiteRtException {
        return createBuffer(true, index);
    }

    /**
     * @param index an output of the first signature
     * @return a new buffer of the size and kind the compiled model wants for that output, which the caller closes
     * @throws LiteRtException if there is no such output, or the buffer cannot be allocated
     */
    public TensorBuffer createOutputBuffer(int index) throws LiteRtException {
        return createBuffer(false, index);
    }

    private TensorBuffer createBuffer(boolean input, int index) throws LiteRtException {
        LiteRtC c = LiteRtLibrary.c();
        PointerByReference requirements = new PointerByReference();
        String side = input ? "Input" : "Output";
        LiteRtLibrary.check(input
                ? c.LiteRtGetCompiledModelInputBufferRequirements(handle(), SIGNATURE, index, requirements)
                : c.LiteRtGetCompiledModelOutputBufferRequirements(handle(), SIGNATURE, index, requirements),
                "LiteRtGetCompiledModel" + side + "BufferRequirements(" + index + ")");
        Structs.RankedTensorType type = model.rankedType(SIGNATURE, input, index);
        PointerByReference out = new PointerByReference();
        LiteRtLibrary.check(c.LiteRtCreateManagedTensorBufferFromRequirements(environment.handle(), type,
                new TensorBufferRequirementsHandle(requirements.getValue()), out),
                "LiteRtCreateManagedTensorBufferFromRequirements(" + side.toLowerCase(Locale.ROOT) + " "
                        + index + ")");
        return TensorBuffer.adopt(out.getValue(), type, environment, this);
    }

    /**
     * Binds buffers to the first signature's inputs and outputs, for runs of this compiled model that pass no arrays.
     *
     * @param inputs  one buffer per input, in order, made for this compiled model
     * @param outputs one buffer per output, in order, made for this compiled model
     * @return the bound run; it holds no native memory of its own that needs closing
     * @throws IllegalStateException if this compiled model or a buffer is closed
     */
    public Invocation bind(TensorBuffer[] inputs, TensorBuffer[] outputs) {
        handle(); // a closed compiled model is named before its buffers
        return new Invocation(this, inputs, outputs);
    }

    /**
     * Runs the first signature once on the calling thread: reads the inputs' buffers, writes the outputs'.
     *
     * @param inputs  one buffer per input, in order, made for this compiled model
     * @param outputs one buffer per output, in order, made for this compiled model
     * @throws LiteRtException if inference fails
     */
    public void run(TensorBuffer[] inputs, TensorBuffer[] outputs) throws LiteRtException {
        bind(inputs, outputs).run();
    }

    @Override
    void free(CompiledModelHandle handle) {
        LiteRtLibrary.c().LiteRtDestroyCompiledModel(handle);
    }
}

package dev.edgeinfer.litert;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.util.List;

/**
 * A compiled model with its input and output buffers bound, run again and again: the arrays of buffer handles the C
 * call reads are written into native memory once, here, instead of being converted on every run. Not thread-safe,
 * as its compiled model. Each run checks that neither the compiled model nor a buffer has been closed.
 */
public final class Invocation {
    /** {@code LiteRtRunCompiledModel}'s signature index: a converted classifier has one signature. */
    private static final long SIGNATURE = 0;

    private final CompiledModel compiled;
    private final List<TensorBuffer> buffers;
    private final int inputCount;
    private final int outputCount;
    private final Memory inputHandles;
    private final Memory outputHandles;

    Invocation(CompiledModel compiled, TensorBuffer[] inputs, TensorBuffer[] outputs) {
        if (inputs.length == 0 || outputs.length == 0) {
            throw new IllegalArgumentException("a run needs at least one input and one output buffer, has "
                    + inputs.length + " and " + outputs.length);
        }
        this.compiled = compiled;
        this.inputCount = inputs.length;
        this.outputCount = outputs.length;
        this.inputHandles = handles(inputs);
        this.outputHandles = handles(outputs);
        TensorBuffer[] all = new TensorBuffer[inputs.length + outputs.length];
        System.arraycopy(inputs, 0, all, 0, inputs.length);
        System.arraycopy(outputs, 0, all, inputs.length, outputs.length);
        this.buffers = List.of(all);
    }

    private static Memory handles(TensorBuffer[] buffers) {
        Memory handles = new Memory((long) buffers.length * Native.POINTER_SIZE);
        for (int i = 0; i < buffers.length; i++) {
            handles.setPointer((long) i * Native.POINTER_SIZE, buffers[i].handle().getPointer());
        }
        return handles;
    }

    /**
     * Runs the first signature on the calling thread: reads the input buffers, writes the output buffers.
     *
     * @throws LiteRtException if inference fails
     * @throws IllegalStateException if the compiled model or a bound buffer is closed
     */
    public void run() throws LiteRtException {
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i).isClosed()) {
                throw new IllegalStateException("tensor buffer " + i + " of this run is closed");
            }
        }
        LiteRtLibrary.check(HotCalls.LiteRtRunCompiledModel(compiled.handle().getPointer(), SIGNATURE, inputCount,
                inputHandles, outputCount, outputHandles), "LiteRtRunCompiledModel");
    }
}

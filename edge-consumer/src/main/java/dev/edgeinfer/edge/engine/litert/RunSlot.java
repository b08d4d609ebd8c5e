package dev.edgeinfer.edge.engine.litert;

import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.edge.engine.Ticker;
import dev.edgeinfer.litert.CompiledModel;
import dev.edgeinfer.litert.Invocation;
import dev.edgeinfer.litert.LiteRtException;
import dev.edgeinfer.litert.TensorBuffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One slot of the engine's requests in flight: a compiled model of its own (LiteRT does not promise that one may run
 * on two threads at once), its input and output tensor buffers, and the memory a batch's frames are staged in. A
 * batch runs as consecutive runs of the model's batch; the last run of a batch that does not fill it is padded with
 * black frames, whose scores are not read. Used by one thread at a time.
 */
final class RunSlot implements AutoCloseable {
    /** Nanoseconds spent per stage over the runs of one batch. */
    static final class StageNanos {
        long load;
        long run;
        long read;
    }

    private final CompiledModel compiled;
    private final TensorBuffer input;
    private final TensorBuffer output;
    private final Invocation invocation;
    private final ModelSignature signature;
    private final ByteBuffer staged;
    /** The frames of one run: a view of {@link #staged} when the model's batch is 1, else a padded copy. */
    private final ByteBuffer runPixels;
    private final ByteBuffer rawOutput;
    private final int frameBytes;
    private final int classes;

    /**
     * @param compiled   the slot's compiled model, now owned by the slot
     * @param signature  the model's signature
     * @param frameBytes bytes per frame
     * @param classes    scores per frame
     * @param maxBatch   frames per batch at most
     * @throws LiteRtException if the buffers cannot be made, or the model wants other sizes than the signature says
     */
    RunSlot(CompiledModel compiled, ModelSignature signature, int frameBytes, int classes, int maxBatch)
            throws LiteRtException {
        this.compiled = compiled;
        this.signature = signature;
        this.frameBytes = frameBytes;
        this.classes = classes;
        TensorBuffer in = null;
        TensorBuffer out = null;
        try {
            in = compiled.createInputBuffer(0);
            out = compiled.createOutputBuffer(0);
            long inBytes = (long) signature.batch() * frameBytes;
            long outBytes = (long) signature.batch() * classes * signature.outputElementBytes();
            if (in.packedSize() != inBytes || out.packedSize() != outBytes) {
                throw new IllegalStateException("LiteRT wants " + in.packedSize() + " input and " + out.packedSize()
                        + " output bytes per run, the signature says " + inBytes + " and " + outBytes);
            }
        } catch (LiteRtException | RuntimeException e) {
            closeAll(out, in, compiled);
            throw e;
        }
        this.input = in;
        this.output = out;
        this.invocation = compiled.bind(new TensorBuffer[] {in}, new TensorBuffer[] {out});
        this.staged = ByteBuffer.allocateDirect(frameBytes * maxBatch);
        this.runPixels = signature.batch() == 1 ? null : ByteBuffer.allocateDirect(signature.batch() * frameBytes);
        this.rawOutput = ByteBuffer.allocateDirect((int) out.packedSize()).order(ByteOrder.nativeOrder());
    }

    /**
     * @return whether every operation runs on the requested accelerators
     * @throws LiteRtException if LiteRT fails
     */
    boolean isFullyAccelerated() throws LiteRtException {
        return compiled.isFullyAccelerated();
    }

    /** Copies the batch's pixels into the slot, so the caller may reuse its buffer. */
    void stage(FrameBatch batch) {
        staged.clear();
        staged.put(batch.pixels());
    }

    /**
     * Classifies the staged frames.
     *
     * @param frames how many frames are staged
     * @param ticker the clock
     * @param nanos  where the time of each stage is added
     * @return the scores, {@code frames x classes}, row-major
     * @throws LiteRtException if LiteRT fails
     */
    float[] run(int frames, Ticker ticker, StageNanos nanos) throws LiteRtException {
        float[] scores = new float[frames * classes];
        int batch = signature.batch();
        for (int first = 0; first < frames; first += batch) {
            int count = Math.min(batch, frames - first);
            long start = ticker.nanoTime();
            input.write(pixelsOfRun(first, count));
            long loaded = ticker.nanoTime();
            invocation.run();
            long ran = ticker.nanoTime();
            rawOutput.clear();
            output.read(rawOutput);
            signature.decode(rawOutput, scores, first * classes, count * classes);
            long read = ticker.nanoTime();
            nanos.load += loaded - start;
            nanos.run += ran - loaded;
            nanos.read += read - ran;
        }
        return scores;
    }

    private ByteBuffer pixelsOfRun(int first, int count) {
        ByteBuffer frames = staged.slice(first * frameBytes, count * frameBytes);
        if (runPixels == null) {
            return frames;
        }
        runPixels.clear();
        runPixels.put(frames);
        while (runPixels.hasRemaining()) {
            runPixels.put((byte) 0);
        }
        return runPixels.flip();
    }

    @Override
    public void close() {
        closeAll(output, input, compiled);
    }

    /** Closes the buffers, then the compiled model; nulls skipped. */
    private static void closeAll(TensorBuffer out, TensorBuffer in, CompiledModel compiled) {
        if (out != null) {
            out.close();
        }
        if (in != null) {
            in.close();
        }
        compiled.close();
    }
}

package dev.edgeinfer.edge.engine.openvino;

import dev.edgeinfer.edge.engine.BatchResult;
import dev.edgeinfer.edge.engine.FrameBatch;
import dev.edgeinfer.openvino.ElementType;
import dev.edgeinfer.openvino.InferRequest;
import dev.edgeinfer.openvino.OpenVinoException;
import dev.edgeinfer.openvino.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * One slot of the engine's requests in flight: its own input and output memory, and over it an infer request of the
 * model compiled for any batch and, where the engine has one, an infer request of the model compiled for full batches
 * only. Tensors over that memory are made once per batch size and kept, so steady-state inference allocates nothing
 * native; the any-batch request is re-pointed only when the batch size changes.
 *
 * <p>Batches run at a few sizes only: a batch of n frames runs at the smallest power of two not below n (at most the
 * engine's largest batch), the frames after the n-th holding whatever the buffer held before, and their outputs are
 * not read. OpenVINO's CPU plugin keeps working memory for every input shape it has run; with any size from 1 to 64
 * a consumer's resident memory grew by about 120 MB as partial batches of new sizes came by, against a bounded
 * handful of shapes here, for at most twice the work on a partial batch.
 */
final class RequestSlot implements AutoCloseable {
    private final InferRequest anyBatch;
    private final InferRequest fullBatch;
    private final ByteBuffer input;
    private final ByteBuffer output;
    private final FloatBuffer outputFloats;
    private final Tensor[] inputTensors;
    private final Tensor[] outputTensors;
    private final int height;
    private final int width;
    private final int classes;
    private final int maxBatch;
    private int boundFrames;

    /** Released by the submitting thread once a batch started on the slot; its waiting thread takes it. */
    final Semaphore started = new Semaphore(0);

    // Set by the submitting thread before start_async, read by the slot's waiting thread after {@link #started}.
    /** The request the current batch runs on. */
    volatile InferRequest request;
    volatile CompletableFuture<BatchResult> result;
    volatile int frames;
    volatile long startNanos;
    volatile long loadedNanos;

    /**
     * @param anyBatch  a request of the model compiled with a dynamic batch
     * @param fullBatch a request of the model compiled for batches of {@code maxBatch}, or null to run every batch on
     *                  {@code anyBatch}
     * @throws OpenVinoException if the full-batch request cannot be pointed at the slot's memory
     */
    RequestSlot(InferRequest anyBatch, InferRequest fullBatch, int frameBytes, int height, int width, int classes,
                int maxBatch)
            throws OpenVinoException {
        this.anyBatch = anyBatch;
        this.fullBatch = fullBatch;
        this.request = anyBatch;
        this.input = ByteBuffer.allocateDirect(frameBytes * maxBatch);
        this.output = ByteBuffer.allocateDirect(classes * Float.BYTES * maxBatch).order(ByteOrder.nativeOrder());
        this.outputFloats = output.asFloatBuffer();
        this.inputTensors = new Tensor[maxBatch + 1];
        this.outputTensors = new Tensor[maxBatch + 1];
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.maxBatch = maxBatch;
        if (fullBatch != null) {
            try {
                createTensors(maxBatch);
                fullBatch.setInputTensor(0, inputTensors[maxBatch]);
                fullBatch.setOutputTensor(0, outputTensors[maxBatch]);
            } catch (OpenVinoException | RuntimeException e) {
                closeTensors();
                throw e;
            }
        }
    }

    /** The size a batch of {@code frames} runs at: the next power of two, at most the largest batch. */
    static int shapeFor(int frames, int maxBatch) {
        int power = Integer.highestOneBit(frames);
        return Math.min(maxBatch, power == frames ? frames : power << 1);
    }

    /**
     * Copies the batch's pixels in and chooses the request it runs on: the full-batch one for a full batch where there
     * is one, otherwise the any-batch one, pointed at tensors of the size the batch runs at.
     */
    void load(FrameBatch batch) throws OpenVinoException {
        input.clear();
        input.put(batch.pixels());
        int n = shapeFor(batch.count(), maxBatch);
        if (n == maxBatch && fullBatch != null) {
            request = fullBatch;
            return;
        }
        request = anyBatch;
        if (boundFrames != n) {
            createTensors(n);
            anyBatch.setInputTensor(0, inputTensors[n]);
            anyBatch.setOutputTensor(0, outputTensors[n]);
            boundFrames = n;
        }
    }

    private void createTensors(int n) throws OpenVinoException {
        if (inputTensors[n] == null) {
            inputTensors[n] = Tensor.wrap(ElementType.U8, new long[] {n, height, width, FrameBatch.CHANNELS},
                    input.duplicate().clear());
            outputTensors[n] = Tensor.wrap(ElementType.F32, new long[] {n, classes}, output.duplicate().clear());
        }
    }

    float[] readOutputs(int frames) {
        float[] values = new float[frames * classes];
        outputFloats.get(0, values);
        return values;
    }

    @Override
    public void close() {
        anyBatch.close();
        if (fullBatch != null) {
            fullBatch.close();
        }
        closeTensors();
    }

    private void closeTensors() {
        for (Tensor[] tensors : new Tensor[][] {inputTensors, outputTensors}) {
            for (Tensor tensor : tensors) {
                if (tensor != null) {
                    tensor.close();
                }
            }
        }
    }
}

package dev.edgeinfer.edge.engine;

import java.util.concurrent.CompletableFuture;

/**
 * Classifies frames on the local accelerator: pixels in, class scores and timings out. Knows nothing of where
 * frames come from. Made by {@link InferenceEngines#open(EngineConfig)}; thread-safe; owns native resources
 * until {@link #close()}.
 */
public interface InferenceEngine extends AutoCloseable {
    /** @return what this engine runs: runtime, device, model and artifact */
    EngineDescription describe();

    /** @return the largest number of frames one batch may hold */
    int maxBatch();

    /**
     * Classifies a batch on the calling thread.
     *
     * @param batch up to {@link #maxBatch()} frames of the model's size
     * @return one prediction per frame, in order, and the timings of the batch
     * @throws InferenceException if the runtime fails
     * @throws IllegalArgumentException if the batch does not fit the model's input contract
     * @throws IllegalStateException if the engine is closed
     */
    BatchResult infer(FrameBatch batch) throws InferenceException;

    /**
     * Starts classifying a batch on one of the engine's requests in flight and returns when it has started.
     * Blocks while all requests are busy, which is the back-pressure a consumer loop needs. The pixels are
     * copied before this returns, so the caller may reuse the batch's buffer at once. The future completes on
     * an engine thread: chain heavy work with the {@code *Async} methods.
     *
     * @param batch up to {@link #maxBatch()} frames of the model's size
     * @return the result, or an {@link InferenceException} through the future
     * @throws IllegalArgumentException if the batch does not fit the model's input contract
     * @throws IllegalStateException if the engine is closed
     */
    CompletableFuture<BatchResult> submit(FrameBatch batch);

    /** Waits for batches in flight, then frees every native resource. */
    @Override
    void close();
}

package dev.edgeinfer.edge.engine;

import dev.edgeinfer.schemas.manifest.InputContract;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The requests an engine runs at once, each with its own buffers: taken for a batch, blocking while all are busy
 * (the back-pressure a consumer loop needs), and given back when the batch completes.
 *
 * @param <S> an engine's request slot
 */
public final class SlotPool<S> {

    private static final long DRAIN_SECONDS = 60;

    private final List<S> slots;
    private final BlockingQueue<S> idle;
    private final InputContract input;
    private final int maxBatch;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param slots    the slots, all idle
     * @param input    the model's input contract, which batches must fit
     * @param maxBatch frames per batch at most
     */
    public SlotPool(List<S> slots, InputContract input, int maxBatch) {
        this.slots = List.copyOf(slots);
        this.idle = new ArrayBlockingQueue<>(this.slots.size(), false, this.slots);
        this.input = input;
        this.maxBatch = maxBatch;
    }

    /**
     * Takes an idle slot for the batch, waiting while every slot is busy.
     *
     * @throws IllegalStateException    if the pool is closed, or the wait is interrupted
     * @throws IllegalArgumentException if the batch does not fit the model's input
     */
    public S acquire(FrameBatch batch) {
        if (closed.get()) {
            throw new IllegalStateException("engine is closed");
        }
        if (batch.count() > maxBatch || batch.height() != input.height() || batch.width() != input.width()) {
            throw new IllegalArgumentException("batch of " + batch.count() + " frames " + batch.height() + "x"
                    + batch.width() + " does not fit: at most " + maxBatch + " frames of " + input.height() + "x"
                    + input.width());
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free request", e);
        }
    }

    /** Gives a slot back once its batch completed. */
    public void release(S slot) {
        idle.add(slot);
    }

    /** A batch's run on the slot it was staged on. */
    @FunctionalInterface
    public interface SlotRun<S> {
        BatchResult run(S slot) throws InferenceException;
    }

    /**
     * Runs a batch already staged on {@code slot} on one of {@code workers}, and gives the slot back when the run ends,
     * also when it fails or cannot be started.
     *
     * @return the run's result, or its failure
     */
    public CompletableFuture<BatchResult> runOn(Executor workers, S slot, SlotRun<S> run) {
        CompletableFuture<BatchResult> result = new CompletableFuture<>();
        try {
            workers.execute(() -> {
                try {
                    result.complete(run.run(slot));
                } catch (InferenceException | RuntimeException e) {
                    result.completeExceptionally(e);
                } finally {
                    release(slot);
                }
            });
        } catch (RuntimeException e) {
            release(slot);
            result.completeExceptionally(e);
        }
        return result;
    }

    /**
     * Refuses new batches and waits until every slot is back, which means nothing is in flight (at most a minute).
     *
     * @return false if the pool was already closed, so the caller frees its resources only once
     */
    public boolean closeAndDrain() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        try {
            for (int i = 0; i < slots.size(); i++) {
                if (idle.poll(DRAIN_SECONDS, TimeUnit.SECONDS) == null) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** Every slot, for freeing them after {@link #closeAndDrain()}. */
    public List<S> slots() {
        return slots;
    }
}

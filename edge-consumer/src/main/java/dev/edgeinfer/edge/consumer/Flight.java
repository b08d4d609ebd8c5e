package dev.edgeinfer.edge.consumer;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A flush being classified: its records, the dead letters known before inference, and the outputs of its batches as
 * they complete. It is written while the next flush is being classified, and its offsets are committed with what else
 * was written before the next commit.
 *
 * @param records     the frames, in the order read
 * @param bytes       their bytes as fetched
 * @param deadLetters outputs of frames refused before inference (filled while the flight is assembled)
 * @param batches     one future per batch submitted to the engine: its predictions, or its frames' dead letters
 */
record Flight(List<Received> records, long bytes, List<Output> deadLetters, List<CompletableFuture<List<Output>>> batches) {

    boolean isDone() {
        return batches.stream().allMatch(CompletableFuture::isDone);
    }
}

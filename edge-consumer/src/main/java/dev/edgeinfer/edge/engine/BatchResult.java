package dev.edgeinfer.edge.engine;

import java.util.List;

/**
 * The engine's answer for one batch.
 *
 * @param predictions one per frame, in the batch's order
 * @param timings     the batch's stage timings
 */
public record BatchResult(List<Prediction> predictions, InferenceTimings timings) {
    public BatchResult {
        predictions = List.copyOf(predictions);
    }
}
